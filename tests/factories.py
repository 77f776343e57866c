import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from events.enums import RoleKind, ScheduleKind
from events.models import Challenge, Event, EventRole, ScheduleItem, Series, Theme

PASSWORD = "correct-horse-battery"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.org")
    display_name = factory.Faker("name")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(user, create, extracted, **kwargs):
        """A verified primary address, as after sign-up; pass verified=False to skip."""
        if create and extracted is not False:
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)


class SeriesFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Series
        django_get_or_create = ["slug"]

    name = "Community Data Hackathons"
    slug = "community-data-hackathons"


class EventFactory(factory.django.DjangoModelFactory):
    """A published event five weeks ahead, with registration open now."""

    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"Community Data Hackathon {n}")
    slug = factory.Sequence(lambda n: f"hackathon-{n}")
    venue_name = "Municipal Hotel"
    venue_address = "Dale Street, Liverpool"
    starts_at = factory.LazyFunction(
        lambda: (timezone.now() + datetime.timedelta(weeks=5)).replace(
            hour=9, minute=30, second=0, microsecond=0
        )
    )
    ends_at = factory.LazyAttribute(lambda e: e.starts_at + datetime.timedelta(hours=7, minutes=30))
    capacity = 60
    registration_opens_at = factory.LazyFunction(
        lambda: timezone.now() - datetime.timedelta(days=1)
    )
    registration_closes_at = factory.LazyAttribute(
        lambda e: e.starts_at - datetime.timedelta(days=2)
    )
    is_published = True


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Theme {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ChallengeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Challenge

    theme = factory.SubFactory(ThemeFactory)
    event = factory.SelfAttribute("theme.event")
    title = factory.Sequence(lambda n: f"Challenge {n}")
    slug = factory.Sequence(lambda n: f"challenge-{n}")
    brief = "Make public services easier to find."


class ScheduleItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScheduleItem

    event = factory.SubFactory(EventFactory)
    title = factory.Sequence(lambda n: f"Session {n}")
    kind = ScheduleKind.TEAM_WORK
    starts_at = factory.LazyAttribute(lambda i: i.event.starts_at)
    ends_at = factory.LazyAttribute(lambda i: i.event.starts_at + datetime.timedelta(hours=1))


class EventRoleFactory(factory.django.DjangoModelFactory):
    """An accepted role; pass user=None and an email for a pending invitation."""

    class Meta:
        model = EventRole

    event = factory.SubFactory(EventFactory)
    role = RoleKind.ORGANISER
    user = factory.SubFactory(UserFactory)
    email = factory.LazyAttribute(lambda r: r.user.email if r.user else "invitee@example.org")
    accepted_at = factory.LazyAttribute(lambda r: timezone.now() if r.user else None)
