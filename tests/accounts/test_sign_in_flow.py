"""Where people go after signing up, confirming their address and signing in."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.utils import timezone

from accounts.adapter import same_site_path
from accounts.landing import landing_url
from accounts.models import User
from events.enums import RoleKind
from registration.enums import Actor, RegistrationStatus
from registration.services import registration_transition
from tests.factories import PASSWORD, EventFactory, EventRoleFactory, UserFactory
from tests.registration.helpers import register
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s\"<]+")


def _sign_up(client, capture, mailoutbox, next_url) -> str:
    """Sign up with `next_url` as `next`; returns the confirmation link the email holds."""
    with capture(execute=True):
        response = client.post(
            f"/accounts/signup/?next={next_url}",
            {
                "display_name": "Carol Byrne",
                "email": "carol@example.org",
                "password1": "a-long-passphrase-42",
                "password2": "a-long-passphrase-42",
                "next": next_url,
            },
        )
    assert response.status_code == 302
    assert response["Location"] == "/accounts/confirm-email/"
    (link,) = set(CONFIRM_LINK.findall(mailoutbox[-1].body))
    return link


def _path(link: str) -> str:
    parts = urlsplit(link)
    return f"{parts.path}?{parts.query}" if parts.query else parts.path


def _signed_in_as(client):
    return client.session.get("_auth_user_id")


def test_confirming_in_the_same_browser_signs_in_and_returns_to_the_team_invite(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    team = team_with(EventFactory())
    invite = f"/teams/join/{team.invite_code}/"
    link = _sign_up(client, django_capture_on_commit_callbacks, mailoutbox, invite)

    response = client.post(_path(link))

    assert response.status_code == 302
    assert response["Location"] == invite
    assert _signed_in_as(client) == str(User.objects.get(email="carol@example.org").pk)
    assert client.get(invite).status_code == 200


def test_confirming_in_another_browser_returns_to_the_page_through_sign_in(
    client, django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory()
    register_page = f"/events/{event.slug}/register/"
    link = _sign_up(client, django_capture_on_commit_callbacks, mailoutbox, register_page)
    other = Client()

    confirmed = other.post(_path(link))
    asked = other.get(confirmed["Location"])
    signed_in = other.post(
        asked["Location"], {"login": "carol@example.org", "password": "a-long-passphrase-42"}
    )

    assert confirmed["Location"] == register_page
    assert _signed_in_as(other) is not None
    assert asked["Location"] == f"/accounts/login/?next={register_page}"
    assert signed_in["Location"] == register_page


@pytest.mark.parametrize(
    "elsewhere", ["https://evil.example/teams/", "//evil.example/teams/", "javascript:alert(1)"]
)
def test_confirmation_link_never_carries_another_sites_address(
    client, django_capture_on_commit_callbacks, mailoutbox, elsewhere
):
    link = _sign_up(client, django_capture_on_commit_callbacks, mailoutbox, elsewhere)

    assert "next=" not in link
    response = client.post(_path(link))
    assert "evil.example" not in response["Location"]


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("/teams/join/ABC/", "/teams/join/ABC/"),
        ("/events/x/register/?from=home", "/events/x/register/?from=home"),
        ("https://evil.example/", None),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("/\\/evil.example/", None),
        ("teams/join/ABC/", None),
        ("", None),
        (None, None),
    ],
)
def test_same_site_path_keeps_only_paths_of_this_site(url, kept):
    assert same_site_path(url) == kept


# --- Landing after sign-in -------------------------------------------------------------


def _event_in(days: int, **fields):
    """A published event `days` from now (0: it is on now)."""
    starts = timezone.now() + datetime.timedelta(days=days, hours=-1)
    return EventFactory(
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=7),
        registration_opens_at=starts - datetime.timedelta(days=30),
        registration_closes_at=starts - datetime.timedelta(minutes=1),
        **fields,
    )


def _sign_in(client, user):
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return response["Location"]


@pytest.mark.parametrize(
    ("role", "page"),
    [
        (RoleKind.ORGANISER, "/organise/{slug}/"),
        (RoleKind.VOLUNTEER, "/organise/{slug}/check-in/"),
        (RoleKind.MENTOR, "/events/{slug}/help/"),
    ],
)
def test_sign_in_lands_on_the_page_of_the_role_held_today(client, role, page):
    event = _event_in(0)
    role = EventRoleFactory(event=event, role=role)

    assert _sign_in(client, role.user) == page.format(slug=event.slug)


def test_sign_in_lands_participant_on_their_registrations(client):
    user = UserFactory()
    register(_event_in(10), user)

    assert _sign_in(client, user) == "/registrations/"


def test_sign_in_without_any_role_lands_home(client):
    assert _sign_in(client, UserFactory()) == "/"


def test_sign_in_ignores_events_that_are_over(client):
    role = EventRoleFactory(event=_event_in(-3), role=RoleKind.ORGANISER)

    assert _sign_in(client, role.user) == "/"


def test_sign_in_prefers_todays_event_to_a_later_one_whatever_the_role(client):
    user = UserFactory()
    today = _event_in(0)
    EventRoleFactory(event=_event_in(7), user=user, role=RoleKind.ORGANISER)
    EventRoleFactory(event=today, user=user, role=RoleKind.MENTOR)

    assert _sign_in(client, user) == f"/events/{today.slug}/help/"


def test_sign_in_picks_the_nearest_upcoming_event(client):
    user = UserFactory()
    sooner = _event_in(5)
    EventRoleFactory(event=_event_in(20), user=user, role=RoleKind.VOLUNTEER)
    EventRoleFactory(event=sooner, user=user, role=RoleKind.VOLUNTEER)

    assert _sign_in(client, user) == f"/organise/{sooner.slug}/check-in/"


def test_sign_in_with_several_roles_at_one_event_takes_the_organisers_page(client):
    user = UserFactory()
    event = _event_in(2)
    register(event, user)
    EventRoleFactory(event=event, user=user, role=RoleKind.MENTOR)
    EventRoleFactory(event=event, user=user, role=RoleKind.ORGANISER)

    assert _sign_in(client, user) == f"/organise/{event.slug}/"


def test_sign_in_with_a_next_goes_there_whatever_the_role(client):
    role = EventRoleFactory(event=_event_in(0), role=RoleKind.ORGANISER)

    response = client.post(
        "/accounts/login/?next=/registrations/",
        {"login": role.user.email, "password": PASSWORD, "next": "/registrations/"},
    )

    assert response["Location"] == "/registrations/"


def test_landing_ignores_registrations_that_are_closed():
    user = UserFactory()
    registration = register(_event_in(3), user)
    registration_transition(
        registration=registration, to=RegistrationStatus.CANCELLED, by=Actor.PARTICIPANT, actor=user
    )

    assert landing_url(user=user) is None


def test_landing_on_a_later_day_moves_to_the_next_event():
    user = UserFactory()
    first, second = _event_in(1), _event_in(4)
    EventRoleFactory(event=first, user=user, role=RoleKind.ORGANISER)
    EventRoleFactory(event=second, user=user, role=RoleKind.ORGANISER)

    assert landing_url(user=user) == f"/organise/{first.slug}/"
    later = timezone.now() + datetime.timedelta(days=3)
    assert landing_url(user=user, now=later) == f"/organise/{second.slug}/"
