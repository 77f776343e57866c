"""What the checks of a submission's files add up to, for its pages, the organisers'
list and the API."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models.fields.json import KeyTransform

from submissions.enums import OVERALL_RULES, Validation, ValidationStatus
from submissions.models import Artifact, DatasetCitation

V = ValidationStatus


@dataclass(frozen=True)
class ValidationSummary:
    """`overall` is a Validation value (enums.OVERALL_RULES). `counts` holds each
    artifact status's number of files. `cited_unused` is the cited datasets no checked
    file was found to use (known once every file is checked; empty until then)."""

    overall: str
    counts: dict = field(default_factory=dict)
    cited_unused: list = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def validation_summary(submission) -> ValidationSummary:
    """The summary of `submission`'s validations, in two queries (one without files)."""
    return validation_summaries([submission])[submission.pk]


def validation_summaries(submissions) -> dict:
    """{submission pk: ValidationSummary} for `submissions`, in two queries whatever
    their number (one when none has files)."""
    ids = [submission.pk for submission in submissions]
    rows = Artifact.objects.filter(submission_id__in=ids).values_list(
        "submission_id", "status", KeyTransform("datasets", "report__facts")
    )
    counts, used = defaultdict(Counter), defaultdict(set)
    for submission_id, status, datasets in rows:
        counts[submission_id][status] += 1
        if isinstance(datasets, list):
            used[submission_id].update(str(dataset) for dataset in datasets)
    checked = [
        pk for pk in ids if counts[pk] and not (counts[pk][V.QUEUED] or counts[pk][V.RUNNING])
    ]
    unused = defaultdict(list)
    if checked:
        citations = DatasetCitation.objects.filter(submission_id__in=checked).select_related(
            "dataset"
        )
        for citation in citations:
            if str(citation.dataset_id) not in used[citation.submission_id]:
                unused[citation.submission_id].append(citation.dataset)
    return {pk: _summary(counts[pk], unused[pk]) for pk in ids}


def _summary(counts: Counter, cited_unused: list) -> ValidationSummary:
    if not counts:
        return ValidationSummary(overall=Validation.NONE)
    statuses = {status: counts[status] for status in V.values if counts[status]}
    overall = next(
        (overall for overall, among in OVERALL_RULES if any(counts[status] for status in among)),
        Validation.PASSED,
    )
    return ValidationSummary(overall=str(overall), counts=statuses, cited_unused=cited_unused)
