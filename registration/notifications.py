"""The emails a registration's lifecycle sends, each once per step (via the outbox)."""

import datetime

from common.models import OutboxMessage
from common.outbox import object_key, outbox_enqueue
from registration.enums import RegistrationStatus
from registration.models import Registration
from registration.selectors import waitlist_position

S = RegistrationStatus
REMINDER_AHEAD = datetime.timedelta(days=2)
REMINDER_PURPOSE = "registration_reminder"

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
    Returns how many are due (queued now or before).
    """
    soon = list(
        Registration.objects.filter(
            status=S.CONFIRMED,
            user__isnull=False,
            event__starts_at__gt=now,
            event__starts_at__lte=now + REMINDER_AHEAD,
        ).select_related("event", "user")
    )
    # Most runs find people already reminded: skip them before rendering anything.
    reminded = set(
        OutboxMessage.objects.filter(
            purpose=REMINDER_PURPOSE, object_key__in=[object_key(r) for r in soon]
        ).values_list("object_key", flat=True)
    )
    for registration in soon:
        if object_key(registration) in reminded:
            continue
        outbox_enqueue(
            recipient=registration.user.email,
            purpose=REMINDER_PURPOSE,
            target=registration,
            template="registration/email/reminder",
            context={
                "registration": registration,
                "event": registration.event,
                "person": registration.user,
            },
        )
    return len(soon)


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
        # Per application: someone who applies again after stepping back hears again.
        purpose=f"registration_{registration.status}@{registration.applied_at.timestamp()}",
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
