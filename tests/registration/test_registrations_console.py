"""The organisers' registrations table (sorting, decisions that can succeed), a page per
person, offering a free seat, and raising capacity."""

import datetime
from html import escape

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry, OutboxMessage
from events.enums import RoleKind
from events.services import event_update
from registration import services
from registration.enums import Actor, AdmissionMode, RegistrationStatus
from registration.models import Question, Registration, RegistrationPolicy
from registration.selectors import registration_history
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _table(role):
    return f"/organise/{role.event.slug}/registrations/"


def _person(role, registration):
    return f"/organise/{role.event.slug}/registrations/{registration.pk}/"


def _names(response) -> list[str]:
    return [r.person_name for r in response.context["page"]]


def _review_mode(event):
    RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.REVIEW)


def _waitlisted_by_organiser(event, user) -> Registration:
    """Reviewing applications, organisers put someone on the waiting list while seats
    are free: a seat free with someone waiting."""
    applied = register(event, user)
    return services.registration_transition(
        registration=applied, to=S.WAITLISTED, by=Actor.ORGANISER, actor=None
    )


def _fill(event, people: int) -> list[Registration]:
    return [register(event, UserFactory()) for _ in range(people)]


# --- Sorting --------------------------------------------------------------------------


@pytest.fixture
def three_people(organiser):
    """Applied in the order Sam (student), Carol (researcher), Ada (developer, waiting)."""
    event = organiser.event
    event.capacity = 2
    event.save()
    start = timezone.now() - datetime.timedelta(days=3)
    people = [
        ("Sam Patel", "student"),
        ("carol Byrne", "researcher"),
        ("Ada Okoye", "developer"),
    ]
    for day, (name, kind) in enumerate(people):
        registration = register(event, UserFactory(display_name=name, participant_type=kind))
        Registration.objects.filter(pk=registration.pk).update(
            applied_at=start + datetime.timedelta(days=day)
        )
    return event


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("", ["Sam Patel", "carol Byrne", "Ada Okoye"]),
        ("applied", ["Sam Patel", "carol Byrne", "Ada Okoye"]),
        ("-applied", ["Ada Okoye", "carol Byrne", "Sam Patel"]),
        ("name", ["Ada Okoye", "carol Byrne", "Sam Patel"]),  # whatever the case
        ("-name", ["Sam Patel", "carol Byrne", "Ada Okoye"]),
        ("status", ["Sam Patel", "carol Byrne", "Ada Okoye"]),  # confirmed before waitlisted
        ("-status", ["Ada Okoye", "Sam Patel", "carol Byrne"]),  # ties in application order
        ("type", ["Ada Okoye", "carol Byrne", "Sam Patel"]),  # Developer, Researcher, Student
        ("-type", ["Sam Patel", "carol Byrne", "Ada Okoye"]),
    ],
)
def test_table_sorts_by_each_column(client, organiser, three_people, sort, expected):
    response = client.get(_table(organiser), {"sort": sort})

    assert response.status_code == 200
    assert _names(response) == expected


def test_table_headings_link_to_sorting_and_say_which(client, organiser, three_people):
    response = client.get(_table(organiser), {"sort": "name", "status": "confirmed"})

    headings = {h["label"]: h for h in response.context["headings"]}
    assert headings["Name"]["aria_sort"] == "ascending"
    assert headings["Name"]["href"] == "?sort=-name&status=confirmed"
    assert headings["Status"]["aria_sort"] == "none"
    assert headings["Status"]["href"] == "?sort=status&status=confirmed"
    assert 'aria-sort="ascending"' in response.content.decode()


@pytest.mark.parametrize("sort", ["email", "-", "--name", "name;drop"])
def test_table_with_unknown_sort_says_so(client, organiser, three_people, sort):
    table = client.get(_table(organiser), {"sort": sort})
    export = client.get(f"/organise/{organiser.event.slug}/registrations.csv", {"sort": sort})

    message = "sort: Sort by one of name, status, applied, type (with - before it to reverse)."
    assert table.status_code == 400
    assert message in table.content.decode()
    assert list(table.context["page"]) == []
    assert export.status_code == 400


def test_sorted_table_queries_flat(client, organiser):
    event = organiser.event

    def fetch():
        response = client.get(_table(organiser), {"sort": "-name"})
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=lambda k: _fill(event, k),
        shown=lambda: [str(r.user) for r in event.registrations.select_related("user")],
    )


# --- Decisions that can succeed -------------------------------------------------------


def test_bulk_actions_are_only_those_possible_from_the_filtered_status(client, organiser):
    event = organiser.event
    _review_mode(event)

    def actions(status):
        return list(client.get(_table(organiser), {"status": status}).context["actions"])

    assert actions("applied") == ["confirm", "waitlist", "decline"]
    assert actions("confirmed") == ["cancel"]
    assert actions("waitlisted") == []  # a seat is offered per person, never in bulk
    assert actions("checked_in") == []
    assert actions("") == ["confirm", "waitlist", "decline", "cancel"]


def test_bulk_confirm_is_not_offered_when_no_seat_is_free(client, organiser):
    event = organiser.event
    event.capacity = 1
    event.save()
    _review_mode(event)
    first = register(event, UserFactory())
    register(event, UserFactory())
    services.registration_transition(
        registration=first, to=S.CONFIRMED, by=Actor.ORGANISER, actor=None
    )

    applied = client.get(_table(organiser), {"status": "applied"})
    refused = client.post(
        _table(organiser) + "?status=applied",
        {"action": "confirm", "registration": [first.pk]},
    )

    assert list(applied.context["actions"]) == ["waitlist", "decline"]
    assert refused.status_code == 400
    assert "“confirm” is not a decision organisers can make here." in refused.content.decode()


def test_table_offers_a_free_seat_to_someone_waiting(client, organiser, mailoutbox):
    event = organiser.event
    _review_mode(event)
    waiting = _waitlisted_by_organiser(event, UserFactory(display_name="Ada Okoye"))
    table = _table(organiser) + "?status=waitlisted"

    page = client.get(table)
    offered = client.post(f"{_person(organiser, waiting)}offer/", {"next": table}, follow=True)

    assert 'formaction="' + f"{_person(organiser, waiting)}offer/" in page.content.decode()
    assert offered.redirect_chain[0][0] == table
    assert "Ada Okoye has been offered a place" in offered.content.decode()
    waiting.refresh_from_db()
    assert waiting.status == S.OFFERED and waiting.offer_expires_at is not None
    assert OutboxMessage.objects.filter(
        recipient=waiting.user.email, subject__startswith="A place at"
    ).exists()
    entry = AuditEntry.objects.get(action="registration.offered", target_id=str(waiting.pk))
    assert entry.actor == organiser.user and entry.data["by"] == "organiser"


def test_no_offer_when_no_seat_is_free_and_the_reason_is_shown(client, organiser):
    event = organiser.event
    event.capacity = 1
    event.save()
    register(event, UserFactory())
    waiting = register(event, UserFactory(display_name="Ada Okoye"))

    table = client.get(_table(organiser), {"status": "waitlisted"})
    page = client.get(_person(organiser, waiting))
    forced = client.post(f"{_person(organiser, waiting)}offer/", follow=True)

    reason = "No seat is free to offer"
    assert reason in table.content.decode() and "offer/" not in table.content.decode()
    assert reason in page.content.decode() and "Offer a place" not in page.content.decode()
    assert "The event is full." in forced.content.decode()
    assert Registration.objects.get(pk=waiting.pk).status == S.WAITLISTED


def test_no_offer_once_the_event_has_started(client, organiser):
    event = organiser.event
    _review_mode(event)
    waiting = _waitlisted_by_organiser(event, UserFactory(display_name="Ada Okoye"))
    started = event.starts_at + datetime.timedelta(minutes=1)
    event.starts_at = timezone.now() - datetime.timedelta(minutes=1)
    event.save()

    page = client.get(_person(organiser, waiting))
    forced = client.post(f"{_person(organiser, waiting)}offer/", follow=True)

    assert "Offer a place" not in page.content.decode()
    assert "places are no longer offered" in page.content.decode()
    assert "no place can be offered any more" in forced.content.decode()
    assert Registration.objects.get(pk=waiting.pk).status == S.WAITLISTED
    with pytest.raises(ApplicationError, match="no place can be offered"):
        services.registration_transition(
            registration=waiting, to=S.OFFERED, by=Actor.ORGANISER, actor=None, now=started
        )


def test_an_offer_cannot_be_accepted_once_the_event_is_over(organiser):
    event = organiser.event
    _review_mode(event)
    waiting = _waitlisted_by_organiser(event, UserFactory())
    offered = services.registration_transition(
        registration=waiting, to=S.OFFERED, by=Actor.ORGANISER, actor=None
    )
    over = event.ends_at + datetime.timedelta(minutes=1)
    Registration.objects.filter(pk=offered.pk).update(offer_expires_at=over)
    offered.refresh_from_db()

    with pytest.raises(ApplicationError, match="The event is over"):
        services.registration_answer_offer(
            registration=offered, accept=True, actor=offered.user, now=over
        )
    assert Registration.objects.get(pk=offered.pk).status == S.OFFERED


def test_offer_of_another_events_registration_is_not_found(client, organiser):
    other = EventFactory()
    _review_mode(other)
    theirs = _waitlisted_by_organiser(other, UserFactory())

    response = client.post(f"/organise/{organiser.event.slug}/registrations/{theirs.pk}/offer/")

    assert response.status_code == 404
    assert Registration.objects.get(pk=theirs.pk).status == S.WAITLISTED


# --- A page per person ----------------------------------------------------------------


def test_person_page_shows_answers_status_and_history(client, organiser):
    event = organiser.event
    dietary = event.questions.get(label="Do you have any dietary needs?")
    laptop = Question.objects.create(event=event, label="Bringing a laptop?", kind="yes_no")
    person = UserFactory(display_name="Carol Byrne", participant_type="researcher")
    registration = register(event, person, answers={dietary.pk: "Vegan", laptop.pk: False})
    services.registration_leave(registration=registration, actor=person)

    response = client.get(_person(organiser, registration))

    content = response.content.decode()
    assert response.status_code == 200
    assert dietary.sensitive
    assert ("Do you have any dietary needs?", "Vegan") in [
        (q.label, v) for q, v in response.context["answers"]
    ]
    assert "Organisers only" in content and "Vegan" in content
    assert "Researcher" in content and person.email in content
    assert "Cancelled" in content
    assert [line.text for line in response.context["history"]] == [
        "Applied and got a place.",
        "Place cancelled by Carol Byrne.",
    ]


def test_person_history_names_organisers_and_the_system_in_words(client, organiser):
    event = organiser.event
    event.capacity = 1
    event.save()
    first = register(event, UserFactory())
    waiting = register(event, UserFactory(display_name="Ada Okoye"))
    services.registration_transition(
        registration=first, to=S.CANCELLED, by=Actor.ORGANISER, actor=organiser.user
    )
    registration = Registration.objects.get(pk=waiting.pk)
    services.registration_answer_offer(registration=registration, accept=True, actor=waiting.user)

    cancelled = client.get(_person(organiser, first)).context["history"]
    offered = client.get(_person(organiser, waiting)).context["history"]

    assert [line.text for line in cancelled] == [
        "Applied and got a place.",
        f"Place cancelled by {organiser.user}.",
    ]
    assert [line.text for line in offered] == [
        "Applied and joined the waiting list.",
        "Offered a place (automatically).",
        "Place confirmed by Ada Okoye.",
    ]


def test_person_page_of_another_event_is_not_found(client, organiser):
    theirs = register(EventFactory(), UserFactory())

    response = client.get(f"/organise/{organiser.event.slug}/registrations/{theirs.pk}/")

    assert response.status_code == 404


def test_person_page_is_for_the_events_organisers_only(client):
    """A volunteer runs the door but may not read people's answers: 404."""
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    registration = register(role.event, UserFactory())
    client.force_login(role.user)

    response = client.get(f"/organise/{role.event.slug}/registrations/{registration.pk}/")

    assert response.status_code == 404


def test_person_cancel_asks_first_then_cancels(client, organiser):
    registration = register(organiser.event, UserFactory(display_name="Sam Patel"))
    url = _person(organiser, registration)

    asked = client.post(url, {"action": "cancel"})
    done = client.post(url, {"action": "cancel", "confirmed": "yes"}, follow=True)

    assert asked.status_code == 200
    assert asked.context["title"] == "Cancel Sam Patel's place?"
    assert escape("Sam Patel's place is cancelled; we have emailed them.") in done.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == S.CANCELLED


def test_person_decisions_are_those_possible_now(client, organiser):
    _review_mode(organiser.event)
    applied = register(organiser.event, UserFactory())

    response = client.get(_person(organiser, applied))
    confirmed = client.post(_person(organiser, applied), {"action": "confirm"}, follow=True)
    unknown = client.post(_person(organiser, applied), {"action": "offer"}, follow=True)

    assert [a["name"] for a in response.context["actions"]] == ["confirm", "waitlist", "decline"]
    assert Registration.objects.get(pk=applied.pk).status == S.CONFIRMED
    assert "has a confirmed place" in confirmed.content.decode()
    assert "Choose one of the decisions on this page." in unknown.content.decode()


def test_person_page_queries_flat_over_history(client, organiser):
    registration = register(organiser.event, UserFactory())

    def add(k):
        for _ in range(k):
            services.registration_details_update(
                registration=registration,
                answers={},
                theme_interests=[],
                consents={"code_of_conduct", "privacy"},
                actor=UserFactory(),
            )

    def fetch():
        response = client.get(_person(organiser, registration))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: [
            str(entry.actor)
            for entry in AuditEntry.objects.filter(action="registration.details_updated")
        ],
    )


# --- Raising capacity -----------------------------------------------------------------


def test_raising_capacity_tells_the_organiser_how_many_offers_went(client, organiser):
    event = organiser.event
    event.capacity = 1
    event.save()
    _fill(event, 4)  # one place, three waiting
    fields = {
        "name": event.name,
        "venue_name": event.venue_name,
        "capacity": 3,
        "starts_at": timezone.localtime(event.starts_at).strftime("%Y-%m-%dT%H:%M"),
        "ends_at": timezone.localtime(event.ends_at).strftime("%Y-%m-%dT%H:%M"),
        "registration_opens_at": timezone.localtime(event.registration_opens_at).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "registration_closes_at": timezone.localtime(event.registration_closes_at).strftime(
            "%Y-%m-%dT%H:%M"
        ),
    }

    response = client.post(f"/organise/{event.slug}/details/", fields, follow=True)

    assert "Event details saved. 2 offers sent to people on the waiting list." in (
        response.content.decode()
    )
    assert Registration.objects.filter(event=event, status=S.OFFERED).count() == 2


def test_raising_capacity_with_nobody_waiting_says_only_saved():
    event = EventFactory(capacity=1)
    register(event, UserFactory())
    said = []

    event_update(actor=UserFactory(), event=event, report=said.append, capacity=5)
    event_update(actor=UserFactory(), event=event, report=said.append, capacity=2)

    assert said == []


def test_raising_capacity_reports_each_offer_through_the_service():
    event = EventFactory(capacity=1)
    _fill(event, 3)
    said = []

    event_update(actor=UserFactory(), event=event, report=said.append, capacity=2)

    assert said == ["1 offer sent to people on the waiting list."]


def test_history_words_a_walk_in_and_applying_again(organiser):
    walk_in = services.registration_walk_in(
        event=organiser.event,
        name="Jo Bloggs",
        consents={"code_of_conduct", "privacy"},
        actor=organiser.user,
    )
    person = UserFactory(display_name="Sam Patel")
    first = register(organiser.event, person)
    services.registration_leave(registration=first, actor=person)
    register(organiser.event, person)

    assert [line.text for line in registration_history(walk_in)] == [
        f"Arrived without registering and was checked in as a walk-in by {organiser.user}."
    ]
    assert [line.text for line in registration_history(first)] == [
        "Applied and got a place.",
        "Place cancelled by Sam Patel.",
        "Applied again and got a place.",
    ]


def test_bulk_cancel_asks_first_naming_everyone_then_cancels(client, organiser):
    event = organiser.event
    sam = register(event, UserFactory(display_name="Sam Patel"))
    carol = register(event, UserFactory(display_name="Carol Byrne"))
    chosen = {"action": "cancel", "registration": [sam.pk, carol.pk]}
    table = _table(organiser) + "?status=confirmed"

    asked = client.post(table, chosen)
    done = client.post(table, {**chosen, "confirmed": "yes"}, follow=True)

    assert asked.status_code == 200
    assert asked.context["title"] == "Cancel the places of 2 people?"
    assert asked.context["lines"] == [
        "Sam Patel and Carol Byrne will be emailed that their place is cancelled; each seat "
        "is offered to the next person on the waiting list."
    ]
    hidden = asked.content.decode()
    assert f'name="registration" value="{sam.pk}"' in hidden
    assert f'name="registration" value="{carol.pk}"' in hidden
    assert "2 registrations now cancelled." in done.content.decode()
    assert set(Registration.objects.values_list("status", flat=True)) == {S.CANCELLED}
