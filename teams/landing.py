"""Sign-in landing (accounts.landing): mentors at their event's help queue."""

from accounts.landing import landing_sources
from events.enums import RoleKind
from events.landing import role_landings

landing_sources.register(
    "mentor", lambda user: role_landings(user, RoleKind.MENTOR, "help_queue"), order=30
)
