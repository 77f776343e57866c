"""A participant registers, shows the ticket, and is checked in; JavaScript off."""

import pytest
from playwright.sync_api import expect

from events.enums import RoleKind
from registration.models import Registration
from tests.e2e.conftest import assert_accessible, login
from tests.factories import EventFactory, EventRoleFactory, ThemeFactory, UserFactory
from tests.registration.days import run_today
from tests.registration.helpers import register

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_participant_registers_without_javascript(new_page, live_server, viewport):
    event = EventFactory(capacity=30)
    ThemeFactory(event=event, name="Active travel")
    person = UserFactory()
    page = new_page(viewport, javascript=False)

    login(page, live_server, person)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.get_by_role("link", name="Register", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Register for {event.name}")
    assert_accessible(page, f"register-form-{viewport}")

    page.get_by_label("Community researcher").check()
    page.get_by_label("Active travel").check()
    page.get_by_label("Do you have any dietary needs?").fill("Vegetarian")
    page.get_by_label("I agree to follow the code of conduct.").check()
    page.get_by_label("I have read the privacy notice.").check()
    page.get_by_role("button", name="Register").click()

    expect(page.get_by_role("alert")).to_contain_text("You have a place.")
    expect(page.get_by_role("row", name=event.name)).to_contain_text("Confirmed")
    assert_accessible(page, f"my-registrations-{viewport}")
    registration = Registration.objects.get(event=event, user=person)
    assert registration.answers.get().value == "Vegetarian"
    assert [t.name for t in registration.theme_interests.all()] == ["Active travel"]


def test_participant_shows_ticket_and_organiser_checks_in(new_page, live_server):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    person = UserFactory(display_name="Carol Byrne")
    registration = register(role.event, person)
    run_today(role.event)  # on the event's day the door checks in without asking

    participant = new_page("phone", javascript=False)
    login(participant, live_server, person)
    participant.goto(f"{live_server.url}/registrations/")
    participant.get_by_role("link", name=f"Ticket for {role.event.name}").click()
    participant.get_by_role("button", name="Show my ticket code").click()
    expect(participant.get_by_role("img", name="QR code of your ticket")).to_be_visible()
    assert_accessible(participant, "ticket-phone")
    code = participant.locator("figcaption code").inner_text()

    door = new_page("desktop", javascript=False)
    login(door, live_server, role.user)
    door.goto(f"{live_server.url}/organise/{role.event.slug}/check-in/")
    assert_accessible(door, "check-in-desktop")
    door.get_by_label("Ticket code").fill(code)
    door.get_by_role("button", name="Check in", exact=True).click()

    expect(door.get_by_role("alert")).to_contain_text("Carol Byrne is checked in.")
    door.goto(f"{live_server.url}/organise/{role.event.slug}/registrations/")
    expect(door.get_by_role("row", name="Carol Byrne")).to_contain_text("Checked in")
    assert_accessible(door, "registrations-table-desktop")
    registration.refresh_from_db()
    assert registration.status == "checked_in"
