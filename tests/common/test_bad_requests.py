"""Malformed requests answer 400 or 413 in the error shape, never 500.

Each test is one probe from an outside review; the NUL-byte probes fail on PostgreSQL
only (SQLite stores NUL), so run this file against PostgreSQL too.
"""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from events.enums import RoleKind
from registration.models import Question, Registration
from tests.factories import EventFactory, EventRoleFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in(client):
    client.force_login(UserFactory())
    return client


@pytest.fixture
def organiser_client(client):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client.force_login(role.user)
    return client, role.event


def _register_url(event):
    return f"/api/v1/events/{event.slug}/register/"


def _post_json(client, url, text):
    return client.post(url, data=text, content_type="application/json")


def _error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    error = response.json()["error"]
    assert error["code"] == code
    return error


def test_deeply_nested_json_answers_400(signed_in):
    event = EventFactory()
    nested = "[" * 1000 + "]" * 1000

    response = _post_json(signed_in, _register_url(event), '{"answers": ' + nested + "}")

    error = _error(response, 400, "parse_error")
    assert "nested" in error["message"]


def test_json_body_over_upload_limit_answers_413(signed_in, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    event = EventFactory()

    body = json.dumps({"consents": ["privacy"], "padding": "x" * 2000})
    response = _post_json(signed_in, _register_url(event), body)

    _error(response, 413, "too_large")
    assert not Registration.objects.exists()


def test_form_body_over_upload_limit_answers_413(signed_in, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    event = EventFactory()

    response = signed_in.post(_register_url(event), {"consents": "privacy", "pad": "x" * 2000})

    _error(response, 413, "too_large")


def test_too_many_form_fields_answers_400(signed_in, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 10
    event = EventFactory()

    response = signed_in.post(_register_url(event), {f"field{n}": "x" for n in range(20)})

    error = _error(response, 400, "too_many_fields")
    assert "fields" in error["message"]


def test_too_many_files_answers_400(signed_in, settings):
    settings.DATA_UPLOAD_MAX_NUMBER_FILES = 2
    event = EventFactory()
    files = {f"file{n}": SimpleUploadedFile(f"{n}.txt", b"x") for n in range(5)}

    response = signed_in.post(_register_url(event), files)

    _error(response, 400, "too_many_files")


def test_page_body_over_upload_limit_answers_413_page(signed_in, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    event = EventFactory()

    response = signed_in.post(f"/events/{event.slug}/register/", {"pad": "x" * 2000})

    assert response.status_code == 413
    assert b"too large" in response.content


def test_nul_in_query_parameter_answers_400_naming_it(organiser_client):
    client, event = organiser_client

    response = client.get(f"/api/v1/events/{event.slug}/registrations/", {"q": "a\x00b"})

    error = _error(response, 400, "invalid")
    assert error["details"] == {"q": ["Null characters are not allowed."]}
    assert error["message"].startswith("q: ")


def test_nul_in_query_parameter_of_a_page_answers_400(organiser_client):
    client, event = organiser_client

    response = client.get(f"/organise/{event.slug}/registrations/", {"q": "a\x00b"})

    assert response.status_code == 400
    assert b"Null characters are not allowed" in response.content


def test_nul_in_json_string_answers_400_naming_the_field(signed_in):
    event = EventFactory()
    dietary = event.questions.get(label="Do you have any dietary needs?")
    body = {"consents": ["code_of_conduct", "privacy"], "answers": {str(dietary.pk): "veg\x00an"}}

    response = _post_json(signed_in, _register_url(event), json.dumps(body))

    error = _error(response, 400, "invalid")
    assert error["details"] == {f"answers.{dietary.pk}": ["Null characters are not allowed."]}
    assert not Registration.objects.exists()


@pytest.mark.parametrize("where", ["answer", "consent", "key"])
def test_lone_surrogate_in_json_answers_400_naming_the_field(signed_in, where):
    event = EventFactory()
    dietary = event.questions.get(label="Do you have any dietary needs?")
    body = {"consents": ["code_of_conduct", "privacy"], "answers": {str(dietary.pk): "vegan"}}
    if where == "answer":
        body["answers"][str(dietary.pk)] = "veg\ud800an"
        field = f"answers.{dietary.pk}"
    elif where == "consent":
        body["consents"].append("\udc00")
        field = "consents.2"
    else:
        body["answers"]["\ud800"] = "x"
        field = "answers"
    text = json.dumps(body)  # ensure_ascii: the surrogate travels as \udXXX, valid JSON

    response = _post_json(signed_in, _register_url(event), text)

    error = _error(response, 400, "invalid")
    assert error["details"] == {field: ["Text must be valid Unicode (a lone surrogate)."]}
    assert not Registration.objects.exists()


@pytest.mark.parametrize("number", ["1" + "0" * 400, "-1" + "0" * 400])
def test_huge_number_answer_answers_400(signed_in, number):
    event = EventFactory()
    age = Question.objects.create(event=event, label="Age", kind="number")
    consents = '"consents": ["code_of_conduct", "privacy"]'
    text = f'{{{consents}, "answers": {{"{age.pk}": {number}}}}}'

    response = _post_json(signed_in, _register_url(event), text)

    error = _error(response, 400, "invalid_answers")
    limit = 2**53
    assert error["details"] == {
        f"question_{age.pk}": [f"Expected a number between -{limit} and {limit}."]
    }
    assert not Registration.objects.exists()


def test_number_beyond_a_float_answers_400_naming_the_field(signed_in):
    event = EventFactory()
    age = Question.objects.create(event=event, label="Age", kind="number")
    text = f'{{"consents": ["code_of_conduct", "privacy"], "answers": {{"{age.pk}": 1e400}}}}'

    response = _post_json(signed_in, _register_url(event), text)

    error = _error(response, 400, "invalid")
    assert error["details"] == {f"answers.{age.pk}": ["Numbers must be finite."]}


def test_bulk_action_with_non_numeric_id_answers_400(organiser_client):
    client, event = organiser_client
    registration = Registration.objects.create(
        event=event, user=UserFactory(), status="applied", applied_at=event.registration_opens_at
    )

    response = client.post(
        f"/organise/{event.slug}/registrations/",
        {"action": "confirm", "registration": [str(registration.pk), "abc"]},
    )

    assert response.status_code == 400
    assert "“abc” is not a valid registration" in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == "applied"


def test_bad_host_on_api_answers_error_shape():
    response = Client(HTTP_HOST="evil.example").get("/api/v1/events/")

    error = _error(response, 400, "bad_request")
    assert "host" in error["message"].lower()


def test_bad_host_on_a_page_answers_400_page():
    response = Client(HTTP_HOST="evil.example").get("/")

    assert response.status_code == 400
    assert b"Bad request" in response.content


def test_nul_in_a_path_answers_400(signed_in):
    response = signed_in.get("/teams/join/abc%00def/")

    assert response.status_code == 400
    assert b"path: Null characters are not allowed." in response.content


def test_nul_in_a_questionnaire_answer_on_the_register_page_answers_400(signed_in):
    event = EventFactory()
    dietary = event.questions.get(label="Do you have any dietary needs?")
    data = {"participant_type": "student", "consent_code_of_conduct": "on",
            "consent_privacy": "on", f"question_{dietary.pk}": "veg\x00an"}  # fmt: skip

    response = signed_in.post(f"/events/{event.slug}/register/", data)

    assert response.status_code == 400
    assert f"question_{dietary.pk}: Null characters are not allowed." in response.content.decode()
    assert not Registration.objects.exists()
