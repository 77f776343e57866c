import rules

from events.rules import can_manage_event

# Running the door. Volunteers join this when that role arrives.
rules.add_perm("registration.check_in", can_manage_event)
# Access and dietary needs: the event's organisers only.
rules.add_perm("registration.see_sensitive", can_manage_event)
