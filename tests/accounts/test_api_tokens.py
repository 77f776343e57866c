"""API tokens: hashed at rest (knox), shown once, named, several per person, expiring,
revocable from the profile page, each creation and revocation audited."""

import datetime
import json
import re

import pytest
from django.db import connection
from django.utils import timezone
from knox.crypto import hash_token
from knox.models import AuthToken
from rest_framework.test import APIClient

from accounts import services
from accounts.models import ApiToken
from common.models import AuditEntry
from tests.factories import PASSWORD, UserFactory
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db

KEY = re.compile(rb"<code>(civic_[0-9a-f]+)</code>")


def _create(client, name="laptop script", days="90"):
    return client.post("/accounts/profile/api-tokens/", {"name": name, "days": days})


def _me(key):
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return api.get("/api/v1/me/")


def test_api_token_key_is_shown_once_then_only_its_name(client):
    user = UserFactory()
    client.force_login(user)

    created = _create(client)
    key = KEY.search(created.content).group(1).decode()
    later = client.get("/accounts/profile/")

    assert created.status_code == 200
    assert "no-store" in created["Cache-Control"]
    assert key.encode() not in later.content
    assert b"laptop script" in later.content
    assert _me(key).json()["email"] == user.email


def test_api_token_is_stored_only_as_a_digest():
    user = UserFactory()

    token, key = services.api_token_create(user=user, name="ci", days=30)

    auth_token = token.auth_token
    assert auth_token.digest == hash_token(key)
    assert key not in auth_token.digest and len(key) > len(auth_token.token_key)
    # Nothing of DRF's plain-text token table is left.
    assert "authtoken_token" not in connection.introspection.table_names()


def test_api_token_plain_drf_key_is_refused():
    """A 40-character key of the old kind (DRF authtoken) authenticates nobody now."""
    UserFactory()

    response = _me("9944b09199c62bcf9418ad846dd0e4bbdfc6ee4b")

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "authentication_failed"


def test_api_token_expiry_is_the_chosen_number_of_days():
    user = UserFactory()
    before = timezone.now()

    token, _ = services.api_token_create(user=user, name="ci", days=7)

    expiry = token.auth_token.expiry
    assert before + datetime.timedelta(days=7) <= expiry
    assert expiry <= timezone.now() + datetime.timedelta(days=7)


def test_api_token_expired_no_longer_authenticates():
    user = UserFactory()
    token, key = services.api_token_create(user=user, name="ci", days=7)
    AuthToken.objects.filter(pk=token.auth_token.pk).update(
        expiry=timezone.now() - datetime.timedelta(seconds=1)
    )

    response = _me(key)

    assert response.status_code == 401
    assert not AuthToken.objects.filter(user=user).exists()  # knox removes it


def test_api_token_expiry_outside_the_choices_is_refused(client):
    user = UserFactory()
    client.force_login(user)

    response = _create(client, days="100000")

    assert response.status_code == 400
    assert b"Select a valid choice" in response.content
    assert not AuthToken.objects.filter(user=user).exists()


def test_api_token_without_name_is_refused_by_the_service():
    user = UserFactory()

    with pytest.raises(services.ApplicationError) as error:
        services.api_token_create(user=user, name="  ", days=90)

    assert error.value.message == "Name: Give the token a name, to tell where it is used."
    assert not AuthToken.objects.filter(user=user).exists()


def test_api_tokens_several_per_person_each_working(client):
    user = UserFactory()
    _, first = services.api_token_create(user=user, name="laptop", days=90)
    _, second = services.api_token_create(user=user, name="server", days=30)

    assert _me(first).status_code == 200
    assert _me(second).status_code == 200
    assert list(ApiToken.objects.filter(auth_token__user=user).values_list("name", flat=True))


def test_api_tokens_past_the_limit_are_refused(settings):
    settings.API_TOKEN_LIMIT_PER_USER = 2
    user = UserFactory()
    services.api_token_create(user=user, name="one", days=90)
    services.api_token_create(user=user, name="two", days=90)

    with pytest.raises(services.ApplicationError) as error:
        services.api_token_create(user=user, name="three", days=90)

    assert error.value.code == "token_limit"
    assert ApiToken.objects.filter(auth_token__user=user).count() == 2


def test_api_token_revoked_from_profile_stops_working_and_is_audited(client):
    user = UserFactory()
    token, key = services.api_token_create(user=user, name="laptop", days=90)
    _, kept = services.api_token_create(user=user, name="server", days=90)
    client.force_login(user)

    response = client.post(f"/accounts/profile/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    assert _me(key).status_code == 401
    assert _me(kept).status_code == 200
    actions = list(
        AuditEntry.objects.filter(target_id=str(token.pk), actor=user)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["api_token.created", "api_token.revoked"]


def test_api_token_of_another_person_cannot_be_revoked(client):
    token, key = services.api_token_create(user=UserFactory(), name="theirs", days=90)
    client.force_login(UserFactory())

    response = client.post(f"/accounts/profile/api-tokens/{token.pk}/revoke/")

    assert response.status_code == 404
    assert _me(key).status_code == 200


def test_data_export_lists_token_names_and_dates_never_keys(client):
    user = UserFactory()
    token, key = services.api_token_create(user=user, name="laptop", days=90)
    client.force_login(user)

    response = client.get("/accounts/my-data/")

    assert key not in response.content.decode()
    assert token.auth_token.digest not in response.content.decode()
    assert json.loads(response.content)["api_tokens"] == [
        {
            "name": "laptop",
            "created": token.auth_token.created.isoformat(),
            "expires": token.auth_token.expiry.isoformat(),
        }
    ]


def test_account_delete_removes_tokens(client):
    user = UserFactory()
    _, key = services.api_token_create(user=user, name="laptop", days=90)
    client.force_login(user)

    client.post("/accounts/delete/", {"password": PASSWORD})

    assert not AuthToken.objects.exists()
    assert not ApiToken.objects.exists()
    assert _me(key).status_code == 401


def test_profile_page_lists_tokens_in_flat_queries(client, settings):
    settings.API_TOKEN_LIMIT_PER_USER = 50
    user = UserFactory()
    client.force_login(user)

    def add(k):
        start = ApiToken.objects.count()
        for n in range(start, start + k):
            services.api_token_create(user=user, name=f"script {n:02d}", days=90)

    def fetch():
        response = client.get("/accounts/profile/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: ApiToken.objects.values_list("name", flat=True),
    )
