"""Organisers' pages: the event's teams and sizes, and matching people into teams."""

import re
from collections import Counter
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from accounts.enums import ParticipantType
from accounts.models import Skill, User
from common.exceptions import ApplicationError
from common.views import act_and_report
from events.models import Theme
from events.selectors import event_get_managed
from teams import proposals, services
from teams.enums import HelpStatus, MatchingStatus
from teams.forms import MatchingForm, TeamSizesForm
from teams.help_queue import stale_before
from teams.matching import CLUSTER_PENALTY, INTEREST_WEIGHT, SKILL_WEIGHT, TYPE_WEIGHT
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
    moved = re.fullmatch(r"[0-9]{1,12}", request.GET.get("moved", ""))
    context = {
        "event": event,
        "form": form,
        "run": run,
        **_proposal_context(run, moved=int(moved[0]) if moved else None),
    }
    return render(
        request, "teams/console/matching.html", context, status=400 if form.errors else 200
    )


def _proposal_context(run, moved=None) -> dict:
    """The proposal as organisers read it: each person's type, skills and themes by
    their labels, each team's score explained in words, `moved` the person just moved."""
    if run is None:
        return {}
    proposal = run.proposal
    ids = [i for team in proposal["teams"] for i in team["member_ids"]]
    ids += [item["id"] for item in proposal["unplaced"]]
    people = User.objects.in_bulk(ids)
    fixed = set(proposal["fixed"])
    labels = Labels(
        skills=dict(Skill.objects.values_list("slug", "name")),
        themes=dict(Theme.objects.filter(event=run.event).values_list("slug", "name")),
    )
    teams = []
    for team in proposal["teams"]:
        snapshots = [proposal["candidates"][str(i)] for i in team["member_ids"]]
        teams.append(
            {
                "key": team["key"],
                "label": proposals.team_label(team),
                "quality": team["quality"],
                "explanation": explain_team(
                    snapshots, team["quality"], labels, proposal["fair_share"]
                ),
                "moved": people.get(moved) if moved in team["member_ids"] else None,
                "members": [
                    {
                        "user": people.get(i),
                        "id": i,
                        "fixed": i in fixed,
                        "type": labels.type_of(snapshot["kind"]),
                        "skills": labels.skills_of(snapshot["skills"]),
                        "interests": labels.themes_of(snapshot["interests"]),
                    }
                    for i, snapshot in zip(team["member_ids"], snapshots, strict=True)
                ],
            }
        )
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


@dataclass(frozen=True)
class Labels:
    """What the codes stored in a proposal's snapshots are called on the page."""

    skills: dict[str, str]  # slug: name
    themes: dict[str, str]

    @staticmethod
    def type_of(kind: str) -> str:
        return ParticipantType(kind).label if kind in ParticipantType.values else "Not given"

    def skills_of(self, slugs) -> list[str]:
        return sorted(self.skills.get(slug, slug) for slug in slugs)

    def themes_of(self, slugs) -> list[str]:
        return sorted(self.themes.get(slug, slug) for slug in slugs)


def _listed(names) -> str:
    names = list(names)
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _points(weight: float, share: float) -> str:
    return f"{weight * share:.1f} of {weight:.0f} point{'s' if weight != 1 else ''}"


def explain_team(
    snapshots: list[dict], quality: dict, labels: Labels, fair_share: int
) -> list[str]:
    """A proposed team's score (teams.matching's objective) in words: one sentence per
    part, what the team has from its members' snapshots and the points it earns from
    the stored `quality`, so the words always add up to the score shown."""
    size = len(snapshots)
    if not size:
        return []
    skill_set = labels.skills
    held = {slug for snapshot in snapshots for slug in snapshot["skills"]} & set(skill_set)
    missing = sorted(name for slug, name in skill_set.items() if slug not in held)
    skills = (
        f"Skills: covers {len(held)} of {len(skill_set)}; missing {_listed(missing)}"
        if missing
        else f"Skills: covers all {len(skill_set)}"
    )
    interests = Counter(theme for snapshot in snapshots for theme in snapshot["interests"])
    any_theme = sum(1 for snapshot in snapshots if not snapshot["interests"])
    if interests:
        # The most popular theme; among equals the first by name, as a reader would pick.
        theme, count = min(
            interests.items(), key=lambda item: (-item[1], labels.themes_of([item[0]]))
        )
        themes = f"Theme: {count} of {size} chose {labels.themes_of([theme])[0]}"
        if any_theme:
            themes += f", and {any_theme} chose none, so any theme suits them"
    else:
        themes = "Theme: nobody chose one, so any theme suits the team"
    kinds = sorted({labels.type_of(snapshot["kind"]) for snapshot in snapshots})
    sentences = [
        f"{skills} ({_points(SKILL_WEIGHT, quality['skill_coverage'])}).",
        f"{themes} ({_points(INTEREST_WEIGHT, quality['interest_alignment'])}).",
        f"Participant types: {len(kinds)}, {_listed(kinds)} "
        f"({_points(TYPE_WEIGHT, quality['type_spread'])}).",
    ]
    researchers = quality["spread_group_count"]
    excess = researchers - fair_share
    if excess > 0:
        sentences.append(
            f"Community researchers: {researchers}, {excess} more than the fair share of "
            f"{fair_share} per team, which costs {CLUSTER_PENALTY * excess:.0f} points."
        )
    elif researchers:
        sentences.append(
            f"Community researchers: {researchers}, within the fair share of {fair_share} per team."
        )
    return sentences


def _run_of(request, slug, pk):
    event = event_get_managed(slug=slug, user=request.user)
    return event, get_object_or_404(MatchingRun.objects.select_related("event"), pk=pk, event=event)


@login_required
@require_POST
def matching_move(request, slug, pk):
    """Move someone, then show the team they moved to, where the new scores are, rather
    than the top of a long page."""
    event, run = _run_of(request, slug, pk)
    to = reverse("teams_matching", kwargs={"slug": event.slug})
    try:
        user_id = int(request.POST.get("user", ""))
        run = proposals.matching_move(
            run=run, user_id=user_id, to_key=request.POST.get("to", ""), actor=request.user
        )
    except ValueError:
        messages.error(request, "Choose a person to move.")
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Moved; the scores are updated.")
        key = next(t["key"] for t in run.proposal["teams"] if user_id in t["member_ids"])
        to = f"{to}?moved={user_id}#team-{key}"
    return redirect(to)


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
