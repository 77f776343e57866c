"""Feedback surveys: one per event, its questions (each asked of some audiences), the
invitations the platform emails, and the responses.

Anonymous mode: an invitation keeps only whether its person answered (for reminders);
the response carries no link to it, no time and a random id, so nothing in the database
lines a response up with a person."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone

from common.models import TimeStampedModel, bounded_text
from feedback.enums import CHOICE_KINDS, Audience, SurveyQuestionKind

MAX_OPTIONS = 30
MAX_OPTION_LENGTH = 150


def all_audiences() -> list[str]:
    return list(Audience.values)


class Survey(TimeStampedModel):
    """An event's feedback survey: whom it asks, when, and whether answers are anonymous."""

    event = models.OneToOneField("events.Event", on_delete=models.CASCADE, related_name="survey")
    intro = bounded_text(1000, blank=True, help_text="Shown above the questions.")
    anonymous = models.BooleanField(
        default=True,
        help_text="Answers are kept with no link to who gave them. Cannot change once "
        "anyone has answered.",
    )
    audiences = models.JSONField(default=all_audiences, help_text="Who is invited.")
    closes_at = models.DateTimeField(help_text="After this, links no longer take answers.")

    def __str__(self):
        return f"Feedback survey of {self.event}"

    @property
    def opens_at(self):
        """When invitations go: FEEDBACK_INVITE_DELAY after the event ends, so moving the
        event moves them too."""
        return self.event.ends_at + settings.FEEDBACK_INVITE_DELAY

    def clean(self):
        if not isinstance(self.audiences, list) or not set(self.audiences) <= set(Audience.values):
            raise ValidationError({"audiences": "Choose among the audiences offered."})
        if self.closes_at and self.event_id and self.closes_at <= self.opens_at:
            raise ValidationError(
                {"closes_at": "The survey must close after its invitations go out."}
            )


class SurveyQuestion(models.Model):
    """One question of an event's survey, edited by its organisers as a console part."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="survey_questions"
    )
    text = models.CharField(max_length=200)
    help_text = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=20, choices=SurveyQuestionKind.choices)
    choices = models.JSONField(default=list, blank=True)
    audiences = models.JSONField(default=all_audiences)
    required = models.BooleanField(default=False)
    # The default template's questions keep their key through every copy, so the series
    # comparison and "lessons from last time" find the same question in each event.
    key = models.SlugField(max_length=40, blank=True, editable=False)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "text"], name="survey_question_text_unique"),
            models.UniqueConstraint(
                fields=["event", "key"], condition=~Q(key=""), name="survey_question_key_unique"
            ),
        ]

    def __str__(self):
        return self.text

    def clean(self):
        problems = {}
        if not isinstance(self.audiences, list) or not self.audiences:
            problems["audiences"] = "Ask at least one audience."
        elif not set(self.audiences) <= set(Audience.values):
            problems["audiences"] = "Choose among the audiences offered."
        if not isinstance(self.choices, list):
            problems["choices"] = "Give the options as a list."
        elif len(self.choices) > MAX_OPTIONS:
            problems["choices"] = f"At most {MAX_OPTIONS} options."
        elif any(len(str(choice)) > MAX_OPTION_LENGTH for choice in self.choices):
            problems["choices"] = f"Each option may have at most {MAX_OPTION_LENGTH} characters."
        elif self.kind in CHOICE_KINDS and len({str(c).strip() for c in self.choices} - {""}) < 2:
            problems["choices"] = "Give at least two different options."
        elif self.kind not in CHOICE_KINDS and self.choices:
            problems["choices"] = "Only choice questions have options."
        if problems:
            raise ValidationError(problems)


class SurveyInvitation(models.Model):
    """A person invited to answer; the row the emails (each step's link) hang from."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    # Set null when the account is erased: the invitation still counts in response rates.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="survey_invitations",
    )
    audience = models.CharField(max_length=20, choices=Audience.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # Whether, not when: a time here could be lined up with an anonymous response's.
    responded = models.BooleanField(default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "user"],
                condition=Q(user__isnull=False),
                name="survey_invitation_once_per_person",
            )
        ]
        indexes = [models.Index(fields=["survey", "responded"])]

    def __str__(self):
        return f"Invitation {self.pk} to {self.survey}"


class InvitationLink(models.Model):
    """The single-use link of one email step (0 the invitation, then each reminder). Only
    the token's SHA-256 is kept; any of an invitation's links answers it, once."""

    invitation = models.ForeignKey(SurveyInvitation, on_delete=models.CASCADE, related_name="links")
    step = models.PositiveSmallIntegerField()
    token_hash = models.CharField(max_length=64, unique=True)
    # When its email was queued: the next reminder counts from here.
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["invitation", "step"], name="invitation_link_per_step")
        ]

    def __str__(self):
        return f"Link {self.step} of invitation {self.invitation_id}"


class SurveyResponse(models.Model):
    """One person's answers, as {question id: value}. In anonymous mode `invitation` and
    `submitted_at` stay empty, and the random id follows no order."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    audience = models.CharField(max_length=20, choices=Audience.choices)
    invitation = models.OneToOneField(
        SurveyInvitation,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="response",
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    answers = models.JSONField(default=dict)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(invitation__isnull=True) | Q(submitted_at__isnull=False),
                name="named_response_has_time",
            )
        ]

    def __str__(self):
        return f"Response to {self.survey}"


class DirectoryEntry(TimeStampedModel):
    """Someone who took part and chose to be listed in the event's directory, so people
    can stay in touch. What is listed is read from their profile, registration and team;
    only the line they write is kept here. Their email address is shown only with their
    consent, recorded with the version of the words they agreed to."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="directory_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="directory_entries"
    )
    about = models.CharField(
        max_length=200, blank=True, help_text="What you would like to talk to people about."
    )
    shares_email = models.BooleanField(default=False)
    email_consent_version = models.CharField(max_length=7, blank=True)
    email_consented_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="directory_entry_once"),
            models.CheckConstraint(
                condition=Q(shares_email=False)
                | (~Q(email_consent_version="") & Q(email_consented_at__isnull=False)),
                name="directory_email_only_with_consent",
            ),
        ]

    def __str__(self):
        return f"{self.user} in the directory of {self.event}"


class SurveyReportBuild(models.Model):
    """An event's survey report as last built (by a task, when the survey closes and when
    organisers ask), so the page shows it at once: figures and charts as JSON."""

    survey = models.OneToOneField(Survey, on_delete=models.CASCADE, related_name="report_build")
    requested_at = models.DateTimeField(null=True, blank=True)
    built_at = models.DateTimeField(null=True, blank=True)
    content = models.JSONField(default=dict, blank=True)

    def __str__(self):
        return f"Report of {self.survey}"

    @property
    def pending(self) -> bool:
        """A build was asked for after the last one."""
        return self.requested_at is not None and (
            self.built_at is None or self.built_at < self.requested_at
        )
