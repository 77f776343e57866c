"""Authorization-matrix rows for the organisers' presentations page (judging/views/slots.py;
see matrix.py for the row format).

Every route is a console page of event A: A's organisers (and superusers) may, everyone
else gets 404. A slot of B addressed under A's URL answers 404 to all and stays as it
was. The world has no presentations in A's schedule; rows that need them add them.
"""

import datetime

from django.utils.timezone import localtime

from events.enums import ScheduleKind
from events.models import ScheduleItem
from judging.models import PresentationSlot
from tests.security.matrix import A, D, Row, console, signed_in

HOUR, TEN_MINUTES = datetime.timedelta(hours=1), datetime.timedelta(minutes=10)


def _presentations(w, key: str = "a") -> ScheduleItem:
    event = getattr(w, key).event
    starts = event.starts_at + 6 * HOUR
    item, _ = ScheduleItem.objects.get_or_create(
        event=event, kind=ScheduleKind.PRESENTATIONS,
        defaults={"title": "Team presentations", "starts_at": starts, "ends_at": starts + HOUR},
    )  # fmt: skip
    return item


def _slot(w, key: str, *, placed: bool) -> PresentationSlot:
    """A slot in event `key`'s room at the start of its presentations; with A's (or B's)
    entry when `placed`."""
    parts = getattr(w, key)
    starts = _presentations(w, key).starts_at
    entry = getattr(w.entries, f"entry_{key}") if placed else None
    slot, _ = PresentationSlot.objects.get_or_create(
        room=parts.room, starts_at=starts,
        defaults={"ends_at": starts + TEN_MINUTES, "submission": entry},
    )  # fmt: skip
    return slot


def _slot_kwargs(key: str, *, placed: bool, under: str | None = None):
    def build(w) -> dict:
        return {"slug": getattr(w, under or key).event.slug, "pk": _slot(w, key, placed=placed).pk}

    return build


def _generate(w) -> dict:
    _presentations(w)
    return {"generate-room": w.a.room.pk, "generate-length_minutes": "20"}


def _add(w) -> dict:
    starts = _presentations(w).starts_at + TEN_MINUTES
    return {
        "add-room": w.a.room.pk,
        "add-starts_at": f"{localtime(starts):%Y-%m-%dT%H:%M}",
        "add-ends_at": f"{localtime(starts + TEN_MINUTES):%Y-%m-%dT%H:%M}",
    }


def _later(w, key: str):
    return _presentations(w, key).starts_at + 3 * TEN_MINUTES


def _move(key: str):
    def build(w) -> dict:
        starts = _later(w, key)
        return {
            "starts_at": f"{localtime(starts):%Y-%m-%dT%H:%M}",
            "ends_at": f"{localtime(starts + TEN_MINUTES):%Y-%m-%dT%H:%M}",
        }

    return build


def _moved(key: str):
    def check(w) -> bool:
        room = getattr(w, key).room
        return PresentationSlot.objects.filter(room=room, starts_at=_later(w, key)).exists()

    return check


def _a_free_slot(w) -> dict:
    _slot(w, "a", placed=False)
    return {}


def _place_entry_a(w) -> dict:
    slot = _slot(w, "a", placed=False)
    return {f"slot-{slot.pk}-submission": w.entries.entry_a.pk}


def _place_into_b(w) -> dict:
    slot = _slot(w, "b", placed=False)
    return {f"slot-{slot.pk}-submission": w.entries.entry_a.pk}


def _slots_in_a(count: int):
    def check(w) -> bool:
        return PresentationSlot.objects.filter(room=w.a.room).count() == count

    return check


def _entry_a_presents(w) -> bool:
    return PresentationSlot.objects.filter(submission=w.entries.entry_a).exists()


def _b_slot_taken(w) -> bool:
    return PresentationSlot.objects.filter(room=w.b.room, submission__isnull=False).exists()


def _cleared(key: str):
    def check(w) -> bool:
        return PresentationSlot.objects.filter(room=getattr(w, key).room, submission=None).exists()

    return check


def _gone(key: str):
    def check(w) -> bool:
        return not PresentationSlot.objects.filter(room=getattr(w, key).room).exists()

    return check


# fmt: off
def rows() -> list[Row]:
    own_free, own_placed = _slot_kwargs("a", placed=False), _slot_kwargs("a", placed=True)
    theirs_free = _slot_kwargs("b", placed=False, under="a")
    theirs_placed = _slot_kwargs("b", placed=True, under="a")
    return [
        Row("judging_slots", "GET", console(200), A),
        Row("judging_slots", "GET", console(200), D, label="draft"),
        Row("judging_slots", "POST", signed_in(405), A),
        # 20-minute slots fill the hour: three of them.
        Row("judging_slots_generate", "POST", console(302), A, data=_generate,
            effect=_slots_in_a(3)),
        Row("judging_slots_generate", "GET", signed_in(405), A),
        Row("judging_slot_add", "POST", console(302), A, data=_add, effect=_slots_in_a(1)),
        Row("judging_slot_add", "GET", signed_in(405), A),
        Row("judging_slots_fill", "POST", console(302), A, data=_a_free_slot,
            effect=_entry_a_presents),
        Row("judging_slots_fill", "GET", signed_in(405), A),
        Row("judging_slot_edit", "GET", console(200), own_free),
        Row("judging_slot_edit", "POST", console(302), own_free, data=_move("a"),
            effect=_moved("a")),
        Row("judging_slot_edit", "GET", signed_in(404), theirs_free, label="other-event"),
        Row("judging_slot_edit", "POST", signed_in(404), theirs_free, data=_move("b"),
            label="other-event", effect=_moved("b")),
        Row("judging_slot_place", "POST", console(302), own_free, data=_place_entry_a,
            effect=_entry_a_presents),
        Row("judging_slot_place", "POST", signed_in(404), theirs_free, data=_place_into_b,
            label="other-event", effect=_b_slot_taken),
        Row("judging_slot_place", "GET", signed_in(405), own_free),
        Row("judging_slot_clear", "POST", console(302), own_placed, effect=_cleared("a")),
        Row("judging_slot_clear", "POST", signed_in(404), theirs_placed, label="other-event",
            effect=_cleared("b")),
        Row("judging_slot_clear", "GET", signed_in(405), own_placed),
        Row("judging_slot_delete", "POST", console(302), own_free, effect=_gone("a")),
        Row("judging_slot_delete", "POST", signed_in(404), theirs_free, label="other-event",
            effect=_gone("b")),
        Row("judging_slot_delete", "GET", signed_in(405), own_free),
    ]
# fmt: on
