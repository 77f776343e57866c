"""Sign-in landings (accounts.landing) for roles held through EventRole: organisers land on
their event's console. Later apps land their roles through `role_landings`."""

from django.urls import reverse

from accounts.landing import Landing, landing_sources
from events.enums import RoleKind
from events.models import EventRole


def role_landings(user, role: RoleKind, url_name: str) -> list[Landing]:
    """A landing at `url_name` (which takes the event's slug) for each event where `user`
    holds `role`."""
    rows = EventRole.objects.filter(user=user, role=role).values_list(
        "event__slug", "event__starts_at", "event__ends_at"
    )
    return [Landing(reverse(url_name, args=[slug]), starts, ends) for slug, starts, ends in rows]


landing_sources.register(
    "organiser",
    lambda user: role_landings(user, RoleKind.ORGANISER, "organise_dashboard"),
    order=10,
)
