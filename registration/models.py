from django.conf import settings
from django.db import models
from django.db.models import Q

from common.models import TimeStampedModel
from registration.enums import AdmissionMode, RegistrationStatus


class RegistrationPolicy(models.Model):
    """How an event admits people, and how many of its seats are held.

    The row is the event's capacity lock: every change to `seats_held` happens with it
    locked (select_for_update), so the count is exact without counting registrations.
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
        ]
        indexes = [
            models.Index(fields=["event", "status", "applied_at"]),
        ]

    def __str__(self):
        return f"{self.user or 'Erased person'} at {self.event}"
