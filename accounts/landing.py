"""Where a person lands after signing in without a `next`: the page their role needs on
the day of their nearest event.

A source is `f(user) -> Iterable[Landing]`, contributed by the app that owns a role and
its page (events: organisers, their console; registration: volunteers, the door, and
participants, their registrations; teams: mentors, the help queue). A source's order in
the registry is its role's precedence when one person holds several roles at the same
event.
"""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from common.registry import Registry

landing_sources = Registry("sign-in landings")


@dataclass(frozen=True)
class Landing:
    url: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime


def landing_url(*, user, now: datetime.datetime | None = None) -> str | None:
    """The page for the event that is on today, else the nearest one still to come, among
    those `user` has a role in; the highest-ranked role's page if several. None when the
    person has no event today or ahead."""
    today = timezone.localdate(now or timezone.now())
    best = None
    for rank, source in enumerate(landing_sources):
        for landing in source(user):
            if timezone.localdate(landing.ends_at) < today:
                continue
            # An event that started before today and is still on counts as today's.
            day = max(timezone.localdate(landing.starts_at), today)
            key = (day, rank, landing.starts_at)
            if best is None or key < best[0]:
                best = (key, landing.url)
    return best[1] if best else None
