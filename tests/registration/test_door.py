import pytest

from events.enums import RoleKind
from registration.enums import RegistrationStatus
from registration.models import Registration
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register, ticket_code

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def test_check_in_by_scanned_token(client, organiser):
    registration = register(organiser.event, UserFactory())

    response = client.post(
        f"/organise/{organiser.event.slug}/check-in/",
        {"token": f"  {ticket_code(registration)}\n"},
        follow=True,
    )

    assert "is checked in" in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == S.CHECKED_IN
    capacity = response.context["capacity"]
    assert (capacity.confirmed, capacity.checked_in, capacity.waitlisted) == (0, 1, 0)


def test_check_in_twice_says_already_checked_in(client, organiser):
    registration = register(organiser.event, UserFactory(display_name="Sam Patel"))
    url = f"/organise/{organiser.event.slug}/check-in/"
    code = ticket_code(registration)
    client.post(url, {"token": code})

    response = client.post(url, {"token": code}, follow=True)

    assert "Sam Patel is already checked in." in response.content.decode()


@pytest.mark.parametrize(
    "token, message",
    [
        ("garbage", "That is not a ticket code"),
        ("12:forged-signature", "That is not a ticket code"),
        ("ABCDE-23456", "That ticket code is not valid"),
    ],
)
def test_check_in_bad_token_changes_nothing(client, organiser, token, message):
    registration = register(organiser.event, UserFactory())

    response = client.post(
        f"/organise/{organiser.event.slug}/check-in/", {"token": token}, follow=True
    )

    assert message in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED


def test_check_in_other_events_ticket_is_refused(client, organiser):
    elsewhere = register(EventFactory(), UserFactory())

    response = client.post(
        f"/organise/{organiser.event.slug}/check-in/",
        {"token": ticket_code(elsewhere)},
        follow=True,
    )

    assert "That ticket is for another event." in response.content.decode()
    assert Registration.objects.get(pk=elsewhere.pk).status == S.CONFIRMED


def test_check_in_search_by_name_and_check_in(client, organiser):
    registration = register(organiser.event, UserFactory(display_name="Priya Shah"))
    url = f"/organise/{organiser.event.slug}/check-in/"

    found = client.get(url, {"q": "priya"})
    checked = client.post(f"{url}{registration.pk}/", {"q": "priya"})

    assert "Priya Shah" in found.content.decode()
    assert checked["Location"] == f"{url}?q=priya"
    assert Registration.objects.get(pk=registration.pk).status == S.CHECKED_IN


def test_check_in_search_queries_flat(client, organiser):
    event = organiser.event

    def add(k):
        start = event.registrations.count()
        for n in range(k):
            register(event, UserFactory(display_name=f"Dev Kowalski {start + n}"))

    def fetch():
        response = client.get(f"/organise/{event.slug}/check-in/", {"q": "Kowalski"})
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: [r.person_name for r in event.registrations.select_related("user")],
    )


def test_volunteer_checks_in_but_cannot_open_console(client):
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    registration = register(role.event, UserFactory())
    client.force_login(role.user)

    door = client.post(
        f"/organise/{role.event.slug}/check-in/", {"token": ticket_code(registration)}
    )
    console = client.get(f"/organise/{role.event.slug}/registrations/")
    event_page = client.get(role.event.get_absolute_url())

    assert door.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == S.CHECKED_IN
    assert console.status_code == 404
    assert b"Open check-in" in event_page.content
