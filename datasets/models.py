"""The shared dataset catalogue, after CKAN's package/resource schema and DCAT-AP.

A Dataset (CKAN "package", dcat:Dataset) is described once for the whole cooperative
and featured on events (DatasetFeature); its Resources (dcat:Distribution) are files or
links, and a tabular file gets a ResourceProfile (columns, types, sketches, a preview).
"""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from common.files import generated_upload_name
from common.models import TimeStampedModel, bounded_text
from datasets.enums import (
    AccessLevel,
    CatalogueTheme,
    GeographyLevel,
    ProfileStatus,
    UpdateFrequency,
)


class Publisher(TimeStampedModel):
    """Who publishes datasets (CKAN "organization", dct:publisher)."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Licence(models.Model):
    """A licence, keyed by CKAN's licence id (uk-ogl, cc-by, odc-odbl, ...)."""

    id = models.CharField(primary_key=True, max_length=50)
    title = models.CharField(max_length=200)
    url = models.URLField(blank=True)
    is_open = models.BooleanField(default=False)

    class Meta:
        ordering = ["title"]

    def __str__(self):
        return self.title


class Keyword(models.Model):
    """A free keyword (CKAN "tag", dcat:keyword), shared by the datasets that use it."""

    name = models.CharField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class Dataset(TimeStampedModel):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=100, unique=True, help_text="Used in its web address.")
    title = models.CharField(max_length=200)
    description = bounded_text(10000, blank=True)
    publisher = models.ForeignKey(Publisher, on_delete=models.PROTECT, related_name="datasets")
    contact_name = models.CharField(max_length=150, blank=True)
    contact_email = models.EmailField(blank=True)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="datasets")
    attribution = bounded_text(
        1000, blank=True, help_text="The attribution statement the licence asks users to give."
    )
    keywords = models.ManyToManyField(Keyword, blank=True, related_name="datasets")
    issued = models.DateField(null=True, blank=True)
    modified = models.DateField(null=True, blank=True)
    update_frequency = models.CharField(
        max_length=20, choices=UpdateFrequency.choices, default=UpdateFrequency.IRREG
    )
    temporal_start = models.DateField(null=True, blank=True)
    temporal_end = models.DateField(null=True, blank=True)
    geography_coverage = models.CharField(
        max_length=200, blank=True, help_text="The area covered, e.g. Liverpool City Region."
    )
    geography_level = models.CharField(max_length=20, choices=GeographyLevel.choices, blank=True)
    landing_page = models.URLField(blank=True)
    provenance = bounded_text(5000, blank=True)
    version = models.CharField(max_length=50, blank=True)
    access_level = models.CharField(
        max_length=20, choices=AccessLevel.choices, default=AccessLevel.OPEN
    )
    is_published = models.BooleanField(
        default=False, help_text="Unpublished datasets are seen only by catalogue editors."
    )
    # Title, description, keywords and column names, kept by the services for search.
    search_text = models.TextField(blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(temporal_end__isnull=True)
                | Q(temporal_start__isnull=True)
                | Q(temporal_end__gte=models.F("temporal_start")),
                name="dataset_temporal_end_after_start",
            )
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("datasets:dataset", kwargs={"slug": self.slug})

    def clean(self):
        if self.temporal_start and self.temporal_end and self.temporal_end < self.temporal_start:
            raise ValidationError({"temporal_end": "The coverage must end after it starts."})


class DatasetTheme(models.Model):
    """One catalogue theme of a dataset (a fixed vocabulary, so a row, not a model)."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=4, choices=CatalogueTheme.choices)

    class Meta:
        ordering = ["theme"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "theme"], name="dataset_theme_once")
        ]

    def __str__(self):
        return self.get_theme_display()


class DatasetTerms(models.Model):
    """A version of a restricted dataset's terms of use. Never edited: a new wording is
    a new version, so each acceptance names exactly what was shown."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="terms")
    version = models.PositiveIntegerField()
    text = bounded_text(20000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["dataset", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "version"], name="dataset_terms_version")
        ]

    def __str__(self):
        return f"{self.dataset} terms v{self.version}"


class TermsAcceptance(models.Model):
    """A person accepted one version of a dataset's terms (like a registration consent)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="dataset_acceptances"
    )
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="acceptances")
    version = models.PositiveIntegerField()
    accepted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-accepted_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dataset", "version"], name="terms_accepted_once_per_version"
            )
        ]

    def __str__(self):
        return f"{self.user_id} accepted {self.dataset} v{self.version}"


class Resource(TimeStampedModel):
    """A file or link of a dataset (CKAN "resource", dcat:Distribution).

    An uploaded file is stored under a generated name (common.files) and is only ever
    served through the permission-checked download view; `original_filename` is shown,
    never used as a path.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="resources")
    name = models.CharField(max_length=200)
    description = bounded_text(5000, blank=True)
    url = models.URLField(max_length=1000, blank=True, help_text="A link to data held elsewhere.")
    file = models.FileField(upload_to=generated_upload_name, max_length=200, blank=True)
    original_filename = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=20, blank=True, help_text="CSV, XLSX, JSON, PDF, ...")
    media_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(null=True, blank=True)
    sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    order = models.PositiveIntegerField(default=0)
    table_schema = models.JSONField(
        null=True, blank=True, help_text="A Frictionless Table Schema describing the columns."
    )
    profile_status = models.CharField(
        max_length=10, choices=ProfileStatus.choices, default=ProfileStatus.NONE
    )
    profile_progress = models.PositiveSmallIntegerField(default=0)  # percent
    profile_error = models.TextField(blank=True)
    # When the current profiling was asked for: the sweep re-publishes old QUEUED ones.
    profile_queued_at = models.DateTimeField(null=True, blank=True)
    # When a worker claimed it: one RUNNING past the task's time limit has lost its worker.
    profile_started_at = models.DateTimeField(null=True, blank=True)
    download_count = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["dataset", "order", "created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="resource_file_or_url",
            ),
            models.CheckConstraint(
                condition=Q(profile_progress__lte=100), name="resource_progress_percent"
            ),
        ]
        indexes = [models.Index(fields=["profile_status", "profile_queued_at"])]

    def __str__(self):
        return self.name

    @property
    def is_upload(self) -> bool:
        return bool(self.file)


class ResourceProfile(models.Model):
    """What profiling found in a resource's file, for the content with `sha256`."""

    resource = models.OneToOneField(Resource, on_delete=models.CASCADE, related_name="profile")
    # Indexed: profiling looks for a profile of the same content before reading a file.
    sha256 = models.CharField(max_length=64, db_index=True)
    rows = models.PositiveBigIntegerField()
    columns = models.PositiveIntegerField()
    # One dict per column: name, type, nulls, distinct, min/max/mean, top values, dates.
    # Each may be an empty list (a header-only file has no preview rows, most no warnings).
    fields = models.JSONField(default=list, blank=True)
    preview_header = models.JSONField(default=list, blank=True)
    preview = models.JSONField(default=list, blank=True)  # the first rows, as strings
    warnings = models.JSONField(default=list, blank=True)
    encoding = models.CharField(max_length=40, blank=True)
    delimiter = models.CharField(max_length=4, blank=True)
    profiled_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Profile of {self.resource}"


class Download(models.Model):
    """One download of a resource. Kept without the person when their account is erased,
    so the counts publishers see survive."""

    # PROTECT: the record publishers are shown outlives no resource by accident.
    resource = models.ForeignKey(Resource, on_delete=models.PROTECT, related_name="downloads")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dataset_downloads",
    )
    downloaded_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-downloaded_at"]

    def __str__(self):
        return f"{self.resource} at {self.downloaded_at:%Y-%m-%d %H:%M}"


class DatasetFeature(models.Model):
    """A dataset an event's organisers put forward, optionally for one of its challenges."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="dataset_features"
    )
    dataset = models.ForeignKey(Dataset, on_delete=models.PROTECT, related_name="features")
    challenge = models.ForeignKey(
        "events.Challenge",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="dataset_features",
        help_text="Empty: the dataset helps with every challenge.",
    )
    note = bounded_text(500, blank=True, help_text="Why this dataset helps, in a sentence.")
    order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["event", "order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "dataset"], name="dataset_featured_once")
        ]

    def __str__(self):
        return f"{self.dataset} at {self.event}"

    def clean(self):
        if self.challenge_id and self.challenge.event_id != self.event_id:
            raise ValidationError({"challenge": "Choose a challenge of this event."})
