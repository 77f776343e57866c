from celery import shared_task
from django.conf import settings

from submissions.services import lifecycle, validation


@shared_task(
    bind=True,
    soft_time_limit=settings.SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT,
    time_limit=settings.SUBMISSIONS_VALIDATION_TIME_LIMIT,
)
def validate_artifact(self, *, artifact_id):
    """Validate one artifact (a duplicate or late delivery finds its claim gone and stops).

    A redelivered message (its worker was lost mid-validation, and the broker gave it
    back) takes the running validation over under a new attempt; the tries cap it.
    """
    redelivered = bool((self.request.delivery_info or {}).get("redelivered"))
    return validation.artifact_validate(artifact_id=artifact_id, takeover=redelivered)


@shared_task
def requeue_stuck_validations():
    """Periodic: publish again the validations that waited or ran too long."""
    return validation.validations_requeue_stuck()


@shared_task
def lock_due_submissions():
    """Periodic: lock every entry whose deadline has passed."""
    return lifecycle.submissions_lock_due()
