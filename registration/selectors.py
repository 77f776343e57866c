from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce

from registration.enums import RegistrationStatus
from registration.models import Registration


def waitlist_position(registration) -> int | None:
    """1 for the first in line; None when not waitlisted. Gap-free by construction."""
    if registration.status != RegistrationStatus.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        Q(applied_at__lt=registration.applied_at)
        | Q(applied_at=registration.applied_at, id__lt=registration.id),
        event=registration.event_id,
        status=RegistrationStatus.WAITLISTED,
    ).count()
    return ahead + 1


def registrations_of(user):
    """The person's registrations, newest event first, each with `waitlist_position`."""
    waitlisted_ahead = (
        Registration.objects.filter(event=OuterRef("event"), status=RegistrationStatus.WAITLISTED)
        .filter(
            Q(applied_at__lt=OuterRef("applied_at"))
            | Q(applied_at=OuterRef("applied_at"), id__lt=OuterRef("id"))
        )
        .order_by()
        .values("event")
        .annotate(ahead=Count("id"))
        .values("ahead")
    )
    position = Case(
        When(
            status=RegistrationStatus.WAITLISTED,
            then=Coalesce(Subquery(waitlisted_ahead), 0) + 1,
        ),
        default=None,
        output_field=IntegerField(),
    )
    return (
        Registration.objects.filter(user=user)
        .select_related("event")
        .annotate(waitlist_position=position)
        .order_by("-event__starts_at")
    )


def door_counts(event) -> dict:
    return Registration.objects.filter(event=event).aggregate(
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        checked_in=Count("pk", filter=Q(status=RegistrationStatus.CHECKED_IN)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
