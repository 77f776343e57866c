"""Someone who withdrew (or cancelled, declined an offer, let it expire) may apply again:
their one registration row becomes a new application, at the back of the queue."""

import pytest

from common.exceptions import ApplicationError
from common.models import AuditEntry
from registration import services
from registration.enums import (
    APPLY_AGAIN,
    REQUIRED_CONSENTS,
    TRANSITIONS,
    Actor,
    RegistrationStatus,
)
from registration.models import Consent, Registration, RegistrationPolicy
from registration.selectors import waitlist_position
from registration.tickets import registration_for_ticket
from tests.factories import EventFactory, UserFactory
from tests.registration.helpers import register, ticket_code

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _policy(event):
    return RegistrationPolicy.objects.get(event=event)


def test_withdrawn_person_applies_again_at_the_back_of_the_queue():
    event = EventFactory(capacity=1)
    register(event, UserFactory())
    person = UserFactory()
    first = register(event, person)
    behind = register(event, UserFactory())
    services.registration_leave(registration=first, actor=person)
    assert waitlist_position(behind) == 1

    again, created = services.registration_create(
        event=event, user=person, consents=REQUIRED_CONSENTS
    )

    assert created is True
    assert again.pk == first.pk  # one row per person and event, as the database requires
    assert (again.status, again.waitlist_position) == (S.WAITLISTED, 2)
    assert again.applied_at > behind.applied_at
    assert Registration.objects.filter(event=event, user=person).count() == 1
    policy = _policy(event)
    assert (policy.seats_held, policy.waitlisted) == (1, 2)


def test_cancelled_place_can_be_taken_again_while_seats_remain(
    django_capture_on_commit_callbacks, mailoutbox
):
    event = EventFactory(capacity=5)
    person = UserFactory()
    dietary = event.questions.get(label="Do you have any dietary needs?")
    with django_capture_on_commit_callbacks(execute=True):
        first = register(event, person, answers={dietary.pk: "Vegan"})
        services.registration_leave(registration=first, actor=person)
        again, created = services.registration_create(
            event=event, user=person, answers={dietary.pk: "None"}, consents=REQUIRED_CONSENTS
        )

    assert (created, again.status) == (True, S.CONFIRMED)
    assert again.answers.get().value == "None"
    assert set(Consent.objects.filter(registration=again).values_list("kind", flat=True)) == set(
        REQUIRED_CONSENTS
    )
    assert _policy(event).seats_held == 1
    # The second confirmation is emailed too, not swallowed as a repeat of the first.
    assert [m.subject.split(" ", 1)[1] for m in mailoutbox] == [
        f"Your place at {event.name} is confirmed",
        f"Your place at {event.name} is cancelled",
        f"Your place at {event.name} is confirmed",
    ]


def test_declined_applicant_gets_the_decision_back_not_a_new_application():
    event = EventFactory()
    person = UserFactory()
    registration = register(event, person)
    registration = services.registration_transition(
        registration=registration, to=S.CANCELLED, by=Actor.PARTICIPANT
    )
    Registration.objects.filter(pk=registration.pk).update(status=S.DECLINED)

    again, created = services.registration_create(
        event=event, user=person, consents=REQUIRED_CONSENTS
    )

    assert (again.pk, again.status, created) == (registration.pk, S.DECLINED, False)


def test_withdrawn_person_applying_again_with_bad_input_gets_the_error():
    event = EventFactory()
    person = UserFactory()
    first = register(event, person)
    services.registration_leave(registration=first, actor=person)

    with pytest.raises(ApplicationError) as raised:
        services.registration_create(event=event, user=person, consents=[])

    assert raised.value.code == "consent_required"
    first.refresh_from_db()
    assert first.status == S.CANCELLED


def test_register_page_offers_the_form_again_after_withdrawing(client):
    event = EventFactory()
    person = UserFactory()
    first = register(event, person)
    services.registration_leave(registration=first, actor=person)
    client.force_login(person)

    page = client.get(f"/events/{event.slug}/register/")
    event_page = client.get(f"/events/{event.slug}/")
    mine = client.get("/registrations/")
    response = client.post(
        f"/events/{event.slug}/register/",
        {"participant_type": "student", "consent_code_of_conduct": "on", "consent_privacy": "on"},
    )

    assert page.status_code == 200
    assert f'href="/events/{event.slug}/register/"' in event_page.content.decode()
    assert f'href="/events/{event.slug}/register/">Apply again' in mine.content.decode()
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.status == S.CONFIRMED


def test_a_cancelled_places_ticket_code_does_not_come_back_with_a_new_application():
    event = EventFactory(capacity=5)
    person = UserFactory()
    first = register(event, person)
    old_code = ticket_code(first)
    services.registration_leave(registration=first, actor=person)

    again, _ = services.registration_create(event=event, user=person, consents=REQUIRED_CONSENTS)

    assert again.status == S.CONFIRMED
    with pytest.raises(ApplicationError):
        registration_for_ticket(event=event, token=old_code)


def test_applying_again_is_a_move_of_the_lifecycle_audited_from_where_it_came():
    event = EventFactory(capacity=5)
    person = UserFactory()
    first = register(event, person)
    services.registration_leave(registration=first, actor=person)

    services.registration_create(event=event, user=person, consents=REQUIRED_CONSENTS)

    entry = AuditEntry.objects.filter(action="registration.confirmed").latest("pk")
    assert entry.data == {"from": S.CANCELLED, "by": Actor.PARTICIPANT}
    assert TRANSITIONS[(S.CANCELLED, S.CONFIRMED)] == {Actor.PARTICIPANT}
    assert S.DECLINED not in APPLY_AGAIN
