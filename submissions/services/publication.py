"""What of a submission the public may have once results are published.

A file whose disclosure-control or personal-data checks did not pass
(`ValidationReport.withholds_publication`) stays out of the gallery until an organiser,
having reviewed it, releases it: `artifact_release`, recorded in the audit log.
"""

from django.db import transaction
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.locking import lock_capacity_row
from submissions.models import Artifact, ValidationReport


@transaction.atomic
def artifact_release(*, actor, artifact, now=None) -> Artifact:
    """Publish `artifact` despite the checks that withheld it (an organiser's reviewed
    decision). Only a withheld file can be released, and only once."""
    now = now or timezone.now()
    current = lock_capacity_row(Artifact.objects.filter(pk=artifact.pk))
    if current.released_at is not None:
        raise ApplicationError(
            "This file has already been released.", code="already_released", status=409
        )
    withheld = ValidationReport.objects.filter(artifact=current, withholds_publication=True)
    if not withheld.exists():
        raise ApplicationError(
            "Only a file whose disclosure or personal-data checks did not pass is held back; "
            "this one is not.",
            code="not_withheld",
            status=409,
        )
    current.released_at, current.released_by = now, actor
    current.save(update_fields=["released_at", "released_by", "updated_at"])
    audit_record(
        actor=actor,
        action="artifact.released",
        target=current,
        data={"submission": current.submission_id},
    )
    return current
