"""Signing up from a team invite link and coming back to it, signed in; the header on a
phone, with and without JavaScript."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import ARTIFACTS, assert_accessible
from tests.factories import EventFactory
from tests.teams.helpers import team_with

pytestmark = pytest.mark.browser

CONFIRM_LINK = re.compile(r"https?://\S+/accounts/confirm-email/[^\s\"<]+")


def _shot(page, name):
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)


@pytest.mark.parametrize("viewport", ["phone"])
def test_sign_up_from_a_team_invite_comes_back_to_the_team_signed_in(
    page, live_server, mailoutbox, viewport
):
    team = team_with(EventFactory(), name="Bus reliability")
    invite = f"/teams/join/{team.invite_code}/"

    page.goto(f"{live_server.url}{invite}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    _shot(page, "sign-up-journey-1-sign-in")
    page.get_by_role("link", name="Create an account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    page.get_by_label("Your name").fill("Carol Byrne")
    page.get_by_label("Email address").fill("carol@example.org")
    page.get_by_label("Create a password").fill("a-long-passphrase-42")
    page.get_by_label("Type the password again").fill("a-long-passphrase-42")
    _shot(page, "sign-up-journey-2-sign-up")
    page.get_by_role("button", name="Create my account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    _shot(page, "sign-up-journey-3-check-your-email")
    (link,) = set(CONFIRM_LINK.findall(mailoutbox[-1].body))
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Confirm your email address")
    _shot(page, "sign-up-journey-4-confirm")
    page.get_by_role("button", name="Confirm my email address").click()

    expect(page).to_have_url(f"{live_server.url}{invite}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Bus reliability")
    page.get_by_role("button", name="Menu").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    _shot(page, "sign-up-journey-5-back-at-the-team")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_sign_up_errors_sit_beside_their_fields_and_pass_axe(page, live_server, viewport):
    page.goto(f"{live_server.url}/accounts/signup/")
    page.get_by_label("Your name").fill("Carol Byrne")
    page.get_by_label("Email address").fill("carol@example.org")
    page.get_by_label("Create a password").fill("password")
    page.get_by_label("Type the password again").fill("passwurd")
    page.get_by_role("button", name="Create my account").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link")).to_have_text(
        [
            "This password is too common.",
            "The two passwords do not match: type the same password in both boxes.",
        ]
    )
    expect(page.locator("#div_id_password1 .govuk-error-message")).to_contain_text(
        "This password is too common."
    )
    expect(page.locator("#div_id_password2 .govuk-error-message")).to_contain_text(
        "The two passwords do not match"
    )
    summary.get_by_role("link", name="The two passwords do not match").click()
    expect(page.get_by_label("Type the password again")).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
    assert_accessible(page, f"sign-up-errors-{viewport}")


def test_header_collapses_behind_a_menu_button_on_a_phone(new_page, live_server):
    page = new_page("phone")
    page.goto(f"{live_server.url}/")
    navigation = page.get_by_role("navigation", name="Main")
    menu = navigation.get_by_role("button", name="Menu")

    expect(menu).to_be_visible()
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(navigation.get_by_role("link", name="Sign in")).to_be_hidden()
    menu.click()
    expect(menu).to_have_attribute("aria-expanded", "true")
    navigation.get_by_role("link", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390


def test_header_links_are_all_there_on_a_phone_without_javascript(new_page, live_server):
    page = new_page("phone", javascript=False)
    page.goto(f"{live_server.url}/")
    navigation = page.get_by_role("navigation", name="Main")

    expect(navigation.get_by_role("button", name="Menu")).to_be_hidden()
    expect(navigation.get_by_role("link")).to_have_text(
        ["Events", "Datasets", "Sign in", "Sign up"]
    )
    navigation.get_by_role("link", name="Sign up").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, "sign-up-phone-without-javascript")


def test_api_docs_fit_a_phone_with_the_reference_loaded(new_page, live_server):
    page = new_page("phone")
    page.goto(f"{live_server.url}/api/docs/")

    expect(page.get_by_role("heading", name="Get a token")).to_be_visible()
    expect(page.get_by_text("/api/v1/events/", exact=True).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
