"""The judging tests' shared fixture: a judge signed in with two entries to score."""

import pytest

from events.enums import RoleKind
from judging.models import Assignment, Judge, Room
from tests.factories import EventRoleFactory, UserFactory
from tests.judging.helpers import presenting


@pytest.fixture
def judging(client):
    """An accepted judge, signed in, seated in Main hall and assigned two entries: the
    later presentation made first, so the queue's order is the slots', not the rows'."""
    role = EventRoleFactory(role=RoleKind.JUDGE, user=UserFactory(display_name="Ada Judge"))
    event = role.event
    client.force_login(role.user)
    hall = Room.objects.create(event=event, name="Main hall")
    judge = Judge.objects.create(event=event, user=role.user, room=hall)
    later = presenting(event, hall, "Walking to work", minutes=10)
    first = presenting(event, hall, "Parks and jobs", minutes=0)
    for entry in (later, first):
        Assignment.objects.create(judge=judge, submission=entry)
    return client, event, judge, first, later
