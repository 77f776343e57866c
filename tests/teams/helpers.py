from teams import services
from tests.factories import UserFactory
from tests.registration.helpers import register


def participant(event, **user_fields):
    """Someone with a confirmed place at `event`."""
    person = UserFactory(**user_fields)
    register(event, person)
    return person


def team_with(event, *, members=0, name=None, **fields):
    """A team led by a new participant, with `members` more people in it."""
    lead = participant(event)
    team = services.team_create(event=event, user=lead, name=name or f"Team of {lead.pk}", **fields)
    for _ in range(members):
        services.team_join(team=team, user=participant(event), invite_code=team.invite_code)
    return team
