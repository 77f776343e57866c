"""Prizes' pages: participants' people's choice vote (/events/<slug>/vote/) and the
organisers' awards page (/organise/<slug>/judging/prizes/, a console page) with the vote
counts, which only organisers see until results are published."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from common.views import act_and_report
from events.selectors import event_get_managed, event_get_visible
from judging.forms_prizes import EntryChoiceForm
from judging.models import Prize
from judging.selectors_prizes import peoples_choice_of, prizes_overview, vote_choices
from judging.services import prizes as services

VOTE_LABEL = "Which entry gets your vote?"


def _vote_event(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    prize = peoples_choice_of(event)
    if prize is None:
        raise Http404("No people's choice vote.")
    return event, prize


def _vote_page(request, event, prize, form, *, error="", status=200):
    now = timezone.now()
    context = {
        "event": event,
        "prize": prize,
        "form": form,
        "error": error,
        "current": form.entries.get(form.initial.get("submission")),
        "may_vote": rules.has_perm("judging.cast_vote", request.user, event),
        "is_open": prize.voting_is_open(now) and event.results_published_at is None,
        "not_yet": now < prize.voting_opens_at,
    }
    return render(request, "judging/prizes/vote.html", context, status=status)


@login_required
def vote(request, slug):
    """The entries as radio buttons (not the voter's own team's), their current vote
    chosen; posting a choice casts or changes the vote."""
    event, prize = _vote_event(request, slug)
    choices = vote_choices(event, request.user)
    initial = {"submission": choices["current"]}
    if request.method != "POST":
        form = EntryChoiceForm(initial=initial, entries=choices["entries"], label=VOTE_LABEL)
        return _vote_page(request, event, prize, form)
    form = EntryChoiceForm(
        request.POST, initial=initial, entries=choices["entries"], label=VOTE_LABEL
    )
    if not form.is_valid():
        return _vote_page(request, event, prize, form, status=400)
    try:
        services.vote_cast(actor=request.user, event=event, submission=form.entry())
    except ApplicationError as error:
        return _vote_page(request, event, prize, form, error=error.message, status=error.status)
    messages.success(request, f"Your vote for “{form.entry().title}” is counted.")
    return redirect("judging_vote", slug=event.slug)


@login_required
@require_POST
def vote_withdraw(request, slug):
    event, prize = _vote_event(request, slug)
    try:
        services.vote_withdraw(actor=request.user, event=event)
    except ApplicationError as error:
        choices = vote_choices(event, request.user)
        form = EntryChoiceForm(
            initial={"submission": choices["current"]}, entries=choices["entries"],
            label=VOTE_LABEL,
        )  # fmt: skip
        return _vote_page(request, event, prize, form, error=error.message, status=error.status)
    messages.success(request, "Your vote is withdrawn.")
    return redirect("judging_vote", slug=event.slug)


def _award_form(line, data=None) -> EntryChoiceForm:
    form = EntryChoiceForm(
        data, entries=line.candidates, prefix=f"prize{line.prize.pk}",
        label=f"Award “{line.prize.name}” to", as_list=True,
        initial={"submission": (line.prize.winner_id or getattr(line.suggested, "pk", None))},
    )  # fmt: skip
    return form


def _awards_page(request, event, *, bound=None, status=200):
    overview = prizes_overview(event)
    lines = [
        (line, bound if bound and bound.prefix == f"prize{line.prize.pk}" else _award_form(line))
        for line in overview["lines"]
    ]
    context = {"event": event, **overview, "lines": lines}
    return render(request, "judging/prizes/awards.html", context, status=status)


@login_required
def prize_awards(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    return _awards_page(request, event)


@login_required
@require_POST
def prize_award(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    prize = get_object_or_404(Prize, pk=pk, event=event)
    line = next(line for line in prizes_overview(event)["lines"] if line.prize.pk == prize.pk)
    form = _award_form(line, request.POST)
    if not form.is_valid():
        return _awards_page(request, event, bound=form, status=400)
    act_and_report(
        request,
        lambda: services.prize_award(actor=request.user, prize=prize, submission=form.entry()),
        done=f"“{prize.name}” is awarded to “{form.entry().title}”.",
    )
    return redirect("judging_prizes", slug=event.slug)


@login_required
@require_POST
def prize_unaward(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    prize = get_object_or_404(Prize, pk=pk, event=event)
    act_and_report(
        request,
        lambda: services.prize_unaward(actor=request.user, prize=prize),
        done=f"“{prize.name}” is no longer awarded.",
    )
    return redirect("judging_prizes", slug=event.slug)


PRIZES = "organise/<slug:slug>/judging/prizes/"

urlpatterns = [
    path("events/<slug:slug>/vote/", vote, name="judging_vote"),
    path("events/<slug:slug>/vote/withdraw/", vote_withdraw, name="judging_vote_withdraw"),
    path(PRIZES, prize_awards, name="judging_prizes"),
    path(f"{PRIZES}<int:pk>/award/", prize_award, name="judging_prize_award"),
    path(f"{PRIZES}<int:pk>/unaward/", prize_unaward, name="judging_prize_unaward"),
]
