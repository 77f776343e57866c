import datetime
import re
import zoneinfo

import pytest
from django.utils import timezone

from events.enums import RoleKind
from registration.enums import RegistrationStatus
from registration.models import Registration
from registration.selectors import is_event_day
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.days import run_today
from tests.registration.helpers import register, ticket_code

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def test_check_in_by_scanned_token(client, organiser):
    registration = register(organiser.event, UserFactory())
    run_today(organiser.event)

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
    run_today(organiser.event)
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
    run_today(organiser.event)
    url = f"/organise/{organiser.event.slug}/check-in/"

    found = client.get(url, {"q": "priya"})
    checked = client.post(f"{url}{registration.pk}/", {"q": "priya"})

    assert "Priya Shah" in found.content.decode()
    # Back to the same search, at the card just handled.
    assert checked["Location"] == f"{url}?q=priya#registration-{registration.pk}"
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
    run_today(role.event)
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


# --- Off the event's day each check-in asks first ---------------------------------------

LONDON = zoneinfo.ZoneInfo("Europe/London")


def _at(day, hour, minute=0):
    return datetime.datetime(2026, 6, day, hour, minute, tzinfo=LONDON)


@pytest.mark.parametrize(
    "now, on_the_day",
    [
        (_at(12, 23, 59), False),
        # 00:30 in London is still the 12th in UTC: the local date decides.
        (_at(13, 0, 30), True),
        (_at(13, 8), True),
        (_at(13, 23, 59), True),
        (_at(14, 0, 0), False),
    ],
)
def test_is_event_day_by_the_local_date(now, on_the_day):
    event = EventFactory.build(starts_at=_at(13, 9, 30), ends_at=_at(13, 17))

    assert is_event_day(event, now=now) is on_the_day


def test_is_event_day_spans_a_weekend_and_ends_at_midnight():
    event = EventFactory.build(starts_at=_at(13, 18), ends_at=_at(15, 0))

    assert [is_event_day(event, now=_at(day, 12)) for day in (12, 13, 14, 15)] == [
        False,
        True,
        True,
        False,
    ]


@pytest.fixture
def clock(monkeypatch):
    """Sets Django's clock for the rest of the test: `clock(when)`."""

    def set_to(when):
        monkeypatch.setattr(timezone, "now", lambda: when)

    return set_to


@pytest.fixture
def summer_event(organiser, clock):
    """`organiser`'s event on Saturday 13 June 2026, 09:30 to 17:00 in London, with
    Sam Patel's confirmed place, registered on 1 June."""
    event = organiser.event
    event.registration_opens_at, event.registration_closes_at = _at(1, 9), _at(11, 9)
    event.starts_at, event.ends_at = _at(13, 9, 30), _at(13, 17)
    event.save()
    clock(_at(1, 10))
    register(event, UserFactory(display_name="Sam Patel"))
    return event


def test_check_in_just_after_local_midnight_is_on_the_day(client, summer_event, clock):
    registration = summer_event.registrations.get()
    code = ticket_code(registration)
    clock(_at(13, 0, 30))  # 23:30 on the 12th in UTC

    response = client.post(f"/organise/{summer_event.slug}/check-in/", {"token": code})

    assert response.status_code == 302
    assert Registration.objects.get(pk=registration.pk).status == S.CHECKED_IN


def test_check_in_by_code_off_the_day_asks_then_checks_in(client, summer_event, clock):
    registration = summer_event.registrations.get()
    code = ticket_code(registration)
    url = f"/organise/{summer_event.slug}/check-in/"
    clock(_at(14, 0, 30))

    asked = client.post(url, {"token": code})
    unchanged = Registration.objects.get(pk=registration.pk).status
    confirmed = client.post(url, {"token": code, "confirmed": "yes"})

    page = asked.content.decode()
    assert asked.status_code == 200
    assert asked.templates[0].name == "confirm.html"
    assert "Check in Sam Patel today?" in page
    assert f"{summer_event.name} is on Saturday 13 June 2026. Today is Sunday 14 June 2026." in (
        page
    )
    assert asked.context["fields"] == {"token": code}
    assert asked.context["back"] == url
    assert unchanged == S.CONFIRMED
    assert confirmed["Location"] == url
    assert Registration.objects.get(pk=registration.pk).status == S.CHECKED_IN


def test_check_in_from_search_off_the_day_asks_with_the_search(client, summer_event, clock):
    registration = summer_event.registrations.get()
    url = f"/organise/{summer_event.slug}/check-in/"
    clock(_at(12, 18))

    asked = client.post(f"{url}{registration.pk}/", {"q": "sam"})
    unchanged = Registration.objects.get(pk=registration.pk).status
    confirmed = client.post(f"{url}{registration.pk}/", {"q": "sam", "confirmed": "yes"})

    assert asked.status_code == 200
    assert asked.context["fields"] == {"q": "sam"}
    assert asked.context["back"] == f"{url}?q=sam#registration-{registration.pk}"
    assert 'name="confirmed" value="yes"' in asked.content.decode()
    assert unchanged == S.CONFIRMED
    assert confirmed["Location"] == f"{url}?q=sam#registration-{registration.pk}"
    assert Registration.objects.get(pk=registration.pk).status == S.CHECKED_IN


def test_door_page_warns_only_off_the_day(client, summer_event, clock):
    url = f"/organise/{summer_event.slug}/check-in/"
    clock(_at(12, 18))
    before = client.get(url)
    clock(_at(13, 8))
    on_the_day = client.get(url)

    warning = "Today is not the event's day: it is on Saturday 13 June 2026."
    assert warning in before.content.decode()
    assert before.context["is_event_day"] is False
    assert warning not in on_the_day.content.decode()
    assert on_the_day.context["is_event_day"] is True


def test_already_checked_in_off_the_day_is_said_without_asking(client, summer_event, clock):
    registration = summer_event.registrations.get()
    code = ticket_code(registration)
    url = f"/organise/{summer_event.slug}/check-in/"
    clock(_at(13, 10))
    client.post(url, {"token": code})
    clock(_at(14, 10))

    response = client.post(url, {"token": code}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    assert "Sam Patel is already checked in." in response.content.decode()


# --- The page on a phone ------------------------------------------------------------------


def test_door_code_box_is_large_and_unassisted_and_focused(client, organiser):
    page = client.get(f"/organise/{organiser.event.slug}/check-in/")

    html = page.content.decode()
    box = re.search(r'<input type="text" name="token"[^>]*>', html).group(0)
    for attribute in (
        'class="govuk-input civichack-input--code"',
        'inputmode="text"',
        'autocapitalize="characters"',
        'autocomplete="off"',
        'spellcheck="false"',
        "autofocus",
    ):
        assert attribute in box
    search = re.search(r'<input type="search" name="q"[^>]*>', html).group(0)
    assert "autofocus" not in search
    # The camera button waits for door.js, loaded as a module from a file.
    assert re.search(r"<button[^>]*data-door-scan hidden>Scan a ticket with the camera<", html)
    assert '<script type="module" src="/static/js/door.js"></script>' in html


def test_door_search_shows_cards_and_focuses_the_search(client, organiser):
    event = organiser.event
    here = register(event, UserFactory(display_name="Priya Shah"))
    coming = register(event, UserFactory(display_name="Priya Singh"))
    run_today(event)
    client.post(f"/organise/{event.slug}/check-in/{here.pk}/")

    page = client.get(f"/organise/{event.slug}/check-in/", {"q": "priya"})

    html = page.content.decode()
    cards = re.findall(
        r'<li class="civichack-card civichack-door-card" id="([\w-]+)" tabindex="-1">', html
    )
    assert cards == [f"registration-{here.pk}", f"registration-{coming.pk}"]
    assert html.count('class="govuk-button govuk-!-width-full civichack-button--large"') == 1
    assert 'Check in<span class="govuk-visually-hidden"> Priya Singh</span>' in html
    assert '<strong class="govuk-tag govuk-tag--turquoise">Checked in</strong> at' in html
    assert '<strong class="govuk-tag govuk-tag--green">Confirmed</strong>' in html
    assert re.search(r'<input type="search" name="q" value="priya"[^>]*autofocus', html)
    assert f'action="/organise/{event.slug}/check-in/#id_q"' in html


def test_door_bad_code_is_shown_at_its_box_and_changes_nothing(client, organiser):
    registration = register(organiser.event, UserFactory())

    response = client.post(f"/organise/{organiser.event.slug}/check-in/", {"token": "ABCDE"})

    assert response.status_code == 400
    assert response.context["code_form"].errors == {
        "token": [
            "That is not a ticket code: a code is 10 letters and digits, like ABCDE-23456. "
            "Try searching by name."
        ]
    }
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert Registration.objects.get(pk=registration.pk).status == S.CONFIRMED


def test_door_empty_code_asks_for_one(client, organiser):
    response = client.post(f"/organise/{organiser.event.slug}/check-in/", {"token": " "})

    assert response.status_code == 400
    assert response.context["code_form"].errors == {"token": ["Enter the ticket code."]}


def test_check_in_one_refused_returns_to_the_top_of_the_search(client, organiser):
    registration = register(organiser.event, UserFactory(display_name="Sam Patel"))
    run_today(organiser.event)
    url = f"/organise/{organiser.event.slug}/check-in/"
    client.post(f"{url}{registration.pk}/", {"q": "sam"})

    again = client.post(f"{url}{registration.pk}/", {"q": "sam"})

    # The refusal's banner is at the top, so no #fragment takes the page past it.
    assert again["Location"] == f"{url}?q=sam"


def test_check_in_one_other_events_registration_is_404(client, organiser):
    elsewhere = register(EventFactory(), UserFactory())

    response = client.post(f"/organise/{organiser.event.slug}/check-in/{elsewhere.pk}/")

    assert response.status_code == 404
    assert Registration.objects.get(pk=elsewhere.pk).status == S.CONFIRMED
