"""Helpers of the judging tests."""

import datetime

from judging.models import PresentationSlot
from tests.factories import SubmissionFactory
from tests.teams.helpers import team_with


def presenting(event, room, title, *, minutes):
    """A new team's entry `title`, presenting in `room` `minutes` into the afternoon."""
    entry = SubmissionFactory(team=team_with(event, name=f"Team {title}"), title=title)
    starts = event.starts_at + datetime.timedelta(hours=6, minutes=minutes)
    PresentationSlot.objects.create(
        room=room, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=5),
        submission=entry,
    )  # fmt: skip
    return entry
