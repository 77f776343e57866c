"""Checking an uploaded analysis file: pure Python, no Django models or settings.

The pipeline (`submissions.services.validation`) runs `validate_path` in a child process
with a memory limit and stores what it returns; nothing here executes uploaded code or
writes outside the temporary directory it is given.

    report = validate_path(path, filename="results.csv", limits=Limits(), progress=f)
    report.outcome        # "pass", "warning" or "fail": the worst of its findings
    report.findings       # [Finding(check, outcome, message, location), ...]
    report.facts          # {"rows": ..., "columns": ..., "sha256": ..., "inputs": [...]}
    report.to_json()      # what crosses the process boundary and is stored
"""

from submissions.validation.findings import (
    CHECK_LABELS,
    FAIL,
    OUTCOMES,
    PASS,
    WARNING,
    FileReport,
    Finding,
    Location,
    worst,
)
from submissions.validation.limits import Limits

__all__ = [
    "CHECK_LABELS",
    "FAIL",
    "OUTCOMES",
    "PASS",
    "WARNING",
    "FileReport",
    "Finding",
    "Limits",
    "Location",
    "worst",
]
