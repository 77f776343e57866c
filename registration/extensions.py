"""Signals of registration for the apps after it."""

from django.dispatch import Signal

place_released = Signal()
"""Someone no longer takes part in an event (their confirmed place was cancelled or
they were marked a no-show); sent inside the transaction that changed the status.

Arguments:
    sender: the Registration class.
    registration: the Registration, saved with its new status.
    now: when the change happened (a sweep passes its own clock), so a receiver judges
        the event's phase at that moment.
"""
