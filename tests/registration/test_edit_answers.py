import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from common.exceptions import ApplicationError
from registration import services
from registration.models import Registration
from tests.factories import EventFactory, ThemeFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
REQUIRED = {"code_of_conduct", "privacy"}


def _dietary(event):
    return event.questions.get(label="Do you have any dietary needs?")


def test_update_replaces_answers_themes_and_keeps_first_consent_time():
    event = EventFactory()
    walking, data = ThemeFactory(event=event), ThemeFactory(event=event)
    registration = register(
        event, UserFactory(), answers={_dietary(event).pk: "Vegan"}, theme_interests=[walking]
    )
    first_given = registration.consents.get(kind="privacy").accepted_at
    later = timezone.now() + datetime.timedelta(hours=1)

    services.registration_details_update(
        registration=registration,
        answers={_dietary(event).pk: "Vegetarian"},
        theme_interests=[data],
        consents=REQUIRED | {"photography"},
        actor=None,
        now=later,
    )

    assert [a.value for a in registration.answers.all()] == ["Vegetarian"]
    assert list(registration.theme_interests.all()) == [data]
    consents = {c.kind: c.accepted_at for c in registration.consents.all()}
    assert consents == {
        "code_of_conduct": first_given,
        "privacy": first_given,
        "photography": later,
    }


def test_bad_answer_changes_nothing():
    event = EventFactory()
    heard = event.questions.get(label="How did you hear about the event?")
    registration = register(event, UserFactory(), answers={heard.pk: "Social media"})

    with pytest.raises(ApplicationError) as raised:
        services.registration_details_update(
            registration=registration,
            answers={heard.pk: "Carrier pigeon"},
            theme_interests=[],
            consents=REQUIRED,
            actor=None,
        )

    assert f"question_{heard.pk}" in raised.value.details
    assert [a.value for a in registration.answers.all()] == ["Social media"]


def test_withdrawing_required_consent_is_refused():
    event = EventFactory()
    registration = register(event, UserFactory())

    with pytest.raises(ApplicationError) as raised:
        services.registration_details_update(
            registration=registration,
            answers={},
            theme_interests=[],
            consents={"code_of_conduct"},
            actor=None,
        )

    assert raised.value.code == "consent_required"
    assert registration.consents.count() == 2


def test_after_registration_closes_answers_are_fixed():
    event = EventFactory()
    registration = register(event, UserFactory(), answers={_dietary(event).pk: "Vegan"})

    with pytest.raises(ApplicationError) as raised:
        services.registration_details_update(
            registration=registration,
            answers={},
            theme_interests=[],
            consents=REQUIRED,
            actor=None,
            now=event.registration_closes_at + datetime.timedelta(minutes=1),
        )

    assert raised.value.code == "registration_closed"
    assert registration.answers.count() == 1


def test_edit_page_shows_current_answers_and_saves(client):
    event = EventFactory()
    person = UserFactory(participant_type="student")
    registration = register(event, person, answers={_dietary(event).pk: "Vegan"})
    client.force_login(person)
    url = f"/registrations/{registration.pk}/edit/"

    page = client.get(url)
    saved = client.post(
        url,
        {
            "participant_type": "researcher",
            f"question_{_dietary(event).pk}": "No nuts",
            "consent_code_of_conduct": "on",
            "consent_privacy": "on",
        },
    )

    assert page.context["form"].initial[f"question_{_dietary(event).pk}"] == "Vegan"
    assert saved.status_code == 302
    assert [a.value for a in registration.answers.all()] == ["No nuts"]
    person.refresh_from_db()
    assert person.participant_type == "researcher"


def test_edit_page_of_someone_else_is_404(client):
    registration = register(EventFactory(), UserFactory())
    client.force_login(UserFactory())

    assert client.get(f"/registrations/{registration.pk}/edit/").status_code == 404


def test_edit_page_after_cancelling_offers_no_form(client):
    person = UserFactory()
    registration = register(EventFactory(), person)
    services.registration_leave(registration=registration, actor=person)
    client.force_login(person)

    response = client.get(f"/registrations/{registration.pk}/edit/")

    assert "can no longer be changed" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == "cancelled"


def test_api_details_put_replaces_answers():
    event = EventFactory()
    person = UserFactory()
    registration = register(event, person, answers={_dietary(event).pk: "Vegan"})
    api = APIClient()
    api.force_authenticate(person)

    response = api.put(
        f"/api/v1/registrations/{registration.pk}/details/",
        {"answers": {str(_dietary(event).pk): "Halal"}, "consents": sorted(REQUIRED)},
        format="json",
    )

    assert response.status_code == 200
    assert [a.value for a in registration.answers.all()] == ["Halal"]
