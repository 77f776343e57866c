"""The data every authorization-matrix row runs against, built fresh for each test.

Three events, so every row can ask "someone else's event" and "a draft" questions:

- A, published: organised by `organiser`, judged by `judge`, with a pending invitation;
- B, published: organised by `other_organiser` only;
- D, a draft: organised by `organiser`, so it is theirs but nobody else's business.

`participant` holds a confirmed registration in A; `volunteer` helps at A's door.

Each event has a theme with a challenge, a spare theme without one (so delete rows
delete something, rather than being refused for the challenge), and a schedule item.
"""

from dataclasses import dataclass, field

from accounts.models import User
from events.enums import RoleKind
from events.models import Challenge, Event, EventRole, ScheduleItem, Theme
from registration.models import Registration
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    EventRoleFactory,
    ScheduleItemFactory,
    ThemeFactory,
    UserFactory,
)
from tests.registration.helpers import register


@dataclass
class EventParts:
    event: Event
    theme: Theme
    spare_theme: Theme
    challenge: Challenge
    schedule_item: ScheduleItem
    organiser_role: EventRole


@dataclass
class World:
    a: EventParts
    b: EventParts
    d: EventParts
    invitation: EventRole  # pending, in A
    registration: Registration  # the participant's confirmed place in A
    # Role holders by role name; roles.py signs them in.
    people: dict[str, User] = field(default_factory=dict)


def _event_parts(*, key: str, organiser: User, published: bool) -> EventParts:
    # Readable slugs (event-a, theme-a, ...) make failing rows easy to follow.
    event = EventFactory(name=f"Event {key.upper()}", slug=f"event-{key}", is_published=published)
    theme = ThemeFactory(event=event, name=f"Theme {key}", slug=f"theme-{key}")
    return EventParts(
        event=event,
        theme=theme,
        spare_theme=ThemeFactory(
            event=event, name=f"Spare theme {key}", slug=f"spare-theme-{key}", order=9
        ),
        challenge=ChallengeFactory(theme=theme, title=f"Challenge {key}", slug=f"challenge-{key}"),
        schedule_item=ScheduleItemFactory(event=event, title=f"Session {key}"),
        organiser_role=EventRoleFactory(event=event, user=organiser, role=RoleKind.ORGANISER),
    )


def build_world() -> World:
    people = {
        "user": UserFactory(email="user@example.org"),
        "judge": UserFactory(email="judge@example.org"),
        "other_organiser": UserFactory(email="other.organiser@example.org"),
        "organiser": UserFactory(email="organiser@example.org"),
        "superuser": UserFactory(email="superuser@example.org", is_superuser=True, is_staff=True),
        "participant": UserFactory(email="participant@example.org"),
        "volunteer": UserFactory(email="volunteer@example.org"),
    }
    a = _event_parts(key="a", organiser=people["organiser"], published=True)
    b = _event_parts(key="b", organiser=people["other_organiser"], published=True)
    d = _event_parts(key="d", organiser=people["organiser"], published=False)
    EventRoleFactory(event=a.event, user=people["judge"], role=RoleKind.JUDGE)
    EventRoleFactory(event=a.event, user=people["volunteer"], role=RoleKind.VOLUNTEER)
    invitation = EventRoleFactory(
        event=a.event, user=None, email="invitee@example.org", role=RoleKind.MENTOR
    )
    registration = register(a.event, people["participant"])
    return World(a=a, b=b, d=d, invitation=invitation, registration=registration, people=people)
