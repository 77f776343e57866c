import rules

from events.rules import can_manage_event, is_event_volunteer

# Running the door: the event's organisers and volunteers.
rules.add_perm("registration.check_in", can_manage_event | is_event_volunteer)
# Access and dietary needs: the event's organisers only.
rules.add_perm("registration.see_sensitive", can_manage_event)
