from django.db import models

from submissions.validation.findings import CHECK_LABELS, OUTCOMES


class SubmissionStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    LOCKED = "locked", "Locked"


class Actor(models.TextChoices):
    """Who moves a submission. Each move of the lifecycle names who may make it."""

    MEMBER = "member", "a member of the team"
    ORGANISER = "organiser", "organisers"
    SWEEP = "sweep", "the system (the deadline)"


_S, _A = SubmissionStatus, Actor

# The lifecycle: every move a submission can make, and who may make it; the one
# transition service (submissions.services.lifecycle.submission_transition) refuses any
# other. A member may take a submitted entry back to draft only while it is open; locking
# is the deadline's (the sweep) or, with no deadline, the organisers'; organisers may
# unlock to let a team correct something, which the audit log records.
TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (_S.DRAFT, _S.SUBMITTED): frozenset({_A.MEMBER}),
    (_S.SUBMITTED, _S.DRAFT): frozenset({_A.MEMBER}),
    (_S.DRAFT, _S.LOCKED): frozenset({_A.SWEEP, _A.ORGANISER}),
    (_S.SUBMITTED, _S.LOCKED): frozenset({_A.SWEEP, _A.ORGANISER}),
    (_S.LOCKED, _S.SUBMITTED): frozenset({_A.ORGANISER}),
    (_S.LOCKED, _S.DRAFT): frozenset({_A.ORGANISER}),
}

# Statuses in which the team may still change its entry.
EDITABLE = frozenset({_S.DRAFT, _S.SUBMITTED})


class ValidationStatus(models.TextChoices):
    """Where an artifact's validation stands (its lifecycle; progress is beside it)."""

    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    PASSED = "passed", "Passed"
    WARNINGS = "warnings", "Passed with warnings"
    FAILED = "failed", "Failed"


class Validation(models.TextChoices):
    """Where the checks of an entry's files stand, all files together (OVERALL_RULES)."""

    NONE = "none", "No files"
    CHECKING = "checking", "Checking"
    PASSED = "passed", "Passed"
    WARNINGS = "warnings", "Passed with warnings"
    FAILED = "failed", "Failed"


# The one rule for an entry's overall status, read by the summaries (in Python) and the
# organisers' list (in SQL): the first of these whose statuses any file has, else passed;
# none without files. Failed comes first, so a failure shows before the others finish.
OVERALL_RULES = (
    (Validation.FAILED, (ValidationStatus.FAILED,)),
    (Validation.CHECKING, (ValidationStatus.QUEUED, ValidationStatus.RUNNING)),
    (Validation.WARNINGS, (ValidationStatus.WARNINGS,)),
)

FINISHED = frozenset({ValidationStatus.PASSED, ValidationStatus.WARNINGS, ValidationStatus.FAILED})


class ValidationActor(models.TextChoices):
    """Who moves an artifact's validation. Each move of its lifecycle names who may."""

    WORKER = "worker", "the validation worker"
    REAPER = "reaper", "the system (validations that stopped)"
    MEMBER = "member", "a member of the team"
    ORGANISER = "organiser", "organisers"


_V, _VA = ValidationStatus, ValidationActor

# The validation lifecycle; the one transition service
# (submissions.services.validation_moves.validation_transition) refuses any other move.
# A worker claims a queued artifact and finishes it; a redelivered task (its worker was
# lost) takes over a running one under a new attempt, and a claim that finds the tries
# used up fails it. The reaper publishes again what waited or ran too long, or fails it
# once the tries are used up. The team, or organisers, ask for a finished one again.
VALIDATION_TRANSITIONS: dict[tuple[str, str], frozenset[str]] = {
    (_V.QUEUED, _V.RUNNING): frozenset({_VA.WORKER}),
    (_V.RUNNING, _V.RUNNING): frozenset({_VA.WORKER}),
    (_V.RUNNING, _V.PASSED): frozenset({_VA.WORKER}),
    (_V.RUNNING, _V.WARNINGS): frozenset({_VA.WORKER}),
    (_V.RUNNING, _V.FAILED): frozenset({_VA.WORKER, _VA.REAPER}),
    (_V.QUEUED, _V.FAILED): frozenset({_VA.WORKER, _VA.REAPER}),
    (_V.QUEUED, _V.QUEUED): frozenset({_VA.REAPER}),
    (_V.RUNNING, _V.QUEUED): frozenset({_VA.REAPER}),
    **{(done, _V.QUEUED): frozenset({_VA.MEMBER, _VA.ORGANISER}) for done in FINISHED},
}

# Made from the engine's tables (submissions.validation.findings), so both share one list.
CheckKind = models.TextChoices(
    "CheckKind", [(key.upper(), (key, label)) for key, label in CHECK_LABELS.items()]
)
Outcome = models.TextChoices(
    "Outcome", [(key.upper(), (key, label)) for key, label in OUTCOMES.items()]
)

# A report's outcome as the artifact's final status.
STATUS_OF_OUTCOME = {
    "pass": ValidationStatus.PASSED,
    "warning": ValidationStatus.WARNINGS,
    "fail": ValidationStatus.FAILED,
}


class ArtifactKind(models.TextChoices):
    """What an artifact is, read from its content (common.files.sniff's format)."""

    TABLE = "table", "Table (CSV or Excel)"
    NOTEBOOK = "notebook", "Jupyter notebook"
    BUNDLE = "bundle", "Zip bundle"
    DOCUMENT = "document", "PDF document"
    IMAGE = "image", "Image"
