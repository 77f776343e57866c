"""Two organisers adding overlapping slots to one room at once, on PostgreSQL with real
row locks.

Each add checks the room's slots for an overlap, then writes; CAPACITY_RACE_DELAY holds
that window open. With the room's row locked, the second add waits, sees the first slot
and is refused; the negative control turns the lock off and shows both slots saved,
overlapping (their starts differ, so no constraint of the database stops them).
"""

import datetime

import pytest

from common.exceptions import ApplicationError
from events.enums import ScheduleKind
from judging.models import PresentationSlot, Room
from judging.services.slots import slot_create
from tests.concurrency import in_threads
from tests.factories import EventFactory, ScheduleItemFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    pytest.mark.no_cover,
]


def _two_organisers(settings):
    event = EventFactory()
    starts = event.starts_at + datetime.timedelta(hours=6)
    ScheduleItemFactory(event=event, kind=ScheduleKind.PRESENTATIONS, starts_at=starts,
                        ends_at=starts + datetime.timedelta(hours=1))  # fmt: skip
    room = Room.objects.create(event=event, name="Main hall")
    settings.CAPACITY_RACE_DELAY = 0.5

    def add(minutes_in):
        def call():
            begins = starts + datetime.timedelta(minutes=minutes_in)
            try:
                slot_create(actor=None, room=room, starts_at=begins,
                            ends_at=begins + datetime.timedelta(minutes=10))  # fmt: skip
            except ApplicationError as error:
                return error.code
            return "created"

        return call

    # 0 to 10 and 5 to 15: they overlap.
    return in_threads([add(0), add(5)], workers=2), room


def test_two_overlapping_slots_added_at_once_keep_one(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000

    outcomes, room = _two_organisers(settings)

    assert sorted(outcomes) == ["created", "slot_overlaps"]
    assert PresentationSlot.objects.filter(room=room).count() == 1


def test_negative_control_without_the_lock_both_overlapping_slots_are_saved(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    settings.CAPACITY_LOCKING = False

    outcomes, room = _two_organisers(settings)

    assert outcomes == ["created", "created"]
    assert PresentationSlot.objects.filter(room=room).count() == 2
