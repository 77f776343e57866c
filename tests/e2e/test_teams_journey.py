"""Teams in the browser, JavaScript off: a participant starts a team and another joins
through the invite link; an organiser matches everyone else, adjusts and applies."""

import pytest
from playwright.sync_api import expect

from accounts.models import Skill, User
from events.enums import RoleKind
from teams.models import MatchingRun, Team
from tests.e2e.conftest import assert_accessible, login
from tests.factories import ChallengeFactory, EventRoleFactory, ThemeFactory
from tests.teams.helpers import participant

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_participant_starts_team_and_another_joins_by_link(new_page, live_server, viewport):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    event = role.event
    theme = ThemeFactory(event=event, name="Active travel")
    ChallengeFactory(event=event, theme=theme, title="Safer routes to school")
    # Browser tests flush the database between tests, migrations' rows included.
    Skill.objects.get_or_create(slug="coding", defaults={"name": "Coding"})
    lead = participant(event, display_name="Carol Byrne")
    joiner = participant(event, display_name="Sam Patel")

    page = new_page(viewport, javascript=False)
    login(page, live_server, lead)
    page.goto(f"{live_server.url}/events/{event.slug}/teams/")
    assert_accessible(page, f"team-board-{viewport}")
    page.get_by_role("link", name="Start a team").click()
    page.get_by_label("Name").fill("Mersey Movers")
    page.get_by_label("Challenge you are taking on").select_option(label="Safer routes to school")
    page.get_by_label("Coding").check()
    page.get_by_role("button", name="Start the team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mersey Movers")
    assert_accessible(page, f"team-page-lead-{viewport}")
    invite_url = page.locator("code").inner_text()

    other = new_page(viewport, javascript=False)
    login(other, live_server, joiner)
    other.goto(invite_url)
    assert_accessible(other, f"team-join-{viewport}")
    other.get_by_role("button", name="Join Mersey Movers").click()

    expect(other.get_by_role("status")).to_contain_text("Welcome to “Mersey Movers”.")
    expect(other.get_by_role("row", name="Sam Patel")).to_contain_text("Member")
    team = Team.objects.get(event=event)
    assert sorted(str(m.user) for m in team.memberships.all()) == ["Carol Byrne", "Sam Patel"]


def test_organiser_matches_adjusts_and_applies(new_page, live_server):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    event = role.event
    for n in range(7):
        participant(event, display_name=f"Person {n}", participant_type="student")
    page = new_page("desktop", javascript=False)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}/organise/{event.slug}/teams/")
    assert_accessible(page, "teams-console-desktop")
    page.get_by_role("link", name="Match people into teams").click()
    page.get_by_label("Seed").fill("3")
    page.get_by_role("button", name="Make a proposal").click()
    expect(page.get_by_role("status")).to_contain_text("Here is a proposal")
    assert_accessible(page, "matching-proposal-desktop")

    run = MatchingRun.objects.get(event=event)
    first, second = run.proposal["teams"][0], run.proposal["teams"][1]
    mover = first["member_ids"][0]
    name = str(User.objects.get(pk=mover))
    page.get_by_label(f"Move {name} to").select_option(value=second["key"])
    page.get_by_role("button", name=f"Move {name}", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Moved; the scores are updated.")
    page.get_by_role("button", name="Apply: create these teams").click()

    expect(page.get_by_role("status")).to_contain_text("teams formed or topped up")
    assert Team.objects.filter(event=event, formed_by_matching=True).exists()
    moved_team = Team.objects.get(event=event, memberships__user_id=mover)
    assert moved_team.memberships.count() == len(second["member_ids"]) + 1
