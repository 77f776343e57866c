"""Teams in the browser: a participant starts a team and another joins through the invite
link (JavaScript off, then the copy button with it on); a mentor's help queue refreshes
itself; an organiser matches everyone else, adjusts and applies. At phone and desktop
widths, every page passes axe and fits a 390 px screen."""

import re

import pytest
from playwright.sync_api import Page, expect

from accounts.models import Skill, User
from events.enums import RoleKind
from registration.enums import RegistrationStatus
from registration.models import Registration
from teams import services
from teams.models import MatchingRun, Team
from tests.e2e.conftest import VIEWPORTS, assert_accessible, login
from tests.factories import ChallengeFactory, EventRoleFactory, ThemeFactory, UserFactory
from tests.registration.helpers import register
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.browser
PHONE_WIDTH = 390
# The help queue fetches itself every 15 seconds; allow one interval and the request.
REFRESH_MS = 20_000


def login_at(page: Page, live_server, user, viewport: str) -> None:
    """Sign in, then take the viewport's size: with JavaScript on, a phone's header hides
    "Sign out" behind its menu, which `login` looks for."""
    login(page, live_server, user)
    page.set_viewport_size(VIEWPORTS[viewport])


def check_page(page: Page, name: str, viewport: str) -> None:
    """axe at this width, and on a phone nothing wider than the screen."""
    assert_accessible(page, f"{name}-{viewport}")
    if viewport == "phone":
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH, name


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
    waiting = UserFactory(display_name="Wen Li")
    # Their place is not confirmed: on the waiting list.
    Registration.objects.filter(pk=register(event, waiting).pk).update(
        status=RegistrationStatus.WAITLISTED
    )

    page = new_page(viewport, javascript=False)
    login(page, live_server, lead)
    page.goto(f"{live_server.url}/events/{event.slug}/teams/")
    check_page(page, "team-board", viewport)
    page.get_by_role("link", name="Start a team").click()
    page.get_by_role("button", name="Start the team").click()
    # Nothing typed: the error summary names the field and links to it.
    expect(page.get_by_role("alert")).to_contain_text("There is a problem")
    check_page(page, "team-form-errors", viewport)
    page.get_by_label("Name").fill("Mersey Movers")
    page.get_by_label("Challenge you are taking on").select_option(label="Safer routes to school")
    page.get_by_label("Coding").check()
    page.get_by_role("button", name="Start the team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mersey Movers")
    expect(page.locator("#team-places")).to_contain_text("1 of 5 taken 4 places left")
    # Without JavaScript the link is in a field people can select; no copy button.
    expect(page.get_by_role("button", name="Copy the invite link")).to_have_count(0)
    page.get_by_label("Table or room").fill("Table 7, main hall")
    page.get_by_role("button", name="Save where we sit").click()
    expect(page.get_by_role("alert")).to_contain_text("mentors will find you there")
    check_page(page, "team-page-lead", viewport)
    invite_url = page.get_by_label(re.compile("Anyone with a confirmed place")).input_value()

    other = new_page(viewport, javascript=False)
    login(other, live_server, waiting)
    other.goto(invite_url)
    expect(other.get_by_role("button", name="Join Mersey Movers")).to_have_count(0)
    expect(other.get_by_role("main")).to_contain_text("is not confirmed")
    check_page(other, "team-join-refused", viewport)

    other = new_page(viewport, javascript=False)
    login(other, live_server, joiner)
    other.goto(invite_url)
    check_page(other, "team-join", viewport)
    other.get_by_role("button", name="Join Mersey Movers").click()
    expect(other.get_by_role("alert")).to_contain_text("Welcome to “Mersey Movers”.")
    expect(other.get_by_role("row", name=re.compile("Sam Patel"))).to_contain_text("Member")
    expect(other.locator("#team-places")).to_contain_text("3 places left")
    check_page(other, "team-page-member", viewport)

    # Leaving asks first; going back changes nothing, saying yes leaves.
    other.get_by_role("button", name="Leave the team").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Leave “Mersey Movers”?")
    check_page(other, "team-leave-confirm", viewport)
    other.get_by_role("button", name="Yes, leave the team").click()
    expect(other.get_by_role("alert")).to_contain_text("You have left “Mersey Movers”.")
    team = Team.objects.get(event=event)
    assert [str(m.user) for m in team.memberships.all()] == ["Carol Byrne"]
    assert team.location == "Table 7, main hall"


def test_copy_button_copies_the_invite_link(new_page, live_server):
    event = EventRoleFactory(role=RoleKind.ORGANISER).event
    team = team_with(event, name="Data Dogs")
    page = new_page("desktop")
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    login_at(page, live_server, team.memberships.get().user, "phone")

    page.goto(f"{live_server.url}/teams/{team.pk}/")
    page.get_by_role("button", name="Copy the invite link").click()

    expect(page.get_by_role("status")).to_have_text(
        "Copied. Paste it in a message to the people you invite."
    )
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"{live_server.url}/teams/join/{team.invite_code}/"
    check_page(page, "team-page-copy", "phone")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_help_queue_refreshes_itself_and_keeps_history(new_page, live_server, viewport):
    event = EventRoleFactory(role=RoleKind.ORGANISER).event
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    team = team_with(event, name="Data Dogs")
    services.team_location_set(team=team, actor=None, location="Table 3")
    done = services.help_request_create(team=team, user=None, topic="Reading a shapefile")
    services.help_request_move(help_request=done, step="claim", actor=mentor)
    services.help_request_move(help_request=done, step="resolve", actor=mentor)
    page = new_page("desktop")
    login_at(page, live_server, mentor, viewport)

    page.goto(f"{live_server.url}/events/{event.slug}/help/")
    expect(page.get_by_text("No team is waiting for help.")).to_be_visible()
    history = page.get_by_role("row", name=re.compile("Reading a shapefile"))
    expect(history).to_contain_text("Table 3")
    expect(history).to_contain_text("Resolved")
    check_page(page, "help-queue-empty", viewport)
    services.help_request_create(team=team, user=None, topic="Joining two datasets")

    # No reload: htmx fetches the queue again and the new request appears.
    waiting = page.get_by_role("row", name=re.compile("Joining two datasets"))
    expect(waiting).to_contain_text("Table 3", timeout=REFRESH_MS)
    waiting.get_by_role("button", name="Claim Joining two datasets").click()
    expect(page.get_by_role("alert")).to_contain_text("a mentor is coming")
    check_page(page, "help-queue", viewport)


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_organiser_matches_adjusts_and_applies(new_page, live_server, viewport):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    event = role.event
    ThemeFactory(event=event, name="Active travel", slug="active-travel")
    coding, _ = Skill.objects.get_or_create(slug="coding", defaults={"name": "Coding"})
    Skill.objects.get_or_create(slug="mapping", defaults={"name": "Mapping"})
    for n in range(7):
        person = participant(event, display_name=f"Person {n}", participant_type="student")
        person.skills.set([coding])
    page = new_page(viewport, javascript=False)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}/organise/{event.slug}/teams/")
    check_page(page, "teams-console", viewport)
    page.get_by_role("link", name="Match people into teams").first.click()
    page.get_by_label("Seed").fill("3")
    page.get_by_role("button", name="Make a proposal").click()
    expect(page.get_by_role("alert")).to_contain_text("Here is a proposal")
    # Types and skills by their labels, and each score in words.
    first_row = page.get_by_role("row", name=re.compile(r"Person \d")).first
    expect(first_row).to_contain_text("Student")
    expect(first_row).to_contain_text("Coding")
    explained = page.get_by_text(f"Skills: covers 1 of {Skill.objects.count()}; missing")
    expect(explained.first).to_contain_text("Mapping")
    check_page(page, "matching-proposal", viewport)

    run = MatchingRun.objects.get(event=event)
    first, second = run.proposal["teams"][0], run.proposal["teams"][1]
    mover = first["member_ids"][0]
    name = str(User.objects.get(pk=mover))
    page.get_by_label(f"Move {name} to").select_option(value=second["key"])
    page.get_by_role("button", name=f"Move {name}", exact=True).click()
    # Back at the team that changed, not the top of the page.
    assert page.url.endswith(f"#team-{second['key']}")
    section = page.locator(f"#team-{second['key']}")
    expect(section).to_contain_text(f"{name} moved here; the scores are updated.")
    expect(section).to_be_in_viewport()
    page.get_by_role("button", name="Apply: create these teams").click()

    expect(page.get_by_role("alert")).to_contain_text("teams formed or topped up")
    assert Team.objects.filter(event=event, formed_by_matching=True).exists()
    moved_team = Team.objects.get(event=event, memberships__user_id=mover)
    assert moved_team.memberships.count() == len(second["member_ids"]) + 1
