"""This app's entries in the earlier apps' registries: the event page, privacy."""

from events.extensions import Section, dashboard_panels, event_page_sections
from registration.models import Registration
from registration.selectors import door_counts


def _registration_context(event, request):
    registration = None
    if request.user.is_authenticated:
        registration = Registration.objects.filter(event=event, user=request.user).first()
    return {"event": event, "registration": registration, "is_open": event.is_registration_open}


event_page_sections.register(
    "registration",
    Section("Registration", "registration/sections/event.html", _registration_context),
    order=0,
)


def _door_panel(event, request):
    return {"event": event, "counts": door_counts(event), "capacity": event.capacity}


dashboard_panels.register(
    "registrations",
    Section("Registrations", "registration/panels/registrations.html", _door_panel),
    order=15,
)
