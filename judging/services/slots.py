"""Presentation slots: times in a room, within the event's "Presentations" schedule items,
each for one entry handed in.

Every write locks the rows of the rooms it touches (placing an entry and filling: every
room of the event, as the entry may be in any of them), in id order so two writes never
wait on each other in a circle, before it reads the slots it checks: "no two slots of a
room overlap" is then decided by one writer at a time. The database holds the rest: one
slot per room and start, an end after the start, one slot per entry. (Overlap itself
would need an exclusion constraint on the btree_gist extension, which no migration of the
project installs.)
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.locking import hold_race_window, lock_rows
from judging.models import PresentationSlot, Room
from judging.selectors_slots import presentation_windows
from judging.services.preparation import refuse_when_judging_locked
from submissions.selectors.listing import HANDED_IN

MAX_SLOT_MINUTES = 240


def _clock(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%H:%M")


def _lock_rooms(rooms) -> list[Room]:
    return lock_rows(rooms.order_by("pk"))


def _windows_or_refuse(event) -> list:
    windows = presentation_windows(event)
    if not windows:
        raise ApplicationError(
            "The schedule has no “Presentations” item yet: add one to the schedule, then "
            "make slots within its times.",
            code="no_presentations",
        )
    return windows


def _refuse_bad_times(room, starts_at, ends_at, *, moving=None) -> None:
    """Refuse a slot of `room` from starts_at to ends_at that ends before it starts, lies
    outside every presentations item or overlaps another slot of the room (`moving`, a
    slot being changed, aside). Call with the room locked."""
    for moment in (starts_at, ends_at):
        if not isinstance(moment, datetime.datetime) or timezone.is_naive(moment):
            raise ApplicationError("Give the slot's start and end as dates with times.",
                                   code="invalid")  # fmt: skip
    if ends_at <= starts_at:
        raise ApplicationError("A slot must end after it starts.", code="invalid",
                               details={"ends_at": ["End after the start."]})  # fmt: skip
    windows = _windows_or_refuse(room.event)
    if not any(w.starts_at <= starts_at and ends_at <= w.ends_at for w in windows):
        times = "; ".join(f"{w.title}, {_clock(w.starts_at)}–{_clock(w.ends_at)}" for w in windows)
        raise ApplicationError(
            f"A slot must lie within the presentations in the schedule ({times}).",
            code="outside_presentations",
            details={"starts_at": ["Choose a time within the presentations."]},
        )
    clash = (
        PresentationSlot.objects.filter(room=room, starts_at__lt=ends_at, ends_at__gt=starts_at)
        .exclude(pk=moving.pk if moving else None)
        .order_by("starts_at")
        .first()
    )
    if clash is not None:
        raise ApplicationError(
            f"“{room}” already has a slot from {_clock(clash.starts_at)} to "
            f"{_clock(clash.ends_at)}; slots in one room must not overlap.",
            code="slot_overlaps",
            details={"starts_at": ["Choose a time when the room is free."]},
        )


@transaction.atomic
def slots_generate(*, actor, event, room, length_minutes: int) -> list[PresentationSlot]:
    """Fill the free time of `room` within each presentations item with back-to-back
    slots of `length_minutes`, keeping the slots it has (a new slot starts where one
    ends). Returns the new slots: none when no slot of that length fits."""
    refuse_when_judging_locked(event)
    if room.event_id != event.pk:
        raise ApplicationError("Choose one of this event's rooms.", code="not_this_event")
    if isinstance(length_minutes, bool) or not isinstance(length_minutes, int):
        raise ApplicationError("Give the slots' length as a whole number of minutes.",
                               code="invalid")  # fmt: skip
    if not 1 <= length_minutes <= MAX_SLOT_MINUTES:
        raise ApplicationError(
            f"A slot lasts from 1 to {MAX_SLOT_MINUTES} minutes.", code="invalid",
            details={"length_minutes": [f"Give 1 to {MAX_SLOT_MINUTES} minutes."]},
        )  # fmt: skip
    windows = _windows_or_refuse(event)
    _lock_rooms(Room.objects.filter(pk=room.pk))
    taken = list(PresentationSlot.objects.filter(room=room).values_list("starts_at", "ends_at"))
    length = datetime.timedelta(minutes=length_minutes)
    new = []
    for window in windows:
        start = window.starts_at
        while start + length <= window.ends_at:
            ends = [end for begins, end in taken if begins < start + length and end > start]
            if ends:  # skip past the slots in the way
                start = max(ends)
                continue
            new.append(PresentationSlot(room=room, starts_at=start, ends_at=start + length))
            taken.append((start, start + length))
            start += length
    PresentationSlot.objects.bulk_create(new)
    if new:
        audit_record(actor=actor, action="slots.generated", target=room,
                     data={"slots": len(new), "minutes": length_minutes})  # fmt: skip
    return new


@transaction.atomic
def slot_create(*, actor, room, starts_at, ends_at) -> PresentationSlot:
    refuse_when_judging_locked(room.event)
    _lock_rooms(Room.objects.filter(pk=room.pk))
    _refuse_bad_times(room, starts_at, ends_at)
    hold_race_window()
    slot = PresentationSlot.objects.create(room=room, starts_at=starts_at, ends_at=ends_at)
    audit_record(actor=actor, action="slot.created", target=slot)
    return slot


@transaction.atomic
def slot_update(*, actor, slot, starts_at, ends_at) -> PresentationSlot:
    """Move `slot` to other times in its room; its entry, if any, moves with it."""
    refuse_when_judging_locked(slot.room.event)
    _lock_rooms(Room.objects.filter(pk=slot.room_id))
    _refuse_bad_times(slot.room, starts_at, ends_at, moving=slot)
    slot.starts_at, slot.ends_at = starts_at, ends_at
    slot.save(update_fields=["starts_at", "ends_at"])
    audit_record(actor=actor, action="slot.updated", target=slot)
    return slot


def _current(slot) -> PresentationSlot:
    """`slot` as it is now (another writer may have placed or cleared it), or a clear
    refusal when it has gone. Call with its room locked."""
    now = PresentationSlot.objects.filter(pk=slot.pk).select_related("submission").first()
    if now is None:
        raise ApplicationError("That slot no longer exists.", code="gone")
    return now


@transaction.atomic
def slot_delete(*, actor, slot) -> None:
    """Delete a free slot; one with an entry is cleared first, so no team loses its
    place by accident."""
    refuse_when_judging_locked(slot.room.event)
    _lock_rooms(Room.objects.filter(pk=slot.room_id))
    slot = _current(slot)
    if slot.submission_id:
        raise ApplicationError(
            f"“{slot.submission.title}” presents in this slot; clear it first.",
            code="slot_in_use",
        )
    audit_record(actor=actor, action="slot.deleted", target=slot)
    slot.delete()


@transaction.atomic
def slot_place(*, actor, slot, submission) -> PresentationSlot:
    """Give a free `slot` to `submission`, an entry of the slot's event handed in; an
    entry already in another slot moves, freeing that one."""
    event = slot.room.event
    refuse_when_judging_locked(event)
    if submission.event_id != event.pk:
        raise ApplicationError("Choose an entry of this event.", code="not_this_event")
    if submission.status not in HANDED_IN:
        raise ApplicationError(
            f"“{submission.title}” has not been handed in: only an entry handed in can present.",
            code="not_handed_in",
        )
    # Every room of the event: the entry may be in any of them, and slots_fill may be
    # giving it a slot at this moment.
    _lock_rooms(Room.objects.filter(event=event))
    slot = _current(slot)
    if slot.submission_id == submission.pk:
        return slot
    if slot.submission_id:
        raise ApplicationError(
            f"“{slot.submission.title}” already presents in this slot; clear it first.",
            code="slot_in_use",
        )
    moved_from = PresentationSlot.objects.filter(submission=submission).first()
    if moved_from is not None:
        moved_from.submission = None
        moved_from.save(update_fields=["submission"])
    slot.submission = submission
    slot.save(update_fields=["submission"])
    audit_record(actor=actor, action="slot.placed", target=slot,
                 data={"submission": submission.pk,
                       "moved_from": moved_from.pk if moved_from else None})  # fmt: skip
    return slot


@transaction.atomic
def slot_clear(*, actor, slot) -> PresentationSlot:
    """Free `slot`: its entry no longer has a time to present."""
    refuse_when_judging_locked(slot.room.event)
    _lock_rooms(Room.objects.filter(pk=slot.room_id))
    slot = _current(slot)
    if not slot.submission_id:
        raise ApplicationError("This slot is already free.", code="slot_free")
    audit_record(actor=actor, action="slot.cleared", target=slot,
                 data={"submission": slot.submission_id})  # fmt: skip
    slot.submission = None
    slot.save(update_fields=["submission"])
    return slot


@dataclass(frozen=True)
class FillReport:
    """What slots_fill did: each (slot, entry) it placed, and the entries left without a
    slot because none was free."""

    placed: list
    left: list


@transaction.atomic
def slots_fill(*, actor, event) -> FillReport:
    """Give every entry handed in and without a slot a free slot, in the order the
    entries were started: each goes to the room with the fewest entries that still has a
    free slot (ties to the room whose first free slot is earliest, then the room first
    in order), in that room's earliest free slot. Entries left over are reported."""
    refuse_when_judging_locked(event)
    rooms = {room.pk: room for room in _lock_rooms(Room.objects.filter(event=event))}
    slots = PresentationSlot.objects.filter(room__event=event).order_by("starts_at", "pk")
    counts = dict.fromkeys(rooms, 0)
    free: dict[int, list[PresentationSlot]] = {pk: [] for pk in rooms}
    for slot in slots:
        if slot.submission_id:
            counts[slot.room_id] += 1
        else:
            free[slot.room_id].append(slot)
    waiting = (
        event.submissions.filter(status__in=HANDED_IN, presentation_slot__isnull=True)
        .select_related("team")
        .order_by("pk")
    )
    placed, left = [], []
    for entry in waiting:
        open_rooms = [pk for pk in rooms if free[pk]]
        if not open_rooms:
            left.append(entry)
            continue
        best = min(
            open_rooms,
            key=lambda pk: (counts[pk], free[pk][0].starts_at, rooms[pk].order, pk),
        )
        slot = free[best].pop(0)
        slot.submission = entry
        counts[best] += 1
        placed.append((slot, entry))
    PresentationSlot.objects.bulk_update([slot for slot, _ in placed], ["submission"])
    if placed or left:
        audit_record(actor=actor, action="slots.filled", target=event,
                     data={"placed": len(placed), "left": len(left)})  # fmt: skip
    return FillReport(placed=placed, left=left)
