"""A team's entry (`Submission`), who made it (`SubmissionAuthor`), its history
(`SubmissionVersion`), the datasets it used (`DatasetCitation`), its files (`Artifact`)
and what the checks found in each (`ValidationReport`, `ValidationFinding`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from common.files import generated_upload_name
from common.models import TimeStampedModel, bounded_text
from submissions.enums import (
    ArtifactKind,
    CheckKind,
    Outcome,
    SubmissionStatus,
    ValidationStatus,
)


class Submission(TimeStampedModel):
    """One team's entry (one per team: the one-to-one is the constraint).

    Its challenge and theme are the team's, copied when it is first submitted so later
    changes to the team do not rewrite what was judged; they are not edited here.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="submissions")
    team = models.OneToOneField("teams.Team", on_delete=models.PROTECT, related_name="submission")
    status = models.CharField(
        max_length=10, choices=SubmissionStatus.choices, default=SubmissionStatus.DRAFT
    )
    title = models.CharField(max_length=150)
    summary = bounded_text(2000, blank=True)
    impact_statement = bounded_text(
        4000, verbose_name="the problem and its community impact", blank=True
    )
    repository_url = models.URLField("repository", max_length=500, blank=True)
    demo_url = models.URLField("demo", max_length=500, blank=True)
    video_url = models.URLField("video", max_length=500, blank=True)
    slides = models.FileField(upload_to=generated_upload_name, max_length=200, blank=True)
    slides_filename = models.CharField(max_length=255, blank=True)
    slides_size = models.PositiveBigIntegerField(null=True, blank=True)
    challenge = models.ForeignKey(
        "events.Challenge", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    theme = models.ForeignKey(
        "events.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    first_submitted_at = models.DateTimeField(null=True, blank=True)
    locked_at = models.DateTimeField(null=True, blank=True)
    is_late = models.BooleanField(default=False)
    # This team's own deadline, when organisers gave it more time than the event's.
    deadline_extension = models.DateTimeField(null=True, blank=True)
    in_gallery = models.BooleanField(
        "show in the public gallery", default=False,
        help_text="Once results are published, anyone can see it in the event's gallery.",
    )  # fmt: skip
    # Versions kept so far: the next save after the first submit is version + 1.
    version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["event", "title", "pk"]
        indexes = [models.Index(fields=["status", "event"])]

    def __str__(self):
        return self.title

    @property
    def deadline(self):
        """When this entry locks: the team's extension, else the event's deadline."""
        return self.deadline_extension or self.event.submission_deadline


class SubmissionAuthor(models.Model):
    """A member of the team when the entry was first submitted (taken again at lock).

    Credit, the gallery, judging conflicts and results read these rows, not the team,
    whose members may change after the event. The name and organisation are copies, so an
    author who erases their account stays credited by name until the erasure removes it.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="authors")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="submission_authorships",
    )  # fmt: skip
    name = models.CharField(max_length=150)
    organisation = models.CharField(max_length=150, blank=True)
    is_lead = models.BooleanField(default=False)
    taken_at = models.DateTimeField()

    class Meta:
        ordering = ["submission", "-is_lead", "name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "user"],
                condition=Q(user__isnull=False),
                name="submission_author_once",
            )
        ]

    def __str__(self):
        return self.name


class SubmissionVersion(models.Model):
    """One save of a submitted entry: who, when and what changed ({field: [before,
    after]}; files by their display name)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    saved_at = models.DateTimeField(auto_now_add=True)
    changes = models.JSONField(default=dict)

    class Meta:
        ordering = ["submission", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "number"], name="submission_version_number_once"
            )
        ]

    def __str__(self):
        return f"{self.submission} v{self.number}"


class DatasetCitation(models.Model):
    """A catalogue dataset the team says it used (one row per dataset), and how.

    PROTECT: a cited dataset is part of the team's record, so the catalogue unpublishes
    it rather than deleting it. A cited resource that is deleted leaves the citation on
    the dataset.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="citations")
    dataset = models.ForeignKey(
        "datasets.Dataset", on_delete=models.PROTECT, related_name="citations"
    )
    resource = models.ForeignKey(
        "datasets.Resource", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="citations",
    )  # fmt: skip
    how_used = bounded_text(1000, verbose_name="how it was used", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["submission", "created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "dataset"], name="citation_once")
        ]

    def __str__(self):
        return f"{self.submission} cites {self.dataset}"


class Artifact(TimeStampedModel):
    """An uploaded output of the team (table, notebook, zip bundle, PDF or image).

    Stored under a generated name, served only through the permission-checked download
    view. Validation: `status` moves through one service; `attempt` is the fencing
    counter each worker's claim increments (a report is stored only by the claim still
    current); `tries` counts this request's claims, capped by
    SUBMISSIONS_VALIDATION_MAX_TRIES.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="artifacts")
    file = models.FileField(upload_to=generated_upload_name, max_length=200)
    original_filename = models.CharField(max_length=255)
    description = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=10, choices=ArtifactKind.choices)
    format = models.CharField(max_length=20)
    media_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    table_schema = models.JSONField(
        null=True, blank=True, help_text="A Frictionless Table Schema describing the columns."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    status = models.CharField(
        max_length=10, choices=ValidationStatus.choices, default=ValidationStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(default=0)  # percent
    attempt = models.PositiveIntegerField(default=0)
    tries = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Why validation could not finish (the worker died, the memory limit), for the team.
    error = models.TextField(blank=True)
    # An organiser's decision, after review, to publish a file whose disclosure or
    # personal-data checks did not pass (recorded in the audit log too).
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip

    class Meta:
        ordering = ["submission", "created_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="artifact_progress_percent")
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self):
        return self.original_filename


class ValidationReport(models.Model):
    """What the checks of one artifact found: at most one per artifact (a re-run removes
    the old one when it is asked for), written by the claim `attempt`."""

    artifact = models.OneToOneField(Artifact, on_delete=models.CASCADE, related_name="report")
    attempt = models.PositiveIntegerField()
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    facts = models.JSONField(default=dict)
    # True when a disclosure or personal-data check did not pass: the file stays out of
    # the gallery unless an organiser releases it.
    withholds_publication = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"{self.artifact}: {self.outcome}"


class ValidationFinding(models.Model):
    report = models.ForeignKey(ValidationReport, on_delete=models.CASCADE, related_name="findings")
    order = models.PositiveIntegerField()
    check_kind = models.CharField(max_length=20, choices=CheckKind.choices)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)
    message = bounded_text(1000)
    file = models.CharField(max_length=255, blank=True)
    sheet = models.CharField(max_length=100, blank=True)
    row = models.PositiveBigIntegerField(null=True, blank=True)
    column = models.CharField(max_length=200, blank=True)
    cell = models.CharField(max_length=20, blank=True)
    notebook_cell = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["report", "order"]
        constraints = [
            models.UniqueConstraint(fields=["report", "order"], name="finding_order_once")
        ]

    def __str__(self):
        return f"{self.check_kind}: {self.outcome}"
