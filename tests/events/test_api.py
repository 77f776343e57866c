import datetime

import pytest
from rest_framework.test import APIClient

from accounts.services import api_token_create
from events.enums import RoleKind
from events.models import Challenge, Theme
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    EventRoleFactory,
    ScheduleItemFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def organiser_api():
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client = APIClient()
    client.force_authenticate(role.user)
    return client, role.event


def test_event_list_hides_drafts_from_anonymous():
    published = EventFactory()
    EventFactory(is_published=False)

    response = APIClient().get("/api/v1/events/")

    assert response.status_code == 200
    assert [e["slug"] for e in response.json()["results"]] == [published.slug]


def test_event_detail_reports_derived_phase():
    event = EventFactory()

    body = APIClient().get(f"/api/v1/events/{event.slug}/").json()

    assert body["phase"] == "registration_open"
    assert body["is_published"] is True


def test_event_detail_with_token_authentication():
    role = EventRoleFactory(event=EventFactory(is_published=False))
    _, key = api_token_create(user=role.user, name="script", days=90)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")

    response = client.get(f"/api/v1/events/{role.event.slug}/")

    assert response.status_code == 200
    assert response.json()["slug"] == role.event.slug


def test_event_draft_is_404_in_error_shape_for_outsiders():
    draft = EventFactory(is_published=False)

    response = APIClient().get(f"/api/v1/events/{draft.slug}/")

    assert response.status_code == 404
    assert response.json() == {
        "error": {"code": "not_found", "message": "Not found.", "details": {}}
    }


def test_event_patch_by_organiser_changes_capacity(organiser_api):
    client, event = organiser_api

    response = client.patch(f"/api/v1/events/{event.slug}/", {"capacity": 120}, format="json")

    assert response.status_code == 200
    event.refresh_from_db()
    assert event.capacity == 120


def test_event_patch_with_bad_dates_names_the_field(organiser_api):
    client, event = organiser_api
    before = event.ends_at

    response = client.patch(
        f"/api/v1/events/{event.slug}/",
        {"ends_at": (event.starts_at - datetime.timedelta(hours=1)).isoformat()},
        format="json",
    )

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "event_ends_after_start" in str(error["details"]) or "ends" in error["message"]
    event.refresh_from_db()
    assert event.ends_at == before


def test_event_patch_by_non_organiser_is_403():
    event = EventFactory()
    client = APIClient()
    client.force_authenticate(UserFactory())

    response = client.patch(f"/api/v1/events/{event.slug}/", {"capacity": 1}, format="json")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_event_publish_action_without_themes_is_400(organiser_api):
    client, event = organiser_api
    event.is_published = False
    event.save()

    response = client.post(
        f"/api/v1/events/{event.slug}/publish/", {"published": True}, format="json"
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "no_themes"


def test_theme_create_by_organiser(organiser_api):
    client, event = organiser_api

    response = client.post(
        f"/api/v1/events/{event.slug}/themes/", {"name": "Community support"}, format="json"
    )

    assert response.status_code == 201
    assert response.json()["slug"] == "community-support"
    assert Theme.objects.filter(event=event, name="Community support").exists()


def test_theme_create_missing_name_names_the_field(organiser_api):
    client, event = organiser_api

    response = client.post(f"/api/v1/events/{event.slug}/themes/", {}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"name": ["This field is required."]}
    assert response.json()["error"]["message"] == "name: This field is required."


def test_challenge_create_with_other_events_theme_is_400(organiser_api):
    client, event = organiser_api
    foreign = ThemeFactory()

    response = client.post(
        f"/api/v1/events/{event.slug}/challenges/",
        {"theme": foreign.slug, "title": "Jobs", "brief": "Join the data."},
        format="json",
    )

    assert response.status_code == 400
    assert "theme" in response.json()["error"]["details"]
    assert not Challenge.objects.filter(event=event).exists()


def test_challenge_of_other_event_is_404_under_this_event(organiser_api):
    client, event = organiser_api
    foreign = ChallengeFactory()

    response = client.get(f"/api/v1/events/{event.slug}/challenges/{foreign.slug}/")

    assert response.status_code == 404


def test_schedule_delete_by_organiser(organiser_api):
    client, event = organiser_api
    item = ScheduleItemFactory(event=event)

    response = client.delete(f"/api/v1/events/{event.slug}/schedule/{item.pk}/")

    assert response.status_code == 204
    assert not event.schedule_items.exists()


def test_unknown_api_route_answers_in_error_shape():
    response = APIClient().get("/api/v1/no-such-thing/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_me_patch_updates_profile_and_skills():
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)

    response = client.patch(
        "/api/v1/me/",
        {"organisation": "Round 'Ere", "skills": ["coding", "storytelling"]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json()["skills"] == ["coding", "storytelling"]
    user.refresh_from_db()
    assert user.organisation == "Round 'Ere"


def test_me_patch_with_unknown_participant_type_is_400():
    user = UserFactory()
    client = APIClient()
    client.force_authenticate(user)

    response = client.patch("/api/v1/me/", {"participant_type": "wizard"}, format="json")

    assert response.status_code == 400
    assert "participant_type" in response.json()["error"]["details"]
    user.refresh_from_db()
    assert user.participant_type == ""


@pytest.mark.parametrize("fmt", ["json", "multipart"])
def test_event_publish_without_a_value_is_400_and_changes_nothing(organiser_api, fmt):
    client, event = organiser_api
    assert event.is_published

    # An empty form used to read as published=false, and unpublished the event.
    response = client.post(f"/api/v1/events/{event.slug}/publish/", {}, format=fmt)

    assert response.status_code == 400
    assert response.json()["error"]["details"] == {"published": ["This field is required."]}
    event.refresh_from_db()
    assert event.is_published
