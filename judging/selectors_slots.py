"""Reads of presentation slots: the organisers' page, the public schedule and the feed."""

from django.db.models import Prefetch

from events.enums import ScheduleKind
from events.models import ScheduleItem
from judging.models import PresentationSlot, Room
from submissions.models import Submission
from submissions.selectors.listing import HANDED_IN


def presentation_windows(event) -> list[ScheduleItem]:
    """The event's "Presentations" schedule items, in time order: slots lie within one
    of them (one query)."""
    return list(ScheduleItem.objects.filter(event=event, kind=ScheduleKind.PRESENTATIONS))


def entries_handed_in(event):
    """The event's entries that may present (handed in: submitted or locked), by title,
    with their teams."""
    return (
        Submission.objects.filter(event=event, status__in=HANDED_IN)
        .select_related("team")
        .order_by("title", "pk")
    )


def slots_overview(event) -> dict:
    """The organisers' slots page: each room with its slots in time order and the entry
    in each, the entries handed in (with whether each has a slot) and the presentation
    windows. Four queries, whatever the numbers."""
    slots = PresentationSlot.objects.select_related("submission__team").order_by("starts_at", "pk")
    rooms = list(Room.objects.filter(event=event).prefetch_related(Prefetch("slots", slots)))
    entries = list(entries_handed_in(event))
    placed = {slot.submission_id for room in rooms for slot in room.slots.all()}
    return {
        "rooms": rooms,
        "entries": entries,
        "unplaced": [entry for entry in entries if entry.pk not in placed],
        "windows": presentation_windows(event),
    }


def presentation_schedule(event) -> list[PresentationSlot]:
    """The public presentation schedule: each slot with an entry handed in (an entry
    taken back to draft is the team's own again, so it leaves the schedule), in time
    order, with its room and team (one query)."""
    return list(
        PresentationSlot.objects.filter(room__event=event, submission__status__in=HANDED_IN)
        .select_related("room", "submission__team")
        .order_by("starts_at", "room__order", "room__pk", "pk")
    )
