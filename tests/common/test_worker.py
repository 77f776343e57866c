"""The outbox through a real Celery worker on Redis and PostgreSQL.

The worker runs in its own process against this test's database, so the test uses
committed data (transactional_db). Worker tests share one xdist group: one worker
consumes the queue at a time.
"""

import pytest
from django.db import transaction
from django_celery_results.models import TaskResult

from common.enums import OutboxStatus
from common.models import OutboxMessage
from common.outbox import outbox_store
from common.tasks import send_outbox_message
from tests.worker import wait_for

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.xdist_group("worker"),
]


@pytest.fixture
def celery_worker_process(celery_worker, tmp_path):
    """A worker whose email goes to files; yields their directory."""
    mail_dir = tmp_path / "mail"
    celery_worker(
        EMAIL_BACKEND="django.core.mail.backends.filebased.EmailBackend",
        EMAIL_FILE_PATH=str(mail_dir),
    )
    return mail_dir


def test_outbox_real_worker_duplicate_delivery_sends_once(celery_worker_process):
    mail_dir = celery_worker_process
    with transaction.atomic():
        message = outbox_store(
            recipient="judge@example.org",
            purpose="role_invitation",
            key="events.eventrole:1",
            subject="Invitation",
            body_text="You are invited.",
        )
    # The commit published the task once; a duplicate delivery must change nothing.
    send_outbox_message.delay(message_id=message.pk)

    wait_for(
        lambda: (
            TaskResult.objects.filter(
                task_name="common.tasks.send_outbox_message", status="SUCCESS"
            ).count()
            == 2
        ),
        what="both deliveries to finish",
    )

    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
    assert message.attempts == 1
    assert len(list(mail_dir.iterdir())) == 1
    assert OutboxMessage.objects.count() == 1
