from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.validators import MaxLengthValidator
from django.db import models

from common.enums import OutboxStatus


def bounded_text(limit: int, **kwargs) -> models.TextField:
    """A TextField of at most `limit` characters, checked by model validation (a plain
    TextField's max_length reaches only forms and serializers) as well as by both."""
    return models.TextField(max_length=limit, validators=[MaxLengthValidator(limit)], **kwargs)


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class AuditEntry(models.Model):
    """Who did what to which object, and when. Written by state-transition services."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(max_length=100)
    target_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    target_id = models.CharField(max_length=64)
    target_repr = models.CharField(max_length=200)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"])]
        verbose_name_plural = "audit entries"

    def __str__(self):
        return f"{self.action} {self.target_repr}"


class OutboxMessage(TimeStampedModel):
    """One email, sent at most once per (recipient, purpose, object key)."""

    recipient = models.EmailField()
    purpose = models.CharField(max_length=100)
    object_key = models.CharField(max_length=100)
    subject = models.CharField(max_length=250)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    status = models.CharField(
        max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    queued_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    # Set on mail a person may stop (surveys, organisers' messages): sent as the
    # List-Unsubscribe header, so mail programs offer one-click unsubscribe.
    unsubscribe_url = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "purpose", "object_key"], name="outbox_once_per_key"
            )
        ]
        indexes = [models.Index(fields=["status", "queued_at"])]

    def __str__(self):
        return f"{self.purpose} to {self.recipient}"


class EmailSuppression(models.Model):
    """A person who asked for no more optional email: no survey invitations or reminders,
    no organisers' messages to a segment. Transactional mail (tickets, offers, sign-in)
    still goes. Kept per person, not per address, so a new address stays unsubscribed."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="email_suppression"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"No optional email to user {self.user_id}"
