"""Helpers of the judging tests."""

import datetime

from events.enums import RoleKind
from judging.models import Judge, PresentationSlot
from tests.factories import EventRoleFactory, SubmissionFactory
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


def accepted_judge(event, **fields):
    """A judge's row for a new person who accepted a judge's role at `event` (scoring
    needs both)."""
    role = EventRoleFactory(event=event, role=RoleKind.JUDGE)
    return Judge.objects.create(event=event, user=role.user, **fields)
