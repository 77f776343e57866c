"""The email outbox: every email the platform sends goes through here.

A message is stored once per (recipient, purpose, object key) and published to Celery
after the transaction that created it commits. The sending task claims the message by a
conditional update, so a duplicate delivery of the task sends nothing.
"""

import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.audit import audit_record
from common.enums import OutboxStatus
from common.models import EmailSuppression, OutboxMessage
from common.queueing import enqueue_after_commit

logger = logging.getLogger(__name__)

MAX_SEND_ATTEMPTS = 5
UNSUBSCRIBE_SALT = "civichack.outbox.unsubscribe"
# Purposes of optional mail: each message names its person, carries an unsubscribe link,
# and is not stored for someone who unsubscribed. Apps add theirs with optional_purpose.
_optional_purposes: set[str] = set()


def optional_purpose(purpose: str) -> str:
    """Declare `purpose` optional mail (people may unsubscribe from it); returns it."""
    _optional_purposes.add(purpose)
    return purpose


def is_optional(purpose: str) -> bool:
    return purpose in _optional_purposes


class OutboxRetry(Exception):
    """Sending failed and the message is pending again; try later."""


def object_key(obj) -> str:
    """A stable key for a model instance: "app_label.model:pk"."""
    return f"{obj._meta.label_lower}:{obj.pk}"


def render_text(template: str, context: dict) -> str:
    """A plain-text template (a subject or a text body), rendered without HTML escaping."""
    return render_to_string(template, context, using="text")


def outbox_enqueue(*, recipient: str, purpose: str, target, template: str, context: dict):
    """Queue the email rendered from `template` about `target`, unless already queued.

    `template` names three files: <template>_subject.txt, <template>.txt and
    <template>.html. Returns the stored message (new or existing).
    """
    # No look first: the unique key turns a repeat away in outbox_store, and a new
    # message (the usual case) is one INSERT.
    context = {"site_url": settings.SITE_URL, **context}
    return outbox_store(
        recipient=recipient,
        purpose=purpose,
        key=object_key(target),
        subject=render_text(f"{template}_subject.txt", context),
        body_text=render_text(f"{template}.txt", context),
        body_html=render_to_string(f"{template}.html", context),
    )


def outbox_store(*, recipient, purpose, key, subject, body_text, body_html="", person=None):
    """Store an already rendered message under its key and publish it after commit.

    Optional mail (see optional_purpose) names its `person`: nothing is stored, and None
    returned, when they have unsubscribed; otherwise the message gets their unsubscribe
    link, in its body and as a header. Transactional mail names nobody.
    """
    unsubscribe_url = ""
    if is_optional(purpose) != (person is not None):
        raise ValueError(f"Only optional mail names its person; {purpose!r} does not fit.")
    if person is not None:
        if EmailSuppression.objects.filter(user=person).exists():
            return None
        unsubscribe_url = settings.SITE_URL + reverse(
            "email_unsubscribe", args=[unsubscribe_token(person)]
        )
        footer = {"unsubscribe_url": unsubscribe_url}
        body_text += "\n\n" + render_text("email/unsubscribe_footer.txt", footer)
        if body_html:
            body_html += render_to_string("email/unsubscribe_footer.html", footer)
    try:
        with transaction.atomic():
            message = OutboxMessage.objects.create(
                recipient=recipient,
                purpose=purpose,
                object_key=key,
                subject=" ".join(subject.split())[:250],
                body_text=body_text,
                body_html=body_html,
                unsubscribe_url=unsubscribe_url,
                queued_at=timezone.now(),
            )
    except IntegrityError:
        # Someone stored the same key first; theirs is the one to send.
        return OutboxMessage.objects.get(recipient=recipient, purpose=purpose, object_key=key)
    _publish_after_commit(message.pk)
    return message


def _publish_after_commit(message_id: int) -> None:
    from common.tasks import send_outbox_message

    enqueue_after_commit(send_outbox_message, message_id=message_id)


def outbox_send(*, message_id: int) -> bool:
    """Send one pending message. Returns whether this call sent it.

    When the transport fails the message goes back to pending and OutboxRetry is
    raised, so the caller may try again; after MAX_SEND_ATTEMPTS it is marked failed.
    """
    claimed = OutboxMessage.objects.filter(pk=message_id, status=OutboxStatus.PENDING).update(
        status=OutboxStatus.SENDING, updated_at=timezone.now()
    )
    if not claimed:
        return False
    message = OutboxMessage.objects.get(pk=message_id)
    email = EmailMultiAlternatives(
        subject=settings.EMAIL_SUBJECT_PREFIX + message.subject,
        body=message.body_text,
        to=[message.recipient],
        headers=_unsubscribe_headers(message.unsubscribe_url),
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    attempts = message.attempts + 1
    try:
        email.send()
    except Exception as error:
        gave_up = attempts >= MAX_SEND_ATTEMPTS
        OutboxMessage.objects.filter(pk=message_id).update(
            status=OutboxStatus.FAILED if gave_up else OutboxStatus.PENDING,
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:2000],
            updated_at=timezone.now(),
        )
        if gave_up:
            logger.error("Gave up sending outbox message %s: %s", message_id, error)
            return False
        raise OutboxRetry(str(error)) from error
    OutboxMessage.objects.filter(pk=message_id).update(
        status=OutboxStatus.SENT,
        attempts=attempts,
        sent_at=timezone.now(),
        updated_at=timezone.now(),
    )
    return True


def _unsubscribe_headers(url: str) -> dict:
    """RFC 8058 one-click unsubscribe: mail programs POST to the link themselves."""
    if not url:
        return {}
    return {"List-Unsubscribe": f"<{url}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def unsubscribe_token(user) -> str:
    """The signed, unexpiring token in a person's unsubscribe link (it names only them)."""
    return signing.Signer(salt=UNSUBSCRIBE_SALT).sign_object(user.pk)


def unsubscribe_token_user_id(token: str) -> int | None:
    """The person a token names, or None for a token that was not signed here."""
    try:
        user_id = signing.Signer(salt=UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):  # ValueError: a signed non-JSON payload
        return None
    return user_id if isinstance(user_id, int) and not isinstance(user_id, bool) else None


@transaction.atomic
def optional_email_stop(*, user, actor=None) -> EmailSuppression:
    """Unsubscribe `user` from optional mail, and cancel such mail not yet sent to them."""
    suppression, created = EmailSuppression.objects.get_or_create(user=user)
    if created:
        OutboxMessage.objects.filter(
            recipient__iexact=user.email, status=OutboxStatus.PENDING
        ).exclude(unsubscribe_url="").update(
            status=OutboxStatus.FAILED,
            last_error="Not sent: the person unsubscribed first.",
            updated_at=timezone.now(),
        )
        audit_record(actor=actor or user, action="email.unsubscribed", target=user)
    return suppression


@transaction.atomic
def optional_email_resume(*, user, actor=None) -> None:
    """Subscribe `user` to optional mail again (later messages only)."""
    deleted, _ = EmailSuppression.objects.filter(user=user).delete()
    if deleted:
        audit_record(actor=actor or user, action="email.resubscribed", target=user)


def outbox_requeue_stuck(*, now=None) -> int:
    """Publish again the messages whose task was lost; returns how many.

    A pending message older than OUTBOX_REQUEUE_AFTER lost its task (broker down at
    commit, a retry dropped). A message left "sending" that long had its worker die
    mid-send: whether the email left is unknown, so it is marked failed, not resent.
    """
    now = now or timezone.now()
    cutoff = now - settings.OUTBOX_REQUEUE_AFTER
    OutboxMessage.objects.filter(status=OutboxStatus.SENDING, updated_at__lt=cutoff).update(
        status=OutboxStatus.FAILED,
        last_error="The worker stopped while sending; not resent, to avoid a duplicate.",
        updated_at=now,
    )
    stuck_ids = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, queued_at__lt=cutoff).values_list(
            "pk", flat=True
        )
    )
    OutboxMessage.objects.filter(pk__in=stuck_ids).update(queued_at=now)
    for message_id in stuck_ids:
        _publish_after_commit(message_id)
    return len(stuck_ids)
