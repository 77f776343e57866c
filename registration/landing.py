"""Sign-in landings (accounts.landing): volunteers at the door, participants at their
registrations."""

from django.urls import reverse

from accounts.landing import Landing, landing_sources
from events.enums import RoleKind
from events.landing import role_landings
from registration.enums import LEAVABLE, RegistrationStatus
from registration.models import Registration

# Registrations that still ask something of the person or let them in on the day.
IN_PLAY = LEAVABLE | {RegistrationStatus.CHECKED_IN}


def _participant_landings(user) -> list[Landing]:
    rows = Registration.objects.filter(user=user, status__in=IN_PLAY).values_list(
        "event__starts_at", "event__ends_at"
    )
    url = reverse("registration_mine")
    return [Landing(url, starts, ends) for starts, ends in rows]


landing_sources.register(
    "volunteer",
    lambda user: role_landings(user, RoleKind.VOLUNTEER, "registration_check_in"),
    order=20,
)
landing_sources.register("participant", _participant_landings, order=40)
