"""Team places under concurrency, on PostgreSQL with real row locks.

Joins hold the race window open with CAPACITY_RACE_DELAY (a pause between counting the
team and adding the member); the negative control turns locking off and shows the same
race overfilling the team.
"""

import pytest

from common.exceptions import ApplicationError
from teams import services
from tests.concurrency import in_threads, verified_users
from tests.factories import EventFactory
from tests.registration.helpers import register
from tests.teams.helpers import team_with

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
]


def _join(team, person):
    try:
        services.team_join(team=team, user=person, invite_code=team.invite_code)
    except ApplicationError as error:
        return error.code
    return "joined"


def _racers(event, count):
    people = verified_users(count)
    for person in people:
        register(event, person)
    return people


def test_twenty_racing_for_last_place_exactly_one_joins(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    event = EventFactory(capacity=100)
    team = team_with(event, members=3)  # four of five places taken
    people = _racers(event, 20)
    settings.CAPACITY_RACE_DELAY = 0.02

    outcomes = in_threads([lambda p=p: _join(team, p) for p in people], workers=20)

    assert outcomes.count("joined") == 1
    assert outcomes.count("team_full") == 19
    assert team.memberships.count() == 5


def test_negative_control_without_locking_overfills(settings):
    """The race above is real: with the lock off, the same joins overfill the team."""
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    event = EventFactory(capacity=100)
    team = team_with(event, members=3)
    people = _racers(event, 10)
    settings.CAPACITY_LOCKING = False
    settings.CAPACITY_RACE_DELAY = 0.05

    in_threads([lambda p=p: _join(team, p) for p in people], workers=10)

    assert team.memberships.count() > 5
