"""API throttling: anonymous per address, signed-in per person, and a burst limit, each
answering 429 in the error shape with Retry-After."""

import pytest
from rest_framework.test import APIClient

from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

GENEROUS = "1000/min"


@pytest.fixture
def rates(settings):
    def set_rates(**low):
        settings.API_THROTTLE_RATES = {
            "anon": GENEROUS, "user": GENEROUS, "burst": GENEROUS, **low
        }  # fmt: skip

    return set_rates


def _get(client, path="/api/v1/events/", address="203.0.113.7"):
    return client.get(path, REMOTE_ADDR=address)


def test_api_anonymous_over_the_rate_answers_429_in_error_shape(rates):
    rates(anon="3/hour")
    EventFactory()
    client = APIClient()
    answers = [_get(client).status_code for _ in range(3)]

    response = _get(client)

    assert answers == [200, 200, 200]
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    error = response.json()["error"]
    assert error["code"] == "throttled"
    assert error["message"] == "Too many requests; please wait before trying again."
    assert error["details"]["retry_after"] == int(response["Retry-After"])
    assert _get(APIClient(), address="198.51.100.20").status_code == 200  # another address


def test_api_user_rate_counts_per_person(rates):
    rates(user="2/hour")
    first, second = APIClient(), APIClient()
    first.force_authenticate(UserFactory())
    second.force_authenticate(UserFactory())

    statuses = [_get(first, "/api/v1/me/").status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    assert _get(second, "/api/v1/me/").status_code == 200  # same address, another person


def test_api_burst_rate_stops_a_runaway_script(rates):
    rates(burst="5/min")
    client = APIClient()
    client.force_authenticate(UserFactory())

    statuses = [_get(client, "/api/v1/me/").status_code for _ in range(6)]

    assert statuses == [200] * 5 + [429]
