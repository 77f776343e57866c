import rules

from events.rules import can_manage_event

# Running the door. Volunteers join this when that role arrives.
rules.add_perm("registration.check_in", can_manage_event)
