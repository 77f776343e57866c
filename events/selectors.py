import rules
from django.db.models import Prefetch, Q, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from events.enums import RoleKind
from events.models import Challenge, Event, EventRole

EVENT_PAGE_RELATED = ("series", "previous_event")


def events_visible_to(user):
    """Published events, plus the drafts `user` holds a role in (all, for superusers)."""
    events = Event.objects.select_related("series")
    if user.is_superuser:
        return events
    if user.is_authenticated:
        # A subquery rather than a join, so no DISTINCT is needed.
        with_role = EventRole.objects.filter(user=user).values("event_id")
        return events.filter(Q(is_published=True) | Q(pk__in=with_role))
    return events.filter(is_published=True)


def event_get_visible(*, slug: str, user, related: tuple[str, ...] = ()) -> Event:
    """The event, or 404 if it does not exist or `user` may not see it.

    `related` names the relations to load with it (the event page shows its series and
    the event it follows); most callers need the event alone.
    """
    events = Event.objects.select_related(*related) if related else Event.objects
    try:
        event = events.get(slug=slug)
    except Event.DoesNotExist:
        raise Http404("No such event.") from None
    if not rules.has_perm("events.view_event", user, event):
        raise Http404("No such event.")
    return event


def event_get_managed(*, slug: str, user) -> Event:
    """The event for its organisers; 404 for everyone else, so drafts stay unseen."""
    event = Event.objects.select_related("series").filter(slug=slug).first()
    if event is None or not rules.has_perm("events.change_event", user, event):
        raise Http404("No such event.")
    return event


def events_public_split(*, now=None):
    """(upcoming, past) published events for the home page."""
    now = now or timezone.now()
    published = Event.objects.filter(is_published=True).select_related("series")
    upcoming = published.filter(ends_at__gt=now).order_by("starts_at")
    past = published.filter(ends_at__lte=now).order_by("-starts_at")
    return upcoming, past


def events_managed_by(user):
    events = Event.objects.select_related("series").order_by("-starts_at")
    if user.is_superuser:
        return events
    organised = EventRole.objects.filter(user=user, role=RoleKind.ORGANISER).values("event_id")
    return events.filter(pk__in=organised)


def event_with_programme(event: Event) -> Event:
    """Load themes (with their challenges) and the schedule in three queries."""
    prefetch_related_objects(
        [event],
        Prefetch("themes__challenges", queryset=Challenge.objects.order_by("order", "title")),
        "schedule_items",
    )
    return event


def roles_for_event(event: Event):
    return EventRole.objects.filter(event=event).select_related("user", "invited_by")
