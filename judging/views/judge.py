"""A judge's own pages (/events/<slug>/judging/), made for a phone: their queue in
presentation order, one entry's score sheet (saved as they go with JavaScript, by its
Save button without), marking a team absent, and the conflicts they declare.

The queue and the conflicts are for the event's accepted judges; a sheet is shown only
to a judge assigned to the entry, and refused (403) to one in conflict with its team.
Everybody else, superusers included, gets 404."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from common.views import act_and_report
from events.selectors import event_get_visible
from judging.forms import ConflictForm
from judging.models import Conflict
from judging.selectors_judge import judge_queue, sheet_criteria, sheet_of
from judging.services import preparation
from judging.services.scoring import CONFLICTED, sheet_save, team_absent_mark
from submissions.selectors.listing import submission_for_review

# Longer than any score on a scale of at most 100, short of what int() would labour over.
SCORE_DIGITS = 4


def _event_for_judge(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm("judging.judge_event", request.user, event):
        raise Http404("No such page.")
    return event


def _entry_for_judge(request, event, pk):
    """The entry, for a judge assigned to it; 403 (saying why) to one in conflict."""
    entry = submission_for_review(event, pk)
    if not rules.has_perm("judging.view_sheet", request.user, entry):
        raise Http404("No such page.")
    if not rules.has_perm("judging.score_entry", request.user, entry):
        raise PermissionDenied(CONFLICTED)
    return entry


@login_required
def queue_page(request, slug):
    event = _event_for_judge(request, slug)
    queue = judge_queue(event, request.user)
    context = {"event": event, "queue": queue, "locked": event.judging_locked_at is not None}
    return render(request, "judging/judge/queue.html", context)


def _typed_scores(post, criteria) -> dict:
    """{criterion id: the whole number typed, or the text when it is not one}, for the
    criteria given; blank leaves a score as it is."""
    scores = {}
    for item in criteria:
        typed = post.get(f"criterion_{item.criterion.pk}", "").strip()
        if not typed:
            continue
        whole = typed.isascii() and typed.isdigit() and len(typed) <= SCORE_DIGITS
        scores[item.criterion.pk] = int(typed) if whole else typed
    return scores


@login_required
def sheet_page(request, slug, pk):
    event = _event_for_judge(request, slug)
    entry = _entry_for_judge(request, event, pk)
    queue = judge_queue(event, request.user)
    item = queue.find(entry.pk)
    if item is None:  # marked absent: back to the queue, where it can be undone
        messages.info(request, "You marked this team absent. Mark it present to score it.")
        return redirect("judging_queue", slug=event.slug)
    criteria = sheet_criteria(queue.judge, entry)
    if request.method != "POST":
        return _sheet(request, event, entry, queue, item, criteria)
    scores = _typed_scores(request.POST, criteria)
    autosave = request.headers.get("HX-Request") == "true"
    try:
        sheet_save(
            actor=request.user,
            submission=entry,
            scores=scores,
            # A form without a note leaves it as it is.
            note_to_organisers=request.POST.get("note_to_organisers"),
            feedback_for_team=request.POST.get("feedback_for_team"),
        )
    except ApplicationError as error:
        if autosave:
            return _autosave_status(request, problem=error)
        typed = sheet_criteria(queue.judge, entry, typed=scores)
        return _sheet(request, event, entry, queue, item, typed, error=error, status=400)
    if autosave:
        return _autosave_status(request)
    messages.success(request, f"Scores for “{entry.title}” saved.")
    if "next" in request.POST:
        # The queue read before this save still holds: the entries after this one are
        # as they were.
        following = queue.after(entry.pk)
        if following is not None:
            return redirect("judging_sheet", slug=event.slug, pk=following.entry.pk)
        return redirect("judging_queue", slug=event.slug)
    return redirect("judging_sheet", slug=event.slug, pk=entry.pk)


def _sheet(request, event, entry, queue, item, criteria, *, error=None, status=200):
    sheet = sheet_of(queue.judge, entry)
    position = [queued.entry.pk for queued in queue.to_score].index(entry.pk) + 1
    context = {
        "event": event,
        "entry": entry,
        "item": item,
        "queue": queue,
        "position": position,
        "criteria": criteria,
        "sheet": sheet,
        "note": request.POST.get("note_to_organisers", sheet.note_to_organisers if sheet else ""),
        "feedback": request.POST.get("feedback_for_team", sheet.feedback_for_team if sheet else ""),
        "error": error,
        "locked": event.judging_locked_at is not None,
    }
    return render(request, "judging/judge/sheet.html", context, status=status)


def _autosave_status(request, *, problem=None):
    # htmx swaps only a successful answer in, so a refusal is a 200 that says so.
    context = {"problem": problem, "saved_at": timezone.localtime()}
    return render(request, "judging/judge/_autosave.html", context)


@login_required
@require_POST
def absent_mark(request, slug, pk):
    event = _event_for_judge(request, slug)
    entry = _entry_for_judge(request, event, pk)
    absent = request.POST.get("absent") != "no"
    act_and_report(
        request,
        lambda: team_absent_mark(actor=request.user, submission=entry, absent=absent),
        done=(
            f"“{entry.team.name}” marked absent: it has left your queue."
            if absent
            else f"“{entry.team.name}” is back in your queue."
        ),
    )
    return redirect("judging_queue", slug=event.slug)


@login_required
def conflicts_page(request, slug):
    event = _event_for_judge(request, slug)
    form = ConflictForm(request.POST or None, event=event, own=True)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                preparation.conflict_declare(actor=request.user, event=event, **form.cleaned_data)
            except ApplicationError as error:
                form.add_error("kind" if "kind" in error.details else None, error.message)
            else:
                messages.success(request, "Conflict declared. You will not be asked to score them.")
                return redirect("judging_conflicts", slug=event.slug)
        status = 400
    declared = (
        Conflict.objects.filter(judge__event=event, judge__user=request.user)
        .select_related("team", "person")
        .order_by("created_at", "pk")
    )
    context = {
        "event": event,
        "form": form,
        "declared": declared,
        "locked": event.judging_locked_at is not None,
    }
    return render(request, "judging/judge/conflicts.html", context, status=status)


@login_required
@require_POST
def conflict_withdraw(request, slug, pk):
    """A judge withdraws a conflict they declared themselves (organisers' stay theirs)."""
    event = _event_for_judge(request, slug)
    conflict = get_object_or_404(
        Conflict, pk=pk, judge__event=event, judge__user=request.user, declared_by=request.user
    )
    act_and_report(
        request,
        lambda: preparation.conflict_remove(actor=request.user, conflict=conflict),
        done="Conflict withdrawn.",
    )
    return redirect("judging_conflicts", slug=event.slug)


JUDGING = "events/<slug:slug>/judging/"

urlpatterns = [
    path(JUDGING, queue_page, name="judging_queue"),
    path(f"{JUDGING}<int:pk>/", sheet_page, name="judging_sheet"),
    path(f"{JUDGING}<int:pk>/absent/", absent_mark, name="judging_absent"),
    path(f"{JUDGING}conflicts/", conflicts_page, name="judging_conflicts"),
    path(
        f"{JUDGING}conflicts/<int:pk>/withdraw/",
        conflict_withdraw,
        name="judging_conflict_withdraw",
    ),
]
