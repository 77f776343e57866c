"""Public pages in a real browser, on a phone and a desktop: structure and accessibility."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.enums import ScheduleKind
from tests.e2e.conftest import assert_accessible
from tests.factories import ChallengeFactory, EventFactory, ScheduleItemFactory, ThemeFactory

pytestmark = pytest.mark.browser

VIEWPORTS = pytest.mark.parametrize("viewport", ["phone", "desktop"])


def assert_fits(page):
    """Nothing on the page is wider than the screen (390 px on a phone)."""
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def _event_with_programme():
    event = EventFactory(
        tagline="A day of open data for Liverpool's neighbourhoods.",
        description="Teams work on data from the council and local charities.",
    )
    housing = ThemeFactory(event=event, name="Housing", description="Homes and landlords.")
    transport = ThemeFactory(event=event, name="Transport", order=1)
    ChallengeFactory(
        theme=housing,
        title="Empty homes map",
        partner_organisation="Liverpool City Council",
        partner_url="https://example.org/council",
    )
    ChallengeFactory(theme=transport, title="Bus reliability")
    ScheduleItemFactory(
        event=event,
        title="Arrival and coffee",
        kind=ScheduleKind.ARRIVAL,
        starts_at=event.starts_at,
        ends_at=event.starts_at + datetime.timedelta(minutes=30),
    )
    ScheduleItemFactory(
        event=event,
        title="Team work",
        starts_at=event.starts_at + datetime.timedelta(minutes=30),
        ends_at=event.ends_at - datetime.timedelta(hours=1),
        location="Main hall",
    )
    return event


@VIEWPORTS
def test_event_page_accessible(page, live_server, viewport):
    event = _event_with_programme()

    page.goto(f"{live_server.url}/events/{event.slug}/")

    expect(page.locator("h1")).to_have_count(1)
    expect(page.get_by_role("heading", level=1)).to_have_text(event.name)
    themes = page.get_by_role("region", name="Themes and challenges")
    expect(themes.get_by_role("heading", level=3)).to_have_text(["Housing", "Transport"])
    schedule = page.get_by_role("region", name="Schedule")
    start = timezone.localtime(event.starts_at)
    expect(schedule.get_by_role("row", name="Arrival and coffee")).to_contain_text(
        f"{start:%H:%M}–{start + datetime.timedelta(minutes=30):%H:%M}"
    )
    assert_fits(page)
    assert_accessible(page, f"event-page-{viewport}")


@VIEWPORTS
def test_home_page_accessible_with_upcoming_and_past_events(page, live_server, viewport):
    upcoming = EventFactory(tagline="Open data for neighbourhoods.")
    past_start = timezone.now() - datetime.timedelta(weeks=10)
    past = EventFactory(
        starts_at=past_start,
        ends_at=past_start + datetime.timedelta(hours=7),
        registration_opens_at=past_start - datetime.timedelta(weeks=6),
        registration_closes_at=past_start - datetime.timedelta(days=2),
    )

    page.goto(f"{live_server.url}/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Community data hackathons")
    expect(page.get_by_role("list", name="Upcoming events").get_by_role("link")).to_have_text(
        [upcoming.name]
    )
    expect(page.get_by_role("list", name="Past events").get_by_role("link")).to_have_text(
        [past.name]
    )
    assert_fits(page)
    assert_accessible(page, f"home-{viewport}")


@VIEWPORTS
def test_sign_in_page_accessible_when_signed_out(page, live_server, viewport):
    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(page.get_by_label("Email address")).to_be_editable()
    expect(page.get_by_label("Password")).to_be_editable()
    expect(
        page.get_by_role("checkbox", name="Keep me signed in on this device")
    ).not_to_be_checked()
    assert_fits(page)
    assert_accessible(page, f"sign-in-{viewport}")


@VIEWPORTS
def test_sign_up_page_accessible_and_fits(page, live_server, viewport):
    page.goto(f"{live_server.url}/accounts/signup/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Sign up")
    for label in ("Your name", "Email address", "Create a password", "Type the password again"):
        expect(page.get_by_label(label, exact=True)).to_be_editable()
    assert_fits(page)
    assert_accessible(page, f"sign-up-{viewport}")


@VIEWPORTS
def test_finished_event_page_links_its_successor_accessible_and_fits(page, live_server, viewport):
    start = timezone.now() - datetime.timedelta(weeks=10)
    december = EventFactory(
        name="December hackathon",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=7),
        registration_opens_at=start - datetime.timedelta(weeks=6),
        registration_closes_at=start - datetime.timedelta(days=2),
    )
    spring = EventFactory(name="Spring hackathon", previous_event=december)

    page.goto(f"{live_server.url}/events/{december.slug}/")
    page.get_by_role("link", name="Spring hackathon").click()

    expect(page).to_have_url(f"{live_server.url}/events/{spring.slug}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Spring hackathon")
    assert_fits(page)
    assert_accessible(page, f"event-page-with-previous-{viewport}")


@VIEWPORTS
def test_code_of_conduct_reached_from_the_footer_and_accessible(page, live_server, viewport):
    page.goto(f"{live_server.url}/")

    page.get_by_role("contentinfo").get_by_role("link", name="Code of conduct").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Code of conduct")
    expect(page.get_by_role("heading", name="If something happens")).to_be_visible()
    assert_fits(page)
    assert_accessible(page, f"code-of-conduct-{viewport}")
