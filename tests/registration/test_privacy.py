import datetime
import json

import pytest
from django.utils import timezone

from accounts.services import account_delete
from registration import services
from registration.models import Answer, Consent, Registration
from tests.factories import EventFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db


def _with_answers(event, user):
    access = event.questions.get(label="Do you have any access needs?")
    other = event.questions.get(label="Is there anything else we should know?")
    return register(event, user, answers={access.pk: "Step-free access", other.pk: "Hello"})


def test_data_export_includes_registrations_with_answers(client):
    person = UserFactory()
    registration = _with_answers(EventFactory(), person)
    client.force_login(person)

    data = json.loads(client.get("/accounts/my-data/").content)

    (exported,) = data["registrations"]
    assert exported["event"] == registration.event.name
    assert {"question": "Do you have any access needs?", "answer": "Step-free access"} in (
        exported["answers"]
    )
    assert [c["consent"] for c in exported["consents"]] == ["code_of_conduct", "privacy"]


def test_account_delete_keeps_anonymous_registration_count():
    person = UserFactory()
    registration = _with_answers(EventFactory(), person)

    account_delete(user=person)

    registration.refresh_from_db()
    assert registration.user is None
    assert registration.status == "confirmed"
    assert not Answer.objects.filter(registration=registration).exists()
    assert not Consent.objects.filter(registration=registration).exists()
    assert Registration.objects.filter(event=registration.event).count() == 1


def test_sensitive_answers_erased_after_retention(settings):
    settings.REGISTRATION_SENSITIVE_RETENTION_DAYS = 30
    registration = _with_answers(EventFactory(), UserFactory())
    after_event = registration.event.ends_at

    kept = services.sensitive_answers_erase(now=after_event + datetime.timedelta(days=29))
    erased = services.sensitive_answers_erase(now=after_event + datetime.timedelta(days=31))

    assert (kept, erased) == (0, 1)
    remaining = Answer.objects.filter(registration=registration)
    assert [a.question.label for a in remaining] == ["Is there anything else we should know?"]
    assert timezone.now() < after_event  # the event in this test has not happened yet
