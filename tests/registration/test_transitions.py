"""Who may move a registration where: the lifecycle table, read by the service, the
organisers' API and the console alike."""

import pytest
from rest_framework.test import APIClient

from common.exceptions import ApplicationError
from common.models import AuditEntry
from events.enums import RoleKind
from registration import services
from registration.enums import TRANSITIONS, Actor, AdmissionMode, RegistrationStatus, moves_for
from registration.models import Registration, RegistrationPolicy
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _organiser(event):
    role = EventRoleFactory(role=RoleKind.ORGANISER, event=event)
    api = APIClient()
    api.force_authenticate(role.user)
    return api, role


def _in_status(event, status) -> Registration:
    """A registration of `event` brought to `status` the way people get there."""
    if status == S.APPLIED:
        RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.REVIEW)
        return register(event, UserFactory())
    event.capacity = 1
    event.save(update_fields=["capacity"])
    first, second = register(event, UserFactory()), register(event, UserFactory())
    if status == S.WAITLISTED:
        return second
    assert status == S.OFFERED
    services.registration_leave(registration=first, actor=first.user)
    return Registration.objects.get(pk=second.pk)


def _set_status(api, registration, status):
    url = f"/api/v1/events/{registration.event.slug}/registrations/{registration.pk}/status/"
    return api.post(url, {"status": status})


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (S.APPLIED, S.WITHDRAWN),  # only the applicant withdraws
        (S.OFFERED, S.OFFER_DECLINED),  # only the person offered answers
        (S.OFFERED, S.EXPIRED),  # only the sweep expires an offer
        (S.CONFIRMED, S.CHECKED_IN),  # the door checks people in
        (S.CONFIRMED, S.NO_SHOW),  # the sweep marks no-shows
    ],
)
def test_organiser_api_cannot_make_others_moves(start, to):
    event = EventFactory()
    registration = (
        register(event, UserFactory()) if start == S.CONFIRMED else _in_status(event, start)
    )
    api, _ = _organiser(event)

    response = _set_status(api, registration, to)

    assert response.status_code == 400
    error = response.json()["error"]
    assert f"“{to}” is not a status organisers can set" in error["details"]["status"][0]
    assert Registration.objects.get(pk=registration.pk).status == start


def test_organiser_api_cannot_accept_an_offer_for_someone():
    event = EventFactory()
    offered = _in_status(event, S.OFFERED)
    api, _ = _organiser(event)

    response = _set_status(api, offered, S.CONFIRMED)

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "invalid_transition",
        "message": "Organisers cannot move a registration from seat offered to confirmed; "
        "only the participant can.",
        "details": {"status": ["offered"], "to": ["confirmed"], "by": ["organiser"]},
    }
    assert Registration.objects.get(pk=offered.pk).status == S.OFFERED


@pytest.mark.parametrize("to", [S.CONFIRMED, S.WAITLISTED, S.DECLINED])
def test_organiser_api_decides_applications(to):
    event = EventFactory()
    applied = _in_status(event, S.APPLIED)
    api, role = _organiser(event)

    response = _set_status(api, applied, to)

    assert response.status_code == 200
    assert response.json()["status"] == to
    entry = AuditEntry.objects.get(action=f"registration.{to}", target_id=str(applied.pk))
    assert entry.actor == role.user
    assert entry.data == {"from": "applied", "by": "organiser"}


def test_organiser_api_cancels_a_place():
    event = EventFactory()
    confirmed = register(event, UserFactory())
    api, _ = _organiser(event)

    response = _set_status(api, confirmed, S.CANCELLED)

    assert response.status_code == 200
    assert Registration.objects.get(pk=confirmed.pk).status == S.CANCELLED


def test_service_refuses_a_move_for_the_wrong_actor_and_names_it():
    event = EventFactory()
    applied = _in_status(event, S.APPLIED)

    with pytest.raises(ApplicationError) as raised:
        services.registration_transition(registration=applied, to=S.CONFIRMED, by=Actor.DOOR)

    assert raised.value.status == 409
    assert raised.value.message == (
        "The door (organisers and volunteers) cannot move a registration from applied to "
        "confirmed; only organisers can."
    )
    assert Registration.objects.get(pk=applied.pk).status == S.APPLIED


def test_service_refuses_a_move_nobody_may_make():
    event = EventFactory()
    confirmed = register(event, UserFactory())

    with pytest.raises(ApplicationError) as raised:
        services.registration_transition(registration=confirmed, to=S.APPLIED, by=Actor.SWEEP)

    assert raised.value.message == "A registration that is confirmed cannot become applied."


def test_table_moves_are_between_known_statuses_and_actors():
    for (start, to), actors in TRANSITIONS.items():
        assert {start, to} <= set(S.values) and start != to
        assert actors and actors <= set(Actor.values)


def test_console_offers_exactly_the_organisers_moves(client):
    event = EventFactory()
    _, role = _organiser(event)
    register(event, UserFactory())
    client.force_login(role.user)

    response = client.get(f"/organise/{event.slug}/registrations/")

    offered = sorted(response.context["actions"].values())
    # Offering a seat is one person at a time, from their row or page, never in bulk.
    assert offered == sorted(set(moves_for(Actor.ORGANISER)) - {S.OFFERED})
    assert offered == sorted([S.CONFIRMED, S.WAITLISTED, S.DECLINED, S.CANCELLED])


def test_console_refuses_an_action_it_does_not_offer(client):
    event = EventFactory()
    _, role = _organiser(event)
    applied = _in_status(event, S.APPLIED)
    client.force_login(role.user)

    response = client.post(
        f"/organise/{event.slug}/registrations/",
        {"action": "withdrawn", "registration": [applied.pk]},
        follow=True,
    )

    assert response.status_code == 400
    assert "“withdrawn” is not a decision organisers can make here." in response.content.decode()
    assert Registration.objects.get(pk=applied.pk).status == S.APPLIED


def _waitlisted_with_a_free_seat(event) -> Registration:
    """Reviewing applications, an organiser put someone on the waiting list while a seat
    was free (the only way, before the event, that a seat is free with people waiting)."""
    applied = _in_status(event, S.APPLIED)
    return services.registration_transition(
        registration=applied, to=S.WAITLISTED, by=Actor.ORGANISER, actor=None
    )


def test_organiser_api_offers_a_free_seat_to_someone_waiting(mailoutbox):
    event = EventFactory(capacity=5)
    waiting = _waitlisted_with_a_free_seat(event)
    api, role = _organiser(event)

    response = _set_status(api, waiting, S.OFFERED)

    assert response.status_code == 200
    offered = Registration.objects.get(pk=waiting.pk)
    assert offered.status == S.OFFERED and offered.offer_expires_at is not None
    assert RegistrationPolicy.objects.get(event=event).seats_held == 1
    entry = AuditEntry.objects.get(action="registration.offered", target_id=str(waiting.pk))
    assert entry.actor == role.user
    assert entry.data == {"from": "waitlisted", "by": "organiser"}


def test_organiser_api_cannot_offer_a_seat_when_none_is_free():
    event = EventFactory()
    waiting = _in_status(event, S.WAITLISTED)  # capacity 1, taken
    api, _ = _organiser(event)

    response = _set_status(api, waiting, S.OFFERED)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "event_full"
    assert Registration.objects.get(pk=waiting.pk).status == S.WAITLISTED
