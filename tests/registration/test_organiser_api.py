import csv
import io
from urllib.parse import urlencode

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.enums import RoleKind
from registration.enums import RegistrationStatus
from registration.models import Question, Registration, SegmentMessage
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register, ticket_code

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _api(role=RoleKind.ORGANISER, event=None):
    role = EventRoleFactory(role=role, **({"event": event} if event else {}))
    api = APIClient()
    api.force_authenticate(role.user)
    return api, role.event


def _base(event):
    return f"/api/v1/events/{event.slug}/registrations/"


def test_list_filters_and_shows_answers():
    api, event = _api()
    access = event.questions.get(label="Do you have any access needs?")
    heard = event.questions.get(label="How did you hear about the event?")
    carol = UserFactory(display_name="Carol Byrne", participant_type="community_researcher")
    register(event, carol, answers={access.pk: "Step-free access", heard.pk: "Social media"})
    register(event, UserFactory(display_name="Sam Patel", participant_type="student"))

    by_type = api.get(_base(event), {"type": "community_researcher"})
    by_answer = api.get(_base(event), {"answer": f"{heard.pk}:Social media"})

    [row] = by_type.json()["results"]
    assert row["name"] == "Carol Byrne" and row["email"] == carol.email
    assert row["answers"] == {str(access.pk): "Step-free access", str(heard.pk): "Social media"}
    assert [r["name"] for r in by_answer.json()["results"]] == ["Carol Byrne"]


def test_list_queries_flat():
    api, event = _api()
    extra = Question.objects.create(event=event, label="Laptop?", kind="yes_no")

    def add(k):
        for _ in range(k):
            register(event, UserFactory(), answers={extra.pk: True})

    def fetch():
        response = api.get(_base(event))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: event.registrations.values_list("user__email", flat=True),
    )


def test_export_streams_csv_of_filtered_registrations():
    api, event = _api()
    register(event, UserFactory(display_name="Carol Byrne"))
    register(event, UserFactory(display_name="Sam Patel"))

    response = api.get(f"{_base(event)}export/", {"q": "sam"}, HTTP_ACCEPT="text/csv")

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert response["Content-Type"].startswith("text/csv")
    assert rows[0][:2] == ["name", "email"]
    assert [row[0] for row in rows[1:]] == ["Sam Patel"]


def test_set_status_refused_transition_names_it_and_changes_nothing():
    api, event = _api()
    registration = register(event, UserFactory())

    response = api.post(f"{_base(event)}{registration.pk}/status/", {"status": "waitlisted"})

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED


def test_set_status_unknown_status_is_400():
    api, event = _api()
    registration = register(event, UserFactory())

    response = api.post(f"{_base(event)}{registration.pk}/status/", {"status": "vip"})

    assert response.status_code == 400
    assert "status" in response.json()["error"]["details"]


def test_volunteer_checks_in_by_ticket_then_again_is_409():
    api, event = _api(RoleKind.VOLUNTEER)
    registration = register(event, UserFactory(display_name="Priya Shah"))
    url = f"{_base(event)}check-in/"
    code = ticket_code(registration)

    first = api.post(url, {"token": code})
    second = api.post(url, {"token": code})

    assert first.status_code == 200
    assert first.json()["status"] == "checked_in" and first.json()["name"] == "Priya Shah"
    assert "email" not in first.json()
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_checked_in"


def test_check_in_with_another_events_ticket_changes_nothing():
    api, event = _api(RoleKind.VOLUNTEER)
    elsewhere = register(EventFactory(), UserFactory())

    response = api.post(f"{_base(event)}check-in/", {"token": ticket_code(elsewhere)})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "other_event_ticket"
    assert Registration.objects.get(pk=elsewhere.pk).status == S.CONFIRMED


@pytest.mark.parametrize("query", [{"q": "priya@"}, {"q": "nobody@"}, {"status": "withdrawn"}])
def test_door_check_in_ignores_the_organisers_filters(query):
    # Were they applied, a volunteer could test an address by whether the id is found.
    api, event = _api(RoleKind.VOLUNTEER)
    registration = register(event, UserFactory(email="priya@example.org"))

    response = api.post(f"{_base(event)}{registration.pk}/check-in/?" + urlencode(query))

    assert response.status_code == 200
    assert Registration.objects.get(pk=registration.pk).status == S.CHECKED_IN


def test_volunteer_cannot_list_registrations():
    api, event = _api(RoleKind.VOLUNTEER)

    assert api.get(_base(event)).status_code == 403


def test_walk_in_bad_input_names_field():
    api, event = _api(RoleKind.VOLUNTEER)

    response = api.post(
        f"{_base(event)}walk-ins/", {"name": "Jo", "consents": ["privacy"]}, format="json"
    )

    assert response.status_code == 400
    assert "code_of_conduct" in response.json()["error"]["details"]
    assert not Registration.objects.filter(event=event).exists()


def test_messages_list_and_send(django_capture_on_commit_callbacks, mailoutbox):
    api, event = _api()
    register(event, UserFactory(email="coming@example.org"))
    url = f"/api/v1/events/{event.slug}/messages/"

    with django_capture_on_commit_callbacks(execute=True):
        sent = api.post(url, {"segment": "confirmed", "subject": "Doors at 9", "body": "Hi"})
    listed = api.get(url)

    assert sent.status_code == 201
    assert [m.to for m in mailoutbox if m.subject.endswith("Doors at 9")] == [
        ["coming@example.org"]
    ]
    assert listed.json()["results"][0]["recipient_count"] == 1


def test_messages_list_queries_flat():
    api, event = _api()

    def add(k):
        for n in range(k):
            SegmentMessage.objects.create(
                event=event,
                segment="waitlisted",
                subject=f"Note {n}",
                body="Hi",
                sent_by=UserFactory(),
                sent_at=timezone.now(),
            )

    def fetch():
        response = api.get(f"/api/v1/events/{event.slug}/messages/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: SegmentMessage.objects.values_list("subject", flat=True),
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "accepted"}, "status"),
        ({"type": "robot"}, "type"),
        ({"answer": "999:Yes"}, "answer"),
        ({"answer": "nonsense"}, "answer"),
    ],
)
def test_list_with_unknown_filter_value_is_400_naming_it(params, field):
    api, event = _api()
    register(event, UserFactory())

    for suffix in ("", "export/"):
        response = api.get(_base(event) + suffix, params)

        assert response.status_code == 400
        error = response.json()["error"]
        assert (error["code"], list(error["details"])) == ("invalid", [field])
        assert error["message"].startswith(f"{field}: ")


def test_list_filter_by_unknown_option_of_a_real_question_is_400():
    api, event = _api()
    heard = event.questions.get(label="How did you hear about the event?")

    response = api.get(_base(event), {"answer": f"{heard.pk}:Carrier pigeon"})

    assert response.status_code == 400
