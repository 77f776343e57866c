"""Public event pages: the home page, an event's page and its iCalendar feed."""

import icalendar
import rules
from django.http import HttpResponse
from django.shortcuts import render

from events.extensions import event_page_sections, ical_items, render_sections
from events.selectors import EVENT_PAGE_RELATED, event_get_visible, events_public_split


def home(request):
    upcoming, past = events_public_split()
    return render(request, "events/home.html", {"upcoming": upcoming, "past": past})


def event_detail(request, slug):
    event = event_get_visible(slug=slug, user=request.user, related=EVENT_PAGE_RELATED)
    context = {
        "event": event,
        "successor": _successor(event),
        "sections": render_sections(event_page_sections, event, request),
        "can_manage": rules.has_perm("events.change_event", request.user, event),
    }
    return render(request, "events/event_detail.html", context)


def _successor(event):
    """The next published event in the series, linked once this one is over."""
    if not event.is_finished:
        return None
    return event.next_events.filter(is_published=True).order_by("starts_at").first()


def event_ical(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//CivicHack//Event schedule//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", event.name)
    calendar.add("x-wr-timezone", "Europe/London")
    for provide in ical_items:
        for item in provide(event):
            calendar.add_component(item)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}.ics"'
    return response
