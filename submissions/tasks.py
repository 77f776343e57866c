from celery import shared_task
from django.conf import settings

from submissions.services import lifecycle, validation


@shared_task(
    soft_time_limit=settings.SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT,
    time_limit=settings.SUBMISSIONS_VALIDATION_TIME_LIMIT,
)
def validate_artifact(*, artifact_id):
    """Validate one artifact (a duplicate or late delivery finds its claim gone and stops)."""
    return validation.artifact_validate(artifact_id=artifact_id)


@shared_task
def lock_due_submissions():
    """Periodic: lock every entry whose deadline has passed."""
    return lifecycle.submissions_lock_due()
