"""Shared set-up of the prizes and votes tests: an event with entries handed in, a
people's choice open now, and checked-in participants."""

import datetime

from django.utils import timezone

from judging.enums import PrizeKind
from judging.models import Prize
from registration.enums import RegistrationStatus
from registration.models import Registration
from submissions.enums import SubmissionStatus
from tests.factories import SubmissionFactory
from tests.teams.helpers import participant, team_with

HOUR = datetime.timedelta(hours=1)


def handed_in(event, *, title=None, **fields):
    """An entry of a new team of `event`, submitted."""
    team = team_with(event, name=fields.pop("team_name", None))
    extra = {"title": title} if title else {}
    fields.setdefault("status", SubmissionStatus.SUBMITTED)
    return SubmissionFactory(team=team, **extra, **fields)


def check_in(event, user):
    """Mark `user`'s place as checked in, as the door does."""
    Registration.objects.filter(event=event, user=user).update(
        status=RegistrationStatus.CHECKED_IN, checked_in_at=timezone.now()
    )
    return user


def checked_in_participant(event, **fields):
    return check_in(event, participant(event, **fields))


def peoples_choice(event, *, opens=None, closes=None, name="People's choice"):
    now = timezone.now()
    return Prize.objects.create(
        event=event, name=name, kind=PrizeKind.PEOPLES_CHOICE,
        voting_opens_at=opens or now - HOUR, voting_closes_at=closes or now + HOUR,
    )  # fmt: skip
