"""Matching runs: propose teams for everyone taking part without one, let organisers
move people between the proposed teams, then apply the proposal in one transaction.

A proposal is stored as JSON on its MatchingRun with a snapshot of each candidate
(skills, theme interests, type), so moving people re-scores exactly what was proposed.
"""

import dataclasses
import secrets

from django.db import transaction
from django.utils import timezone

from accounts.models import Skill, User
from common.audit import audit_record
from common.exceptions import ApplicationError
from common.locking import hold_race_window, lock_capacity_row, lock_rows
from registration.models import Registration
from registration.selectors import participations
from teams import matching, notifications
from teams.enums import MatchingStatus, MemberRole, TeamActor
from teams.models import MatchingRun, Team, TeamPolicy
from teams.selectors import mutual_partners
from teams.services import check_teams_open, member_add, team_policy
from teams.transitions import matching_run_move

NEW = "new"  # the key of "a new team" when moving someone


def _candidates(event) -> dict[int, matching.Candidate]:
    """Everyone taking part in `event` who is not in a team, by user id."""
    registrations = (
        without_team(event)
        .select_related("user")
        .prefetch_related("user__skills", "theme_interests")
    )
    return {r.user_id: candidate_of(r.user, r) for r in registrations}


def candidate_of(user, registration) -> matching.Candidate:
    """What matching knows of someone: profile skills and type, the registration's themes."""
    return matching.Candidate(
        id=user.pk,
        skills=frozenset(skill.slug for skill in user.skills.all()),
        interests=frozenset(theme.slug for theme in registration.theme_interests.all()),
        kind=user.participant_type,
    )


def without_team(event):
    """Registrations of those taking part in `event` who are in no team."""
    return participations(event).exclude(user__team_memberships__event=event)


def _under_filled(event, policy) -> list[matching.ExistingTeam]:
    """Active teams below the smallest size, with their members as candidates."""
    teams = (
        Team.objects.filter(event=event, disbanded_at__isnull=True)
        .prefetch_related("memberships__user__skills")
        .order_by("pk")
    )
    interests = {
        r.user_id: r
        for r in Registration.objects.filter(
            event=event, user__team_memberships__event=event
        ).prefetch_related("theme_interests")
    }
    existing = []
    for team in teams:
        members = list(team.memberships.all())
        if len(members) < policy.min_size:
            existing.append(
                matching.ExistingTeam(
                    id=team.pk,
                    members=tuple(
                        candidate_of(m.user, interests[m.user_id])
                        for m in members
                        if m.user_id in interests
                    ),
                )
            )
    return existing


def _snapshot(candidate: matching.Candidate) -> dict:
    return {
        "skills": sorted(candidate.skills),
        "interests": sorted(candidate.interests),
        "kind": candidate.kind,
    }


def _from_snapshot(user_id: int, data: dict) -> matching.Candidate:
    return matching.Candidate(
        id=user_id,
        skills=frozenset(data["skills"]),
        interests=frozenset(data["interests"]),
        kind=data["kind"],
    )


@transaction.atomic
def matching_propose(*, event, actor, top_up=False, seed=None) -> MatchingRun:
    """A new proposal, which supersedes (discards) the one not yet applied: an event has
    at most one proposal at a time (a database constraint), and proposing again is how
    organisers start over."""
    check_teams_open(event)
    # Proposals and applies of one event queue on its policy row, so two organisers
    # proposing at once each supersede the other's in turn instead of colliding.
    policy = lock_capacity_row(TeamPolicy.objects.filter(event=event))
    candidates = _candidates(event)
    existing = _under_filled(event, policy) if top_up else []
    if not candidates:
        raise ApplicationError(
            "Everyone taking part is already in a team: there is nobody to match.",
            code="nobody_to_match",
            status=409,
        )
    seed = secrets.randbelow(2**31) if seed is None else seed
    pairs = mutual_partners(event)
    proposal = matching.propose_teams(
        list(candidates.values()),
        skill_set=Skill.objects.values_list("slug", flat=True),
        min_size=policy.min_size,
        max_size=policy.max_size,
        pairs=pairs,
        existing_teams=existing,
        seed=seed,
    )
    everyone = {c.id: c for c in candidates.values()}
    everyone |= {m.id: m for team in existing for m in team.members}
    fixed = {m.id for team in existing for m in team.members}
    previous = MatchingRun.objects.select_for_update(of=("self",)).filter(
        event=event, status=MatchingStatus.PROPOSED
    )
    for old in previous:
        matching_run_move(
            run=old,
            to=MatchingStatus.DISCARDED,
            by=TeamActor.ORGANISER,
            actor=actor,
            data={"superseded": True},
        )
    run = MatchingRun.objects.create(
        event=event,
        created_by=actor,
        seed=seed,
        top_up=top_up,
        proposal={
            "teams": [
                {
                    "key": f"team-{team.existing_team_id}" if team.existing_team_id else f"new-{n}",
                    "existing_team_id": team.existing_team_id,
                    "member_ids": list(team.member_ids),
                    "quality": dataclasses.asdict(team.quality),
                }
                for n, team in enumerate(proposal.teams, start=1)
            ],
            "total": proposal.total,
            "fair_share": proposal.fair_share,
            "unplaced": [dataclasses.asdict(item) for item in proposal.unplaced],
            "candidates": {str(c.id): _snapshot(c) for c in everyone.values()},
            "fixed": sorted(fixed),
            "pairs": [list(pair) for pair in pairs],
            "min_size": policy.min_size,
            "max_size": policy.max_size,
        },
    )
    audit_record(actor=actor, action="matching.proposed", target=run, data={"seed": seed})
    return run


def _rescore(proposal: dict) -> None:
    """Recompute every team's quality and the total after people were moved."""
    people = {int(k): _from_snapshot(int(k), v) for k, v in proposal["candidates"].items()}
    teams = [team for team in proposal["teams"] if team["member_ids"]]
    scores = matching.score_teams(
        [[people[i] for i in team["member_ids"]] for team in teams],
        skill_set=Skill.objects.values_list("slug", flat=True),
    )
    for team, quality in zip(teams, scores.teams, strict=True):
        team["quality"] = dataclasses.asdict(quality)
    proposal["teams"] = teams
    proposal["total"] = scores.total
    proposal["fair_share"] = scores.fair_share


def _proposed(run) -> MatchingRun:
    run = MatchingRun.objects.select_for_update(of=("self",)).get(pk=run.pk)
    if run.status != MatchingStatus.PROPOSED:
        raise ApplicationError(
            f"This proposal is {run.get_status_display().lower()}; make a new one.",
            code="proposal_closed",
            status=409,
        )
    return run


@transaction.atomic
def matching_move(*, run, user_id: int, to_key: str, actor) -> MatchingRun:
    """Move one proposed person to another proposed team, or to a new team (`NEW`)."""
    run = _proposed(run)
    proposal = run.proposal
    if user_id in proposal["fixed"]:
        raise ApplicationError(
            "Members of existing teams stay where they are.", code="fixed_member", status=409
        )
    source = next((t for t in proposal["teams"] if user_id in t["member_ids"]), None)
    target = next((t for t in proposal["teams"] if t["key"] == to_key), None)
    if source is None or (target is None and to_key != NEW):
        raise ApplicationError(
            "Choose a person in this proposal and one of its teams.",
            code="invalid_move",
            details={"to": ["Not a team of this proposal."]},
        )
    if target is None:
        numbers = [
            int(t["key"].split("-")[1]) for t in proposal["teams"] if t["key"].startswith("new-")
        ]
        target = {
            "key": f"new-{max(numbers, default=0) + 1}",
            "existing_team_id": None,
            "member_ids": [],
            "quality": {},
        }
        proposal["teams"].append(target)
    source["member_ids"].remove(user_id)
    target["member_ids"] = sorted([*target["member_ids"], user_id])
    _rescore(proposal)
    run.proposal = proposal
    run.save(update_fields=["proposal", "updated_at"])
    audit_record(
        actor=actor, action="matching.moved", target=run, data={"user": user_id, "to": to_key}
    )
    return run


@transaction.atomic
def matching_discard(*, run, actor) -> MatchingRun:
    return matching_run_move(
        run=_proposed(run), to=MatchingStatus.DISCARDED, by=TeamActor.ORGANISER, actor=actor
    )


def proposal_problems(proposal: dict) -> list[str]:
    """What stops a proposal from being applied as it stands (sizes, broken pairs)."""
    low, high = proposal["min_size"], proposal["max_size"]
    problems = []
    for team in proposal["teams"]:
        size = len(team["member_ids"])
        new = team["existing_team_id"] is None
        if size > high or (new and size < low):
            problems.append(
                f"{team_label(team)} would have {size} people; teams have {low} to {high}."
            )
    where = {i: team["key"] for team in proposal["teams"] for i in team["member_ids"]}
    for first, second in proposal["pairs"]:
        if first in where and second in where and where[first] != where[second]:
            problems.append("A pair who asked to be together would be split.")
    return problems


def team_label(team: dict) -> str:
    if team["existing_team_id"]:
        return f"Existing team {team['existing_team_id']}"
    return f"New team {team['key'].split('-')[1]}"


def matching_apply(*, run, actor, now=None) -> list[Team]:
    """Create the proposed teams and top up the existing ones, all or nothing.

    Anyone who joined a team or lost their place since the proposal makes the whole
    apply fail with their names, so organisers can propose again.
    """
    now = now or timezone.now()
    check_teams_open(run.event, now)
    with transaction.atomic():
        lock_capacity_row(TeamPolicy.objects.filter(event=run.event))
        run = _proposed(run)
        proposal = run.proposal
        problems = proposal_problems(proposal)
        if problems:
            raise ApplicationError(
                problems[0], code="proposal_invalid", status=409, details={"proposal": problems}
            )
        _check_still_free(run.event, proposal)
        hold_race_window()
        teams = _create_and_fill(run, proposal, now)
        matching_run_move(
            run=run,
            to=MatchingStatus.APPLIED,
            by=TeamActor.ORGANISER,
            actor=actor,
            now=now,
            data={"teams": len(teams)},
        )
    return teams


def _check_still_free(event, proposal) -> None:
    moving = {i for team in proposal["teams"] for i in team["member_ids"]} - set(proposal["fixed"])
    # Their places stay locked until the teams are made, so none is cancelled meanwhile.
    free = {r.user_id for r in lock_rows(without_team(event).filter(user_id__in=moving))}
    gone = sorted(moving - free)
    if gone:
        names = ", ".join(str(u) for u in User.objects.filter(pk__in=gone).order_by("display_name"))
        raise ApplicationError(
            f"Since this proposal, these people joined a team or lost their place: {names}. "
            "Make a new proposal.",
            code="proposal_stale",
            status=409,
            details={"users": gone},
        )


def _create_and_fill(run, proposal, now) -> list[Team]:
    event = run.event
    users = User.objects.in_bulk([i for team in proposal["teams"] for i in team["member_ids"]])
    taken = {
        name.lower() for name in Team.objects.filter(event=event).values_list("name", flat=True)
    }
    fixed = set(proposal["fixed"])
    maximum = team_policy(event).max_size
    number, teams, placed = 0, [], []
    for team_data in proposal["teams"]:
        newcomers = [i for i in team_data["member_ids"] if i not in fixed]
        if not newcomers:
            continue
        if team_data["existing_team_id"]:
            team = lock_capacity_row(
                Team.objects.select_related("event").filter(pk=team_data["existing_team_id"])
            )
            if team.memberships.count() + len(newcomers) > maximum:
                raise ApplicationError(
                    f"“{team}” has gained members since this proposal and has no room for "
                    "everyone proposed. Make a new proposal.",
                    code="proposal_stale",
                    status=409,
                )
            role = MemberRole.MEMBER
        else:
            number += 1
            while f"matched team {number}" in taken:
                number += 1
            team = Team.objects.create(
                event=event, name=f"Matched team {number}", formed_by_matching=True
            )
            role = MemberRole.LEAD  # the first newcomer leads until the team decides
        for user_id in newcomers:
            placed.append(member_add(team, users[user_id], role, now))
            role = MemberRole.MEMBER
        teams.append(team)
    for membership in placed:
        notifications.matched(membership)
    return teams
