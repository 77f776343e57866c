"""The outbox through a real Celery worker on Redis and PostgreSQL.

The worker runs in its own process against this test's database, so the test uses
committed data (transactional_db). Worker tests share one xdist group: one worker
consumes the queue at a time.
"""

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection, transaction
from django_celery_results.models import TaskResult

from common.enums import OutboxStatus
from common.models import OutboxMessage
from common.outbox import outbox_store
from common.tasks import send_outbox_message
from hackathon.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.xdist_group("worker"),
]


def _wait_for(condition, *, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A `celery worker` subprocess using this test's database; email goes to files."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    test_database_url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    mail_dir = tmp_path / "mail"
    env = os.environ | {
        "DATABASE_URL": test_database_url,
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "CONN_MAX_AGE": "0",
    }
    celery_app.control.purge()  # leftovers from an earlier run would hit this database
    name = f"test-{uuid.uuid4().hex[:8]}@%h"
    log = (tmp_path / "worker.log").open("w")
    worker = subprocess.Popen(  # noqa: S603 — our own Celery app, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hackathon",
            "worker",
            "--pool=solo",
            "--loglevel=info",
            "-n",
            name,
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        # A loaded two-core machine has taken over 30 s to start a worker: wait, not time.
        _wait_for(
            lambda: celery_app.control.ping(timeout=0.5), timeout=120, what="the worker to start"
        )
        yield mail_dir
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()
        log.close()
        connection.close()


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

    _wait_for(
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
