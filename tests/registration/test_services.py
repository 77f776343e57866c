import datetime

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from events.services import event_update
from registration import services
from registration.enums import REQUIRED_CONSENTS, Actor, AdmissionMode, RegistrationStatus
from registration.models import Question, Registration, RegistrationPolicy
from registration.selectors import waitlist_position
from tests.factories import EventFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _register(event, n):
    return [register(event, UserFactory()) for _ in range(n)]


def _seats(event):
    return RegistrationPolicy.objects.get(event=event).seats_held


def test_registration_first_come_confirms_until_full_then_waitlists():
    event = EventFactory(capacity=2)

    statuses = [r.status for r in _register(event, 4)]

    assert statuses == [S.CONFIRMED, S.CONFIRMED, S.WAITLISTED, S.WAITLISTED]
    assert _seats(event) == 2


def test_registration_twice_returns_existing():
    event, user = EventFactory(), UserFactory()

    first, first_created = services.registration_create(
        event=event, user=user, consents=REQUIRED_CONSENTS
    )
    second, second_created = services.registration_create(
        event=event, user=user, consents=REQUIRED_CONSENTS
    )

    assert (first_created, second_created) == (True, False)
    assert first.pk == second.pk
    assert Registration.objects.count() == 1
    assert _seats(event) == 1


def test_registered_person_gets_theirs_back_after_registration_closed():
    event, user = EventFactory(), UserFactory()
    first = register(event, user)
    event_update(
        actor=None,
        event=event,
        registration_closes_at=timezone.now() - datetime.timedelta(minutes=1),
        registration_opens_at=timezone.now() - datetime.timedelta(days=2),
    )

    again, created = services.registration_create(
        event=event, user=user, consents=REQUIRED_CONSENTS
    )

    assert (again.pk, created) == (first.pk, False)


def test_registered_person_gets_theirs_back_whatever_they_send():
    event, user = EventFactory(), UserFactory()
    first = register(event, user)

    again, created = services.registration_create(event=event, user=user, consents=[])

    assert (again.pk, created) == (first.pk, False)


def test_unregistered_person_sending_bad_input_gets_the_error():
    event, user = EventFactory(), UserFactory()

    with pytest.raises(ApplicationError) as raised:
        services.registration_create(event=event, user=user, consents=[])

    assert raised.value.code == "consent_required"
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_question_deleted_while_registering_answers_form_changed(monkeypatch):
    event, user = EventFactory(), UserFactory()
    dietary = event.questions.get(label="Do you have any dietary needs?")
    clean = services.answers_clean

    def clean_then_delete(**kwargs):
        cleaned = clean(**kwargs)
        Question.objects.filter(pk=dietary.pk).delete()  # by an organiser, meanwhile
        return cleaned

    monkeypatch.setattr(services, "answers_clean", clean_then_delete)

    with pytest.raises(ApplicationError) as raised:
        services.registration_create(
            event=event, user=user, answers={dietary.pk: "Vegan"}, consents=REQUIRED_CONSENTS
        )

    assert (raised.value.code, raised.value.status) == ("form_changed", 409)
    assert not Registration.objects.exists()
    assert _seats(event) == 0


def test_registration_outside_window_is_refused():
    event = EventFactory(registration_opens_at=timezone.now() + datetime.timedelta(days=1))

    with pytest.raises(ApplicationError) as raised:
        register(event, UserFactory())

    assert raised.value.code == "registration_closed"
    assert not Registration.objects.exists()


def test_registration_review_mode_applies_without_seat():
    event = EventFactory()
    RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.REVIEW)

    registration = register(event, UserFactory())

    assert registration.status == S.APPLIED
    assert _seats(event) == 0


def test_waitlist_positions_are_gap_free_in_application_order():
    event = EventFactory(capacity=1)
    _, *waiting = _register(event, 4)
    services.registration_transition(registration=waiting[1], to=S.WITHDRAWN, by=Actor.PARTICIPANT)

    positions = [waitlist_position(Registration.objects.get(pk=r.pk)) for r in waiting]

    assert positions == [1, None, 2]


def test_cancellation_offers_seat_to_first_in_line():
    event = EventFactory(capacity=1)
    confirmed, first, second = _register(event, 3)

    services.registration_transition(registration=confirmed, to=S.CANCELLED, by=Actor.PARTICIPANT)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == S.OFFERED
    assert first.offer_expires_at - first.offered_at == datetime.timedelta(hours=48)
    assert second.status == S.WAITLISTED
    assert _seats(event) == 1


def test_offer_accepted_confirms_without_new_seat():
    event = EventFactory(capacity=1)
    confirmed, waiting = _register(event, 2)
    services.registration_transition(registration=confirmed, to=S.CANCELLED, by=Actor.PARTICIPANT)

    accepted = services.registration_transition(
        registration=waiting, to=S.CONFIRMED, by=Actor.PARTICIPANT
    )

    assert accepted.status == S.CONFIRMED
    assert _seats(event) == 1


def test_offers_expire_pass_seat_to_next():
    event = EventFactory(capacity=1)
    confirmed, first, second = _register(event, 3)
    services.registration_transition(registration=confirmed, to=S.CANCELLED, by=Actor.PARTICIPANT)

    expired = services.offers_expire(now=timezone.now() + datetime.timedelta(hours=49))

    assert expired == 1
    assert Registration.objects.get(pk=first.pk).status == S.EXPIRED
    assert Registration.objects.get(pk=second.pk).status == S.OFFERED
    assert _seats(event) == 1


def test_transition_not_allowed_changes_nothing():
    event = EventFactory(capacity=1)
    (confirmed,) = _register(event, 1)

    with pytest.raises(ApplicationError) as raised:
        services.registration_transition(
            registration=confirmed, to=S.WAITLISTED, by=Actor.ORGANISER
        )

    assert raised.value.code == "invalid_transition"
    assert Registration.objects.get(pk=confirmed.pk).status == S.CONFIRMED


def test_confirming_applicant_in_full_event_is_refused():
    event = EventFactory(capacity=1)
    RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.REVIEW)
    first, second = _register(event, 2)
    services.registration_transition(registration=first, to=S.CONFIRMED, by=Actor.ORGANISER)

    with pytest.raises(ApplicationError) as raised:
        services.registration_transition(registration=second, to=S.CONFIRMED, by=Actor.ORGANISER)

    assert raised.value.code == "event_full"
    assert Registration.objects.get(pk=second.pk).status == S.APPLIED
    assert _seats(event) == 1


def test_no_shows_marked_after_event_without_offering_seats():
    event = EventFactory(capacity=2)
    came, missed, waiting = _register(event, 3)
    services.registration_check_in(registration=came, actor=None)
    after = event.ends_at + datetime.timedelta(minutes=1)

    marked = services.no_shows_mark(now=after)

    assert marked == 1
    assert Registration.objects.get(pk=missed.pk).status == S.NO_SHOW
    assert Registration.objects.get(pk=came.pk).status == S.CHECKED_IN
    assert Registration.objects.get(pk=waiting.pk).status == S.WAITLISTED  # no offer now


def test_no_shows_mark_before_event_ends_changes_nothing():
    event = EventFactory()
    (registration,) = _register(event, 1)

    assert services.no_shows_mark(now=event.starts_at) == 0
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED


def test_capacity_raised_offers_new_seats_in_order():
    event = EventFactory(capacity=1)
    _, first, second, third = _register(event, 4)

    event_update(actor=UserFactory(), event=event, capacity=3)

    statuses = [Registration.objects.get(pk=r.pk).status for r in (first, second, third)]
    assert statuses == [S.OFFERED, S.OFFERED, S.WAITLISTED]
    assert _seats(event) == 3


def test_capacity_lowered_takes_no_place_away():
    event = EventFactory(capacity=2)
    held = _register(event, 2)

    event_update(actor=UserFactory(), event=event, capacity=1)

    assert {Registration.objects.get(pk=r.pk).status for r in held} == {S.CONFIRMED}
    assert _seats(event) == 2


def test_policy_counts_follow_every_move_and_newcomers_learn_their_position():
    event = EventFactory(capacity=1)
    first = register(event, UserFactory())
    waiting = [register(event, UserFactory()) for _ in range(3)]
    services.registration_leave(registration=waiting[0], actor=None)  # withdraws
    services.registration_leave(registration=first, actor=None)  # frees the seat: offered
    late = register(event, UserFactory(email="late@example.org"))

    policy = RegistrationPolicy.objects.get(event=event)
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert policy.waitlisted == statuses.count(S.WAITLISTED) == 2
    assert policy.seats_held == statuses.count(S.OFFERED) == 1
    assert [w.waitlist_position for w in waiting] == [1, 2, 3]
    assert late.waitlist_position == waitlist_position(late) == 2
