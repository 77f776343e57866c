"""Organisers' and judges' pages of an event's entries.

Organisers (/organise/<slug>/submissions/…, a console page): every entry with its
status, deadline and checks, filtered by status and by how its checks stand; locking (for
events without a deadline), unlocking, more time for one team, releasing a file the
checks held back, running a file's checks again. Judges and organisers
(/events/<slug>/submissions/…): the entries handed in, each read-only with its files'
outcomes.
"""

import rules
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_POST

from common.views import act_and_report, apply_form, confirm_page, is_confirmed
from events.forms import DATETIME_WIDGET
from events.selectors import event_get_managed, event_get_visible
from submissions.enums import Actor, SubmissionStatus, Validation, ValidationActor
from submissions.models import Artifact, Submission
from submissions.selectors.listing import (
    submission_for_review,
    submissions_for_judges,
    submissions_for_organisers,
)
from submissions.services.lifecycle import (
    moves_allowed,
    submission_extend_deadline,
    submission_transition,
)
from submissions.services.publication import artifact_release
from submissions.services.validation import validation_rerun
from submissions.views.public import artifact_attachment

S = SubmissionStatus


class EntryFilterForm(forms.Form):
    status = forms.ChoiceField(
        choices=[("", "Any status"), *S.choices], required=False, label="Status"
    )
    validation = forms.ChoiceField(
        choices=[("", "Any result"), *Validation.choices],
        required=False,
        label="Checks of the files",
    )


class DeadlineForm(forms.Form):
    # Named as the service names it, so its refusal is shown on this field.
    deadline_extension = forms.DateTimeField(
        label="This team's new deadline",
        help_text="Later than now and than the event's deadline. A locked entry opens again.",
        widget=DATETIME_WIDGET,
    )


def _entry_of(event, pk) -> Submission:
    # Another event's entry answers 404, as if it did not exist.
    return get_object_or_404(Submission.objects.select_related("event", "team"), event=event, pk=pk)


def _artifact_of(entry, artifact_pk) -> Artifact:
    return get_object_or_404(
        Artifact.objects.select_related("submission"), submission=entry, pk=artifact_pk
    )


def _entry_url(event, entry) -> str:
    return reverse("submissions_organise_entry", kwargs={"slug": event.slug, "pk": entry.pk})


def _can_lock(entry) -> bool:
    """Organisers lock by hand where no deadline will (the sweep locks at a deadline)."""
    return entry.deadline is None and S.LOCKED in moves_allowed(entry, Actor.ORGANISER)


def _reopens_to(entry) -> str:
    return S.SUBMITTED if entry.first_submitted_at else S.DRAFT


def _can_unlock(entry, now) -> bool:
    return entry.status == S.LOCKED and (entry.deadline is None or entry.deadline > now)


@login_required
def entries_page(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    form = EntryFilterForm(request.GET)
    status = 200
    if form.is_valid():
        listed = submissions_for_organisers(event, **form.cleaned_data)
    else:
        listed, status = Submission.objects.none(), 400
    now = timezone.now()
    rows = [
        {"entry": entry, "can_lock": _can_lock(entry), "can_unlock": _can_unlock(entry, now)}
        for entry in listed
    ]
    context = {
        "event": event,
        "form": form,
        "rows": rows,
        "filtered": any(request.GET.get(name) for name in form.fields),
        "next": request.get_full_path(),
    }
    return render(request, "submissions/organise/entries.html", context, status=status)


@login_required
def entry_page(request, slug, pk):
    """One entry for its organisers: where it stands, its files, and what they may do."""
    event = event_get_managed(slug=slug, user=request.user)
    entry = submission_for_review(event, pk)
    now = timezone.now()
    context = {
        "event": event,
        "entry": entry,
        "can_lock": _can_lock(entry),
        "can_unlock": _can_unlock(entry, now),
        "deadline_passed": entry.deadline is not None and entry.deadline <= now,
        "next": request.get_full_path(),
    }
    return render(request, "submissions/organise/entry.html", context)


def _back(request, event, entry) -> str:
    """Back to the page the button was on (the list as filtered, or the entry), never
    outside this event's entries."""
    back = request.POST.get("next", "")
    entries_url = reverse("submissions_organise", kwargs={"slug": event.slug})
    return back if back.startswith(entries_url) else _entry_url(event, entry)


@login_required
@require_POST
def lock(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    entry = _entry_of(event, pk)
    act_and_report(
        request,
        lambda: submission_transition(
            submission=entry, to=S.LOCKED, by=Actor.ORGANISER, actor=request.user
        ),
        done=f"“{entry.title}” by {entry.team.name} is locked.",
    )
    return redirect(_back(request, event, entry))


@login_required
@require_POST
def unlock(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    entry = _entry_of(event, pk)
    to = _reopens_to(entry)
    act_and_report(
        request,
        lambda: submission_transition(
            submission=entry, to=to, by=Actor.ORGANISER, actor=request.user
        ),
        done=f"“{entry.title}” is open again ({S(to).label.lower()}): {entry.team.name} can "
        "change it.",
    )
    return redirect(_back(request, event, entry))


@login_required
def deadline(request, slug, pk):
    """More time for one team (a locked entry opens again)."""
    event = event_get_managed(slug=slug, user=request.user)
    entry = _entry_of(event, pk)
    form = DeadlineForm(request.POST or None)
    if request.method == "POST" and apply_form(
        form,
        lambda: submission_extend_deadline(
            actor=request.user,
            submission=entry,
            until=form.cleaned_data["deadline_extension"],
        ),
    ):
        until = date_format(
            timezone.localtime(form.cleaned_data["deadline_extension"]), "j M Y, H:i"
        )
        messages.success(request, f"{entry.team.name} now has until {until}.")
        return redirect(_entry_url(event, entry))
    context = {"event": event, "entry": entry, "form": form}
    status = 400 if form.errors else 200
    return render(request, "submissions/organise/deadline.html", context, status=status)


@login_required
def release(request, slug, pk, artifact_pk):
    """Publish a file the checks held back, once an organiser has reviewed it; asks first."""
    event = event_get_managed(slug=slug, user=request.user)
    entry = _entry_of(event, pk)
    artifact = _artifact_of(entry, artifact_pk)
    here = _entry_url(event, entry)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Release “{artifact.original_filename}” to the public?",
            lines=[
                "Its disclosure-control or personal-data checks did not pass, so it is held "
                "back from the gallery. Release it only once you have reviewed it and are "
                "sure it discloses nobody.",
                "Once results are published, anyone will be able to download it. The release "
                "is recorded under your name.",
            ],
            button="Yes, release the file",
            back=here,
        )
    act_and_report(
        request,
        lambda: artifact_release(actor=request.user, artifact=artifact),
        done=f"“{artifact.original_filename}” is released: the gallery will offer it.",
    )
    return redirect(here)


@login_required
@require_POST
def recheck(request, slug, pk, artifact_pk):
    event = event_get_managed(slug=slug, user=request.user)
    entry = _entry_of(event, pk)
    artifact = _artifact_of(entry, artifact_pk)
    act_and_report(
        request,
        lambda: validation_rerun(
            artifact=artifact, by=ValidationActor.ORGANISER, actor=request.user
        ),
        done=f"The checks of “{artifact.original_filename}” will run again.",
    )
    return redirect(_entry_url(event, entry))


# --- Judges' and organisers' reading ---------------------------------------------------


def _event_for_reading(request, slug):
    """The event for those who may read its entries (its organisers and accepted
    judges); 404 for everyone else, so they learn nothing."""
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm("submissions.list_submissions", request.user, event):
        raise Http404("No such page.")
    return event


@login_required
def review_list(request, slug):
    event = _event_for_reading(request, slug)
    context = {
        "event": event,
        "entries": submissions_for_judges(event),
        "may_manage": rules.has_perm("submissions.manage_submissions", request.user, event),
    }
    return render(request, "submissions/organise/review_list.html", context)


def _entry_for_reading(request, slug, pk):
    event = event_get_visible(slug=slug, user=request.user)
    entry = submission_for_review(event, pk)
    if not rules.has_perm("submissions.view_submission", request.user, entry):
        raise Http404("No such page.")
    # A draft is the team's (and its organisers') until it is handed in.
    if entry.status == S.DRAFT and not (
        rules.has_perm("submissions.manage_submissions", request.user, event)
        or rules.has_perm("submissions.change_submission", request.user, entry)
    ):
        raise Http404("No such page.")
    return event, entry


@login_required
def review(request, slug, pk):
    """One entry, read-only: what it is, who made it, what it used, its files' checks."""
    event, entry = _entry_for_reading(request, slug, pk)
    context = {
        "event": event,
        "entry": entry,
        "may_manage": rules.has_perm("submissions.manage_submissions", request.user, event),
    }
    return render(request, "submissions/organise/review.html", context)


@login_required
def review_file(request, slug, pk, artifact_pk):
    """A file of an entry, for those who may read the entry (withheld or not)."""
    _event, entry = _entry_for_reading(request, slug, pk)
    return artifact_attachment(_artifact_of(entry, artifact_pk))


ORGANISE = "organise/<slug:slug>/submissions/"
ENTRY = f"{ORGANISE}<int:pk>/"
READ = "events/<slug:slug>/submissions/"

urlpatterns = [
    path(ORGANISE, entries_page, name="submissions_organise"),
    path(ENTRY, entry_page, name="submissions_organise_entry"),
    path(f"{ENTRY}lock/", lock, name="submissions_organise_lock"),
    path(f"{ENTRY}unlock/", unlock, name="submissions_organise_unlock"),
    path(f"{ENTRY}deadline/", deadline, name="submissions_organise_deadline"),
    path(f"{ENTRY}files/<int:artifact_pk>/release/", release, name="submissions_organise_release"),
    path(f"{ENTRY}files/<int:artifact_pk>/recheck/", recheck, name="submissions_organise_recheck"),
    path(READ, review_list, name="submissions_review_list"),
    path(f"{READ}<int:pk>/", review, name="submission_review"),
    path(f"{READ}<int:pk>/files/<int:artifact_pk>/", review_file, name="submission_review_file"),
]
