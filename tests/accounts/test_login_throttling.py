"""Sign-in throttling: failures count per (account, address), with a higher limit per
address, so nobody can lock another person out and a venue behind one address can sign
in; the admin signs in through the same, throttled page."""

import pytest

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

VENUE, ELSEWHERE = "203.0.113.7", "198.51.100.20"
TOO_MANY = b"Too many failed login attempts"


def _sign_in(client, user, password, address):
    return client.post(
        "/accounts/login/", {"login": user.email, "password": password}, REMOTE_ADDR=address
    )


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_login_failures_from_one_address_do_not_lock_the_account_elsewhere(client):
    door_volunteer = UserFactory()
    for _ in range(5):
        _sign_in(client, door_volunteer, "wrong", ELSEWHERE)

    _sign_in(client, door_volunteer, PASSWORD, VENUE)

    assert _signed_in(client)


def test_login_failures_stop_that_account_from_that_address(client):
    user = UserFactory()
    for _ in range(5):
        _sign_in(client, user, "wrong", VENUE)

    response = _sign_in(client, user, PASSWORD, VENUE)

    assert not _signed_in(client)
    assert TOO_MANY in response.content


def test_many_people_behind_one_address_each_sign_in(client):
    people = UserFactory.create_batch(40)
    for person in people[:10]:
        _sign_in(client, person, "a typo", VENUE)  # some mistype once first

    signed_in = 0
    for person in people:
        client.logout()
        _sign_in(client, person, PASSWORD, VENUE)
        signed_in += _signed_in(client)

    assert signed_in == 40


def test_one_address_guessing_across_accounts_is_stopped(client):
    for person in UserFactory.create_batch(30):
        _sign_in(client, person, "guess", VENUE)
    victim = UserFactory()

    response = _sign_in(client, victim, PASSWORD, VENUE)

    assert not _signed_in(client)
    assert TOO_MANY in response.content


def test_admin_login_refuses_thirty_wrong_passwords_and_then_the_right_one(client):
    admin = UserFactory(is_staff=True, is_superuser=True)
    for _ in range(30):
        client.post(
            "/admin/login/", {"username": admin.email, "password": "wrong"}, REMOTE_ADDR=VENUE
        )

    response = client.post(
        "/admin/login/", {"username": admin.email, "password": PASSWORD}, REMOTE_ADDR=VENUE
    )

    assert not _signed_in(client)
    assert response.status_code == 302


def test_admin_login_sends_to_the_throttled_sign_in_page(client):
    response = client.get("/admin/login/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=%2Fadmin%2Flogin%2F"


def test_admin_signs_in_through_the_site_and_reaches_the_admin(client):
    admin = UserFactory(is_staff=True, is_superuser=True)

    response = client.post(
        "/accounts/login/?next=/admin/",
        {"login": admin.email, "password": PASSWORD, "next": "/admin/"},
    )

    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200


def test_sign_ins_past_the_per_address_limit_get_the_sites_429_page(client, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    user = UserFactory()
    for _ in range(2):
        _sign_in(client, user, "wrong", VENUE)

    response = _sign_in(client, user, PASSWORD, VENUE)

    assert response.status_code == 429
    assert b'<h1 class="govuk-heading-l">Too many attempts</h1>' in response.content
    assert not _signed_in(client)
