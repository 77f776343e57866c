"""Organisers' messages to a segment of an event's registrations (confirmed, waitlisted,
checked in), fanned out through the outbox by a Celery task after commit."""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Count
from django.template.loader import render_to_string
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import raise_problems
from common.outbox import object_key, optional_purpose, outbox_store, render_text
from common.queueing import enqueue_after_commit
from registration.enums import Segment
from registration.models import Registration, SegmentMessage

# Whom a segment's email says it was sent to, completing "to everyone ...".
AUDIENCES = {
    Segment.CONFIRMED: "with a confirmed place",
    Segment.WAITLISTED: "on the waiting list",
    Segment.CHECKED_IN: "checked in",
}
# People may unsubscribe from these (common.outbox); tickets and offers still reach them.
SEGMENT_PURPOSE = optional_purpose("segment_message")
# A message still undelivered this long after it was sent lost its task.
REDELIVER_AFTER = datetime.timedelta(minutes=10)


def people(count: int) -> str:
    """ "1 person", "3 people": how many a segment reaches, in words."""
    return f"{count} {'person' if count == 1 else 'people'}"


def segment_recipients(event, segment):
    """Registrations in the segment that can be emailed: not walk-ins or erased people,
    who have no address, nor anyone who unsubscribed from organisers' messages."""
    return Registration.objects.filter(
        event=event, status=segment, user__isnull=False, user__email_suppression__isnull=True
    )


def segment_sizes(event) -> dict[str, int]:
    """How many people each segment reaches now, by segment value."""
    rows = (
        Registration.objects.filter(
            event=event,
            status__in=Segment.values,
            user__isnull=False,
            user__email_suppression__isnull=True,
        )
        .order_by()
        .values("status")
        .annotate(people=Count("pk"))
    )
    return dict.fromkeys(Segment.values, 0) | {row["status"]: row["people"] for row in rows}


def _clean(*, segment, subject, body) -> tuple[str, str]:
    """The subject and body as they will be sent; ApplicationError naming each problem."""
    problems = {}
    if segment not in Segment.values:
        problems["segment"] = ["Choose confirmed, waitlisted or checked in."]
    subject = " ".join(str(subject or "").split())
    body = str(body or "").strip()
    limits = {"subject": (subject, 150), "body": (body, 5000)}
    for field, (value, limit) in limits.items():
        if not value:
            problems[field] = ["Required."]
        elif len(value) > limit:
            problems[field] = [f"At most {limit} characters."]
    raise_problems(problems, label=str.capitalize)
    return subject, body


def segment_message_send(*, event, segment, subject, body, actor, now=None) -> SegmentMessage:
    """Store the message and deliver it once this transaction commits."""
    subject, body = _clean(segment=segment, subject=subject, body=body)
    with transaction.atomic():
        message = SegmentMessage.objects.create(
            event=event,
            segment=segment,
            subject=subject,
            body=body,
            sent_by=actor,
            sent_at=now or timezone.now(),
        )
        audit_record(actor=actor, action="segment_message.sent", target=message)
        _deliver_after_commit(message.pk)
    return message


@dataclass(frozen=True)
class RenderedMessage:
    """A segment message as each of its recipients gets it: the same for everyone."""

    subject: str
    body_text: str
    body_html: str


def segment_message_render(message) -> RenderedMessage:
    context = {
        "site_url": settings.SITE_URL,
        "message": message,
        "event": message.event,
        "audience": AUDIENCES[message.segment],
    }
    return RenderedMessage(
        subject=message.subject,
        body_text=render_text("registration/email/segment.txt", context),
        body_html=render_to_string("registration/email/segment.html", context),
    )


@dataclass(frozen=True)
class Preview:
    """What sending would do now: the email, how many get it, and one of them by name."""

    message: SegmentMessage  # not saved
    email: RenderedMessage
    recipients: int
    sample_name: str  # "" when nobody is in the segment


def segment_message_preview(*, event, segment, subject, body) -> Preview:
    """The message as it would go out if sent now, checked as sending checks it."""
    subject, body = _clean(segment=segment, subject=subject, body=body)
    message = SegmentMessage(event=event, segment=segment, subject=subject, body=body)
    recipients = segment_recipients(event, segment).select_related("user")
    first = recipients.order_by("applied_at", "id").first()
    return Preview(
        message=message,
        email=segment_message_render(message),
        recipients=recipients.count(),
        sample_name=first.person_name if first else "",
    )


def _deliver_after_commit(message_id: int) -> None:
    from registration.tasks import deliver_segment_message

    enqueue_after_commit(deliver_segment_message, message_id=message_id)


@transaction.atomic
def segment_message_deliver(*, message_id: int, now=None) -> int | None:
    """Queue one email per recipient; returns how many, or None if already delivered.

    Locking the message row makes a duplicate task wait and then find it delivered; the
    outbox's key (recipient, purpose, message) stops a second copy to anyone regardless.
    """
    message = (
        SegmentMessage.objects.select_for_update(of=("self",))
        .select_related("event")
        .filter(pk=message_id, delivered_at__isnull=True)
        .first()
    )
    if message is None:
        return None
    # The same words go to everyone, so they are rendered once, not per recipient.
    rendered = segment_message_render(message)
    key = object_key(message)
    recipients = segment_recipients(message.event, message.segment).select_related("user")
    count = 0
    for registration in recipients.iterator():
        stored = outbox_store(
            recipient=registration.user.email,
            purpose=SEGMENT_PURPOSE,
            key=key,
            subject=rendered.subject,
            body_text=rendered.body_text,
            body_html=rendered.body_html,
            person=registration.user,
        )
        count += stored is not None
    message.delivered_at = now or timezone.now()
    message.recipient_count = count
    message.save(update_fields=["delivered_at", "recipient_count"])
    return count


def segment_messages_redeliver(*, now=None) -> int:
    """Publish again the messages whose delivery task was lost; returns how many."""
    now = now or timezone.now()
    stuck = SegmentMessage.objects.filter(
        delivered_at__isnull=True, sent_at__lt=now - REDELIVER_AFTER
    ).values_list("pk", flat=True)
    stuck_ids = list(stuck)
    with transaction.atomic():
        for message_id in stuck_ids:
            _deliver_after_commit(message_id)
    return len(stuck_ids)
