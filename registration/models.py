from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.models import TimeStampedModel, bounded_text
from registration.enums import (
    APPLY_AGAIN,
    CHOICE_KINDS,
    LEAVABLE,
    STATUS_TAG_COLOURS,
    AdmissionMode,
    ConsentKind,
    QuestionKind,
    RegistrationStatus,
    Segment,
)


class RegistrationPolicy(models.Model):
    """How an event admits people, and how many of its seats are held.

    The row is the event's capacity lock: every change to `seats_held` and `waitlisted`
    happens with it locked (select_for_update), so the counts are exact without counting
    registrations.
    """

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="registration_policy"
    )
    mode = models.CharField(
        max_length=20, choices=AdmissionMode.choices, default=AdmissionMode.FIRST_COME
    )
    offer_window_hours = models.PositiveSmallIntegerField(
        default=48, help_text="How long a waitlisted person has to accept an offered seat."
    )
    seats_held = models.PositiveIntegerField(default=0, editable=False)
    # Kept with the seats, under the same lock: a newcomer's waiting-list position is
    # this count, without counting the waiting list.
    waitlisted = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        verbose_name_plural = "registration policies"

    def __str__(self):
        return f"Registration policy of {self.event}"


class Registration(TimeStampedModel):
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="registrations"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="registrations",
    )
    status = models.CharField(max_length=20, choices=RegistrationStatus.choices)
    applied_at = models.DateTimeField()
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # Someone added at the door without an account: only the name they gave is kept, and
    # only until REGISTRATION_WALK_IN_RETENTION_DAYS after the event; the flag stays, so
    # counts of walk-ins survive the name.
    walk_in = models.BooleanField(default=False, editable=False)
    walk_in_name = models.CharField(max_length=150, blank=True)
    # SHA-256 of the current ticket code (registration.tickets); the code itself is not
    # kept. Empty until the holder asks for one, and after an organiser revokes it.
    ticket_code_hash = models.CharField(max_length=64, blank=True, default="", editable=False)
    ticket_issued_at = models.DateTimeField(null=True, blank=True, editable=False)
    theme_interests = models.ManyToManyField("events.Theme", blank=True, related_name="+")

    class Meta:
        ordering = ["applied_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user"],
                condition=Q(user__isnull=False),
                name="registration_once_per_person",
            ),
            models.CheckConstraint(
                condition=~Q(status=RegistrationStatus.OFFERED) | Q(offer_expires_at__isnull=False),
                name="registration_offer_has_expiry",
            ),
            models.UniqueConstraint(
                fields=["ticket_code_hash"],
                condition=~Q(ticket_code_hash=""),
                name="registration_ticket_code_unique",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "applied_at"]),
        ]

    def __str__(self):
        return f"{self.person_name} at {self.event}"

    @property
    def person_name(self) -> str:
        if self.user is not None:
            return str(self.user)
        if self.walk_in:
            return self.walk_in_name or "Walk-in (name erased)"
        return "Erased person"

    @property
    def is_walk_in(self) -> bool:
        return self.walk_in

    @property
    def status_tag_colour(self) -> str:
        return STATUS_TAG_COLOURS.get(self.status, "grey")

    @property
    def can_leave(self) -> bool:
        return self.status in LEAVABLE

    @property
    def can_apply_again(self) -> bool:
        return self.status in APPLY_AGAIN

    def offer_has_lapsed(self, now=None) -> bool:
        """Whether an offered seat's time to answer is over (the sweep that passes it on
        may not have run yet)."""
        return self.offer_expires_at is not None and self.offer_expires_at <= (
            now or timezone.now()
        )


# The options of a choice question are organiser text too.
MAX_OPTIONS = 30
MAX_OPTION_LENGTH = 200


class Question(models.Model):
    """One question of an event's registration questionnaire, edited by its organisers."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=QuestionKind.choices)
    choices = models.JSONField(
        default=list, blank=True, help_text="The options of a single or multiple choice."
    )
    required = models.BooleanField(default=False)
    sensitive = models.BooleanField(
        default=False,
        help_text="Answers (access or dietary needs) are seen only by the event's organisers.",
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "label"], name="question_label_unique"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        if not isinstance(self.choices, list):
            raise ValidationError({"choices": "Give the options as a list."})
        if len(self.choices) > MAX_OPTIONS:
            raise ValidationError({"choices": f"At most {MAX_OPTIONS} options."})
        if any(len(str(choice)) > MAX_OPTION_LENGTH for choice in self.choices):
            raise ValidationError(
                {"choices": f"Each option may have at most {MAX_OPTION_LENGTH} characters."}
            )
        options = [choice for choice in self.choices if str(choice).strip()]
        if self.kind in CHOICE_KINDS and len(set(options)) < 2:
            raise ValidationError({"choices": "Give at least two different options."})
        if self.kind not in CHOICE_KINDS and options:
            raise ValidationError({"choices": "Only choice questions have options."})


class Answer(models.Model):
    registration = models.ForeignKey(Registration, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "question"], name="answer_once_per_question"
            ),
        ]

    def __str__(self):
        return f"{self.question}: {self.value}"


class Consent(models.Model):
    """A consent given at registration, with the version of the text accepted."""

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="consents"
    )
    kind = models.CharField(max_length=20, choices=ConsentKind.choices)
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["registration", "kind"], name="consent_once_per_kind"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.version})"


class SegmentMessage(models.Model):
    """An organiser's email to everyone in one segment of an event's registrations.

    Recipients are those in the segment when the message is delivered, moments after it
    is sent; each gets it once (the outbox keys it by recipient and message).
    """

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="segment_messages"
    )
    segment = models.CharField(max_length=20, choices=Segment.choices)
    subject = models.CharField(max_length=150)
    body = bounded_text(5000)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)
    recipient_count = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["delivered_at", "sent_at"])]

    def __str__(self):
        return self.subject
