"""Validation through a real prefork Celery worker on Redis and PostgreSQL, including
the two ways a worker loses work: its pool child killed mid-validation, and the whole
worker killed mid-validation. Each ends in a final status with exactly one report.

The engine's process is held open (TEST_VALIDATION_HOLD_SECONDS) so the kill lands
while the validation runs.
"""

import os
import signal

import pytest
from django.db import transaction
from django_celery_results.models import TaskResult

from submissions.enums import FINISHED, ValidationStatus
from submissions.models import Artifact, ValidationReport
from submissions.services.artifacts import artifact_add
from submissions.tasks import requeue_stuck_validations
from tests.factories import EventFactory
from tests.submissions.helpers import started_entry, upload
from tests.worker import (
    pool_child_running_engine,
    process_gone,
    redeliver_unacknowledged,
    wait_for,
)

pytestmark = [
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.xdist_group("worker"),
]

V = ValidationStatus
CSV = b"area,walkers\nHalton,120\nWidnes,340\n"
VALIDATE = "submissions.tasks.validate_artifact"


def _upload() -> Artifact:
    submission, lead = started_entry(EventFactory())
    with transaction.atomic():  # the task is published when this commits
        return artifact_add(
            actor=lead, submission=submission, uploaded_file=upload("walking.csv", CSV)
        )


def _state(artifact):
    return Artifact.objects.values_list("status", "attempt", "tries").get(pk=artifact.pk)


def _finished(artifact) -> bool:
    return _state(artifact)[0] in FINISHED


def _validations_done() -> int:
    return TaskResult.objects.filter(task_name=VALIDATE, status="SUCCESS").count()


def _running_engine(worker):
    found = []
    wait_for(
        lambda: found.append(pool_child_running_engine(worker)) or found[-1] is not None,
        timeout=60,
        what="the pool child to run the engine",
    )
    return found[-1]


def test_an_uploaded_csv_is_validated_by_the_worker_with_one_report(celery_worker):
    celery_worker()

    artifact = _upload()

    wait_for(lambda: _finished(artifact), timeout=60, what="the validation to finish")
    assert _state(artifact) == (V.PASSED, 1, 1)
    report = ValidationReport.objects.get(artifact=artifact)
    assert (report.attempt, report.outcome) == (1, "pass")
    assert Artifact.objects.get(pk=artifact.pk).progress == 100


def test_pool_child_killed_mid_validation_ends_final_with_one_report(celery_worker):
    """The broker gives the message back (task_reject_on_worker_lost); the redelivered
    task takes the running validation over under a new attempt. The engine process dies
    with the pool child that started it, and its run with it."""
    worker = celery_worker(TEST_VALIDATION_HOLD_SECONDS="4")
    artifact = _upload()
    pool_child, engine, run = _running_engine(worker)
    assert _state(artifact) == (V.RUNNING, 1, 1)

    os.kill(pool_child, signal.SIGKILL)

    wait_for(lambda: process_gone(engine), timeout=10, what="the engine to die with its parent")
    wait_for(lambda: process_gone(run), timeout=10, what="the run to die with the engine")
    wait_for(lambda: _finished(artifact), timeout=90, what="the validation to finish")
    assert _state(artifact) == (V.PASSED, 2, 2)
    assert list(ValidationReport.objects.filter(artifact=artifact).values_list("attempt")) == [(2,)]
    assert worker.process.poll() is None  # the worker itself carries on


def test_whole_worker_killed_mid_validation_the_reaper_finishes_it_and_the_redelivery_does_nothing(
    celery_worker,
):
    first = celery_worker(TEST_VALIDATION_HOLD_SECONDS="60")
    artifact = _upload()
    _pool_child, engine, run = _running_engine(first)

    first.kill_whole_worker()
    wait_for(lambda: process_gone(engine), timeout=10, what="the engine to end")
    wait_for(lambda: process_gone(run), timeout=10, what="the run to end")
    assert _state(artifact) == (V.RUNNING, 1, 1)

    # The restarted worker's reaper takes a validation running for 1 s as lost.
    celery_worker(SUBMISSIONS_VALIDATION_REQUEUE_AFTER_S="1")
    requeue_stuck_validations.delay()
    wait_for(lambda: _finished(artifact), timeout=90, what="the requeued validation to finish")
    assert _state(artifact) == (V.PASSED, 2, 2)
    report = ValidationReport.objects.get(artifact=artifact)
    assert _validations_done() == 1

    # The first delivery, never acknowledged, comes back as the broker's visibility
    # timeout would bring it: the worker runs it, and it changes nothing.
    redeliver_unacknowledged()
    wait_for(lambda: _validations_done() == 2, timeout=120, what="the redelivery to run")
    assert _state(artifact) == (V.PASSED, 2, 2)
    assert list(
        ValidationReport.objects.filter(artifact=artifact).values_list("pk", "attempt")
    ) == [(report.pk, 2)]
    results = TaskResult.objects.filter(task_name=VALIDATE).values_list("result", flat=True)
    assert sorted(results) == ['""', '"passed"']
