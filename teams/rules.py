"""Who may do what with teams. Event-level rules take the Event; team rules the Team."""

import rules

from events.rules import can_manage_event, is_event_mentor
from registration.rules import is_participant
from teams.enums import MemberRole


def _membership_role(user, team):
    if not user.is_authenticated or team is None:
        return None
    cache = user.__dict__.setdefault("_team_role_cache", {})
    if team.pk not in cache:
        cache[team.pk] = team.memberships.filter(user=user).values_list("role", flat=True).first()
    return cache[team.pk]


@rules.predicate
def is_team_member(user, team):
    return _membership_role(user, team) is not None


@rules.predicate
def is_team_lead(user, team):
    return _membership_role(user, team) == MemberRole.LEAD


# Steps a team member may take on their own team's help request; the event's mentors
# and organisers may take every step.
TEAM_HELP_STEPS = frozenset({"resolve", "cancel"})


def can_take_help_step(user, help_request, step) -> bool:
    team = help_request.team
    if rules.has_perm("teams.help_queue", user, team.event):
        return True
    return step in TEAM_HELP_STEPS and rules.has_perm("teams.raise_help", user, team)


# The board and the teams of an event: those taking part, its mentors and organisers.
can_see_teams = is_participant | is_event_mentor | can_manage_event
rules.add_perm("teams.view_board", can_see_teams)
rules.add_perm("teams.create_team", is_participant)
rules.add_perm("teams.view_team", can_see_teams | is_team_member)
rules.add_perm("teams.manage_team", is_team_lead)
rules.add_perm("teams.raise_help", is_team_member)
rules.add_perm("teams.help_queue", is_event_mentor | can_manage_event)
rules.add_perm("teams.run_matching", can_manage_event)
