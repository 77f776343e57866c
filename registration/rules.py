import rules

from events.rules import can_manage_event, event_of, is_event_volunteer


def takes_part(user, event) -> bool:
    """Whether `user` holds a confirmed or checked-in place at `event` (cached per user
    object, like event roles, so a page checking several rules asks once)."""
    if not user.is_authenticated or event is None:
        return False
    cache = user.__dict__.setdefault("_takes_part_cache", {})
    if event.pk not in cache:
        from registration.selectors import is_taking_part

        cache[event.pk] = is_taking_part(event, user)
    return cache[event.pk]


@rules.predicate
def is_participant(user, obj):
    return takes_part(user, event_of(obj))


# Reading the event's registrations and answers, exporting them, deciding on them.
rules.add_perm("registration.manage_registrations", can_manage_event)
# Emailing a segment of the people registered.
rules.add_perm("registration.message_registrants", can_manage_event)
# Running the door: the event's organisers and volunteers.
rules.add_perm("registration.check_in", can_manage_event | is_event_volunteer)
# People's email addresses (the door shows volunteers names only): organisers only.
rules.add_perm("registration.see_emails", can_manage_event)
# Access and dietary needs: the event's organisers only.
rules.add_perm("registration.see_sensitive", can_manage_event)
