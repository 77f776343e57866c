"""Capacity under concurrency, on PostgreSQL with real row locks.

Each test holds the race window open with CAPACITY_RACE_DELAY (a pause between
reading the seat count and writing the registration) and sets the lock timeout
explicitly. The negative control switches locking off and shows the same race overbook.
"""

import random
import time

import pytest

from common.exceptions import ApplicationError
from registration import services
from registration.enums import Actor, RegistrationStatus
from registration.models import Registration, RegistrationPolicy
from registration.selectors import waitlist_position
from tests.concurrency import in_threads, verified_users
from tests.factories import EventFactory
from tests.registration.helpers import register

S = RegistrationStatus

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    # Tracing forty threads makes a race five times slower and measures nothing it needs.
    pytest.mark.no_cover,
]


def _register_retrying(event, user):
    """A client that waits a little and tries again when told "busy", as API clients do."""
    deadline = time.monotonic() + 300  # generous: a loaded CI machine is slow, not wrong
    while time.monotonic() < deadline:
        try:
            return register(event, user).status
        except ApplicationError as error:
            if error.code != "busy":
                raise
            time.sleep(random.uniform(0.01, 0.1))  # jitter, so retries do not collide again
    raise AssertionError("still busy after 300 s")


def _counts(event):
    return {
        status: Registration.objects.filter(event=event, status=status).count()
        for status in (S.CONFIRMED, S.WAITLISTED, S.OFFERED)
    }


def test_forty_racing_for_last_seat_exactly_one_confirmed(settings):
    settings.CAPACITY_RACE_DELAY = 0.02
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    event = EventFactory(capacity=1)
    users = verified_users(40)

    statuses = in_threads([lambda u=u: _register_retrying(event, u) for u in users], workers=40)

    assert statuses.count(S.CONFIRMED) == 1
    assert statuses.count(S.WAITLISTED) == 39
    assert RegistrationPolicy.objects.get(event=event).seats_held == 1


def test_five_hundred_for_hundred_seats_with_busy_retries(settings):
    settings.CAPACITY_RACE_DELAY = 0.001
    settings.CAPACITY_LOCK_TIMEOUT_MS = 100  # short, so some clients are told "busy"
    event = EventFactory(capacity=100)
    users = verified_users(500)

    in_threads([lambda u=u: _register_retrying(event, u) for u in users], workers=40)

    assert _counts(event) == {S.CONFIRMED: 100, S.WAITLISTED: 400, S.OFFERED: 0}
    waiting = Registration.objects.filter(event=event, status=S.WAITLISTED)
    assert sorted(waitlist_position(r) for r in waiting) == list(range(1, 401))
    policy = RegistrationPolicy.objects.get(event=event)
    assert (policy.seats_held, policy.waitlisted) == (100, 400)


def _six_of_ten_cancel(settings):
    """Six of ten confirmed people cancel 0.3 s apart, each holding the race window open
    for 1 s inside the status change (after reading the counts, before writing them):
    without the window each would be done before the next began, and nothing would race."""
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    event = EventFactory(capacity=10)
    registrations = [register(event, u) for u in verified_users(25)]
    confirmed = [r for r in registrations if r.status == S.CONFIRMED]
    settings.CAPACITY_RACE_DELAY = 1

    def cancel_later(registration, delay):
        time.sleep(delay)
        services.registration_transition(
            registration=registration, to=S.CANCELLED, by=Actor.PARTICIPANT
        )

    in_threads(
        [lambda r=r, n=n: cancel_later(r, n * 0.3) for n, r in enumerate(confirmed[:6])],
        workers=6,
    )

    policy = RegistrationPolicy.objects.get(event=event)
    held = Registration.objects.filter(event=event, status__in=[S.CONFIRMED, S.OFFERED])
    return _counts(event), (policy.seats_held, policy.waitlisted), held.count()


def test_concurrent_cancellations_make_exactly_that_many_offers(settings):
    counts, (seats_held, waitlisted), held = _six_of_ten_cancel(settings)

    assert counts == {S.CONFIRMED: 4, S.WAITLISTED: 9, S.OFFERED: 6}
    assert held == seats_held == 10
    assert waitlisted == counts[S.WAITLISTED]


def test_negative_control_concurrent_cancellations_without_locking_lose_count(settings):
    """The race above is real: with the lock off, each cancellation writes the counts it
    read before the others wrote theirs, and the waiting-list count drifts."""
    settings.CAPACITY_LOCKING = False

    counts, (_, waitlisted), _ = _six_of_ten_cancel(settings)

    assert waitlisted != counts[S.WAITLISTED]


def test_negative_control_without_locking_overbooks(settings):
    """The race above is real: with the lock off, the same registrations overbook."""
    settings.CAPACITY_LOCKING = False
    settings.CAPACITY_RACE_DELAY = 0.05
    event = EventFactory(capacity=1)
    users = verified_users(10)

    statuses = in_threads([lambda u=u: _register_retrying(event, u) for u in users], workers=10)

    assert statuses.count(S.CONFIRMED) > 1
