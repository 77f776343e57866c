"""Registering for a full event onto the waiting list, then accepting the offered place
from the offer email's link; and the participant's pages at phone and desktop widths.

The live server runs in the test process, so the offer email is read from
django.core.mail.outbox, and the organiser's side frees the seat through the service.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from events.enums import RoleKind
from registration import services
from registration.enums import Actor, RegistrationStatus
from registration.models import Registration
from tests.e2e.conftest import VIEWPORTS, assert_accessible, login
from tests.factories import PASSWORD, EventFactory, EventRoleFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.browser
S = RegistrationStatus


def sign_in(page, live_server, user) -> None:
    """conftest.login, but the check works on a phone too, where the Sign out button sits
    behind the Menu toggle: the page has the sign-out form once signed in."""
    page.goto(f"{live_server.url}/accounts/login/")
    fill_sign_in(page, user)
    expect(page.locator('form[action="/accounts/logout/"]')).to_have_count(1)


def fill_sign_in(page, user) -> None:
    page.get_by_label("Email").fill(user.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def assert_fits(page, viewport: str) -> None:
    """No page is wider than the screen it is shown on."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], f"{page.url} is {width}px wide"


def check(page, viewport: str, name: str) -> None:
    assert_fits(page, viewport)
    assert_accessible(page, f"{name}-{viewport}")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_waiting_list_then_accepting_the_offer_from_the_email(
    new_page, live_server, settings, viewport
):
    settings.SITE_URL = live_server.url  # the email's links lead to this server
    organiser = EventRoleFactory(role=RoleKind.ORGANISER, event__capacity=1)
    event = organiser.event
    holder = register(event, UserFactory())
    person = UserFactory(display_name="Priya Shah")
    page = new_page(viewport)

    sign_in(page, live_server, person)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    expect(page.get_by_text("Full — join the waiting list")).to_be_visible()
    check(page, viewport, "journey-event-full")

    page.get_by_role("link", name="Join the waiting list").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Register for {event.name}")
    expect(page.locator(".govuk-warning-text")).to_contain_text(
        "This event is full: when you submit this form you join the waiting list."
    )
    check(page, viewport, "journey-register-full")

    page.get_by_role("button", name="Join the waiting list").click()  # nothing filled in
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose which describes you best.")
    expect(summary).to_be_focused()
    check(page, viewport, "journey-register-errors")
    summary.get_by_role("link", name="Choose which describes you best.").click()
    expect(page.get_by_label("Student")).to_be_focused()

    page.get_by_label("Student").check()
    page.get_by_label("I agree to follow the code of conduct.").check()
    page.get_by_label("I have read the privacy notice.").check()
    page.get_by_role("button", name="Join the waiting list").click()

    expect(page.get_by_role("alert")).to_contain_text("you are on the waiting list")
    row = page.get_by_role("row", name=event.name)
    expect(row).to_contain_text("Waitlisted")
    expect(row).to_contain_text("Number 1 on the waiting list")
    check(page, viewport, "journey-waitlisted")

    mail.outbox.clear()
    services.registration_transition(
        registration=holder, to=S.CANCELLED, by=Actor.ORGANISER, actor=organiser.user
    )
    [offer] = [m for m in mail.outbox if m.to == [person.email]]
    accept = re.search(r"^Accept your place: (\S+)$", offer.body, re.M)[1]

    # Opened from the email, signed out: sign-in leads back to the offer.
    reader = new_page(viewport)
    reader.goto(accept)
    expect(reader).to_have_url(re.compile(r"/accounts/login/\?next="))
    fill_sign_in(reader, person)
    expect(reader.get_by_role("heading", level=1)).to_have_text("A place is yours if you want it")
    check(reader, viewport, "journey-offer")

    reader.get_by_role("button", name="Accept the place").click()
    expect(reader.get_by_role("alert")).to_contain_text(f"Your place at {event.name} is confirmed.")
    expect(reader.get_by_role("row", name=event.name)).to_contain_text("Confirmed")
    assert Registration.objects.get(event=event, user=person).status == S.CONFIRMED
    confirmation = [m for m in mail.outbox if m.to == [person.email]][-1]
    assert "Your ticket: " in confirmation.body

    reader.get_by_role("link", name=f"Ticket for {event.name}").click()
    reader.get_by_role("button", name="Show my ticket code").click()
    expect(reader.get_by_role("img", name="QR code of your ticket")).to_be_visible()
    check(reader, viewport, "journey-ticket")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_declining_and_cancelling_ask_first(new_page, live_server, viewport):
    event = EventFactory(capacity=1)
    holder = register(event, UserFactory())
    person = UserFactory()
    waiting = register(event, person)
    services.registration_leave(registration=holder, actor=holder.user)  # offered to person
    page = new_page(viewport, javascript=False)

    login(page, live_server, person)
    page.goto(f"{live_server.url}/registrations/")
    check(page, viewport, "offered-mine")
    page.get_by_role("link", name=f"Accept or decline the place at {event.name}").click()
    page.get_by_role("button", name="Decline the place").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Decline your place at {event.name}?"
    )
    check(page, viewport, "decline-confirm")
    page.get_by_role("link", name="No, go back").click()
    expect(page.get_by_role("button", name="Accept the place")).to_be_visible()
    assert Registration.objects.get(pk=waiting.pk).status == S.OFFERED

    page.get_by_role("button", name="Accept the place").click()
    page.get_by_role("button", name=f"Cancel my registration for {event.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Cancel your registration for {event.name}?"
    )
    check(page, viewport, "cancel-confirm")
    assert Registration.objects.get(pk=waiting.pk).status == S.CONFIRMED
    page.get_by_role("button", name="Yes, cancel my registration").click()

    expect(page.get_by_role("alert")).to_contain_text(f"You are no longer registered for {event}")
    expect(page.get_by_role("row", name=event.name)).to_contain_text("Cancelled")
    assert Registration.objects.get(pk=waiting.pk).status == S.CANCELLED
