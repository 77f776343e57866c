"""A finished event with each audience present, for the survey tests."""

import datetime

from django.utils import timezone

from events.enums import RoleKind
from feedback.services.invitations import link_create
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.judging.prizes_helpers import check_in
from tests.registration.helpers import register

DAY = datetime.timedelta(days=1)


def finished_event(*, ended=DAY, **fields):
    """A published event that ended `ended` ago (registration closed before it)."""
    ends_at = timezone.now() - ended
    starts_at = ends_at - datetime.timedelta(hours=7)
    return EventFactory(
        starts_at=starts_at,
        ends_at=ends_at,
        registration_opens_at=starts_at - 30 * DAY,
        registration_closes_at=starts_at - DAY,
        **fields,
    )


def attendee(event, **fields):
    """A participant registered while registration was open, then checked in."""
    person = UserFactory(**fields)
    register(event, person, now=event.registration_opens_at + DAY)
    return check_in(event, person)


def role_holder(event, role=RoleKind.JUDGE, **fields):
    return EventRoleFactory(event=event, role=role, user=UserFactory(**fields)).user


def link_for(invitation, step=0) -> str:
    """A link of `invitation` made as the emails make them; returns its token."""
    return link_create(invitation_id=invitation.pk, step=step, now=timezone.now())
