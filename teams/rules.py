"""Who may do what with teams. Event-level rules take the Event; team rules the Team;
join-request and help-request rules the request. Each name says what it allows."""

import rules

from events.rules import can_manage_event, is_event_mentor
from registration.rules import is_participant
from teams.enums import MemberRole
from teams.models import Team
from teams.selectors import team_of


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


@rules.predicate
def is_in_team_of(user, obj):
    """In the team `obj` or, given an event (before a team is named), in one of its
    teams."""
    if isinstance(obj, Team):
        return _membership_role(user, obj) is not None
    return obj is not None and team_of(obj, user) is not None


@rules.predicate
def leads_requested_team(user, join_request):
    return _membership_role(user, join_request.team) == MemberRole.LEAD


@rules.predicate
def asked_to_join(user, join_request):
    return user.is_authenticated and join_request.user_id == user.pk


@rules.predicate
def is_in_asking_team(user, help_request):
    return _membership_role(user, help_request.team) is not None


# The board and the teams of an event: those taking part, its mentors and organisers.
can_see_teams = is_participant | is_event_mentor | can_manage_event
can_help = is_event_mentor | can_manage_event
rules.add_perm("teams.view_board", can_see_teams)
rules.add_perm("teams.view_team", can_see_teams | is_team_member)
rules.add_perm("teams.create_team", is_participant)
# Looking for a team: joining one, asking to, standing on the board, naming partners.
rules.add_perm("teams.look_for_team", is_participant)
rules.add_perm("teams.manage_team", is_team_lead)
rules.add_perm("teams.leave_team", is_team_member)
# Where the team sits on the day: anyone in it, so whoever sits down first can say.
rules.add_perm("teams.set_location", is_team_member)
rules.add_perm("teams.decide_join_request", leads_requested_team)
rules.add_perm("teams.withdraw_join_request", asked_to_join)
rules.add_perm("teams.raise_help", is_in_team_of)
rules.add_perm("teams.help_queue", can_help)
# Resolving or cancelling a help request: mentors and organisers, or the asking team.
rules.add_perm("teams.close_help_request", can_help | is_in_asking_team)
rules.add_perm("teams.run_matching", can_manage_event)

# The rule of each step on a help request, for the queue page and the API alike.
HELP_STEP_RULES = {
    "claim": "teams.help_queue",
    "release": "teams.help_queue",
    "resolve": "teams.close_help_request",
    "cancel": "teams.close_help_request",
}


def can_take_help_step(user, help_request, step) -> bool:
    return step in HELP_STEP_RULES and rules.has_perm(HELP_STEP_RULES[step], user, help_request)
