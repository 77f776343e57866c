from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from common.models import TimeStampedModel, bounded_text
from events.enums import Phase, RoleKind, ScheduleKind


class Series(TimeStampedModel):
    """A run of events that learn from each other, e.g. Community Data Hackathons."""

    name = models.CharField(max_length=150)
    slug = models.SlugField(unique=True)
    description = bounded_text(5000, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "series"

    def __str__(self):
        return self.name


class Event(TimeStampedModel):
    series = models.ForeignKey(
        Series, null=True, blank=True, on_delete=models.SET_NULL, related_name="events"
    )
    previous_event = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="next_events",
        help_text="The earlier event in the series whose feedback shapes this one.",
    )
    name = models.CharField(max_length=150)
    slug = models.SlugField(unique=True, help_text="Used in the event's web address.")
    tagline = models.CharField(max_length=200, blank=True)
    description = bounded_text(10000, blank=True)
    venue_name = models.CharField(max_length=150)
    venue_address = bounded_text(500, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    capacity = models.PositiveIntegerField(help_text="How many participants the venue holds.")
    registration_opens_at = models.DateTimeField()
    registration_closes_at = models.DateTimeField()
    submission_deadline = models.DateTimeField(null=True, blank=True)
    is_published = models.BooleanField(
        default=False, help_text="Draft events are seen only by the people working on them."
    )
    # Set by the judging services, read everywhere else.
    judging_locked_at = models.DateTimeField(null=True, blank=True, editable=False)
    results_published_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=F("ends_at")),
                name="event_registration_closes_by_end",
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=~Q(previous_event=F("id")), name="event_not_its_own_previous"
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("event_detail", kwargs={"slug": self.slug})

    def phase(self, now=None) -> Phase:
        now = now or timezone.now()
        if not self.is_published:
            return Phase.DRAFT
        if now >= self.ends_at:
            return Phase.FINISHED
        if now >= self.starts_at:
            return Phase.RUNNING
        if now >= self.registration_closes_at:
            return Phase.REGISTRATION_CLOSED
        if now >= self.registration_opens_at:
            return Phase.REGISTRATION_OPEN
        return Phase.ANNOUNCED

    @property
    def current_phase(self) -> Phase:
        return self.phase()

    @property
    def is_registration_open(self) -> bool:
        return self.phase() == Phase.REGISTRATION_OPEN

    @property
    def is_finished(self) -> bool:
        return self.phase() == Phase.FINISHED


class Theme(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="themes")
    name = models.CharField(max_length=120)
    slug = models.SlugField()
    description = bounded_text(2000, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "name"]
        constraints = [
            models.UniqueConstraint(fields=["event", "slug"], name="theme_slug_unique_in_event"),
            models.UniqueConstraint(fields=["event", "name"], name="theme_name_unique_in_event"),
        ]

    def __str__(self):
        return self.name


class Challenge(models.Model):
    """A brief within a theme, sometimes set with a partner organisation."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="challenges")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="challenges")
    title = models.CharField(max_length=150)
    slug = models.SlugField()
    brief = bounded_text(5000)
    partner_organisation = models.CharField(max_length=150, blank=True)
    partner_url = models.URLField(blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "slug"], name="challenge_slug_unique_in_event"
            ),
        ]

    def __str__(self):
        return self.title

    def clean(self):
        if self.theme_id and self.event_id and self.theme.event_id != self.event_id:
            raise ValidationError({"theme": "Choose one of this event's themes."})


class ScheduleItem(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="schedule_items")
    title = models.CharField(max_length=150)
    kind = models.CharField(max_length=20, choices=ScheduleKind.choices, default=ScheduleKind.OTHER)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    location = models.CharField(max_length=150, blank=True)
    description = bounded_text(2000, blank=True)

    class Meta:
        ordering = ["starts_at", "ends_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="schedule_item_ends_after_start"
            ),
        ]

    def __str__(self):
        return self.title


class EventRole(TimeStampedModel):
    """A person's role in one event. Invited by email; `user` is set once they accept."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(max_length=20, choices=RoleKind.choices)
    email = models.EmailField()
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="event_roles",
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["role", "email"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "role", "email"], name="event_role_once_per_email"
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=True) | Q(accepted_at__isnull=False),
                name="event_role_user_only_when_accepted",
            ),
        ]
        indexes = [models.Index(fields=["user", "event"])]

    def __str__(self):
        return f"{self.get_role_display()}: {self.email}"

    @property
    def is_pending(self) -> bool:
        return self.user_id is None
