"""Judging's extension points for later apps and for its own after-publication work."""

from django.dispatch import Signal

# Sent once organisers have published an event's results, after the transaction that
# published them commits (so receivers may queue work that reads them).
#
# Arguments:
#   event: the events.Event whose results are now public.
#   actor: the user who published them.
results_published = Signal()
