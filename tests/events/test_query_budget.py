"""Every list page and list endpoint runs the same number of queries for 1 and 20 items."""

import pytest
from rest_framework.test import APIClient

from accounts.models import Skill
from events.enums import RoleKind
from events.models import Challenge, Event, EventRole, ScheduleItem, Theme
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    EventRoleFactory,
    ScheduleItemFactory,
    ThemeFactory,
)
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_role():
    return EventRoleFactory(role=RoleKind.ORGANISER)


def _ok(client, url, expected=b""):
    def fetch():
        response = client.get(url)
        assert response.status_code == 200, url
        assert expected in response.content
        return response

    return fetch


def _challenges(event):
    return lambda k: [ChallengeFactory(theme=ThemeFactory(event=event)) for _ in range(k)]


def _schedule(event):
    return lambda k: ScheduleItemFactory.create_batch(k, event=event)


def _names(model, field, **filters):
    return lambda: model.objects.filter(**filters).values_list(field, flat=True)


def _challenge_titles(event):
    return _names(Challenge, "title", event=event)


def _schedule_titles(event):
    return _names(ScheduleItem, "title", event=event)


def test_home_page_queries_flat(client):
    assert_flat_queries(
        fetch=_ok(client, "/"), add_items=EventFactory.create_batch, shown=_names(Event, "name")
    )


def test_event_page_queries_flat_in_challenges(client):
    event = EventFactory()
    assert_flat_queries(
        fetch=_ok(client, event.get_absolute_url()),
        add_items=_challenges(event),
        shown=_challenge_titles(event),
    )


def test_event_page_queries_flat_in_schedule(client):
    event = EventFactory()
    assert_flat_queries(
        fetch=_ok(client, event.get_absolute_url()),
        add_items=_schedule(event),
        shown=_schedule_titles(event),
    )


def test_event_ical_queries_flat(client):
    event = EventFactory()
    assert_flat_queries(
        fetch=_ok(client, f"/events/{event.slug}/schedule.ics", b"VEVENT"),
        add_items=_schedule(event),
        shown=_schedule_titles(event),
    )


def test_organise_home_queries_flat(client, organiser_role):
    user = organiser_role.user
    client.force_login(user)
    assert_flat_queries(
        fetch=_ok(client, "/organise/"),
        add_items=lambda k: EventRoleFactory.create_batch(
            k, user=user, email=user.email, role=RoleKind.ORGANISER
        ),
        shown=_names(Event, "name", roles__user=user),
    )


def _judges(event):
    return lambda k: EventRoleFactory.create_batch(k, event=event, role=RoleKind.JUDGE)


def _judge_addresses(event):
    return _names(EventRole, "email", event=event, role=RoleKind.JUDGE)


def _themes(event):
    return lambda k: ThemeFactory.create_batch(k, event=event)


@pytest.mark.parametrize(
    "page, add, shown",
    [
        ("themes", _themes, lambda event: _names(Theme, "name", event=event)),
        ("challenges", _challenges, _challenge_titles),
        ("schedule", _schedule, _schedule_titles),
        ("roles", _judges, _judge_addresses),
    ],
)
def test_organise_list_pages_queries_flat(client, organiser_role, page, add, shown):
    event = organiser_role.event
    client.force_login(organiser_role.user)
    assert_flat_queries(
        fetch=_ok(client, f"/organise/{event.slug}/{page}/"),
        add_items=add(event),
        shown=shown(event),
    )


def test_organise_dashboard_queries_flat(client, organiser_role):
    event = organiser_role.event
    client.force_login(organiser_role.user)
    assert_flat_queries(
        fetch=_ok(client, f"/organise/{event.slug}/"),
        add_items=_challenges(event),
        shown=lambda: [
            f'Challenges</dt><dd class="govuk-summary-list__value">{event.challenges.count()}</dd>'
        ],
    )


def test_api_event_list_queries_flat():
    client = APIClient()
    assert_flat_queries(
        fetch=_ok(client, "/api/v1/events/"),
        add_items=lambda k: EventFactory.create_batch(k, previous_event=EventFactory()),
        shown=_names(Event, "name"),
    )


@pytest.mark.parametrize(
    "path, add, shown",
    [
        ("themes", _themes, lambda event: _names(Theme, "name", event=event)),
        ("challenges", _challenges, _challenge_titles),
        ("schedule", _schedule, _schedule_titles),
    ],
)
def test_api_event_parts_queries_flat(path, add, shown):
    event = EventFactory()
    assert_flat_queries(
        fetch=_ok(APIClient(), f"/api/v1/events/{event.slug}/{path}/"),
        add_items=add(event),
        shown=shown(event),
    )


def test_api_skills_queries_flat():
    assert_flat_queries(
        fetch=_ok(APIClient(), "/api/v1/skills/"),
        add_items=lambda k: [
            Skill.objects.create(
                slug=f"s{Skill.objects.count()}", name=f"Skill {Skill.objects.count()}"
            )
            for _ in range(k)
        ],
        shown=_names(Skill, "name"),
    )
