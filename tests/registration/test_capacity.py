"""registration.selectors.capacity_of: the one count of an event's seats that every
page shows."""

from datetime import timedelta

import pytest
from django.utils import timezone

from registration.enums import RegistrationStatus as S
from registration.models import Registration
from registration.selectors import capacity_of
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def _with_statuses(event, *statuses):
    for status in statuses:
        now = timezone.now()
        Registration.objects.create(
            event=event,
            user=UserFactory(),
            status=status,
            applied_at=now,
            offer_expires_at=now + timedelta(days=1) if status == S.OFFERED else None,
        )


def test_capacity_counts_each_status_and_holds_seats_for_offers():
    event = EventFactory(capacity=10)
    _with_statuses(
        event,
        *[S.CONFIRMED] * 4,
        *[S.OFFERED] * 2,
        S.CHECKED_IN,
        *[S.WAITLISTED] * 3,
        S.APPLIED,
        S.WITHDRAWN,
        S.DECLINED,
    )
    _with_statuses(EventFactory(), S.CONFIRMED)  # another event's seat is not this one's

    capacity = capacity_of(event)

    assert (capacity.confirmed, capacity.offered, capacity.checked_in) == (4, 2, 1)
    assert (capacity.waitlisted, capacity.awaiting_review) == (3, 1)
    assert (capacity.held, capacity.places_left, capacity.is_full) == (7, 3, False)


def test_capacity_lowered_below_the_seats_held_leaves_none_and_is_full():
    event = EventFactory(capacity=5)
    _with_statuses(event, *[S.CONFIRMED] * 5, S.OFFERED)
    event.capacity = 4

    capacity = capacity_of(event)

    assert (capacity.held, capacity.places_left, capacity.is_full) == (6, 0, True)


def test_capacity_of_an_event_without_registrations(django_assert_num_queries):
    event = EventFactory(capacity=3)

    with django_assert_num_queries(1):
        capacity = capacity_of(event)

    assert (capacity.held, capacity.places_left, capacity.is_full) == (0, 3, False)
