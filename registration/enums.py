from django.db import models


class RegistrationStatus(models.TextChoices):
    APPLIED = "applied", "Applied"
    CONFIRMED = "confirmed", "Confirmed"
    WAITLISTED = "waitlisted", "Waitlisted"
    OFFERED = "offered", "Seat offered"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    CANCELLED = "cancelled", "Cancelled"
    OFFER_DECLINED = "offer_declined", "Offer declined"
    EXPIRED = "expired", "Offer expired"
    CHECKED_IN = "checked_in", "Checked in"
    NO_SHOW = "no_show", "No-show"


# Statuses that hold one of the event's seats.
SEAT_HOLDING = frozenset(
    {RegistrationStatus.CONFIRMED, RegistrationStatus.OFFERED, RegistrationStatus.CHECKED_IN}
)


class AdmissionMode(models.TextChoices):
    FIRST_COME = "first_come", "First come, first served"
    REVIEW = "review", "Organisers review each application"
