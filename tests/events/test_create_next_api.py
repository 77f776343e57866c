"""POST /api/v1/events/<slug>/create-next/: the same service and rule as the console."""

import pytest
from django.contrib.auth.models import Group
from rest_framework.test import APIClient

from events.enums import RoleKind
from events.models import Event
from tests.events.next_event_helpers import HOUR, YEAR, finished_source, next_fields
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def source():
    return finished_source().event


def _client(event, *, creator: bool) -> APIClient:
    role = EventRoleFactory(event=event, role=RoleKind.ORGANISER)
    if creator:
        role.user.groups.add(Group.objects.get(name="Event creators"))
    client = APIClient()
    client.force_authenticate(role.user)
    return client


def _post(client, source, **overrides):
    fields = next_fields(source, **overrides)
    body = {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in fields.items()}
    return client.post(f"/api/v1/events/{source.slug}/create-next/", body, format="json")


def test_create_next_answers_201_with_the_draft_and_what_was_copied(source):
    response = _post(_client(source, creator=True), source)

    assert response.status_code == 201
    body = response.json()
    assert (body["slug"], body["is_published"], body["previous_event"], body["phase"]) == (
        "data-hackathon-2026",
        False,
        source.slug,
        "draft",
    )
    assert body["registration_closes_at"] == (
        (source.registration_closes_at + YEAR).isoformat().replace("+00:00", "Z")
    )
    assert body["copied"][0] == "2 themes, 2 challenges, 2 schedule items"
    assert len(body["copied"]) == 6


def test_create_next_refuses_an_organiser_who_may_not_create_events(source):
    response = _post(_client(source, creator=False), source)

    assert response.status_code == 403
    assert Event.objects.count() == 1


def test_create_next_of_a_draft_answers_404_to_someone_who_cannot_see_it():
    draft = finished_source(is_published=False).event
    outsider = _client(EventRoleFactory(role=RoleKind.ORGANISER).event, creator=True)

    response = _post(outsider, draft)

    assert response.status_code == 404
    assert Event.objects.filter(previous_event=draft).count() == 0


def test_create_next_names_the_field_of_an_end_before_start(source):
    start = source.starts_at + YEAR

    response = _post(_client(source, creator=True), source, starts_at=start, ends_at=start - HOUR)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "ends_at": ["The event must end after it starts."]
    }
    assert Event.objects.count() == 1


def test_create_next_names_a_slug_taken(source):
    response = _post(_client(source, creator=True), source, slug=source.slug)

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["slug"]


def test_create_next_refuses_a_capacity_out_of_range(source):
    response = _post(_client(source, creator=True), source, capacity=10**30)

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == ["capacity"]
