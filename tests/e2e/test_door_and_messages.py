"""An organiser follows the funnel on the dashboard and messages everyone confirmed.
JavaScript off. (The door's journeys are in test_door.py.)"""

import pytest
from playwright.sync_api import expect

from common.models import OutboxMessage
from events.enums import RoleKind
from registration.models import SegmentMessage
from tests.e2e.conftest import assert_accessible, login
from tests.factories import EventRoleFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.browser


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
