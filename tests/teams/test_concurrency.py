"""Team places under concurrency, on PostgreSQL with real row locks.

Joins hold the race window open with CAPACITY_RACE_DELAY (a pause between counting the
team and adding the member); each negative control turns one lock off (or widens it) and
shows the same race going wrong.
"""

import time

import pytest

from common import locking
from common.exceptions import ApplicationError
from registration import services as registration_services
from registration.enums import RegistrationStatus
from registration.models import Registration
from teams import proposals, services
from teams.models import TeamMembership
from tests.concurrency import in_threads, verified_users
from tests.factories import EventFactory
from tests.registration.helpers import register
from tests.teams.helpers import team_with

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    # Tracing forty threads makes a race five times slower and measures nothing it needs.
    pytest.mark.no_cover,
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


def _after(seconds, call):
    """`call`, started `seconds` later: once the first racer is inside its race window."""

    def delayed():
        time.sleep(seconds)
        return call()

    return delayed


def _joins_to_two_teams(settings):
    """Two joins to different teams of one event, the second started while the first
    holds its race window (1.5 s) open, with a lock wait bounded at 0.5 s."""
    settings.CAPACITY_LOCK_TIMEOUT_MS = 500
    event = EventFactory(capacity=100)
    first, second = team_with(event), team_with(event)
    people = _racers(event, 2)
    settings.CAPACITY_RACE_DELAY = 1.5
    return in_threads(
        [
            lambda: _join(first, people[0]),
            _after(0.5, lambda: _join(second, people[1])),
        ],
        workers=2,
    )


def test_joins_to_different_teams_do_not_wait_for_each_other(settings):
    assert _joins_to_two_teams(settings) == ["joined", "joined"]


def test_negative_control_locking_the_joined_event_row_makes_them_wait(settings, monkeypatch):
    """Without FOR UPDATE OF, the team's lock also takes its event's row (select_related),
    and the second join is told "busy" while the first holds it."""
    monkeypatch.setattr(locking, "LOCK_OF", ())

    assert _joins_to_two_teams(settings) == ["joined", "busy"]


def _cancelled_meanwhile(settings, event, person, act):
    """`person`'s place is cancelled (the status change holds its race window 1 s after
    reading the registration) while `act()`, started 0.3 s later, puts them in a team (its
    window held 1 s after their place is checked). Returns (the outcome of `act`, whether
    they are in a team)."""
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    registration = person.registrations.get()
    settings.CAPACITY_RACE_DELAY = 1
    _, outcome = in_threads(
        [
            lambda: registration_services.registration_leave(
                registration=registration, actor=person
            ),
            _after(0.3, act),
        ],
        workers=2,
    )
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED
    return outcome, TeamMembership.objects.filter(event=event, user=person).exists()


def _cancellation_during_join(settings):
    event = EventFactory(capacity=100)
    team = team_with(event)
    person = _racers(event, 1)[0]
    return _cancelled_meanwhile(settings, event, person, lambda: _join(team, person))


def _cancellation_during_matching(settings):
    event = EventFactory(capacity=100)
    person = _racers(event, 4)[0]
    run = proposals.matching_propose(event=event, actor=None, seed=1)

    def apply():
        try:
            proposals.matching_apply(run=run, actor=None)
        except ApplicationError as error:
            return error.code
        return "applied"

    return _cancelled_meanwhile(settings, event, person, apply)


def test_a_place_cancelled_during_a_join_never_leaves_a_member_without_a_place(settings):
    outcome, in_team = _cancellation_during_join(settings)

    assert outcome == "joined"  # the cancellation waited for the join, then undid it
    assert not in_team


def test_negative_control_without_locking_the_cancelled_person_stays_in_the_team(settings):
    settings.CAPACITY_LOCKING = False

    assert _cancellation_during_join(settings) == ("joined", True)


def test_a_place_cancelled_while_matching_is_applied_never_leaves_a_member_without_a_place(
    settings,
):
    outcome, in_team = _cancellation_during_matching(settings)

    assert outcome == "applied"  # the cancellation waited for the teams, then undid it
    assert not in_team


def test_negative_control_without_locking_matching_places_a_cancelled_person(settings):
    settings.CAPACITY_LOCKING = False

    assert _cancellation_during_matching(settings) == ("applied", True)
