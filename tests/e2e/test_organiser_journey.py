"""An organiser sets up an event's programme with JavaScript off: core flows need no JS."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.enums import RoleKind
from events.models import ScheduleItem
from tests.e2e.conftest import assert_accessible, login
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.browser

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_organiser_sets_up_event_without_javascript(new_page, live_server, viewport):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    event = role.event
    # The form takes UK wall-clock time; pick a slot inside the event, whatever the season.
    starts = timezone.localtime(event.starts_at) + datetime.timedelta(hours=1)
    ends = starts + datetime.timedelta(minutes=45)
    page = new_page(viewport, javascript=False)
    heading = page.get_by_role("heading", level=1)
    messages = page.get_by_role("status")

    login(page, live_server, role.user)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organise").click()
    expect(page).to_have_url(f"{live_server.url}/organise/")
    expect(heading).to_have_text("Organiser console")

    page.get_by_role("link", name=event.name).click()
    expect(page).to_have_url(f"{live_server.url}/organise/{event.slug}/")
    expect(heading).to_have_text(event.name)
    expect(page.get_by_text("This event is published.")).to_be_visible()
    assert_accessible(page, f"organiser-dashboard-{viewport}")

    setup = page.get_by_role("navigation", name="Event set-up")
    setup.get_by_role("link", name="Themes").click()
    expect(heading).to_have_text("Themes")
    page.get_by_label("Name").fill("Housing and homes")
    page.get_by_label("Description").fill("Empty homes, repairs and rents.")
    page.get_by_role("button", name="Add theme").click()
    expect(messages).to_have_text("The theme is added.")
    expect(page.get_by_role("cell", name="Housing and homes", exact=True)).to_be_visible()
    assert_accessible(page, f"organiser-themes-{viewport}")

    setup.get_by_role("link", name="Schedule").click()
    expect(heading).to_have_text("Schedule")
    page.get_by_label("Title").fill("Welcome from the council")
    page.get_by_label("Kind").select_option(label="Talk or conversation")
    page.get_by_label("Starts at").fill(starts.strftime(DATETIME_LOCAL))
    page.get_by_label("Ends at").fill(ends.strftime(DATETIME_LOCAL))
    page.get_by_label("Location").fill("Council chamber")
    page.get_by_role("button", name="Add schedule item").click()
    expect(messages).to_have_text("The schedule item is added.")
    expect(page.get_by_role("row", name="Welcome from the council")).to_contain_text(
        f"{starts:%d %b %Y %H:%M}"
    )

    setup.get_by_role("link", name="Public page").click()
    expect(page).to_have_url(f"{live_server.url}/events/{event.slug}/")
    expect(heading).to_have_text(event.name)
    themes = page.get_by_role("region", name="Themes and challenges")
    expect(themes.get_by_role("heading", level=3)).to_have_text(["Housing and homes"])
    schedule = page.get_by_role("region", name="Schedule")
    expect(schedule.get_by_role("row", name="Welcome from the council")).to_contain_text(
        f"{starts:%H:%M}–{ends:%H:%M}"
    )
    expect(schedule.get_by_role("row", name="Welcome from the council")).to_contain_text(
        "Council chamber"
    )
    assert_accessible(page, f"event-page-after-setup-{viewport}")

    item = ScheduleItem.objects.get(event=event)
    assert (item.starts_at, item.ends_at, item.kind) == (starts, ends, "talk")


def test_organiser_adds_registration_question_without_javascript(new_page, live_server):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    page = new_page("desktop", javascript=False)

    login(page, live_server, role.user)
    page.goto(f"{live_server.url}/organise/{role.event.slug}/")
    setup = page.get_by_role("navigation", name="Event set-up")
    setup.get_by_role("link", name="Registration questions").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Registration questions")
    page.get_by_label("Label").fill("Which borough do you live in?")
    page.get_by_label("Kind").select_option(label="Single choice")
    page.get_by_label("Options").fill("Halton\nKnowsley\nLiverpool\nSefton\nSt Helens\nWirral")
    page.get_by_role("button", name="Add question").click()

    expect(page.get_by_role("status")).to_have_text("The question is added.")
    expect(page.get_by_role("row", name="Which borough do you live in?")).to_contain_text(
        "Single choice"
    )
    assert_accessible(page, "organiser-questions-desktop")
