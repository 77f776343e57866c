"""Presentation slots in the earlier apps' registries: the console page "Presentations",
the public event page's "Team presentations" and one iCalendar entry per team presenting."""

import icalendar

from events.extensions import ConsolePage, Section, console_pages, event_page_sections, ical_items
from judging.selectors_slots import presentation_schedule


def _presentations_section(event, request):
    slots = presentation_schedule(event)
    return {"slots": slots} if slots else None


event_page_sections.register(
    "presentations",
    Section("Team presentations", "judging/event/presentations.html", _presentations_section),
    order=25,
)


@ical_items.register("presentations", order=30)
def presentation_items(event):
    """One entry per slot with a team presenting (one query, whatever the number)."""
    for slot in presentation_schedule(event):
        item = icalendar.Event()
        item.add("uid", f"presentation-slot-{slot.pk}@civichack")
        item.add("summary", f"{slot.submission.team.name}: {slot.submission.title}")
        item.add("dtstart", slot.starts_at)
        item.add("dtend", slot.ends_at)
        item.add("location", slot.room.name)
        item.add("description", f"Team presentation at {event.name}.")
        yield item


console_pages.register("slots", ConsolePage("Presentations", "judging_slots"), order=55)
