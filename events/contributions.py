"""This app's own entries in the extension registries (events.extensions, privacy)."""

import icalendar
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Count, Q

from accounts.privacy import personal_data_erasers, personal_data_exporters
from events.enums import RoleKind
from events.extensions import Section, dashboard_panels, event_page_sections, ical_items
from events.models import EventRole
from events.selectors import event_with_programme


def _setup_context(event, request):
    # Three small counts: one aggregate over all three joins would multiply the rows.
    steps = [
        ("Themes", event.themes.count(), "organise_themes"),
        ("Challenges", event.challenges.count(), "organise_challenges"),
        ("Schedule items", event.schedule_items.count(), "organise_schedule"),
    ]
    return {"event": event, "steps": steps, "phase": event.current_phase}


def _people_context(event, request):
    counts = EventRole.objects.filter(event=event).aggregate(
        **{kind.value: Count("pk", filter=Q(role=kind, user__isnull=False)) for kind in RoleKind},
        pending=Count("pk", filter=Q(user__isnull=True)),
    )
    rows = [(kind.label, counts[kind.value]) for kind in RoleKind]
    return {"event": event, "rows": rows, "pending": counts["pending"]}


dashboard_panels.register(
    "setup", Section("Set-up", "events/panels/setup.html", _setup_context), order=10
)
dashboard_panels.register(
    "people",
    Section("People with a role", "events/panels/people.html", _people_context),
    order=20,
)


def _programme_context(event, request):
    event_with_programme(event)
    return {"event": event, "themes": event.themes.all()} if event.themes.all() else None


def _schedule_context(event, request):
    items = event.schedule_items.all()
    return {"event": event, "items": items} if items else None


event_page_sections.register(
    "themes",
    Section("Themes and challenges", "events/sections/themes.html", _programme_context),
    order=10,
)
event_page_sections.register(
    "schedule",
    Section("Schedule", "events/sections/schedule.html", _schedule_context),
    order=20,
)


@ical_items.register("programme", order=0)
def event_and_schedule(event):
    """The event itself and each item of its schedule."""
    location = ", ".join(part for part in (event.venue_name, event.venue_address) if part)
    whole = icalendar.Event()
    whole.add("uid", f"event-{event.pk}@civichack")
    whole.add("summary", event.name)
    whole.add("dtstart", event.starts_at)
    whole.add("dtend", event.ends_at)
    whole.add("location", location)
    whole.add("url", settings.SITE_URL + event.get_absolute_url())
    whole.add("description", event.tagline or event.name)
    yield whole
    for item in event.schedule_items.all():
        entry = icalendar.Event()
        entry.add("uid", f"schedule-item-{item.pk}@civichack")
        entry.add("summary", f"{item.title} ({event.name})")
        entry.add("dtstart", item.starts_at)
        entry.add("dtend", item.ends_at)
        entry.add("location", item.location or location)
        if item.description:
            entry.add("description", item.description)
        yield entry


def _user_addresses(user):
    return {user.email, *EmailAddress.objects.filter(user=user).values_list("email", flat=True)}


@personal_data_exporters.register("event_roles", order=10)
def export_event_roles(user):
    roles = EventRole.objects.filter(
        Q(user=user) | Q(email__in=_user_addresses(user))
    ).select_related("event")
    return [
        {
            "event": role.event.name,
            "role": role.role,
            "email": role.email,
            "accepted_at": role.accepted_at.isoformat() if role.accepted_at else None,
        }
        for role in roles
    ]


@personal_data_erasers.register("event_roles", order=10)
def erase_event_roles(user):
    EventRole.objects.filter(Q(user=user) | Q(email__in=_user_addresses(user))).delete()
    EventRole.objects.filter(invited_by=user).update(invited_by=None)
