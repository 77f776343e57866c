"""Column profiles of tabular resources, made in the background.

`profile_request` marks a resource QUEUED and publishes the task after commit;
the task claims it (QUEUED -> RUNNING by a conditional update, so a duplicate delivery
does nothing) and stores a ResourceProfile, or a readable error. A periodic sweep
publishes again what stayed QUEUED, since the broker may have been down at commit.
"""

from django.utils import timezone

from common.queueing import enqueue_after_commit
from datasets.enums import ProfileStatus
from datasets.models import Resource

# Formats the profiler reads (as common.files.sniff names them).
PROFILED_FORMATS = {"CSV", "XLSX"}


def profile_request(*, resource: Resource) -> None:
    """Queue `resource` for profiling if its file is tabular; else mark it not profiled."""
    from datasets.tasks import profile_resource  # tasks import this module

    if not resource.is_upload or resource.format.upper() not in PROFILED_FORMATS:
        Resource.objects.filter(pk=resource.pk).update(
            profile_status=ProfileStatus.NONE, profile_progress=0, profile_error=""
        )
        resource.profile_status = ProfileStatus.NONE
        return
    now = timezone.now()
    Resource.objects.filter(pk=resource.pk).update(
        profile_status=ProfileStatus.QUEUED,
        profile_progress=0,
        profile_error="",
        profile_queued_at=now,
    )
    resource.profile_status, resource.profile_queued_at = ProfileStatus.QUEUED, now
    resource.profile_progress, resource.profile_error = 0, ""
    enqueue_after_commit(profile_resource, resource_id=str(resource.pk))
