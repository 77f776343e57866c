"""The public pages' content: a finished event's successor, the header's links, the API
documentation page and the error pages."""

import datetime
import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import RequestFactory
from django.utils import timezone

from common.views import bad_request, server_error
from events.enums import RoleKind
from hackathon.api_docs import group_of
from tests.factories import EventFactory, EventRoleFactory, SeriesFactory, UserFactory
from tests.registration.helpers import register
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


def _finished(**fields):
    start = timezone.now() - datetime.timedelta(days=40)
    return EventFactory(
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        registration_opens_at=start - datetime.timedelta(days=30),
        registration_closes_at=start - datetime.timedelta(days=1),
        **fields,
    )


def _successor_note(content: str) -> str | None:
    marker = "This event is over. The next in the series is"
    if marker not in content:
        return None
    start = content.index(marker)
    return content[start : content.index("</div>", start)]


def test_finished_event_links_its_published_successor(client):
    series = SeriesFactory()
    december = _finished(series=series)
    spring = EventFactory(series=series, previous_event=december, name="Spring hackathon")

    note = _successor_note(client.get(december.get_absolute_url()).content.decode())

    assert note == (
        'This event is over. The next in the series is <a class="govuk-link" '
        f'href="/events/{spring.slug}/">Spring hackathon</a>, on '
        f"{timezone.localtime(spring.starts_at):%A %-d %B %Y}."
    )


def test_finished_event_does_not_link_a_draft_successor(client):
    december = _finished()
    EventFactory(previous_event=december, name="Secret draft", is_published=False)

    content = client.get(december.get_absolute_url()).content.decode()

    assert _successor_note(content) is None
    assert "Secret draft" not in content


def test_event_not_yet_over_does_not_point_to_its_successor(client):
    current = EventFactory()
    EventFactory(previous_event=current, starts_at=current.starts_at + datetime.timedelta(weeks=8))

    assert _successor_note(client.get(current.get_absolute_url()).content.decode()) is None


def test_demo_finished_event_links_the_upcoming_one(client):
    call_command("seed_demo")

    note = _successor_note(client.get("/events/community-data-hackathon-2024/").content.decode())

    assert 'href="/events/community-data-hackathon-2/"' in note


# --- The header --------------------------------------------------------------------------


def _header_links(client) -> list[str]:
    content = client.get("/").content.decode()
    header = content[content.index("<header") : content.index("</header>")]
    items = re.findall(r'<li class="govuk-service-navigation__item[^"]*">(.*?)</li>', header, re.S)
    return [re.sub(r"<[^>]+>", "", item).strip() for item in items]


def test_header_for_someone_signed_out_offers_sign_in_and_sign_up(client):
    assert _header_links(client) == ["Events", "Datasets", "Sign in", "Sign up"]


def test_header_hides_organise_from_a_participant(client):
    user = UserFactory()
    register(EventFactory(), user)
    client.force_login(user)

    assert _header_links(client) == [
        "Events",
        "Datasets",
        "My registrations",
        "Profile",
        "Sign out",
    ]


@pytest.mark.parametrize("role", [RoleKind.ORGANISER, RoleKind.MENTOR, RoleKind.VOLUNTEER])
def test_header_shows_organise_to_anyone_with_a_role(client, role):
    client.force_login(EventRoleFactory(role=role).user)

    assert _header_links(client) == [
        "Events",
        "Datasets",
        "My registrations",
        "Organise",
        "Profile",
        "Sign out",
    ]


# --- The API documentation ---------------------------------------------------------------


def test_api_docs_page_has_the_site_layout_and_says_how_to_get_and_send_a_token(client):
    response = client.get("/api/docs/")

    content = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-service-navigation"' in content
    assert 'class="govuk-footer"' in content
    assert 'href="/accounts/profile/#api-tokens">API tokens section of your profile</a>' in content
    assert 'curl -H "Authorization: Token civic_…" http://testserver/api/v1/me/' in content
    for group in settings.SPECTACULAR_SETTINGS["TAGS"]:
        assert f'<dt class="govuk-summary-list__key">{group["name"]}</dt>' in content
    # Swagger UI's start-up script comes from a URL, never inline.
    assert '<script src="/api/docs/?script="></script>' in content
    assert "<script>" not in content


def test_every_api_operation_is_in_a_described_group(client):
    schema = client.get("/api/schema/?format=json").json()
    described = {group["name"] for group in settings.SPECTACULAR_SETTINGS["TAGS"]}

    tags = {
        path: operation["tags"]
        for path, operations in schema["paths"].items()
        for operation in operations.values()
    }
    assert {path for path, tag in tags.items() if len(tag) != 1 or tag[0] not in described} == set()
    assert {tag for tag_list in tags.values() for tag in tag_list} == described


@pytest.mark.parametrize(
    ("path", "group"),
    [
        ("/api/v1/events/{slug}/publish/", "Events"),
        ("/api/v1/events/{event_slug}/themes/", "Programme"),
        ("/api/v1/registrations/{id}/accept/", "Registering"),
        ("/api/v1/events/{event_slug}/registrations/check-in/", "Registrations and the door"),
        ("/api/v1/team-requests/", "Teams"),
        ("/api/v1/events/{event_slug}/help-requests/", "Help queue"),
        ("/api/v1/me/", "Your account"),
        ("/api/v1/datasets/{dataset_slug}/resources/", "Datasets"),
        ("/api/v1/events/{event_slug}/submissions/{id}/submit/", "Submissions"),
        ("/api/v1/events/{event_slug}/survey/report/", "Feedback"),
        ("/api/v1/survey-links/{token}/", "Feedback"),
        ("/api/v1/somewhere-new/", None),
    ],
)
def test_api_group_of_a_path(path, group):
    assert group_of(path) == group


# --- Error pages ---------------------------------------------------------------------------


def test_bad_request_page_has_the_site_header_without_reading_the_person():
    request = RequestFactory().get("/events/")  # no session, no user: refused before both

    response = bad_request(request)

    content = response.content.decode()
    assert response.status_code == 400
    assert '<h1 class="govuk-heading-l">Sorry, this request could not be read</h1>' in content
    assert 'class="govuk-service-navigation"' in content


def test_server_error_page_has_the_site_header():
    response = server_error(RequestFactory().get("/events/"))

    content = response.content.decode()
    assert response.status_code == 500
    assert '<h1 class="govuk-heading-l">Sorry, something went wrong</h1>' in content
    assert 'class="govuk-service-navigation"' in content


def _current(client, path):
    navigation = client.get(path).context["navigation"]
    return [item.label for item in navigation if item.current]


def test_header_marks_the_section_of_the_page(client):
    user = UserFactory()
    event = EventFactory()
    team_code = team_with(event).invite_code
    client.force_login(EventRoleFactory(event=event, user=user).user)

    assert _current(client, "/") == ["Events"]
    assert _current(client, f"/events/{event.slug}/") == ["Events"]
    assert _current(client, "/registrations/") == ["My registrations"]
    assert _current(client, "/datasets/") == ["Datasets"]
    assert _current(client, f"/organise/{event.slug}/") == ["Organise"]
    assert _current(client, "/accounts/profile/") == ["Profile"]
    assert _current(client, f"/teams/join/{team_code}/") == []
