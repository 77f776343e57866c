"""Ticket codes: random, short and unambiguous, stored only as a hash, kept on the
holder's device, checked at the door by hash, void once the place is not confirmed, and
reissued by the holder or an organiser (the old code then stops working)."""

import hashlib
import re

import pytest
from django.core import signing
from django.test import Client
from rest_framework.test import APIClient

from common.models import AuditEntry, OutboxMessage
from events.enums import RoleKind
from registration import services
from registration.enums import Actor, RegistrationStatus
from registration.models import Registration
from registration.tickets import ticket_code_issue, ticket_qr_svg
from tests.factories import PASSWORD, EventFactory, EventRoleFactory, UserFactory
from tests.registration.helpers import register, ticket_code

pytestmark = pytest.mark.django_db
S = RegistrationStatus

CODE = re.compile(r"^[2-9A-HJKMNP-Z]{5}-[2-9A-HJKMNP-Z]{5}$")
SHOWN = re.compile(r"<code[^>]*>([^<]+)</code>")


def _door(client, event, token):
    # Confirmed ahead: the events are weeks away, and the door's question off the event's
    # day is test_door.py's.
    data = {"token": token, "confirmed": "yes"}
    return client.post(f"/organise/{event.slug}/check-in/", data, follow=True)


def _status(registration):
    return Registration.objects.get(pk=registration.pk).status


def _ticket_page(client, registration):
    return client.get(f"/registrations/{registration.pk}/ticket/")


def _shown_code(response):
    found = SHOWN.search(response.content.decode())
    return found.group(1) if found else None


def test_ticket_code_is_short_unambiguous_random_and_stored_only_hashed():
    registration = register(EventFactory(), UserFactory(display_name="Carol Byrne"))

    codes = {ticket_code(registration) for _ in range(20)}
    code = ticket_code(registration)

    assert all(CODE.match(c) for c in codes) and len(codes) == 20
    registration.refresh_from_db()
    plain = code.replace("-", "")
    assert registration.ticket_code_hash == hashlib.sha256(plain.encode()).hexdigest()
    stored = Registration.objects.filter(pk=registration.pk).values().get()
    assert not any(plain in str(value) for value in stored.values())


def test_ticket_page_gives_code_once_asked_and_shows_it_again_on_that_device(client):
    person = UserFactory()
    registration = register(EventFactory(), person)
    client.force_login(person)

    before = _ticket_page(client, registration)
    issued = client.post(f"/registrations/{registration.pk}/ticket/")
    after = _ticket_page(client, registration)
    again = _ticket_page(client, registration)

    assert b"Show my ticket code" in before.content and b"<svg" not in before.content
    assert issued.status_code == 302
    cookie = issued.cookies[f"ticket_{registration.pk}"]
    assert cookie["httponly"] and cookie["path"] == f"/registrations/{registration.pk}/ticket/"
    code = _shown_code(after)
    assert CODE.match(code) and _shown_code(again) == code
    assert ticket_qr_svg(code) in after.content.decode()  # the QR holds the same code
    assert AuditEntry.objects.filter(
        action="registration.ticket_issued", actor=person, target_id=str(registration.pk)
    ).exists()
    organiser = EventRoleFactory(event=registration.event, role=RoleKind.ORGANISER).user
    door = Client()
    door.force_login(organiser)
    assert "is checked in" in _door(door, registration.event, code).content.decode()


def test_ticket_new_code_on_another_device_voids_the_old_one(client):
    person = UserFactory()
    registration = register(EventFactory(), person)
    phone, laptop = Client(), Client()
    phone.force_login(person)
    laptop.force_login(person)
    phone.post(f"/registrations/{registration.pk}/ticket/")
    old = _shown_code(_ticket_page(phone, registration))

    elsewhere = _ticket_page(laptop, registration)
    laptop.post(f"/registrations/{registration.pk}/ticket/")
    new = _shown_code(_ticket_page(laptop, registration))
    phone_now = _ticket_page(phone, registration)

    assert b"Get a new ticket code" in elsewhere.content and _shown_code(elsewhere) is None
    assert new != old
    assert _shown_code(phone_now) is None  # the phone's code was replaced
    assert phone_now.cookies[f"ticket_{registration.pk}"].value == ""  # and forgotten
    client.force_login(EventRoleFactory(event=registration.event, role=RoleKind.VOLUNTEER).user)
    refused = _door(client, registration.event, old).content.decode()
    assert "That ticket code is not valid" in refused
    assert _status(registration) == S.CONFIRMED
    assert "is checked in" in _door(client, registration.event, new).content.decode()


def test_ticket_for_waitlisted_has_no_code_and_none_can_be_issued(client):
    event = EventFactory(capacity=1)
    register(event, UserFactory())
    person = UserFactory()
    waiting = register(event, person)
    client.force_login(person)

    issued = client.post(f"/registrations/{waiting.pk}/ticket/", follow=True)
    response = _ticket_page(client, waiting)

    assert "Only a confirmed place has a ticket" in issued.content.decode()
    assert b"<svg" not in response.content
    assert b"You have no ticket" in response.content
    assert Registration.objects.get(pk=waiting.pk).ticket_code_hash == ""


def test_check_in_by_typed_code_ignores_case_spaces_and_hyphens(client, organiser):
    registration = register(organiser.event, UserFactory())
    code = ticket_code(registration)
    typed = f" {code.replace('-', ' ').lower()} "

    response = _door(client, organiser.event, typed)

    assert "is checked in" in response.content.decode()
    assert _status(registration) == S.CHECKED_IN


def test_check_in_old_signed_ticket_admits_nobody(client, organiser):
    """The former ticket, "<pk>:<HMAC under SECRET_KEY>", is not a ticket any more."""
    registration = register(organiser.event, UserFactory())
    ticket_code(registration)
    old = signing.Signer(salt="civichack.registration.ticket").sign(str(registration.pk))

    response = _door(client, organiser.event, old)

    assert "That is not a ticket code" in response.content.decode()
    assert _status(registration) == S.CONFIRMED


def test_check_in_old_signed_ticket_admits_nobody_through_the_api():
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    registration = register(role.event, UserFactory())
    api = APIClient()
    api.force_authenticate(role.user)
    old = signing.Signer(salt="civichack.registration.ticket").sign(str(registration.pk))

    response = api.post(f"/api/v1/events/{role.event.slug}/registrations/check-in/", {"token": old})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_ticket"
    assert _status(registration) == S.CONFIRMED


def test_ticket_stops_working_when_the_place_is_cancelled(client, organiser):
    person = UserFactory()
    registration = register(organiser.event, person)
    code = ticket_code(registration)
    services.registration_leave(registration=registration, actor=person)

    response = _door(client, organiser.event, code)

    assert "That ticket no longer admits anyone: the place is cancelled." in (
        response.content.decode()
    )
    assert _status(registration) == S.CANCELLED


def test_ticket_stops_working_when_the_place_is_cancelled_api():
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    person = UserFactory()
    registration = register(role.event, person)
    code = ticket_code(registration)
    services.registration_transition(
        registration=registration, to=S.CANCELLED, actor=person, by=Actor.PARTICIPANT
    )
    api = APIClient()
    api.force_authenticate(role.user)

    response = api.post(
        f"/api/v1/events/{role.event.slug}/registrations/check-in/", {"token": code}
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "ticket_void"
    assert _status(registration) == S.CANCELLED


def test_ticket_reissued_by_holder_voids_the_old_code_and_is_audited(client, organiser):
    person = UserFactory()
    registration = register(organiser.event, person)
    old = ticket_code(registration)

    new = ticket_code_issue(registration=registration, actor=person)

    assert "not valid" in _door(client, organiser.event, old).content.decode()
    assert "is checked in" in _door(client, organiser.event, new).content.decode()
    assert (
        AuditEntry.objects.filter(
            action="registration.ticket_issued", target_id=str(registration.pk)
        ).count()
        == 2
    )


def test_ticket_reissued_by_organiser_voids_code_emails_holder_and_is_audited(
    client, organiser, django_capture_on_commit_callbacks
):
    person = UserFactory(display_name="Sam Patel")
    registration = register(organiser.event, person)
    code = ticket_code(registration)
    url = f"/organise/{organiser.event.slug}/registrations/{registration.pk}/ticket-reissue/"
    table = f"/organise/{organiser.event.slug}/registrations/?status=confirmed"

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url, {"next": table})
        client.post(url, {"next": "https://elsewhere.example/"})

    assert first["Location"] == table
    assert "not valid" in _door(client, organiser.event, code).content.decode()
    emails = OutboxMessage.objects.filter(
        recipient=person.email, purpose="registration_ticket_reissued"
    )
    assert emails.count() == 2  # one per reissue
    assert f"/registrations/{registration.pk}/ticket/" in emails.first().body_text
    assert AuditEntry.objects.filter(
        action="registration.ticket_revoked", actor=organiser.user
    ).exists()
    holder = Client()
    holder.force_login(person)
    assert b"Show my ticket code" in _ticket_page(holder, registration).content


def test_ticket_reissue_by_organiser_api_voids_the_code():
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    registration = register(role.event, UserFactory())
    code = ticket_code(registration)
    api = APIClient()
    api.force_authenticate(role.user)
    base = f"/api/v1/events/{role.event.slug}/registrations/"

    response = api.post(f"{base}{registration.pk}/ticket-reissue/")
    check_in = api.post(f"{base}check-in/", {"token": code})

    assert response.status_code == 200
    assert check_in.status_code == 400
    assert check_in.json()["error"]["code"] == "invalid_ticket"


def test_ticket_reissue_of_a_cancelled_place_is_refused():
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    registration = register(role.event, UserFactory())
    services.registration_transition(
        registration=registration, to=S.CANCELLED, actor=role.user, by=Actor.ORGANISER
    )
    api = APIClient()
    api.force_authenticate(role.user)

    response = api.post(
        f"/api/v1/events/{role.event.slug}/registrations/{registration.pk}/ticket-reissue/"
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_ticket"


def test_ticket_code_issued_through_the_api_admits_its_holder():
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    person = UserFactory()
    registration = register(role.event, person)
    holder, door = APIClient(), APIClient()
    holder.force_authenticate(person)
    door.force_authenticate(role.user)

    issued = holder.post(f"/api/v1/registrations/{registration.pk}/ticket/")
    check_in = door.post(
        f"/api/v1/events/{role.event.slug}/registrations/check-in/",
        {"token": issued.json()["code"]},
    )

    assert issued.status_code == 201 and CODE.match(issued.json()["code"])
    assert check_in.status_code == 200
    assert _status(registration) == S.CHECKED_IN


def test_ticket_of_a_deleted_account_admits_nobody(client, organiser):
    person = UserFactory()
    registration = register(organiser.event, person)
    code = ticket_code(registration)
    holder = Client()
    holder.force_login(person)
    holder.post("/accounts/delete/", {"password": PASSWORD})

    response = _door(client, organiser.event, code)

    assert "That ticket code is not valid" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).checked_in_at is None
