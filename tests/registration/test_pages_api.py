import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from kombu.exceptions import OperationalError as KombuOperationalError
from rest_framework.test import APIClient

from common.enums import OutboxStatus
from common.models import OutboxMessage
from registration.enums import RegistrationStatus
from registration.models import Registration
from tests.factories import EventFactory, ThemeFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _form_data(event, **extra):
    data = {"participant_type": "student", "consent_code_of_conduct": "on", "consent_privacy": "on"}
    return data | extra


def test_register_page_creates_registration_and_updates_profile(client):
    event, user = EventFactory(), UserFactory()
    theme = ThemeFactory(event=event)
    dietary = event.questions.get(label="Do you have any dietary needs?")
    client.force_login(user)

    response = client.post(
        f"/events/{event.slug}/register/",
        _form_data(event, theme_interests=[theme.pk], **{f"question_{dietary.pk}": "Vegan"}),
    )

    assert response.status_code == 302
    assert response["Location"] == "/registrations/"
    registration = Registration.objects.get(event=event, user=user)
    assert registration.status == S.CONFIRMED
    assert registration.answers.get().value == "Vegan"
    user.refresh_from_db()
    assert user.participant_type == "student"


def test_register_page_missing_consent_shows_error_and_saves_nothing(client):
    event = EventFactory()
    client.force_login(UserFactory())

    response = client.post(
        f"/events/{event.slug}/register/",
        {"participant_type": "student", "consent_code_of_conduct": "on"},
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["consent_privacy"] == [
        "Confirm that you have read the privacy notice to take part."
    ]
    assert not Registration.objects.exists()


def test_register_page_closed_registration_shows_no_form(client):
    event = EventFactory(capacity=5)
    event.registration_closes_at = event.registration_opens_at.replace(year=2020)
    event.registration_opens_at = event.registration_opens_at.replace(year=2019)
    event.save()
    client.force_login(UserFactory())

    response = client.get(f"/events/{event.slug}/register/")

    assert "Registration for this event is not open" in response.content.decode()
    assert b'name="participant_type"' not in response.content
    assert b">Register</button>" not in response.content


def test_leave_frees_seat_for_waitlisted(client):
    event = EventFactory(capacity=1)
    holder, waiting = UserFactory(), UserFactory()
    mine = register(event, holder)
    theirs = register(event, waiting)
    client.force_login(holder)

    asked = client.post(f"/registrations/{mine.pk}/leave/")
    assert asked.status_code == 200
    assert asked.context["title"] == f"Cancel your registration for {event.name}?"
    assert Registration.objects.get(pk=mine.pk).status == S.CONFIRMED  # only asked

    response = client.post(f"/registrations/{mine.pk}/leave/", {"confirmed": "yes"})

    assert response.status_code == 302
    assert Registration.objects.get(pk=mine.pk).status == S.CANCELLED
    assert Registration.objects.get(pk=theirs.pk).status == S.OFFERED


def test_leave_someone_elses_registration_is_404(client):
    registration = register(EventFactory(), UserFactory())
    client.force_login(UserFactory())

    assert client.post(f"/registrations/{registration.pk}/leave/").status_code == 404
    leave = client.post(f"/registrations/{registration.pk}/leave/", {"confirmed": "yes"})
    assert leave.status_code == 404
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED


def test_my_registrations_page_queries_flat(client):
    user = UserFactory()
    client.force_login(user)

    def add(k):
        for _ in range(k):
            event = EventFactory(capacity=1)
            register(event, UserFactory())
            register(event, user)  # waitlisted, so the position is computed

    def fetch():
        response = client.get("/registrations/")
        assert response.status_code == 200
        assert b"Number 1 on the waiting list" in response.content
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: user.registrations.values_list("event__name", flat=True),
    )


def test_api_register_then_twice_returns_existing():
    event, user = EventFactory(capacity=1), UserFactory()
    register(event, UserFactory())
    api = APIClient()
    api.force_authenticate(user)
    body = {"consents": ["code_of_conduct", "privacy"]}

    first = api.post(f"/api/v1/events/{event.slug}/register/", body, format="json")
    second = api.post(f"/api/v1/events/{event.slug}/register/", body, format="json")

    assert (first.status_code, second.status_code) == (201, 200)
    assert first.json()["status"] == "waitlisted"
    assert first.json()["waitlist_position"] == 1
    assert second.json()["id"] == first.json()["id"]


def test_api_register_bad_answer_names_question():
    event, user = EventFactory(), UserFactory()
    heard = event.questions.get(label="How did you hear about the event?")
    api = APIClient()
    api.force_authenticate(user)

    response = api.post(
        f"/api/v1/events/{event.slug}/register/",
        {"consents": ["code_of_conduct", "privacy"], "answers": {str(heard.pk): "Carrier pigeon"}},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_answers"
    assert f"question_{heard.pk}" in response.json()["error"]["details"]
    assert not Registration.objects.exists()


def test_api_accept_offer():
    event = EventFactory(capacity=1)
    holder, waiting = UserFactory(), UserFactory()
    held = register(event, holder)
    offered = register(event, waiting)
    api = APIClient()
    api.force_authenticate(holder)
    api.post(f"/api/v1/registrations/{held.pk}/leave/")
    api.force_authenticate(waiting)

    response = api.post(f"/api/v1/registrations/{offered.pk}/accept/")

    assert response.status_code == 200
    assert response.json()["status"] == "confirmed"


def test_api_my_registrations_list_queries_flat():
    user = UserFactory()
    api = APIClient()
    api.force_authenticate(user)

    def fetch():
        response = api.get("/api/v1/registrations/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=lambda k: [register(EventFactory(), user) for _ in range(k)],
        shown=lambda: [
            f'"event":"{slug}"' for slug in user.registrations.values_list("event__slug", flat=True)
        ],
    )


def test_api_register_with_themes_looks_them_up_together():
    event, user = EventFactory(), UserFactory()
    themes = [ThemeFactory(event=event, slug=slug) for slug in ("walking", "data", "housing")]
    api = APIClient()
    api.force_authenticate(user)
    path = f"/api/v1/events/{event.slug}/register/"
    body = {"consents": ["code_of_conduct", "privacy"], "theme_interests": ["walking", "data"]}
    with CaptureQueriesContext(connection) as captured:
        response = api.post(path, body, format="json")

    assert response.status_code == 201
    theme_reads = [q for q in captured.captured_queries if 'FROM "events_theme"' in q["sql"]]
    assert len(theme_reads) == 1
    registration = Registration.objects.get(user=user)
    assert set(registration.theme_interests.all()) == {themes[0], themes[1]}


def test_api_register_with_another_events_theme_names_it_and_saves_nothing():
    event, user = EventFactory(), UserFactory()
    ThemeFactory(event=event, slug="walking")
    ThemeFactory(slug="cycling")  # another event's
    api = APIClient()
    api.force_authenticate(user)

    body = {"consents": ["code_of_conduct", "privacy"], "theme_interests": ["walking", "cycling"]}
    response = api.post(f"/api/v1/events/{event.slug}/register/", body, format="json")

    assert response.status_code == 400
    problems = response.json()["error"]["details"]["theme_interests"]
    assert problems == ["Not a theme of this event: cycling."]
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_api_register_with_the_broker_down_still_answers_201(monkeypatch):
    # Committed for real, so the email's task is published inside the request.
    from common.tasks import send_outbox_message

    def broker_down(**kwargs):
        raise KombuOperationalError("Error 111 connecting to the broker. Connection refused.")

    monkeypatch.setattr(send_outbox_message, "delay", broker_down)
    event, user = EventFactory(), UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    body = {"consents": ["code_of_conduct", "privacy"]}

    response = api.post(f"/api/v1/events/{event.slug}/register/", body, format="json")

    assert response.status_code == 201
    assert response.json()["status"] == "confirmed"
    assert OutboxMessage.objects.get(recipient=user.email).status == OutboxStatus.PENDING


def test_api_register_new_person_never_reads_registrations():
    # Whether they are registered already is asked only when something fails: the
    # one-per-person constraint stops a repeat, so a new registration skips the look.
    event, user = EventFactory(), UserFactory()
    api = APIClient()
    api.force_authenticate(user)
    body = {"consents": ["code_of_conduct", "privacy"]}

    with CaptureQueriesContext(connection) as captured:
        response = api.post(f"/api/v1/events/{event.slug}/register/", body, format="json")

    assert response.status_code == 201
    reads = [q["sql"] for q in captured.captured_queries if q["sql"].startswith("SELECT")]
    assert not [sql for sql in reads if 'FROM "registration_registration"' in sql]
