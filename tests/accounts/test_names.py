"""People are shown to others by the name they gave, never by their email address."""

import pytest
from rest_framework.test import APIClient

from accounts.models import User
from events.enums import RoleKind
from teams import services
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.registration.helpers import register
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db
SIGNUP = {"password1": "a-long-passphrase-42", "password2": "a-long-passphrase-42"}


def _nameless(event):
    return participant(event, display_name="")


def test_signup_without_a_name_is_refused_with_a_message(client):
    response = client.post("/accounts/signup/", {"email": "new@example.org", **SIGNUP})

    assert response.status_code == 200
    assert "Please give your name" in response.content.decode()
    assert not User.objects.filter(email="new@example.org").exists()


def test_signup_with_only_spaces_for_a_name_is_refused(client):
    client.post("/accounts/signup/", {"email": "new@example.org", "display_name": "  ", **SIGNUP})

    assert not User.objects.filter(email="new@example.org").exists()


def test_signup_keeps_the_name(client):
    client.post(
        "/accounts/signup/",
        {"email": "new@example.org", "display_name": "Carol Byrne", **SIGNUP},
    )

    assert User.objects.get(email="new@example.org").display_name == "Carol Byrne"


def test_profile_name_cannot_be_emptied(client):
    user = UserFactory(display_name="Carol Byrne")
    client.force_login(user)

    response = client.post("/accounts/profile/", {"display_name": ""})
    api = APIClient()
    api.force_authenticate(user)
    answered = api.patch("/api/v1/me/", {"display_name": ""}, format="json")

    user.refresh_from_db()
    assert "Please give your name" in response.content.decode()
    assert answered.status_code == 400
    assert user.display_name == "Carol Byrne"


def test_person_without_a_name_is_never_shown_by_email():
    person = UserFactory(display_name="")

    assert str(person) == f"Participant #{person.pk}"


def test_teammates_page_and_api_show_no_email(client):
    event = EventFactory()
    team = team_with(event)
    nameless = _nameless(event)
    services.team_join(team=team, user=nameless, invite_code=team.invite_code)
    client.force_login(team.memberships.get(role="lead").user)
    api = APIClient()
    api.force_authenticate(team.memberships.get(role="lead").user)

    page = client.get(f"/teams/{team.pk}/").content.decode()
    answer = api.get(f"/api/v1/events/{event.slug}/teams/{team.pk}/").content.decode()

    assert f"Participant #{nameless.pk}" in page
    assert nameless.email not in page
    assert nameless.email not in answer


def test_board_page_and_api_show_no_email(client):
    event = EventFactory()
    nameless = _nameless(event)
    services.board_entry_set(event=event, user=nameless, pitch="Maps and Python")
    viewer = participant(event)
    client.force_login(viewer)
    api = APIClient()
    api.force_authenticate(viewer)

    page = client.get(f"/events/{event.slug}/teams/").content.decode()
    answer = api.get(f"/api/v1/events/{event.slug}/board/").content.decode()

    assert "Maps and Python" in page and "Maps and Python" in answer
    assert nameless.email not in page
    assert nameless.email not in answer


def test_join_request_shows_the_lead_no_email(client):
    event = EventFactory()
    team = team_with(event)
    nameless = _nameless(event)
    services.join_request_create(team=team, user=nameless, message="Room for one more?")
    lead = team.memberships.get(role="lead").user
    client.force_login(lead)
    api = APIClient()
    api.force_authenticate(lead)

    page = client.get(f"/teams/{team.pk}/").content.decode()
    answer = api.get("/api/v1/team-requests/").content.decode()

    assert "Room for one more?" in page and "Room for one more?" in answer
    assert nameless.email not in page
    assert nameless.email not in answer


def _door(client, role):
    event = EventFactory()
    person = UserFactory(display_name="Carol Byrne")
    register(event, person)
    staff = EventRoleFactory(event=event, role=role).user
    client.force_login(staff)
    by_name = client.get(f"/organise/{event.slug}/check-in/", {"q": "Carol"}).content.decode()
    by_email = client.get(f"/organise/{event.slug}/check-in/", {"q": person.email}).content.decode()
    return person, by_name, by_email


def test_door_shows_volunteers_names_only(client):
    person, by_name, by_email = _door(client, RoleKind.VOLUNTEER)

    assert "Carol Byrne" in by_name
    assert person.email not in by_name
    # An address finds nobody for a volunteer, or it would tell them whose it is.
    assert "Carol Byrne" not in by_email
    assert "Nobody confirmed matches" in by_email


def test_door_shows_organisers_emails(client):
    person, by_name, by_email = _door(client, RoleKind.ORGANISER)

    assert person.email in by_name
    assert "Carol Byrne" in by_email
