from django.db.models import Q

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
