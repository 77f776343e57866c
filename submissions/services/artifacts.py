"""A submission's files: its outputs (`Artifact`, each validated in the background) and
its slides. Uploads are judged by their content (`common.uploads.check_upload`), capped
per file and per submission, stored under generated names and never served directly.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Sum

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.files import remove_after_commit
from common.uploads import check_upload
from datasets.tableschema import check_table_schema
from submissions.enums import ArtifactKind
from submissions.models import Artifact
from submissions.services.lifecycle import check_editable, lock_submission, version_keep
from submissions.services.validation import validation_request

KIND_OF_FORMAT = {
    "CSV": ArtifactKind.TABLE,
    "XLSX": ArtifactKind.TABLE,
    "JSON": ArtifactKind.NOTEBOOK,
    "ZIP": ArtifactKind.BUNDLE,
    "PDF": ArtifactKind.DOCUMENT,
    "PNG": ArtifactKind.IMAGE,
    "JPEG": ArtifactKind.IMAGE,
}
ARTIFACTS_TAKE = (
    "a submission takes: upload CSV, an Excel workbook (XLSX), a Jupyter notebook (.ipynb), "
    "a zip bundle, a PDF or a PNG or JPEG image"
)
SLIDES_TAKE = "slides can be: upload them as a PDF"


def _check_room(submission, size: int) -> None:
    """Refuse a file that would take the submission past its count or its total size."""
    if submission.artifacts.count() >= settings.SUBMISSIONS_MAX_ARTIFACTS:
        raise ApplicationError(
            f"A submission holds at most {settings.SUBMISSIONS_MAX_ARTIFACTS} files: remove "
            "one, or put several in a zip bundle.",
            code="too_many_files",
            status=409,
        )
    used = (submission.artifacts.aggregate(total=Sum("size"))["total"] or 0) + (
        submission.slides_size or 0
    )
    limit = settings.SUBMISSIONS_TOTAL_MAX_BYTES
    if used + size > limit:
        raise ApplicationError(
            f"This file would take the submission's files past {limit / 2**20:g} MB in all "
            f"({used / 2**20:.1f} MB are used). Remove a file, or upload a smaller one.",
            code="submission_too_large",
            details={"file": ["Too large for what is left."]},
        )


@transaction.atomic
def artifact_add(
    *, actor, submission, uploaded_file, description: str = "", table_schema=None
) -> Artifact:
    """Add an output to an editable submission and queue its validation after commit."""
    current = lock_submission(submission)
    check_editable(current)
    upload = check_upload(
        uploaded_file,
        formats=frozenset(KIND_OF_FORMAT),
        takes=ARTIFACTS_TAKE,
        max_bytes=settings.SUBMISSIONS_FILE_MAX_BYTES,
    )
    if upload.format == "JSON" and not upload.filename.lower().endswith(".ipynb"):
        raise ApplicationError(
            f"“{upload.filename}” is JSON but not a notebook (.ipynb): put other JSON files "
            "in a zip bundle.",
            code="unknown_format",
            details={"file": ["Only notebooks are taken as JSON."]},
        )
    check_table_schema(table_schema)
    _check_room(current, upload.size)
    artifact = Artifact(
        submission=current,
        original_filename=upload.filename,
        description=description,
        kind=KIND_OF_FORMAT[upload.format],
        format=upload.format,
        media_type=upload.media_type,
        size=upload.size,
        sha256=upload.sha256,
        table_schema=table_schema,
        uploaded_by=actor,
    )
    artifact.file.save(upload.filename, uploaded_file, save=False)
    try:
        artifact.full_clean()
        artifact.save()
    except Exception:
        # No row points at the file, and a rollback runs no on-commit callback: it goes now.
        artifact.file.delete(save=False)
        raise
    version_keep(actor=actor, submission=current, changes={"files": [None, upload.filename]})
    audit_record(actor=actor, action="artifact.added", target=artifact)
    validation_request(artifact=artifact)
    return artifact


@transaction.atomic
def artifact_remove(*, actor, artifact) -> None:
    current = lock_submission(artifact.submission)
    check_editable(current)
    remove_after_commit(artifact.file.name)
    audit_record(actor=actor, action="artifact.removed", target=artifact)
    version_keep(actor=actor, submission=current, changes={"files": [str(artifact), None]})
    artifact.delete()


@transaction.atomic
def slides_set(*, actor, submission, uploaded_file) -> None:
    """Replace (or, with no file, remove) the submission's slides: one PDF."""
    current = lock_submission(submission)
    check_editable(current)
    before = current.slides_filename or None
    old_name = current.slides.name
    if uploaded_file is None:
        current.slides, current.slides_filename, current.slides_size = "", "", None
    else:
        upload = check_upload(
            uploaded_file,
            formats=frozenset({"PDF"}),
            takes=SLIDES_TAKE,
            max_bytes=settings.SUBMISSIONS_FILE_MAX_BYTES,
        )
        _check_room(current, upload.size - (current.slides_size or 0))
        current.slides.save(upload.filename, uploaded_file, save=False)
        current.slides_filename, current.slides_size = upload.filename, upload.size
    current.save(update_fields=["slides", "slides_filename", "slides_size", "updated_at"])
    remove_after_commit(old_name)
    version_keep(
        actor=actor,
        submission=current,
        changes={"slides": [before, current.slides_filename or None]},
    )
    audit_record(actor=actor, action="submission.slides", target=current)
