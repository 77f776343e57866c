"""Prizes in the browser: an organiser adds a prize and awards it; a checked-in
participant votes for the people's choice without JavaScript; once results are
published the public reads the winners. Every page passes axe and, on a phone, is no
wider than the screen."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from events.enums import RoleKind
from events.models import Event
from judging.models import Prize, Vote
from tests.e2e.conftest import VIEWPORTS, assert_accessible, login
from tests.factories import EventRoleFactory, ThemeFactory
from tests.judging.prizes_helpers import checked_in_participant, handed_in, peoples_choice

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_prizes_pages_pass_axe_and_fit_the_screen(new_page, live_server, viewport):
    role = EventRoleFactory(role=RoleKind.ORGANISER, user__display_name="Olu Organiser")
    event = role.event
    theme = ThemeFactory(event=event, name="Green space")
    entry = handed_in(event, title="Parks within a walk", theme=theme, in_gallery=True)
    peoples_choice(event, name="Crowd favourite")
    voter = checked_in_participant(event, display_name="Vic Voter")
    width = VIEWPORTS[viewport]["width"]
    base = live_server.url

    def check(page, name):
        assert_accessible(page, f"prizes-{name}-{viewport}")
        assert page.evaluate("document.documentElement.scrollWidth") <= width, name

    page = new_page(viewport)
    login(page, live_server, role.user)
    page.goto(f"{base}/organise/{event.slug}/prizes/")
    check(page, "console-part")
    page.get_by_label("Name").fill("Best green space entry")
    page.get_by_label("Theme: Green space").check()
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_role("table")).to_contain_text("Best green space entry")
    page.goto(f"{base}/organise/{event.slug}/judging/prizes/")
    check(page, "awards")
    prize = Prize.objects.get(name="Best green space entry")
    page.get_by_label("Award “Best green space entry” to").select_option(str(entry.pk))
    page.get_by_role("button", name="Award Best green space entry").click()
    expect(page.get_by_role("alert")).to_contain_text("is awarded to “Parks within a walk”")
    check(page, "awarded")
    assert Prize.objects.get(pk=prize.pk).winner == entry

    page = new_page(viewport, javascript=False)
    login(page, live_server, voter)
    page.goto(f"{base}/events/{event.slug}/vote/")
    check(page, "vote")
    page.get_by_label(f"Parks within a walk — {entry.team.name}").check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_text("Your vote: Parks within a walk")).to_be_visible()
    check(page, "voted")
    assert Vote.objects.get().voter == voter

    Event.objects.filter(pk=event.pk).update(results_published_at=timezone.now())
    page = new_page(viewport)
    page.goto(f"{base}{event.get_absolute_url()}")
    expect(page.get_by_role("link", name="Parks within a walk")).to_be_visible()
    check(page, "winners")
