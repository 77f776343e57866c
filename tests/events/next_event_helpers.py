"""A finished event with a set-up in every app, to create the next event from."""

import datetime
from dataclasses import dataclass

from django.utils import timezone

from datasets.models import DatasetFeature
from events.models import Challenge, Event, ScheduleItem, Theme
from feedback.enums import Audience
from feedback.models import Survey, SurveyQuestion
from judging.enums import PrizeKind
from judging.models import Criterion, Prize, Room
from registration.enums import AdmissionMode, QuestionKind
from registration.models import Question, RegistrationPolicy
from submissions.enums import SubmissionStatus
from teams.models import Team, TeamPolicy
from tests.factories import (
    ChallengeFactory,
    DatasetFactory,
    DatasetFeatureFactory,
    EventFactory,
    ScheduleItemFactory,
    SeriesFactory,
    SubmissionFactory,
    ThemeFactory,
)

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
YEAR = datetime.timedelta(weeks=52)  # the same weekday a year on


@dataclass
class Source:
    event: Event
    housing: Theme
    transport: Theme
    rents: Challenge
    buses: Challenge


def finished_source(**fields) -> Source:
    """A published event of a series that ended a month ago, set up in every app."""
    starts_at = (timezone.now() - 30 * DAY).replace(hour=9, minute=30, second=0, microsecond=0)
    if "series" not in fields:
        fields["series"] = SeriesFactory()
    event = EventFactory(
        name="Data Hackathon 2025",
        slug="data-hackathon-2025",
        tagline="Public data, local questions",
        starts_at=starts_at,
        ends_at=starts_at + 8 * HOUR,
        registration_opens_at=starts_at - 40 * DAY,
        registration_closes_at=starts_at - 2 * DAY,
        submission_deadline=starts_at + 6 * HOUR,
        **fields,
    )
    housing = ThemeFactory(event=event, name="Housing", slug="housing", order=1)
    transport = ThemeFactory(event=event, name="Transport", slug="transport", order=2)
    rents = ChallengeFactory(theme=housing, title="Rents", slug="rents", order=1)
    buses = ChallengeFactory(
        theme=transport, title="Buses", slug="buses", partner_organisation="Merseytravel"
    )
    ScheduleItemFactory(event=event, title="Welcome", kind="talk", location="Hall")
    ScheduleItemFactory(
        event=event,
        title="Presentations",
        kind="presentations",
        starts_at=starts_at + 6 * HOUR,
        ends_at=starts_at + 8 * HOUR,
    )
    RegistrationPolicy.objects.filter(event=event).update(
        mode=AdmissionMode.REVIEW, offer_window_hours=24, seats_held=40, waitlisted=3
    )
    Question.objects.filter(event=event).delete()
    Question.objects.create(
        event=event, label="Your borough", kind=QuestionKind.SHORT_TEXT, required=True, order=0
    )
    Question.objects.create(
        event=event,
        label="Lunch",
        kind=QuestionKind.SINGLE_CHOICE,
        choices=["Veg", "Vegan"],
        sensitive=True,
        order=1,
    )
    TeamPolicy.objects.filter(event=event).update(min_size=3, max_size=4)
    DatasetFeatureFactory(
        event=event,
        dataset=DatasetFactory(title="Rents"),
        challenge=rents,
        note="Rents by ward",
        order=1,
    )
    DatasetFeatureFactory(event=event, dataset=DatasetFactory(title="Census"), order=2)
    DatasetFeatureFactory(event=event, dataset=DatasetFactory(title="Gone", is_published=False))
    Criterion.objects.filter(event=event).delete()
    Criterion.objects.create(event=event, name="Impact", weight=2, levels=[[1, "None"]], order=0)
    Criterion.objects.create(event=event, name="Rents insight", challenge=rents, order=1)
    Criterion.objects.create(
        event=event, name="Transport fit", theme=transport, scale_max=10, order=2
    )
    Room.objects.create(event=event, name="Main hall", order=0)
    Prize.objects.create(
        event=event,
        name="Best rents",
        kind=PrizeKind.CHALLENGE,
        challenge=rents,
        winner=SubmissionFactory(
            team=Team.objects.create(event=event, name="Rent raisers", challenge=rents),
            status=SubmissionStatus.SUBMITTED,
        ),
    )
    Prize.objects.create(
        event=event,
        name="People's choice",
        kind=PrizeKind.PEOPLES_CHOICE,
        voting_opens_at=starts_at + 6 * HOUR,
        voting_closes_at=starts_at + 7 * HOUR,
    )
    Survey.objects.filter(event=event).update(
        intro="Tell us how it went.", anonymous=False, audiences=[Audience.PARTICIPANTS]
    )
    SurveyQuestion.objects.filter(event=event).exclude(key__in=["overall", "recommend"]).delete()
    SurveyQuestion.objects.create(
        event=event,
        text="Was the wifi fast enough?",
        kind="rating",
        audiences=[Audience.PARTICIPANTS],
        required=True,
        order=5,
    )
    return Source(event, housing, transport, rents, buses)


def next_fields(source: Event, **overrides) -> dict:
    """The page's and the API's fields for an event a year after `source`."""
    return {
        "name": "Data Hackathon 2026",
        "slug": "data-hackathon-2026",
        "starts_at": source.starts_at + YEAR,
        "ends_at": source.ends_at + YEAR,
        "venue_name": source.venue_name,
        "venue_address": source.venue_address,
        "capacity": 80,
    } | overrides


def snapshot(event: Event) -> dict:
    """Everything the copy reads of `event`, to show it is unchanged afterwards."""
    rows = {
        model.__name__: list(model.objects.filter(event=event).order_by("pk").values())
        for model in (
            Theme,
            Challenge,
            ScheduleItem,
            Question,
            DatasetFeature,
            Criterion,
            Room,
            Prize,
            SurveyQuestion,
            RegistrationPolicy,
            TeamPolicy,
            Survey,
        )
    }
    rows["Event"] = list(Event.objects.filter(pk=event.pk).values())
    return rows
