import datetime

import pytest
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from common import outbox
from common.enums import OutboxStatus
from common.models import OutboxMessage
from common.tasks import send_outbox_message
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.django_db


def _store(key="events.eventrole:1", recipient="judge@example.org"):
    return outbox.outbox_store(
        recipient=recipient,
        purpose="role_invitation",
        key=key,
        subject="You are invited",
        body_text="Hello",
        body_html="<p>Hi",
    )


def test_outbox_enqueue_same_key_twice_stores_one_message(django_capture_on_commit_callbacks):
    role = EventRoleFactory()
    context = {"invitation": role, "event": role.event, "inviter": role.user}

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = outbox.outbox_enqueue(
            recipient="a@example.org",
            purpose="role_invitation",
            target=role,
            template="events/email/role_invitation",
            context=context,
        )
        second = outbox.outbox_enqueue(
            recipient="a@example.org",
            purpose="role_invitation",
            target=role,
            template="events/email/role_invitation",
            context=context,
        )

    assert first.pk == second.pk
    assert first.object_key == f"events.eventrole:{role.pk}"
    assert len(callbacks) == 1  # one task published, after commit


def test_outbox_task_delivered_twice_sends_once(mailoutbox):
    message = _store()

    send_outbox_message.delay(message_id=message.pk)
    send_outbox_message.delay(message_id=message.pk)

    assert len(mailoutbox) == 1
    assert mailoutbox[0].subject == "[CivicHack] You are invited"
    assert mailoutbox[0].alternatives[0][1] == "text/html"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (OutboxStatus.SENT, 1)


def test_outbox_send_transport_failure_returns_to_pending(monkeypatch):
    message = _store()

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(mail.EmailMultiAlternatives, "send", refuse)

    with pytest.raises(outbox.OutboxRetry):
        outbox.outbox_send(message_id=message.pk)

    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert message.attempts == 1
    assert "SMTP is down" in message.last_error


def test_outbox_send_gives_up_after_max_attempts(monkeypatch):
    message = _store()
    OutboxMessage.objects.filter(pk=message.pk).update(attempts=outbox.MAX_SEND_ATTEMPTS - 1)
    monkeypatch.setattr(
        mail.EmailMultiAlternatives,
        "send",
        lambda *a, **k: (_ for _ in ()).throw(OSError("no route")),
    )

    assert outbox.outbox_send(message_id=message.pk) is False

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


def test_outbox_requeue_stuck_republishes_old_pending(
    django_capture_on_commit_callbacks, mailoutbox
):
    old, fresh = _store(key="a:1"), _store(key="a:2")
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    OutboxMessage.objects.filter(pk=old.pk).update(queued_at=long_ago)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = outbox.outbox_requeue_stuck()

    assert requeued == 1
    assert len(mailoutbox) == 1
    old.refresh_from_db()
    fresh.refresh_from_db()
    assert old.status == OutboxStatus.SENT
    assert fresh.status == OutboxStatus.PENDING


def test_outbox_requeue_stuck_does_not_resend_interrupted_send():
    message = _store()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=OutboxStatus.SENDING, updated_at=long_ago
    )

    assert outbox.outbox_requeue_stuck() == 0

    message.refresh_from_db()
    assert message.status == OutboxStatus.FAILED


def test_unreachable_broker_leaves_the_message_pending_for_the_sweep(
    django_capture_on_commit_callbacks, monkeypatch, caplog
):
    def broker_down(**kwargs):
        raise KombuOperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(send_outbox_message, "delay", broker_down)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = _store()

    assert len(callbacks) == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING
    assert "left to its sweep" in caplog.text
    later = timezone.now() + outbox.settings.OUTBOX_REQUEUE_AFTER + datetime.timedelta(seconds=1)
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=False) as requeued:
        assert outbox.outbox_requeue_stuck(now=later) == 1
    assert len(requeued) == 1
