"""Demo teams: December 2024 as it ended (teams on each challenge, most formed by the
organisers' matching, each at its table, a few help requests resolved by the mentor),
and the follow-up with teams forming now (with places left, one at its table), the
mentor's queue with a question answered and one waiting, people on the board and a pair
who want to be together.
Idempotent: nothing is added to an event that already has teams."""

import dataclasses
import datetime

from accounts.models import Skill
from events.extensions import demo_seeders
from events.models import Challenge
from registration.selectors import participations
from teams import matching, proposals, services
from teams.enums import HelpStatus, MatchingStatus, MemberRole
from teams.models import HelpRequest, MatchingRun, Team, TeamMembership

SEED = 2024
# December: teams people formed themselves before the organisers matched the rest.
SELF_FORMED = ["Mersey Movers", "Data Dogs", "Widnes Wayfinders"]
SELF_FORMED_SIZE = 4
RESOLVED_HELP = [
    ("Joining claimant counts to LSOA boundaries", "data-analysis"),
    ("Plotting cycling counts on a map", "coding"),
    ("Framing the story for the presentation", "storytelling"),
]
FOLLOW_UP_TEAMS = [("Green Routes", 3, "Table 2, main hall"), ("Jobs Near Home", 2, "")]
# The follow-up's mentor queue: one question answered, one waiting (by Green Routes).
FOLLOW_UP_HELP = [
    ("Which open data has the bus stops of Runcorn?", "data-analysis", HelpStatus.RESOLVED),
    ("Sketching the route map for our slides", "design-ux", HelpStatus.OPEN),
]
FOLLOW_UP_PITCHES = [
    "Student in geography; keen on active travel and maps.",
    "Council analyst; I know the housing data well and want to try Python.",
    "Community researcher from Runcorn; I bring lived experience of job hunting.",
]


def _taking_part(event):
    return list(
        participations(event)
        .select_related("user")
        .prefetch_related("user__skills", "theme_interests")
        .order_by("applied_at", "id")
    )


def _past_teams(event, mentor):
    """December is over, so its teams are written as they ended."""
    if Team.objects.filter(event=event).exists():
        return
    challenges = list(Challenge.objects.filter(event=event).order_by("order", "id"))
    registrations = _taking_part(event)
    joined_at = event.starts_at + datetime.timedelta(hours=1)
    teams = []
    for number, name in enumerate(SELF_FORMED):
        group = registrations[number * SELF_FORMED_SIZE : (number + 1) * SELF_FORMED_SIZE]
        challenge = challenges[len(teams) % len(challenges)]
        teams.append(_past_team(event, name, [r.user for r in group], challenge, joined_at))
        teams[-1].location = f"Table {number + 1}"
    rest = registrations[len(SELF_FORMED) * SELF_FORMED_SIZE :]
    candidates = [proposals.candidate_of(r.user, r) for r in rest]
    policy = services.team_policy(event)
    proposal = matching.propose_teams(
        candidates,
        skill_set=Skill.objects.values_list("slug", flat=True),
        min_size=policy.min_size,
        max_size=policy.max_size,
        seed=SEED,
    )
    people = {r.user_id: r.user for r in rest}
    for number, proposed in enumerate(proposal.teams, start=1):
        members = [people[i] for i in proposed.member_ids]
        challenge = challenges[len(teams) % len(challenges)]
        teams.append(
            _past_team(event, f"Matched team {number}", members, challenge, joined_at, True)
        )
        teams[-1].location = f"Table {len(teams)}"
    Team.objects.bulk_update(teams, ["location"])
    MatchingRun.objects.create(
        event=event,
        seed=SEED,
        status=MatchingStatus.APPLIED,
        applied_at=joined_at,
        proposal={
            "teams": [dataclasses.asdict(team) for team in proposal.teams],
            "total": proposal.total,
            "fair_share": proposal.fair_share,
            "unplaced": [dataclasses.asdict(item) for item in proposal.unplaced],
        },
    )
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    for team, (topic, skill) in zip(teams, RESOLVED_HELP, strict=False):
        raised = joined_at + datetime.timedelta(hours=1)
        HelpRequest.objects.create(
            team=team,
            topic=topic,
            skill=skills.get(skill),
            status=HelpStatus.RESOLVED,
            raised_by=team.memberships.first().user,
            claimed_by=mentor,
            claimed_at=raised + datetime.timedelta(minutes=4),
            resolved_at=raised + datetime.timedelta(minutes=25),
        )


def _past_team(event, name, members, challenge, joined_at, matched=False):
    team = Team.objects.create(
        event=event, name=name, challenge=challenge, formed_by_matching=matched
    )
    TeamMembership.objects.bulk_create(
        TeamMembership(
            team=team,
            event=event,
            user=person,
            role=MemberRole.LEAD if n == 0 else MemberRole.MEMBER,
            joined_at=joined_at,
        )
        for n, person in enumerate(members)
    )
    return team


def _follow_up_help(team, mentor):
    """The mentor's queue before the day: one question answered, one waiting."""
    asker = team.memberships.get(role=MemberRole.LEAD).user
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    for topic, skill, status in FOLLOW_UP_HELP:
        help_request = services.help_request_create(
            team=team, user=asker, topic=topic, skill=skills.get(skill)
        )
        if status == HelpStatus.RESOLVED:
            for step in ("claim", "resolve"):
                services.help_request_move(help_request=help_request, step=step, actor=mentor)


def _forming_teams(event, mentor):
    """The follow-up is ahead: teams form through the services, as people would."""
    if Team.objects.filter(event=event).exists():
        return
    free = [r.user for r in _taking_part(event)]
    challenges = list(Challenge.objects.filter(event=event).order_by("order", "id"))
    for (name, size, location), challenge in zip(FOLLOW_UP_TEAMS, challenges, strict=False):
        lead, *members = free[:size]
        free = free[size:]
        team = services.team_create(event=event, user=lead, name=name, challenge=challenge)
        for person in members:
            services.team_join(team=team, user=person, invite_code=team.invite_code)
        if location:
            services.team_location_set(team=team, actor=lead, location=location)
    _follow_up_help(Team.objects.get(event=event, name=FOLLOW_UP_TEAMS[0][0]), mentor)
    for person, pitch in zip(free, FOLLOW_UP_PITCHES, strict=False):
        services.board_entry_set(event=event, user=person, pitch=pitch)
    lookers = free[: len(FOLLOW_UP_PITCHES)]
    services.join_request_create(
        team=Team.objects.get(event=event, name="Jobs Near Home"),
        user=lookers[1],
        message="I know the local jobs data.",
    )
    services.partner_add(event=event, user=free[3], partner_email=free[4].email)
    services.partner_add(event=event, user=free[4], partner_email=free[3].email)


def seed_teams(demo):
    december, follow_up = demo["events"]["december"], demo["events"]["follow_up"]
    _past_teams(december, demo["users"].get("mentor"))
    if follow_up.is_registration_open:
        _forming_teams(follow_up, demo["users"].get("mentor"))


demo_seeders.register("teams", seed_teams, order=30)
