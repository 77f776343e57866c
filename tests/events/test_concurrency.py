"""Moving an event's parts at the same moment, on PostgreSQL with real row locks: each
move holds its race window (CAPACITY_RACE_DELAY) open between reading the order and
writing it; the negative control turns the lock off and shows a move lost."""

import pytest

from events import services
from events.models import Theme
from tests.concurrency import in_threads
from tests.factories import EventFactory, ThemeFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    pytest.mark.no_cover,
]


def _two_moves_up_at_once(settings):
    """Two organisers press Move up on the last of three themes at the same time."""
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    settings.CAPACITY_RACE_DELAY = 0.5
    event = EventFactory()
    for order, name in enumerate(("Air", "Buses", "Care")):
        ThemeFactory(event=event, name=name, order=order)

    def move_care_up():
        care = Theme.objects.get(event=event, name="Care")
        services.part_move(actor=None, part=care, direction="up")

    in_threads([move_care_up, move_care_up], workers=2)
    return list(Theme.objects.filter(event=event).values_list("name", flat=True))


def test_two_moves_at_once_both_count(settings):
    assert _two_moves_up_at_once(settings) == ["Care", "Air", "Buses"]


def test_negative_control_without_locking_one_move_is_lost(settings):
    settings.CAPACITY_LOCKING = False

    assert _two_moves_up_at_once(settings) == ["Air", "Care", "Buses"]
