"""Validating artifacts in the background (the artifact validation lifecycle).

`validation_request` marks an artifact QUEUED, drops any old report and publishes the
task after commit, on the validation queue (settings.CELERY_TASK_ROUTES).
"""

from django.utils import timezone

from common.queueing import enqueue_after_commit
from submissions.enums import ValidationStatus
from submissions.models import Artifact, ValidationReport


def validation_request(*, artifact) -> None:
    """Queue `artifact` for validation (on upload, and when the team runs it again)."""
    from submissions.tasks import validate_artifact  # tasks import this module

    ValidationReport.objects.filter(artifact=artifact).delete()
    now = timezone.now()
    fields = {
        "status": ValidationStatus.QUEUED, "progress": 0, "tries": 0, "error": "",
        "queued_at": now, "started_at": None, "finished_at": None,
    }  # fmt: skip
    Artifact.objects.filter(pk=artifact.pk).update(**fields)
    for name, value in fields.items():
        setattr(artifact, name, value)
    enqueue_after_commit(validate_artifact, artifact_id=artifact.pk)
