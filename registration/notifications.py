"""The emails a registration's lifecycle sends, each once per step (via the outbox)."""

import datetime

from common.outbox import outbox_enqueue
from registration.enums import RegistrationStatus
from registration.models import Registration
from registration.selectors import waitlist_position

S = RegistrationStatus
REMINDER_AHEAD = datetime.timedelta(days=2)

# The statuses a participant hears about, with the subject of that email.
SUBJECTS = {
    S.APPLIED: "We have your application for {event}",
    S.CONFIRMED: "Your place at {event} is confirmed",
    S.WAITLISTED: "You are on the waiting list for {event}",
    S.OFFERED: "A place at {event} is yours if you want it",
    S.DECLINED: "Your application for {event}",
    S.CANCELLED: "Your place at {event} is cancelled",
    S.EXPIRED: "Your offered place at {event} has passed on",
}


def remind_upcoming(*, now) -> int:
    """Two days before an event, remind each confirmed participant, with the ticket.

    Safe to run as often as the schedule likes: the outbox sends each reminder once.
    """
    soon = Registration.objects.filter(
        status=S.CONFIRMED,
        user__isnull=False,
        event__starts_at__gt=now,
        event__starts_at__lte=now + REMINDER_AHEAD,
    ).select_related("event", "user")
    count = 0
    for registration in soon:
        outbox_enqueue(
            recipient=registration.user.email,
            purpose="registration_reminder",
            target=registration,
            template="registration/email/reminder",
            context={
                "registration": registration,
                "event": registration.event,
                "person": registration.user,
            },
        )
        count += 1
    return count


def notify_status(registration, *, position=None) -> None:
    """Queue the email for the registration's current status, if it has one.

    `position` is the waiting-list position when the caller knows it already.
    """
    subject = SUBJECTS.get(registration.status)
    if subject is None or registration.user is None:
        return
    event = registration.event
    outbox_enqueue(
        recipient=registration.user.email,
        purpose=f"registration_{registration.status}",
        target=registration,
        template="registration/email/status",
        context={
            "subject": subject.format(event=event.name),
            "registration": registration,
            "event": event,
            "person": registration.user,
            "position": position or waitlist_position(registration),
        },
    )
