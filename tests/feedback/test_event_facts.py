"""The event's own figures in the report, read through each app's selectors, checked
against a small event counted by hand."""

import datetime

import pytest
from django.utils import timezone

from feedback.selectors_report import event_facts
from registration import services as registration_services
from registration.models import Registration
from submissions.enums import SubmissionStatus
from submissions.models import DatasetCitation
from teams.models import Team, TeamMembership
from tests.factories import (
    ChallengeFactory,
    DatasetFactory,
    EventFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db


def _team(event, people, *, challenge=None, theme=None, disbanded=False):
    team = Team.objects.create(
        event=event, name=f"Team {Team.objects.count()}", challenge=challenge, theme=theme,
        disbanded_at=timezone.now() if disbanded else None,
    )  # fmt: skip
    for person in people:
        TeamMembership.objects.create(team=team, event=event, user=person, joined_at=timezone.now())
    return team


def test_facts_of_a_small_event_counted_by_hand():
    event = EventFactory(capacity=4)
    travel, health = (
        ThemeFactory(event=event, name="Travel"),
        ThemeFactory(event=event, name="Health"),
    )
    buses = ChallengeFactory(event=event, theme=travel)
    people = [UserFactory(participant_type="student") for _ in range(3)]
    register(event, people[0], theme_interests=[travel])
    register(event, people[1], theme_interests=[travel, health])
    register(event, people[2], theme_interests=[health])
    registration_services.registration_walk_in(
        event=event, name="Jo", consents={"code_of_conduct", "privacy"}, actor=None,
        now=event.starts_at + datetime.timedelta(hours=1),
    )  # fmt: skip
    waiting = register(event, UserFactory(), theme_interests=[travel])  # no seat left
    pair = _team(event, people[:2], challenge=buses)
    _team(event, people[2:], theme=health)
    _team(event, [], theme=health, disbanded=True)
    used, also_used, drafted = (DatasetFactory(title=t) for t in ("Counts", "Bus stops", "Rents"))
    handed_in = SubmissionFactory(team=pair, status=SubmissionStatus.SUBMITTED)
    for dataset in (used, also_used):
        DatasetCitation.objects.create(submission=handed_in, dataset=dataset)
    draft = SubmissionFactory(team=Team.objects.get(theme=health, disbanded_at__isnull=True))
    DatasetCitation.objects.create(submission=draft, dataset=drafted)

    facts = event_facts(event)

    assert waiting.status == "waitlisted"
    assert facts["funnel"][-1] == {"type": "All", "applied": 5, "confirmed": 4, "checked_in": 1}
    assert facts["walk_ins"] == 1
    assert Registration.objects.filter(event=event, walk_in=True).count() == 1
    # Interests of people with a place only: Travel 2 (the waitlisted one is left out).
    assert facts["themes"] == [["Travel", 2, 1], ["Health", 2, 1]]
    assert facts["team_sizes"] == [[1, 1], [2, 1]]
    assert facts["datasets"] == [["Bus stops", 1], ["Counts", 1]]
    assert facts["judges"] == []
