"""Organisers' pages: the event's teams and sizes, and matching people into teams."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from accounts.models import User
from common.exceptions import ApplicationError
from common.views import act_and_report
from events.selectors import event_get_managed
from teams import proposals, services
from teams.enums import HelpStatus, MatchingStatus
from teams.forms import MatchingForm, TeamSizesForm
from teams.help_queue import stale_before
from teams.models import HelpRequest, MatchingRun, Team
from teams.selectors import teams_of_event


@login_required
def overview(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    policy = services.team_policy(event)
    form = TeamSizesForm(
        request.POST or None, initial={"min_size": policy.min_size, "max_size": policy.max_size}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.team_policy_update(event=event, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Team sizes saved.")
            return redirect("teams_console", slug=event.slug)
    context = {
        "event": event,
        "form": form,
        "policy": policy,
        "teams": teams_of_event(event),
        "summary": teams_summary(event, policy),
    }
    return render(
        request, "teams/console/overview.html", context, status=400 if form.errors else 200
    )


def teams_summary(event, policy) -> dict:
    """The counts the dashboard panel and the teams page show."""
    sizes = list(
        Team.objects.filter(event=event, disbanded_at__isnull=True)
        .annotate(size=Count("memberships"))
        .values_list("size", flat=True)
    )
    help_counts = HelpRequest.objects.filter(team__event=event).aggregate(
        open=Count("pk", filter=Q(status=HelpStatus.OPEN)),
        claimed=Count("pk", filter=Q(status=HelpStatus.CLAIMED)),
        stale=Count("pk", filter=Q(status=HelpStatus.OPEN, created_at__lt=stale_before())),
    )
    return {
        "formed": len(sizes),
        "under_filled": sum(1 for size in sizes if size < policy.min_size),
        "without_team": proposals.without_team(event).count(),
        **help_counts,
    }


@login_required
def matching(request, slug):
    event = event_get_managed(slug=slug, user=request.user)
    form = MatchingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            proposals.matching_propose(event=event, actor=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Here is a proposal. Move people if you like, then apply it.")
            return redirect("teams_matching", slug=event.slug)
    run = MatchingRun.objects.filter(event=event, status=MatchingStatus.PROPOSED).first()
    context = {"event": event, "form": form, "run": run, **_proposal_context(run)}
    return render(
        request, "teams/console/matching.html", context, status=400 if form.errors else 200
    )


def _proposal_context(run) -> dict:
    if run is None:
        return {}
    proposal = run.proposal
    ids = [i for team in proposal["teams"] for i in team["member_ids"]]
    ids += [item["id"] for item in proposal["unplaced"]]
    people = User.objects.in_bulk(ids)
    fixed = set(proposal["fixed"])
    teams = [
        {
            "key": team["key"],
            "label": proposals.team_label(team),
            "quality": team["quality"],
            "members": [
                {
                    "user": people.get(i),
                    "id": i,
                    "fixed": i in fixed,
                    **proposal["candidates"][str(i)],
                }
                for i in team["member_ids"]
            ],
        }
        for team in proposal["teams"]
    ]
    return {
        "proposal_teams": teams,
        "total": proposal["total"],
        "unplaced": [
            {"user": people.get(item["id"]), "reason": item["reason"]}
            for item in proposal["unplaced"]
        ],
        "problems": proposals.proposal_problems(proposal),
        "targets": [(team["key"], team["label"]) for team in teams]
        + [(proposals.NEW, "A new team")],
    }


def _run_of(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    return event, get_object_or_404(MatchingRun.objects.select_related("event"), pk=pk, event=event)


@login_required
@require_POST
def matching_move(request, slug, pk):
    event, run = _run_of(request, slug, pk)
    try:
        user_id = int(request.POST.get("user", ""))
        proposals.matching_move(
            run=run, user_id=user_id, to_key=request.POST.get("to", ""), actor=request.user
        )
    except ValueError:
        messages.error(request, "Choose a person to move.")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Moved; the scores are updated.")
    return redirect("teams_matching", slug=event.slug)


@login_required
@require_POST
def matching_apply(request, slug, pk):
    event, run = _run_of(request, slug, pk)
    try:
        teams = proposals.matching_apply(run=run, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("teams_matching", slug=event.slug)
    messages.success(
        request,
        f"Applied: {len(teams)} teams formed or topped up; everyone placed has been emailed.",
    )
    return redirect("teams_console", slug=event.slug)


@login_required
@require_POST
def matching_discard(request, slug, pk):
    event, run = _run_of(request, slug, pk)
    act_and_report(
        request,
        lambda: proposals.matching_discard(run=run, actor=request.user),
        done="Proposal discarded.",
    )
    return redirect("teams_matching", slug=event.slug)
