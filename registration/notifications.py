"""The emails a registration's lifecycle sends, each once per step (via the outbox)."""

from common.outbox import outbox_enqueue
from registration.enums import RegistrationStatus
from registration.selectors import waitlist_position

S = RegistrationStatus

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


def notify_status(registration) -> None:
    """Queue the email for the registration's current status, if it has one."""
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
            "position": waitlist_position(registration),
        },
    )
