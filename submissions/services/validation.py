"""Validating artifacts in the background: the artifact validation lifecycle.

Every status an artifact's validation takes goes through one transition service,
`validation_moves.validation_transition`, which checks the move against
VALIDATION_TRANSITIONS (submissions.enums) for the actor making it.

- `validation_request`: a new upload is queued (its status is QUEUED from the start) and
  its task published after commit, on the validation queue (CELERY_TASK_ROUTES).
- `validation_rerun`: the team, or organisers, ask for a finished validation again: the
  old report goes, the tries start again.
- `artifact_validate` (the task): the claim moves QUEUED -> RUNNING under the row lock,
  incrementing `attempt` (the fencing counter) and `tries`; a redelivered task, whose
  worker was lost, takes over a RUNNING one the same way; with the tries used up the
  artifact fails instead. The engine runs in a child process (services.engine); its
  report is stored only while the claim is current (services.reports).
- `validations_requeue_stuck` (periodic): what waited QUEUED, or ran RUNNING, past
  SUBMISSIONS_VALIDATION_REQUEUE_AFTER is published again, or failed once its tries are
  used up. A RUNNING claim so old had its worker die (the task's hard limit is shorter),
  and the next claim's new attempt fences it off.
"""

import logging
import os

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from common.exceptions import ApplicationError
from common.locking import lock_capacity_row
from common.queueing import enqueue_after_commit
from submissions.enums import FINISHED, ValidationActor, ValidationStatus
from submissions.models import Artifact, ValidationReport
from submissions.services.engine import engine_run, resources_failed
from submissions.services.reports import report_store
from submissions.services.validation_moves import (
    claim_current,
    locked_artifact,
    validation_transition,
)
from submissions.validation.findings import FAIL, FileReport, Finding

logger = logging.getLogger(__name__)

V, By = ValidationStatus, ValidationActor
# The stored progress moves in steps of at least this many percent: one UPDATE per step.
PROGRESS_STEP = 5
MISSING = "The file is missing from storage."
UNEXPECTED = "The checks stopped because of an unexpected error."
STILL_RUNNING = "This file is still being checked; it can be checked again once that is done."


def tries_used_up() -> str:
    tries = settings.SUBMISSIONS_VALIDATION_MAX_TRIES
    return (
        f"Validation stopped {tries} times before it finished (its worker was lost each "
        "time), so it was not tried again. Ask for the checks again; if they stop once "
        "more, split the file into smaller ones."
    )


def validation_request(*, artifact: Artifact) -> None:
    """Publish the validation of a new upload (created QUEUED) after commit."""
    from submissions.tasks import validate_artifact  # tasks import this module

    artifact.queued_at = timezone.now()
    Artifact.objects.filter(pk=artifact.pk).update(queued_at=artifact.queued_at)
    enqueue_after_commit(validate_artifact, artifact_id=artifact.pk)


@transaction.atomic
def validation_rerun(*, artifact: Artifact, by: str, actor=None) -> Artifact:
    """Check `artifact` again, for a member of its team or organisers (`by`): its report
    goes and its tries start again; its attempt keeps counting, so no older claim can
    write. Refused while it is queued or running."""
    from submissions.tasks import validate_artifact  # tasks import this module

    current = lock_capacity_row(Artifact.objects.filter(pk=artifact.pk))
    if current.status not in FINISHED:
        raise ApplicationError(STILL_RUNNING, code="validation_running", status=409)
    ValidationReport.objects.filter(artifact=current).delete()
    validation_transition(
        artifact=current, to=V.QUEUED, by=by, actor=actor, progress=0, tries=0, error="",
        queued_at=timezone.now(), started_at=None, finished_at=None,
    )  # fmt: skip
    enqueue_after_commit(validate_artifact, artifact_id=current.pk)
    return current


def artifact_validate(*, artifact_id, takeover: bool = False) -> str:
    """Validate artifact `artifact_id` if it is queued (or, with `takeover`, running:
    the task was redelivered after its worker was lost). Returns the final status, or ""
    when there was nothing to do (gone, finished, a duplicate delivery) or the claim was
    fenced off before the report could be stored."""
    artifact = _claim(artifact_id, takeover=takeover)
    if artifact is None:
        return ""
    try:
        report = _checked(artifact)
    except Exception:
        logger.exception("Validating artifact %s failed", artifact_id)
        report = resources_failed(UNEXPECTED)
    return report_store(artifact=artifact, report=report)


def _claim(artifact_id, *, takeover: bool) -> Artifact | None:
    starts = (V.QUEUED, V.RUNNING) if takeover else (V.QUEUED,)
    now = timezone.now()
    with transaction.atomic():
        artifact = locked_artifact(Artifact.objects.filter(pk=artifact_id, status__in=starts))
        if artifact is None:
            return None
        if artifact.tries >= settings.SUBMISSIONS_VALIDATION_MAX_TRIES:
            validation_transition(
                artifact=artifact, to=V.FAILED, by=By.WORKER, error=tries_used_up(),
                progress=0, finished_at=now,
            )  # fmt: skip
            return None
        validation_transition(
            artifact=artifact, to=V.RUNNING, by=By.WORKER, attempt=artifact.attempt + 1,
            tries=artifact.tries + 1, progress=0, error="", started_at=now,
        )  # fmt: skip
    return artifact


def _checked(artifact: Artifact) -> FileReport:
    try:
        path = artifact.file.path
    except (ValueError, NotImplementedError):
        path = ""
    if not path or not os.path.isfile(path):
        return FileReport(findings=[Finding("integrity", FAIL, MISSING)])
    return engine_run(
        path=path,
        filename=artifact.original_filename,
        table_schema=artifact.table_schema,
        progress=progress_saver(artifact),
    )


def progress_saver(artifact: Artifact):
    """A progress callback storing `artifact.progress` while its claim is current."""
    saved = [0]

    def save(fraction: float) -> None:
        percent = min(99, int(fraction * 100))  # 100 is for a stored report
        if percent - saved[0] >= PROGRESS_STEP:
            saved[0] = percent
            claim_current(artifact).update(progress=percent)

    return save


def validations_requeue_stuck(*, now=None) -> int:
    """Publish again the validations that waited or ran too long; returns how many.

    QUEUED since before now - SUBMISSIONS_VALIDATION_REQUEUE_AFTER: its message was lost
    (the broker was down at commit). RUNNING since before then: its worker died (the
    task's hard limit is shorter), so it is queued again and the next claim fences the
    old one off. Either fails instead once its tries are used up.
    """
    from submissions.tasks import validate_artifact  # tasks import this module

    now = now or timezone.now()
    cutoff = now - settings.SUBMISSIONS_VALIDATION_REQUEUE_AFTER
    stuck = Q(status=V.QUEUED, queued_at__lt=cutoff) | Q(status=V.RUNNING, started_at__lt=cutoff)
    requeued = 0
    for artifact_id in Artifact.objects.filter(stuck).values_list("pk", flat=True):
        with transaction.atomic():
            artifact = locked_artifact(Artifact.objects.filter(stuck, pk=artifact_id))
            if artifact is None:  # finished or claimed since it was listed
                continue
            if artifact.tries >= settings.SUBMISSIONS_VALIDATION_MAX_TRIES:
                validation_transition(
                    artifact=artifact, to=V.FAILED, by=By.REAPER, error=tries_used_up(),
                    progress=0, finished_at=now,
                )  # fmt: skip
                continue
            validation_transition(
                artifact=artifact, to=V.QUEUED, by=By.REAPER, progress=0, queued_at=now,
                started_at=None,
            )  # fmt: skip
            enqueue_after_commit(validate_artifact, artifact_id=artifact.pk)
            requeued += 1
    return requeued
