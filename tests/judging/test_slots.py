"""Presentation slots (judging.services.slots): made within the schedule's presentations,
never overlapping in a room, each given to one entry handed in, by choice or by filling
the free slots room by room."""

import datetime

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from events.enums import ScheduleKind
from judging.models import PresentationSlot, Room
from judging.services.slots import (
    slot_clear,
    slot_create,
    slot_delete,
    slot_place,
    slot_update,
    slots_fill,
    slots_generate,
)
from submissions.enums import SubmissionStatus
from tests.factories import EventFactory, ScheduleItemFactory, SubmissionFactory
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def event():
    return EventFactory()


@pytest.fixture
def window(event):
    """The event's presentations: 30 minutes, six hours after it starts."""
    starts = event.starts_at + datetime.timedelta(hours=6)
    return ScheduleItemFactory(
        event=event, title="Team presentations", kind=ScheduleKind.PRESENTATIONS,
        starts_at=starts, ends_at=starts + 30 * MINUTE,
    )  # fmt: skip


@pytest.fixture
def hall(event):
    return Room.objects.create(event=event, name="Main hall", order=0)


def entry(event, title, status=SubmissionStatus.SUBMITTED):
    return SubmissionFactory(team=team_with(event, name=f"Team {title}"), title=title,
                             status=status)  # fmt: skip


def slot(room, starts, minutes=10, submission=None):
    return PresentationSlot.objects.create(
        room=room, starts_at=starts, ends_at=starts + minutes * MINUTE, submission=submission
    )


def times(room):
    return list(
        PresentationSlot.objects.filter(room=room)
        .order_by("starts_at")
        .values_list("starts_at", "ends_at")
    )


# Making slots


def test_generate_fills_the_window_back_to_back(event, window, hall):
    made = slots_generate(actor=None, event=event, room=hall, length_minutes=10)

    start = window.starts_at
    assert len(made) == 3
    assert times(hall) == [
        (start, start + 10 * MINUTE),
        (start + 10 * MINUTE, start + 20 * MINUTE),
        (start + 20 * MINUTE, start + 30 * MINUTE),
    ]
    audit = AuditEntry.objects.get(action="slots.generated")
    assert audit.data == {"slots": 3, "minutes": 10}


def test_generate_keeps_the_slots_a_room_has_and_fills_around_them(event, window, hall):
    start = window.starts_at
    kept = slot(hall, start + 5 * MINUTE, minutes=10)  # 5 to 15

    made = slots_generate(actor=None, event=event, room=hall, length_minutes=10)

    # 0-5 is too short; 15-25 fits; 25-30 is too short.
    assert [(s.starts_at, s.ends_at) for s in made] == [(start + 15 * MINUTE, start + 25 * MINUTE)]
    assert PresentationSlot.objects.filter(pk=kept.pk).exists()
    assert len(times(hall)) == 2


def test_generate_again_makes_nothing_more(event, window, hall):
    slots_generate(actor=None, event=event, room=hall, length_minutes=10)

    again = slots_generate(actor=None, event=event, room=hall, length_minutes=10)

    assert again == []
    assert PresentationSlot.objects.filter(room=hall).count() == 3
    assert AuditEntry.objects.filter(action="slots.generated").count() == 1


def test_generate_without_presentations_in_the_schedule_is_refused(event, hall):
    ScheduleItemFactory(event=event, kind=ScheduleKind.TEAM_WORK)

    with pytest.raises(ApplicationError) as refused:
        slots_generate(actor=None, event=event, room=hall, length_minutes=10)

    assert refused.value.message == (
        "The schedule has no “Presentations” item yet: add one to the schedule, then make "
        "slots within its times."
    )
    assert not PresentationSlot.objects.exists()


@pytest.mark.parametrize("minutes", [0, -5, 241, 10**12, True, "10", 7.5])
def test_generate_refuses_a_length_that_is_not_1_to_240_whole_minutes(event, window, hall,
                                                                      minutes):  # fmt: skip
    with pytest.raises(ApplicationError):
        slots_generate(actor=None, event=event, room=hall, length_minutes=minutes)

    assert not PresentationSlot.objects.exists()


def test_generate_in_another_events_room_is_refused(event, window):
    elsewhere = Room.objects.create(event=EventFactory(), name="Elsewhere")

    with pytest.raises(ApplicationError) as refused:
        slots_generate(actor=None, event=event, room=elsewhere, length_minutes=10)

    assert refused.value.message == "Choose one of this event's rooms."
    assert not PresentationSlot.objects.exists()


def test_a_slot_is_created_within_the_window(event, window, hall):
    start = window.starts_at + 10 * MINUTE

    made = slot_create(actor=None, room=hall, starts_at=start, ends_at=start + 5 * MINUTE)

    assert times(hall) == [(start, start + 5 * MINUTE)]
    assert AuditEntry.objects.filter(action="slot.created", target_id=str(made.pk)).exists()


def test_a_slot_overlapping_another_in_the_room_is_refused(event, window, hall):
    start = window.starts_at
    slot(hall, start, minutes=10)
    clock = timezone.localtime(start)

    with pytest.raises(ApplicationError) as refused:
        slot_create(actor=None, room=hall, starts_at=start + 9 * MINUTE,
                    ends_at=start + 15 * MINUTE)  # fmt: skip

    end = clock + 10 * MINUTE
    assert refused.value.message == (
        f"“Main hall” already has a slot from {clock:%H:%M} to {end:%H:%M}; slots in one "
        "room must not overlap."
    )
    assert len(times(hall)) == 1


def test_slots_that_only_touch_or_are_in_other_rooms_do_not_overlap(event, window, hall):
    side = Room.objects.create(event=event, name="Side room", order=1)
    start = window.starts_at
    slot(hall, start, minutes=10)

    slot_create(actor=None, room=hall, starts_at=start + 10 * MINUTE, ends_at=start + 20 * MINUTE)
    slot_create(actor=None, room=side, starts_at=start, ends_at=start + 10 * MINUTE)

    assert len(times(hall)) == 2 and len(times(side)) == 1


@pytest.mark.parametrize(
    ("offset", "minutes"),
    [(-5, 10), (25, 10), (-60, 5), (31, 5)],
    ids=["starts-before", "ends-after", "wholly-before", "wholly-after"],
)
def test_a_slot_outside_the_presentations_is_refused(event, window, hall, offset, minutes):
    start = window.starts_at + offset * MINUTE

    with pytest.raises(ApplicationError) as refused:
        slot_create(actor=None, room=hall, starts_at=start, ends_at=start + minutes * MINUTE)

    assert refused.value.message.startswith(
        "A slot must lie within the presentations in the schedule (Team presentations, "
    )
    assert not PresentationSlot.objects.exists()


def test_a_slot_ending_before_it_starts_is_refused(event, window, hall):
    start = window.starts_at + 10 * MINUTE

    with pytest.raises(ApplicationError) as refused:
        slot_create(actor=None, room=hall, starts_at=start, ends_at=start)

    assert refused.value.message == "A slot must end after it starts."
    assert not PresentationSlot.objects.exists()


def test_a_slot_given_other_than_times_is_refused(event, window, hall):
    with pytest.raises(ApplicationError) as refused:
        slot_create(actor=None, room=hall, starts_at="15:30", ends_at=10**20)

    assert refused.value.message == "Give the slot's start and end as dates with times."
    assert not PresentationSlot.objects.exists()


def test_moving_a_slot_checks_overlap_with_the_others_only(event, window, hall):
    start = window.starts_at
    first, second = slot(hall, start), slot(hall, start + 10 * MINUTE)

    slot_update(actor=None, slot=first, starts_at=start + 2 * MINUTE, ends_at=start + 10 * MINUTE)
    with pytest.raises(ApplicationError):
        slot_update(actor=None, slot=second, starts_at=start + 5 * MINUTE,
                    ends_at=start + 15 * MINUTE)  # fmt: skip

    first.refresh_from_db(), second.refresh_from_db()
    assert (first.starts_at, second.starts_at) == (start + 2 * MINUTE, start + 10 * MINUTE)


def test_deleting_a_slot_with_an_entry_is_refused_until_it_is_cleared(event, window, hall):
    placed = slot(hall, window.starts_at, submission=entry(event, "Parks"))

    with pytest.raises(ApplicationError) as refused:
        slot_delete(actor=None, slot=placed)
    slot_clear(actor=None, slot=placed)
    slot_delete(actor=None, slot=placed)

    assert refused.value.message == "“Parks” presents in this slot; clear it first."
    assert not PresentationSlot.objects.exists()
    assert AuditEntry.objects.filter(action="slot.deleted").count() == 1


# Placing entries by choice


def test_placing_an_entry_handed_in_gives_it_the_slot(event, window, hall):
    free = slot(hall, window.starts_at)
    parks = entry(event, "Parks", status=SubmissionStatus.LOCKED)

    slot_place(actor=None, slot=free, submission=parks)

    free.refresh_from_db()
    assert free.submission == parks
    audit = AuditEntry.objects.get(action="slot.placed")
    assert audit.data == {"submission": parks.pk, "moved_from": None}


def test_placing_an_entry_that_has_a_slot_moves_it_and_frees_the_old_one(event, window, hall):
    parks = entry(event, "Parks")
    old = slot(hall, window.starts_at, submission=parks)
    side = Room.objects.create(event=event, name="Side room", order=1)
    new = slot(side, window.starts_at + 10 * MINUTE)

    slot_place(actor=None, slot=new, submission=parks)

    old.refresh_from_db(), new.refresh_from_db()
    assert old.submission is None and new.submission == parks
    assert AuditEntry.objects.get(action="slot.placed").data["moved_from"] == old.pk


def test_a_draft_entry_is_refused(event, window, hall):
    free = slot(hall, window.starts_at)

    with pytest.raises(ApplicationError) as refused:
        slot_place(actor=None, slot=free, submission=entry(event, "Sketch", SubmissionStatus.DRAFT))

    assert refused.value.message == (
        "“Sketch” has not been handed in: only an entry handed in can present."
    )
    free.refresh_from_db()
    assert free.submission is None


def test_another_events_entry_is_refused(event, window, hall):
    free = slot(hall, window.starts_at)

    with pytest.raises(ApplicationError) as refused:
        slot_place(actor=None, slot=free, submission=entry(EventFactory(), "Elsewhere"))

    assert refused.value.message == "Choose an entry of this event."
    free.refresh_from_db()
    assert free.submission is None


def test_a_slot_with_another_entry_is_refused_until_cleared(event, window, hall):
    taken = slot(hall, window.starts_at, submission=entry(event, "Parks"))

    with pytest.raises(ApplicationError) as refused:
        slot_place(actor=None, slot=taken, submission=entry(event, "Buses"))

    assert refused.value.message == "“Parks” already presents in this slot; clear it first."
    taken.refresh_from_db()
    assert taken.submission.title == "Parks"


def test_clearing_a_free_slot_is_refused(event, window, hall):
    with pytest.raises(ApplicationError) as refused:
        slot_clear(actor=None, slot=slot(hall, window.starts_at))

    assert refused.value.message == "This slot is already free."
    assert not AuditEntry.objects.filter(action="slot.cleared").exists()


# Filling free slots


def test_fill_balances_rooms_and_takes_the_earliest_free_slot(event, window, hall):
    side = Room.objects.create(event=event, name="Side room", order=1)
    start = window.starts_at
    # The hall already has one entry at 0; both rooms have free slots at 10 and 20.
    slot(hall, start, submission=entry(event, "Already"))
    hall_10, hall_20 = slot(hall, start + 10 * MINUTE), slot(hall, start + 20 * MINUTE)
    side_10, side_20 = slot(side, start + 10 * MINUTE), slot(side, start + 20 * MINUTE)
    first, second, third = entry(event, "First"), entry(event, "Second"), entry(event, "Third")
    entry(event, "Draft", SubmissionStatus.DRAFT)

    report = slots_fill(actor=None, event=event)

    # First: the side room has fewer entries (0 to 1), so its slot at 10. Second: one
    # each; the hall's first free slot (10) is earlier than the side room's (20). Third:
    # the side room has fewer again (1 to 2).
    assert [(s.pk, e.pk) for s, e in report.placed] == [
        (side_10.pk, first.pk),
        (hall_10.pk, second.pk),
        (side_20.pk, third.pk),
    ]
    assert report.left == []
    placed = dict(PresentationSlot.objects.values_list("pk", "submission_id"))
    assert placed[hall_20.pk] is None
    assert (placed[side_10.pk], placed[hall_10.pk], placed[side_20.pk]) == (
        first.pk, second.pk, third.pk,
    )  # fmt: skip
    assert AuditEntry.objects.get(action="slots.filled").data == {"placed": 3, "left": 0}


def test_fill_reports_the_entries_left_without_a_slot(event, window, hall):
    only = slot(hall, window.starts_at)
    first, second = entry(event, "First"), entry(event, "Second")

    report = slots_fill(actor=None, event=event)

    assert [(s.pk, e.pk) for s, e in report.placed] == [(only.pk, first.pk)]
    assert report.left == [second]
    assert AuditEntry.objects.get(action="slots.filled").data == {"placed": 1, "left": 1}


def test_fill_leaves_placed_entries_where_they_are(event, window, hall):
    parks = entry(event, "Parks")
    kept = slot(hall, window.starts_at + 20 * MINUTE, submission=parks)
    earlier = slot(hall, window.starts_at)

    report = slots_fill(actor=None, event=event)

    assert report.placed == [] and report.left == []
    kept.refresh_from_db(), earlier.refresh_from_db()
    assert kept.submission == parks and earlier.submission is None


# Locked judging


def test_nothing_about_slots_changes_once_judging_is_locked(event, window, hall):
    parks = entry(event, "Parks")
    placed = slot(hall, window.starts_at, submission=parks)
    free = slot(hall, window.starts_at + 10 * MINUTE)
    entry(event, "Buses")
    event.judging_locked_at = timezone.now()
    event.save(update_fields=["judging_locked_at"])
    start = window.starts_at + 20 * MINUTE
    attempts = [
        lambda: slots_generate(actor=None, event=event, room=hall, length_minutes=5),
        lambda: slot_create(actor=None, room=hall, starts_at=start, ends_at=start + MINUTE),
        lambda: slot_update(actor=None, slot=free, starts_at=start, ends_at=start + MINUTE),
        lambda: slot_delete(actor=None, slot=free),
        lambda: slot_place(actor=None, slot=free, submission=parks),
        lambda: slot_clear(actor=None, slot=placed),
        lambda: slots_fill(actor=None, event=event),
    ]

    for attempt in attempts:
        with pytest.raises(ApplicationError) as refused:
            attempt()
        assert refused.value.code == "judging_locked"

    assert sorted(PresentationSlot.objects.values_list("pk", "submission_id")) == [
        (placed.pk, parks.pk), (free.pk, None),
    ]  # fmt: skip
    assert PresentationSlot.objects.get(pk=free.pk).starts_at == window.starts_at + 10 * MINUTE
