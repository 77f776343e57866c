"""At the door a volunteer adds a walk-in; an organiser follows the funnel on the
dashboard and messages everyone confirmed. JavaScript off."""

import pytest
from playwright.sync_api import expect

from common.models import OutboxMessage
from events.enums import RoleKind
from registration.models import Registration, SegmentMessage
from tests.e2e.conftest import assert_accessible, login
from tests.factories import EventRoleFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.browser


def test_volunteer_adds_walk_in_on_a_phone(new_page, live_server):
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    page = new_page("phone", javascript=False)
    login(page, live_server, role.user)
    page.goto(f"{live_server.url}/organise/{role.event.slug}/check-in/")

    page.get_by_role("button", name="Check in walk-in").click()
    expect(page.get_by_text("This must be accepted to take part.").first).to_be_visible()
    assert_accessible(page, "walk-in-errors-phone")
    page.get_by_label("Walk-in's name").fill("Jo Bloggs")
    page.get_by_label("They agree to follow the code of conduct.").check()
    page.get_by_label("They have been shown the privacy notice.").check()
    page.get_by_role("button", name="Check in walk-in").click()

    expect(page.get_by_role("status")).to_contain_text("Jo Bloggs is checked in as a walk-in.")
    assert_accessible(page, "check-in-after-walk-in-phone")
    walk_in = Registration.objects.get(event=role.event, walk_in_name="Jo Bloggs")
    assert walk_in.status == "checked_in"


def test_organiser_sees_funnel_and_messages_confirmed(new_page, live_server):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    register(
        role.event,
        UserFactory(
            display_name="Jo Coming", participant_type="student", email="coming@example.org"
        ),
    )
    page = new_page("desktop", javascript=False)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}/organise/{role.event.slug}/")
    funnel = page.get_by_role("table", name="From application to the door, by participant type")
    expect(funnel.get_by_role("row", name="Student")).to_contain_text("1")
    assert_accessible(page, "dashboard-funnel-desktop")

    page.get_by_role("link", name="Send a message").click()
    page.get_by_label("Confirmed, not yet checked in (1 person)").check()
    page.get_by_label("Subject").fill("Doors open at 9:30")
    page.get_by_label("Message").fill("Bring a laptop if you have one.")
    page.get_by_role("button", name="Preview message").click()

    # Nothing goes until the organiser has seen it as its recipients will.
    expect(page.get_by_role("heading", name="The email Jo Coming will get")).to_be_visible()
    expect(page.get_by_text("Bring a laptop if you have one.")).to_be_visible()
    assert_accessible(page, "message-preview-desktop")
    assert not SegmentMessage.objects.exists()
    page.get_by_role("button", name="Send to 1 person").click()

    expect(page.get_by_role("alert")).to_contain_text("is on its way to 1 person")
    expect(page.get_by_role("row", name="Doors open at 9:30")).to_contain_text("1")
    assert_accessible(page, "messages-desktop")
    assert SegmentMessage.objects.get(event=role.event).recipient_count == 1
    assert OutboxMessage.objects.filter(recipient="coming@example.org").count() == 2

    page.get_by_role("link", name="Doors open at 9:30").click()
    expect(page.get_by_role("heading", name="Doors open at 9:30")).to_be_visible()
    expect(page.get_by_text("Bring a laptop if you have one.")).to_be_visible()
    assert_accessible(page, "message-sent-desktop")
