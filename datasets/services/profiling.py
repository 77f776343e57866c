"""Column profiles of tabular resources, made in the background.

`profile_request` marks a resource QUEUED and publishes the task after commit;
the task (`resource_profile`) claims it (QUEUED -> RUNNING by a conditional update, so a
duplicate delivery does nothing) and stores a ResourceProfile, or a readable error.
Content already profiled (same SHA-256, this resource's or another's) is not profiled
again. A periodic sweep (`profiles_requeue_stuck`) publishes again what stayed QUEUED,
since the broker may have been down at commit, and fails what stayed RUNNING past the
task's time limit. The profiling itself is `datasets.profiling`, which knows no models.
"""

import logging
import os
from datetime import timedelta

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from common.audit import audit_record
from common.queueing import enqueue_after_commit
from datasets.enums import ProfileStatus
from datasets.models import Resource, ResourceProfile
from datasets.profiling import ProfileError, profile_file, sha256_of
from datasets.services.search import dataset_reindex

logger = logging.getLogger(__name__)

# Formats the profiler reads (as common.files.sniff names them).
PROFILED_FORMATS = {"CSV", "XLSX"}
# The stored progress moves in steps of at least this many percent: one UPDATE per step.
PROGRESS_STEP = 5
STORED_FIELDS = (
    "rows", "columns", "fields", "preview_header", "preview", "warnings", "encoding",
    "delimiter",
)  # fmt: skip
MISSING = "The file is missing from storage."
UNEXPECTED = "The file could not be profiled because of an unexpected error."
INTERRUPTED = (
    "Profiling stopped before it finished (the worker was interrupted). Upload the file "
    "again to try once more."
)


def profile_request(*, resource: Resource) -> None:
    """Queue `resource` for profiling if its file is tabular; else mark it not profiled.

    Called whenever a resource's content is set. A profile of other content (the file
    before a replacement) goes at once: its preview rows are the old file's data.
    """
    from datasets.tasks import profile_resource  # tasks import this module

    stale = ResourceProfile.objects.filter(resource=resource).exclude(sha256=resource.sha256)
    if stale.delete()[0]:
        dataset_reindex(dataset=resource.dataset)
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
        profile_started_at=None,
    )
    resource.profile_status, resource.profile_queued_at = ProfileStatus.QUEUED, now
    resource.profile_progress, resource.profile_error = 0, ""
    enqueue_after_commit(profile_resource, resource_id=str(resource.pk))


def resource_profile(*, resource_id) -> str:
    """Profile the file of resource `resource_id` if it is queued; returns its final status
    ("" when there was nothing to do: gone, or not queued, e.g. a duplicate delivery).

    The resource is claimed by a conditional update (QUEUED -> RUNNING). The file's
    SHA-256 decides whether profiling is needed at all: a profile of the same content,
    this resource's or another's, is kept or copied. Progress is saved at most every
    PROGRESS_STEP percent. A file that cannot be profiled ends FAILED with a readable
    `profile_error`; so does anything unexpected (logged), so no resource stays RUNNING.
    """
    resource = _claim(resource_id)
    if resource is None:
        return ""
    try:
        return _profile(resource)
    except ProfileError as error:
        return _profile_failed(resource, error.message)
    except SoftTimeLimitExceeded:
        seconds = settings.DATASETS_PROFILE_SOFT_TIME_LIMIT
        return _profile_failed(
            resource,
            f"Profiling took longer than {seconds} seconds and was stopped. Files this "
            "large are better split, or offered without a profile.",
        )
    except Exception:
        logger.exception("Profiling resource %s failed", resource_id)
        return _profile_failed(resource, UNEXPECTED)


def _claim(resource_id) -> Resource | None:
    """QUEUED -> RUNNING, reading the file the claim is for under the same row lock, so a
    replacement either comes before the claim (and is what gets profiled) or after it
    (and queues the resource again, which this run then cannot overwrite: `_claimed`)."""
    with transaction.atomic():
        resource = (
            Resource.objects.select_for_update(of=("self",))
            .select_related("profile")
            .filter(pk=resource_id, profile_status=ProfileStatus.QUEUED)
            .first()
        )
        if resource is None:
            return None
        resource.profile_started_at = timezone.now()
        Resource.objects.filter(pk=resource.pk).update(
            profile_status=ProfileStatus.RUNNING,
            profile_progress=0,
            profile_error="",
            profile_started_at=resource.profile_started_at,
        )
    return resource


def _claimed(resource: Resource):
    """The resource's row as long as it is still this run's: RUNNING, for this file."""
    return Resource.objects.filter(
        pk=resource.pk, profile_status=ProfileStatus.RUNNING, file=resource.file.name
    )


def _profile(resource: Resource) -> str:
    try:
        path = resource.file.path
        if not os.path.isfile(path):
            raise ProfileError(MISSING)
        # The upload recorded the content's SHA-256; only an older row lacks it.
        recorded = resource.sha256 or sha256_of(path)
    except (OSError, ValueError, NotImplementedError):
        raise ProfileError(MISSING) from None
    existing = getattr(resource, "profile", None)
    if existing is not None and existing.sha256 == recorded:
        return _profile_done(resource, recorded, rows=existing.rows, reused=True)
    same = ResourceProfile.objects.filter(sha256=recorded).exclude(resource=resource).first()
    if same is not None:
        copied = {name: getattr(same, name) for name in STORED_FIELDS}
        return _profile_done(resource, recorded, rows=same.rows, reused=True, store=copied)
    try:
        profile = profile_file(
            path,
            file_format=resource.format.lower(),
            progress=_progress_saver(resource),
            max_xlsx_bytes=settings.DATASETS_XLSX_MAX_BYTES,
            max_xlsx_cells=settings.DATASETS_XLSX_MAX_CELLS,
            interruptions=(SoftTimeLimitExceeded,),
        )
        # The profiling pass hashes most CSV files on the way; the rest are read again.
        digest = profile.sha256 or sha256_of(path)
    except OSError:
        raise ProfileError(MISSING) from None
    stored = profile.to_json()
    values = {name: stored[name] for name in STORED_FIELDS}
    values["encoding"], values["delimiter"] = stored["encoding"] or "", stored["delimiter"] or ""
    return _profile_done(resource, digest, rows=profile.rows, reused=False, store=values)


def _progress_saver(resource: Resource):
    saved = [0]

    def save(fraction: float) -> None:
        percent = min(99, int(fraction * 100))  # 100 is for a stored profile
        if percent - saved[0] >= PROGRESS_STEP:
            saved[0] = percent
            _claimed(resource).update(profile_progress=percent)

    return save


@transaction.atomic
def _profile_done(resource: Resource, digest: str, *, rows, reused, store=None) -> str:
    """RUNNING -> DONE, storing `store` (the profile's fields) if given. Nothing is
    written if the resource is no longer RUNNING (the sweep gave up on it meanwhile)."""
    moved = _claimed(resource).update(
        profile_status=ProfileStatus.DONE, profile_progress=100, profile_error="", sha256=digest
    )
    if not moved:
        return ""
    if store is not None:
        row = ResourceProfile(resource=resource, sha256=digest, **store)
        row.full_clean(exclude=["resource"], validate_unique=False)
        ResourceProfile.objects.update_or_create(
            resource=resource, defaults={"sha256": digest, **store}
        )
        dataset_reindex(dataset=resource.dataset)  # its column names are searched
    audit_record(
        actor=None,
        action="resource.profiled",
        target=resource,
        data={"sha256": digest, "rows": rows, "reused": reused},
    )
    return ProfileStatus.DONE


def _profile_failed(resource: Resource, message: str) -> str:
    moved = _claimed(resource).update(
        profile_status=ProfileStatus.FAILED, profile_progress=0, profile_error=message
    )
    if not moved:
        return ""
    # A profile of other content (the file before it was replaced) would describe a file
    # that is no longer there.
    stale = ResourceProfile.objects.filter(resource=resource).exclude(sha256=resource.sha256)
    if stale.delete()[0]:
        dataset_reindex(dataset=resource.dataset)
    audit_record(
        actor=None, action="resource.profile_failed", target=resource, data={"error": message}
    )
    return ProfileStatus.FAILED


def profiles_requeue_stuck(*, now=None) -> int:
    """Publish again the profiling whose task was lost; returns how many.

    A resource QUEUED for longer than DATASETS_PROFILE_REQUEUE_AFTER lost its task (the
    broker was down at commit, or the message was dropped). One RUNNING for longer than
    that plus the task's hard time limit had its worker die under it: it is marked
    FAILED, not run again, since a file that kills a worker would kill the next one.
    """
    from datasets.tasks import profile_resource  # tasks import this module

    now = now or timezone.now()
    cutoff = now - settings.DATASETS_PROFILE_REQUEUE_AFTER
    # Measured from the claim: a resource may wait long in the queue, then run in time.
    dead = cutoff - timedelta(seconds=settings.DATASETS_PROFILE_TIME_LIMIT)
    for resource in Resource.objects.filter(
        profile_status=ProfileStatus.RUNNING, profile_started_at__lt=dead
    ):
        _profile_failed(resource, INTERRUPTED)
    stuck_ids = list(
        Resource.objects.filter(
            profile_status=ProfileStatus.QUEUED, profile_queued_at__lt=cutoff
        ).values_list("pk", flat=True)
    )
    with transaction.atomic():
        Resource.objects.filter(pk__in=stuck_ids).update(profile_queued_at=now)
        for resource_id in stuck_ids:
            enqueue_after_commit(profile_resource, resource_id=str(resource_id))
    return len(stuck_ids)
