"""Storing what the checks of an artifact found, for the claim that made them only.

`report_store` adds the catalogue linkage, then, in one transaction under the artifact's
row lock, stores the report and its findings and moves the artifact to its final status,
provided the claim is still current (RUNNING, same attempt). A late duplicate, or a
claim the reaper gave up on, stores nothing: there is never more than one report.

Whatever the engine said is made safe to store: text without NUL characters (PostgreSQL
refuses them) and cut to its column, facts without the numbers JSON cannot hold.
"""

import math

from django.db import transaction
from django.utils import timezone

from submissions.enums import STATUS_OF_OUTCOME, ValidationActor
from submissions.models import Artifact, ValidationFinding, ValidationReport
from submissions.services.linkage import catalogue_linkage
from submissions.services.validation_moves import (
    claim_current,
    locked_artifact,
    validation_transition,
)
from submissions.validation.findings import FAIL, FileReport, Finding

# A file whose screening did not pass, or did not finish, stays out of the gallery until
# an organiser releases it.
SCREENING_CHECKS = frozenset({"disclosure", "personal_data"})
MAX_POSITIVE_INT = 2**31 - 1


def report_store(*, artifact: Artifact, report: FileReport) -> str:
    """Store `report` for `artifact`'s claim and finish it; returns the final status, or
    "" when the claim is no longer current (nothing is written then)."""
    catalogue_linkage(artifact=artifact, report=report)
    outcome = report.outcome
    with transaction.atomic():
        current = locked_artifact(claim_current(artifact))
        if current is None:
            return ""
        stored = ValidationReport.objects.create(
            artifact=current,
            attempt=current.attempt,
            outcome=outcome,
            facts=json_safe(report.facts),
            withholds_publication=withholds_publication(report.findings),
        )
        ValidationFinding.objects.bulk_create(
            _finding_row(stored, order, finding) for order, finding in enumerate(report.findings)
        )
        stopped = [
            f.message for f in report.findings if f.check == "resources" and f.outcome == FAIL
        ]
        validation_transition(
            artifact=current, to=STATUS_OF_OUTCOME[outcome], by=ValidationActor.WORKER,
            progress=100, finished_at=timezone.now(), error=clean(" ".join(stopped)),
        )  # fmt: skip
    return current.status


def withholds_publication(findings) -> bool:
    """True when a disclosure or personal-data check did not pass, or the checks stopped
    before the end (so those checks may not have run)."""
    return any(
        (finding.check in SCREENING_CHECKS and finding.outcome != "pass")
        or (finding.check == "resources" and finding.outcome == FAIL)
        for finding in findings
    )


def clean(text, limit: int | None = None) -> str:
    text = str(text).replace("\x00", "")
    return text[:limit] if limit is not None else text


def _count(value) -> int | None:
    return value if isinstance(value, int) and 0 <= value <= MAX_POSITIVE_INT else None


def _row(value) -> int | None:
    return value if isinstance(value, int) and 0 <= value < 2**63 else None


def _finding_row(report: ValidationReport, order: int, finding: Finding) -> ValidationFinding:
    where = finding.location
    return ValidationFinding(
        report=report,
        order=order,
        check_kind=finding.check,
        outcome=finding.outcome,
        message=clean(finding.message, _length("message")),
        file=clean(where.file, _length("file")),
        sheet=clean(where.sheet, _length("sheet")),
        row=_row(where.row),
        column=clean(where.column, _length("column")),
        cell=clean(where.cell, _length("cell")),
        notebook_cell=_count(where.notebook_cell),
    )


def _length(name: str) -> int:
    return ValidationFinding._meta.get_field(name).max_length


def json_safe(value):
    """`value` (decoded JSON) as PostgreSQL's jsonb takes it: no NUL characters, and no
    NaN or infinities (Python's JSON reader accepts them; jsonb does not)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {clean(key): json_safe(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(item) for item in value]
    return value
