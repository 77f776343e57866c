"""Who reads an event's directory and who joins it."""

import rules

from events.rules import can_manage_event
from feedback.connections import may_join


@rules.predicate
def took_part_and_event_ended(user, event):
    return may_join(event, user)


# The directory: those who took part (once the event is over) and its organisers.
rules.add_perm("feedback.view_directory", took_part_and_event_ended | can_manage_event)
rules.add_perm("feedback.join_directory", took_part_and_event_ended)
