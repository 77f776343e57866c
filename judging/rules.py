"""Who may read an event's results: its organisers at any time; after publication,
whoever may see the event."""

from common.permissions import add_public_perm
from events.rules import can_manage_event, can_view_event
from submissions.rules import results_published

add_public_perm("judging.view_results", can_manage_event | (can_view_event & results_published))
