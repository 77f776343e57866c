"""Who may do what with an event. Predicates take an Event or an object with `.event`.

Roles are read once per request and event (cached on the user object), so checking
several permissions on one page costs one query.
"""

import rules

from common.permissions import add_public_perm
from events.enums import RoleKind


def event_of(obj):
    return getattr(obj, "event", obj)


def roles_in(user, event) -> frozenset:
    """The accepted roles `user` holds in `event`."""
    if not user.is_authenticated or event is None:
        return frozenset()
    cache = user.__dict__.setdefault("_event_roles_cache", {})
    if event.pk not in cache:
        from events.models import EventRole

        cache[event.pk] = frozenset(
            EventRole.objects.filter(event=event, user=user).values_list("role", flat=True)
        )
    return cache[event.pk]


@rules.predicate
def is_event_organiser(user, obj):
    return RoleKind.ORGANISER in roles_in(user, event_of(obj))


@rules.predicate
def is_event_volunteer(user, obj):
    return RoleKind.VOLUNTEER in roles_in(user, event_of(obj))


@rules.predicate
def is_event_mentor(user, obj):
    return RoleKind.MENTOR in roles_in(user, event_of(obj))


@rules.predicate
def is_event_judge(user, obj):
    """An accepted judge of the event (an EventRole judge with a user). Not a superuser
    for being one: judging rights come only from the role."""
    return RoleKind.JUDGE in roles_in(user, event_of(obj))


@rules.predicate
def has_event_role(user, obj):
    return bool(roles_in(user, event_of(obj)))


@rules.predicate
def is_published_event(user, obj):
    return obj is not None and event_of(obj).is_published


is_superuser = rules.is_superuser
can_manage_event = is_event_organiser | is_superuser
can_view_event = is_published_event | has_event_role | is_superuser
# The group is created by migration 0002; the Django admin adds people to it.
may_create_events = is_superuser | rules.is_group_member("Event creators")

add_public_perm("events.view_event", can_view_event)
rules.add_perm("events.add_event", may_create_events)
rules.add_perm("events.change_event", can_manage_event)
rules.add_perm("events.delete_event", can_manage_event)
rules.add_perm("events.manage_roles", can_manage_event)
# The next event of a series is a new event made from one the person runs.
rules.add_perm("events.create_next_event", can_manage_event & may_create_events)
