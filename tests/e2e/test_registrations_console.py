"""An organiser works through the registrations table: selects all on a page, waitlists
in bulk, offers a free seat to one person, sorts, reads a person's page; and previews a
message on a phone. Each page passes axe and fits a 390 px screen."""

import pytest
from playwright.sync_api import expect

from events.enums import RoleKind
from registration.enums import AdmissionMode, RegistrationStatus
from registration.models import Registration, RegistrationPolicy
from tests.e2e.conftest import assert_accessible, login
from tests.factories import EventRoleFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.browser
S = RegistrationStatus
PHONE_WIDTH = 390


def _reviewed_event():
    """An event that reviews applications, five places, three applicants."""
    role = EventRoleFactory(role=RoleKind.ORGANISER, user__display_name="Olu Organiser")
    event = role.event
    event.capacity = 5
    event.save()
    RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.REVIEW)
    dietary = event.questions.get(label="Do you have any dietary needs?")
    for name, kind in [("Sam Patel", "student"), ("Carol Byrne", "researcher")]:
        register(
            event,
            UserFactory(display_name=name, participant_type=kind),
            answers={dietary.pk: "Vegan"},
        )
    return role


def _fits_phone(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_organiser_selects_all_waitlists_and_offers_a_free_seat(new_page, live_server):
    role = _reviewed_event()
    event = role.event
    page = new_page("desktop")
    login(page, live_server, role.user)
    table = f"{live_server.url}/organise/{event.slug}/registrations/"

    page.goto(f"{table}?status=applied")
    assert_accessible(page, "registrations-desktop")
    page.get_by_label("Select all on this page").check()
    for name in ("Sam Patel", "Carol Byrne"):
        expect(page.get_by_label(f"Select {name}")).to_be_checked()
    page.get_by_label("With the selected registrations").select_option("waitlist")
    page.get_by_role("button", name="Apply").click()

    expect(page.get_by_role("alert")).to_contain_text("2 registrations now waitlisted.")
    assert set(Registration.objects.filter(event=event).values_list("status", flat=True)) == {
        S.WAITLISTED
    }

    page.goto(f"{table}?status=waitlisted")
    # Seats are offered one person at a time: no bulk action for those waiting.
    expect(page.get_by_label("With the selected registrations")).to_have_count(0)
    page.get_by_role("button", name="Offer a place to Carol Byrne").click()

    expect(page.get_by_role("alert")).to_contain_text("Carol Byrne has been offered a place")
    carol = Registration.objects.get(event=event, user__display_name="Carol Byrne")
    assert carol.status == S.OFFERED

    page.goto(table)
    page.get_by_role("link", name="Name").click()
    expect(page.get_by_role("columnheader", name="Name")).to_have_attribute(
        "aria-sort", "ascending"
    )
    expect(page.locator("tbody tr").first).to_contain_text("Carol Byrne")

    page.get_by_role("link", name="Carol Byrne").click()
    expect(page.get_by_role("heading", name="Carol Byrne")).to_be_visible()
    expect(page.get_by_text("Put on the waiting list by Olu Organiser.")).to_be_visible()
    expect(page.get_by_text("Offered a place by Olu Organiser.")).to_be_visible()
    expect(page.get_by_text("Vegan")).to_be_visible()
    assert_accessible(page, "registration-person-desktop")


def test_registrations_pages_fit_a_phone_without_javascript(new_page, live_server):
    role = _reviewed_event()
    event = role.event
    page = new_page("phone", javascript=False)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}/organise/{event.slug}/registrations/")
    # Without JavaScript there is no select-all, and each row's own checkbox still works.
    expect(page.get_by_label("Select all on this page")).to_be_hidden()
    page.get_by_label("Select Sam Patel").check()
    page.get_by_label("With the selected registrations").select_option("confirm")
    page.get_by_role("button", name="Apply").click()
    expect(page.get_by_role("alert")).to_contain_text("1 registration now confirmed.")
    _fits_phone(page)
    assert_accessible(page, "registrations-phone")

    page.get_by_role("link", name="Sam Patel").click()
    expect(page.get_by_role("heading", name="Sam Patel")).to_be_visible()
    expect(page.get_by_role("button", name="Cancel their place")).to_be_visible()
    _fits_phone(page)
    assert_accessible(page, "registration-person-phone")

    page.goto(f"{live_server.url}/organise/{event.slug}/messages/")
    page.get_by_label("Confirmed, not yet checked in (1 person)").check()
    page.get_by_label("Subject").fill("Doors open at 9:30 on the day of the event")
    page.get_by_label("Message").fill("Bring a laptop if you have one, and a charger.")
    page.get_by_role("button", name="Preview message").click()
    expect(page.get_by_role("heading", name="The email Sam Patel will get")).to_be_visible()
    expect(page.get_by_role("button", name="Send to 1 person")).to_be_visible()
    _fits_phone(page)
    assert_accessible(page, "message-preview-phone")
