"""Organisers' results (/organise/<slug>/judging/results/, a console page): the ranking
with how sure it is, category scores, entries not ranked, each judge's calibration; the
buttons that lock judging, reopen it and publish the results (each asks first); and the
scores and results as CSV files."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils import timezone

from common.csv_export import csv_download
from common.views import act_and_report, confirm_page, is_confirmed
from events.selectors import event_get_managed
from judging.selectors_results import (
    SCORE_HEADINGS,
    result_headings,
    result_rows,
    results_view,
    score_rows,
)
from judging.services import publication


@login_required
def judging_results(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    context = {"event": event, "view": results_view(event)}
    return render(request, "judging/results/page.html", context)


# Each step: (service, what the confirmation page asks and says, button, done message).
STEPS = {
    "lock": (
        publication.judging_lock,
        "Lock judging?",
        (
            "Judges can no longer change their scores, and criteria, rooms, panels, "
            "conflicts and assignments stay as they are.",
            "You can reopen judging until you publish the results.",
        ),
        "Yes, lock judging",
        "Judging is locked.",
    ),
    "reopen": (
        publication.judging_reopen,
        "Reopen judging?",
        ("Judges can change their scores again until you lock judging once more.",),
        "Yes, reopen judging",
        "Judging is open again.",
    ),
    "publish": (
        publication.results_publish,
        "Publish the results?",
        (
            "Teams see their rank, their scores and the judges' feedback, and everyone "
            "sees the ranking. This cannot be undone: judging stays locked for good.",
        ),
        "Yes, publish the results",
        "The results are published.",
    ),
}


@login_required
def judging_step(request, slug, step):
    """Lock, reopen or publish (`step`): a GET or an unconfirmed POST asks first."""
    event = event_get_managed(slug=slug, user=request.user)
    service, title, lines, button, done = STEPS[step]
    back = reverse("judging_results", args=[event.slug])
    if not is_confirmed(request):
        return confirm_page(
            request, title=title, lines=lines, button=button, back=back,
            destructive=step == "publish",
        )  # fmt: skip
    act_and_report(request, lambda: service(actor=request.user, event=event), done=done)
    return redirect(back)


def _filename(event, what: str) -> str:
    # The slug is letters, digits and hyphens, so safe in the header as it is.
    return f"{event.slug}-{what}-{timezone.localdate():%Y-%m-%d}.csv"


@login_required
def judging_results_csv(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    view = results_view(event)
    return csv_download(
        result_rows(view), headings=result_headings(view),
        filename=_filename(event, "results"), name="judging results",
    )  # fmt: skip


@login_required
def judging_scores_csv(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    return csv_download(
        score_rows(event), headings=SCORE_HEADINGS,
        filename=_filename(event, "scores"), name="judging scores",
    )  # fmt: skip


JUDGING = "organise/<slug:slug>/judging/"

urlpatterns = [
    path(f"{JUDGING}results/", judging_results, name="judging_results"),
    *(
        path(f"{JUDGING}results/{step}/", judging_step, {"step": step}, name=f"judging_{step}")
        for step in STEPS
    ),
    path("organise/<slug:slug>/judging/results.csv", judging_results_csv,
         name="judging_results_csv"),
    path("organise/<slug:slug>/judging/scores.csv", judging_scores_csv,
         name="judging_scores_csv"),
]  # fmt: skip
