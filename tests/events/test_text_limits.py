"""Organiser text has limits, checked by model validation so that every path (API,
console, services) refuses a megabyte with a message naming the field."""

import pytest
from django.core.exceptions import ValidationError
from rest_framework.test import APIClient

from events import services
from events.enums import RoleKind
from events.models import Theme
from registration.models import Question
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.django_db
MEGABYTE = "x" * 1_000_000


@pytest.fixture
def organiser_api():
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client = APIClient()
    client.force_authenticate(role.user)
    return client, role


def test_event_description_of_a_megabyte_is_refused_by_the_api(organiser_api):
    client, role = organiser_api

    response = client.patch(
        f"/api/v1/events/{role.event.slug}/", {"description": MEGABYTE}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {
        "description": ["Ensure this field has no more than 10000 characters."]
    }


def test_event_description_of_a_megabyte_is_refused_by_the_service(organiser_api):
    _, role = organiser_api

    with pytest.raises(ValidationError) as raised:
        services.event_update(actor=role.user, event=role.event, description=MEGABYTE)

    assert list(raised.value.message_dict) == ["description"]
    role.event.refresh_from_db()
    assert role.event.description == ""


@pytest.mark.parametrize(
    ("route", "data", "field"),
    [
        ("themes", {"name": "Health", "description": MEGABYTE}, "description"),
        ("schedule", {"title": "Lunch", "starts_at": "2030-01-01T12:00:00Z",
                      "ends_at": "2030-01-01T13:00:00Z", "description": MEGABYTE}, "description"),
    ],
)  # fmt: skip
def test_event_parts_of_a_megabyte_are_refused(organiser_api, route, data, field):
    client, role = organiser_api

    response = client.post(f"/api/v1/events/{role.event.slug}/{route}/", data, format="json")

    assert response.status_code == 400
    assert list(response.json()["error"]["details"]) == [field]
    assert not Theme.objects.filter(name="Health").exists()


def test_event_parts_are_limited_by_model_validation():
    theme = Theme(name="Health", slug="health", description=MEGABYTE)

    with pytest.raises(ValidationError) as raised:
        theme.full_clean(exclude=["event"])

    assert raised.value.message_dict["description"] == [
        "Ensure this value has at most 2000 characters (it has 1000000)."
    ]


def test_question_options_are_limited(client, organiser):
    response = client.post(
        f"/organise/{organiser.event.slug}/questions/",
        {"label": "Which?", "kind": "single_choice", "order": 1, "choices": f"a\n{MEGABYTE}"},
    )

    assert "Each option may have at most 200 characters." in response.content.decode()
    assert not Question.objects.filter(label="Which?").exists()


def test_question_option_count_is_limited(client, organiser):
    options = "\n".join(f"Option {n}" for n in range(31))
    response = client.post(
        f"/organise/{organiser.event.slug}/questions/",
        {"label": "Which?", "kind": "single_choice", "order": 1, "choices": options},
    )

    assert "At most 30 options." in response.content.decode()
    assert not Question.objects.filter(label="Which?").exists()
