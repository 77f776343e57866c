"""What the checks of a submission's files add up to, for its pages and the API."""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models.fields.json import KeyTransform

from submissions.enums import ValidationStatus
from submissions.models import Artifact, DatasetCitation

V = ValidationStatus


@dataclass(frozen=True)
class ValidationSummary:
    """`status` is "none" (no files), "checking" (some still queued or running), else
    the worst of the files': "failed", "warnings" or "passed". `counts` holds each
    artifact status's number of files. `cited_unused` is the cited datasets no checked
    file was found to use (known once every file is checked; empty until then)."""

    status: str
    counts: dict = field(default_factory=dict)
    cited_unused: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def validation_summary(submission) -> ValidationSummary:
    """The summary of `submission`'s validations, in two queries (one without citations)."""
    rows = Artifact.objects.filter(submission=submission).values_list(
        "status", KeyTransform("datasets", "report__facts")
    )
    counts, used = Counter(), set()
    for status, datasets in rows:
        counts[status] += 1
        if isinstance(datasets, list):
            used.update(str(dataset) for dataset in datasets)
    statuses = {status: counts[status] for status in V.values if counts[status]}
    if not counts:
        return ValidationSummary(status="none")
    if counts[V.QUEUED] or counts[V.RUNNING]:
        return ValidationSummary(status="checking", counts=statuses)
    worst = next(s for s in (V.FAILED, V.WARNINGS, V.PASSED) if counts[s])
    citations = DatasetCitation.objects.filter(submission=submission).select_related("dataset")
    unused = [c.dataset for c in citations if str(c.dataset_id) not in used]
    return ValidationSummary(status=str(worst), counts=statuses, cited_unused=unused)
