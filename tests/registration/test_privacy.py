import datetime
import importlib
import json

import pytest
from django.apps import apps
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


def _walk_in(event, name="Jo Bloggs"):
    return services.registration_walk_in(
        event=event,
        name=name,
        consents={"code_of_conduct", "privacy"},
        actor=None,
        now=event.starts_at + datetime.timedelta(hours=1),
    )


def test_walk_in_names_are_erased_after_retention_and_still_counted(settings):
    settings.REGISTRATION_WALK_IN_RETENTION_DAYS = 30
    event = EventFactory()
    walk_in = _walk_in(event)
    after_event = event.ends_at

    kept = services.walk_in_names_erase(now=after_event + datetime.timedelta(days=29))
    erased = services.walk_in_names_erase(now=after_event + datetime.timedelta(days=31))
    again = services.walk_in_names_erase(now=after_event + datetime.timedelta(days=32))

    assert (kept, erased, again) == (0, 1, 0)
    walk_in.refresh_from_db()
    assert walk_in.is_walk_in and walk_in.walk_in_name == ""
    assert walk_in.person_name == "Walk-in (name erased)"
    assert Registration.objects.filter(event=event, walk_in=True, status="checked_in").count() == 1


def test_an_erased_participant_is_not_taken_for_a_walk_in():
    event = EventFactory()
    person = UserFactory()
    registration = register(event, person)

    account_delete(user=person)

    registration.refresh_from_db()
    assert not registration.is_walk_in and registration.person_name == "Erased person"


def test_the_migration_flags_the_walk_ins_recognised_by_their_name():
    event = EventFactory()
    walk_in, registered = _walk_in(event), register(event, UserFactory())
    Registration.objects.update(walk_in=False)
    migration = importlib.import_module("registration.migrations.0010_walk_in_flag")

    migration.flag_walk_ins(apps, None)

    flagged = set(Registration.objects.filter(walk_in=True).values_list("pk", flat=True))
    assert flagged == {walk_in.pk} and registered.pk not in flagged
