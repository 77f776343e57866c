import datetime
import hashlib

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.models import User
from events.enums import RoleKind, ScheduleKind
from events.models import Challenge, Event, EventRole, ScheduleItem, Series, Theme
from judging.models import Criterion

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


class CriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Criterion

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Criterion {n}")
    order = 10


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


# --- Datasets ---------------------------------------------------------------------------

DEMO_CSV = b"area_code,area_name,month,claimants\nE06000006,Halton,2026-01,3120\n"


class PublisherFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "datasets.Publisher"
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"publisher-{n}")
    name = factory.Sequence(lambda n: f"Publisher {n}")
    url = "https://data.example.org/"


class DatasetFactory(factory.django.DjangoModelFactory):
    """A published, open dataset under the UK Open Government Licence."""

    class Meta:
        model = "datasets.Dataset"

    slug = factory.Sequence(lambda n: f"dataset-{n}")
    title = factory.Sequence(lambda n: f"Dataset {n}")
    description = "Claimant count by local authority and month (illustrative)."
    publisher = factory.SubFactory(PublisherFactory)
    licence_id = "uk-ogl"
    is_published = True


class ResourceFactory(factory.django.DjangoModelFactory):
    """An uploaded CSV file; pass url=... and file="" for a link instead."""

    class Meta:
        model = "datasets.Resource"

    dataset = factory.SubFactory(DatasetFactory)
    name = factory.Sequence(lambda n: f"Resource {n}")
    file = factory.django.FileField(data=DEMO_CSV, filename="claimants.csv")
    original_filename = "claimants.csv"
    format = "CSV"
    media_type = "text/csv"
    size = len(DEMO_CSV)
    sha256 = hashlib.sha256(DEMO_CSV).hexdigest()


class DatasetTermsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "datasets.DatasetTerms"

    dataset = factory.SubFactory(DatasetFactory, access_level="restricted")
    version = 1
    text = "Use these data only for the hackathon; do not try to identify anyone."


class DatasetFeatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "datasets.DatasetFeature"

    event = factory.SubFactory(EventFactory)
    dataset = factory.SubFactory(DatasetFactory)


# --- Submissions ------------------------------------------------------------------------


class SubmissionFactory(factory.django.DjangoModelFactory):
    """A draft entry; pass `team` (teams are made through their services:
    tests.teams.helpers.team_with)."""

    class Meta:
        model = "submissions.Submission"

    event = factory.LazyAttribute(lambda submission: submission.team.event)
    title = factory.Sequence(lambda n: f"Entry {n}")
    summary = "Walking and cycling against deprivation in Halton (illustrative)."


class ArtifactFactory(factory.django.DjangoModelFactory):
    """An uploaded CSV output, not yet validated. Uploads through the service
    (submissions.services.artifacts.artifact_add) also queue validation."""

    class Meta:
        model = "submissions.Artifact"

    file = factory.django.FileField(data=DEMO_CSV, filename="results.csv")
    original_filename = "results.csv"
    kind = "table"
    format = "CSV"
    media_type = "text/csv"
    size = len(DEMO_CSV)
    sha256 = hashlib.sha256(DEMO_CSV).hexdigest()
