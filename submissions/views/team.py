"""The team's pages: its entry (start, edit, submit or take back, the gallery choice,
its history), and through team_files and team_citations its files, their checks and
the datasets it cites. Addressed by the event: a person has one team there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.text import capfirst
from django.views.decorators.http import require_POST

from common.views import act_and_report, apply_form
from submissions.enums import EDITABLE, Actor, SubmissionStatus
from submissions.forms import GalleryForm, SubmissionForm
from submissions.models import DatasetCitation, Submission, SubmissionVersion
from submissions.selectors.validation import validation_summary
from submissions.services import lifecycle
from submissions.services.engine import validation_limits
from submissions.views import team_citations, team_files
from submissions.views.team_access import (
    changeable_entry,
    entry_url,
    form_page,
    open_entry,
    team_entry,
)
from submissions.views.team_files import STATUS_POLL_SECONDS, artifact_rows

HISTORY_PAGE_SIZE = 50
# The words of the buttons moving an entry, by the status they move it to.
MOVE_BUTTONS = {
    SubmissionStatus.SUBMITTED: "Submit",
    SubmissionStatus.DRAFT: "Take back to draft",
}
MOVE_DONE = {
    SubmissionStatus.SUBMITTED: "Submitted. You can still change it until the deadline.",
    SubmissionStatus.DRAFT: "Taken back to draft: submit it again when it is ready.",
}
# Names in a version's changes that are not a field of the entry.
CHANGE_LABELS = {"files": "Files", "slides": "Slides", "datasets": "Datasets cited"}
CITATION_FIELD_LABELS = {"resource": "file used", "how_used": "how it was used"}


@login_required
def submission_mine(request, slug):
    """The team's entry; before it exists, the form that starts it."""
    entry = team_entry(request, slug)
    if entry.submission is not None:
        if request.method == "POST":  # a start form sent after a teammate started it
            messages.info(request, "Your team has already started its submission.")
            return redirect(entry_url(entry.event))
        return _entry_page(request, entry)
    form = SubmissionForm(request.POST or None)
    if request.method == "POST" and apply_form(
        form,
        lambda: lifecycle.submission_create(
            actor=request.user, team=entry.team, fields=form.fields_to_save()
        ),
    ):
        messages.success(request, "Your submission is started. Add your files and datasets.")
        return redirect(entry_url(entry.event))
    return form_page(
        request,
        form,
        event=entry.event,
        title="Start your team's submission",
        button="Start the submission",
        back=entry.event.get_absolute_url(),
        lines=(
            f"One submission for {entry.team.name}: any member can change it until the "
            "deadline. Start with a title; the rest can come later.",
        ),
    )


def _entry_page(request, entry):
    submission = entry.submission
    team = entry.team
    submitted = submission.first_submitted_at is not None
    artifacts = artifact_rows(submission)
    citations = DatasetCitation.objects.filter(submission=submission).select_related(
        "dataset", "resource"
    )
    context = {
        "event": entry.event,
        "team": team,
        "submission": submission,
        "editable": submission.status in EDITABLE,
        "moves": [
            (status, MOVE_BUTTONS[status])
            for status in lifecycle.moves_allowed(submission, Actor.MEMBER)
        ],
        # Until it is first submitted, the entry takes the team's current choice.
        "challenge": submission.challenge if submitted else team.challenge,
        "theme": submission.theme if submitted else team.theme,
        "authors": list(submission.authors.all()) if submitted else [],
        "artifacts": artifacts,
        "checking": any(row.checking for row in artifacts),
        "poll_seconds": STATUS_POLL_SECONDS,
        "locked_by_deadline": bool(
            submission.locked_at
            and submission.deadline
            and submission.deadline <= submission.locked_at
        ),
        "citations": list(citations),
        "cited_unused": validation_summary(submission).cited_unused,
        "gallery_form": GalleryForm(initial={"in_gallery": submission.in_gallery}),
    }
    return render(request, "submissions/team/entry.html", context)


@login_required
def submission_edit(request, slug):
    entry, locked = open_entry(request, slug)
    if locked:
        return locked
    # The form changes its own copy, so a refused save leaves the entry as it was.
    form = SubmissionForm(
        request.POST or None, instance=Submission.objects.get(pk=entry.submission.pk)
    )
    if request.method == "POST" and apply_form(
        form,
        lambda: lifecycle.submission_update(
            actor=request.user, submission=entry.submission, fields=form.fields_to_save()
        ),
    ):
        messages.success(request, "Saved.")
        return redirect(entry_url(entry.event))
    return form_page(
        request,
        form,
        event=entry.event,
        title="Edit your submission",
        button="Save",
        back=entry_url(entry.event),
    )


@login_required
@require_POST
def submission_move(request, slug):
    """Submit the entry, or take it back to draft: the moves the lifecycle allows a member."""
    entry = changeable_entry(request, slug)
    to = request.POST.get("to", "")
    if to not in lifecycle.moves_allowed(entry.submission, Actor.MEMBER):
        messages.error(request, "Your submission cannot make that change now.")
    else:
        act_and_report(
            request,
            lambda: lifecycle.submission_transition(
                submission=entry.submission, to=to, by=Actor.MEMBER, actor=request.user
            ),
            done=MOVE_DONE[to],
        )
    return redirect(entry_url(entry.event))


@login_required
@require_POST
def submission_gallery(request, slug):
    """The team's choice of the public gallery: theirs to change, even once locked."""
    entry = changeable_entry(request, slug)
    form = GalleryForm(request.POST)
    form.is_valid()  # a checkbox: unticked or missing is False, never an error
    chosen = form.cleaned_data["in_gallery"]
    act_and_report(
        request,
        lambda: lifecycle.submission_set_gallery(
            actor=request.user, submission=entry.submission, in_gallery=chosen
        ),
        done=(
            "Your submission will be in the public gallery once results are published."
            if chosen
            else "Your submission will not be in the public gallery."
        ),
    )
    return redirect(entry_url(entry.event))


@login_required
def submission_history(request, slug):
    """Every save of the entry since it was first submitted: who, when, what changed."""
    entry = team_entry(request, slug)
    if entry.submission is None:
        return redirect(entry_url(entry.event))
    versions = SubmissionVersion.objects.filter(submission=entry.submission).select_related(
        "saved_by"
    )
    page = Paginator(versions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "event": entry.event,
        "submission": entry.submission,
        "page": page,
        "versions": [(version, described_changes(version.changes)) for version in page],
    }
    return render(request, "submissions/team/history.html", context)


def described_changes(changes) -> list[tuple[str, str, str]]:
    """A version's changes as (what, before, after), each plain text for the page."""
    if not isinstance(changes, dict):
        return []
    described = []
    for name, pair in changes.items():
        before, after = pair if isinstance(pair, list | tuple) and len(pair) == 2 else ("", pair)
        described.append((change_label(str(name)), _text(before), _text(after)))
    return described


def change_label(name: str) -> str:
    """A change's name as words: a field's own label, e.g. "impact_statement" -> "The
    problem and its community impact"; "citation of X: how_used" -> "… how it was used"."""
    if name in CHANGE_LABELS:
        return CHANGE_LABELS[name]
    try:
        return capfirst(Submission._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        pass
    head, _, field_name = name.rpartition(": ")
    if head and field_name in CITATION_FIELD_LABELS:
        return capfirst(f"{head}: {CITATION_FIELD_LABELS[field_name]}")
    return capfirst(name.replace("_", " "))


def _text(value) -> str:
    return "" if value is None else str(value)


def checks_help(request):
    """How uploaded files are checked, with examples (for participants)."""
    return render(request, "submissions/checks_help.html", {"limits": validation_limits()})


ENTRY = "events/<slug:slug>/submission/"

urlpatterns = [
    path(ENTRY, submission_mine, name="submission_mine"),
    path(f"{ENTRY}edit/", submission_edit, name="submission_edit"),
    path(f"{ENTRY}move/", submission_move, name="submission_move"),
    path(f"{ENTRY}gallery/", submission_gallery, name="submission_gallery"),
    path(f"{ENTRY}history/", submission_history, name="submission_history"),
    *team_files.urlpatterns,
    *team_citations.urlpatterns,
    path("submissions/checks/", checks_help, name="submission_checks_help"),
]
