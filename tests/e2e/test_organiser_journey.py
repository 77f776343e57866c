"""An organiser sets up an event's programme and its questionnaire, at phone and desktop
widths: core flows need no JavaScript, errors are summarised at the top, no console page
is wider than a phone."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from events.enums import RoleKind, ScheduleKind
from events.models import ScheduleItem
from judging.models import PresentationSlot, Room
from registration.models import Question
from submissions.enums import SubmissionStatus
from tests.e2e.conftest import VIEWPORTS, assert_accessible, login
from tests.factories import (
    ChallengeFactory,
    CriterionFactory,
    EventRoleFactory,
    ScheduleItemFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.teams.helpers import team_with

pytestmark = pytest.mark.browser

DATETIME_LOCAL = "%Y-%m-%dT%H:%M"
BOROUGH = "Which borough do you live in?"


def assert_fits(page: Page, viewport: str) -> None:
    """Nothing on the page is wider than the screen (no sideways scrolling)."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], f"{page.url} is {width}px wide"


def sign_in(page: Page, live_server, user, viewport: str) -> None:
    """`login`, which looks for Sign out in the header, at desktop width: on a phone the
    header's links fold behind its Menu button once JavaScript runs."""
    page.set_viewport_size(VIEWPORTS["desktop"])
    login(page, live_server, user)
    page.set_viewport_size(VIEWPORTS[viewport])


def banner(page: Page):
    """The success banner Django's messages become (templates/includes/messages.html)."""
    return page.locator(".govuk-notification-banner--success")


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_organiser_sets_up_event_without_javascript(new_page, live_server, viewport):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    event = role.event
    # The form takes UK wall-clock time; pick a slot inside the event, whatever the season.
    starts = timezone.localtime(event.starts_at) + datetime.timedelta(hours=1)
    ends = starts + datetime.timedelta(minutes=45)
    page = new_page(viewport, javascript=False)
    heading = page.get_by_role("heading", level=1)

    login(page, live_server, role.user)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Organise").click()
    expect(page).to_have_url(f"{live_server.url}/organise/")
    expect(heading).to_have_text("Organiser console")

    page.get_by_role("link", name=event.name).click()
    expect(page).to_have_url(f"{live_server.url}/organise/{event.slug}/")
    expect(heading).to_have_text(event.name)
    expect(page.get_by_text("This event is published.")).to_be_visible()
    assert_fits(page, viewport)
    assert_accessible(page, f"organiser-dashboard-{viewport}")

    setup = page.get_by_role("navigation", name="Event set-up")
    setup.get_by_role("link", name="Themes").click()
    expect(heading).to_have_text("Themes")
    page.get_by_label("Name").fill("Housing and homes")
    page.get_by_label("Description").fill("Empty homes, repairs and rents.")
    page.get_by_role("button", name="Add theme").click()
    expect(banner(page)).to_contain_text("The theme is added.")
    expect(page.get_by_role("cell", name="Housing and homes", exact=True)).to_be_visible()
    assert_fits(page, viewport)
    assert_accessible(page, f"organiser-themes-{viewport}")

    setup.get_by_role("link", name="Schedule").click()
    expect(heading).to_have_text("Schedule")
    page.get_by_label("Title").fill("Welcome from the council")
    page.get_by_label("Kind").select_option(label="Talk or conversation")
    page.get_by_label("Starts at").fill(starts.strftime(DATETIME_LOCAL))
    page.get_by_label("Ends at").fill(ends.strftime(DATETIME_LOCAL))
    page.get_by_label("Location").fill("Council chamber")
    page.get_by_role("button", name="Add schedule item").click()
    expect(banner(page)).to_contain_text("The schedule item is added.")
    expect(page.get_by_role("row", name="Welcome from the council")).to_contain_text(
        f"{starts:%d %b %Y %H:%M}"
    )
    assert_fits(page, viewport)

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


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_organiser_fixes_a_question_error_moves_it_and_previews_the_form(
    page, live_server, viewport
):
    """The journey of issue 10: an invalid question, the error summary at the top, its
    link to the field, the fix, Move up, and the form as participants will see it."""
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    event = role.event
    heading = page.get_by_role("heading", level=1)
    sign_in(page, live_server, role.user, viewport)
    page.goto(f"{live_server.url}/organise/{event.slug}/")

    page.get_by_role("navigation", name="Event set-up").get_by_role(
        "link", name="Registration questions"
    ).click()
    expect(heading).to_have_text("Registration questions")
    page.get_by_label("Question", exact=True).fill(BOROUGH)
    page.get_by_label("Single choice").check()
    page.get_by_label("Options").fill("Halton")  # one option: a choice needs two
    page.get_by_role("button", name="Add question").click()

    # The form alone comes back, the summary first and focused, so it is in view.
    expect(heading).to_have_text("Add a question")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link")).to_have_text(["Give at least two different options."])
    expect(page).to_have_title(f"Error: Add a question: {event.name} · CivicHack")
    assert_fits(page, viewport)
    assert_accessible(page, f"questionnaire-error-{viewport}")

    summary.get_by_role("link", name="Give at least two different options.").click()
    options = page.get_by_label("Options")
    expect(options).to_be_focused()
    expect(options).to_be_in_viewport()
    expect(options).to_have_value("Halton")
    options.fill("Halton\nKnowsley\nWirral")
    page.get_by_role("button", name="Add question").click()

    expect(banner(page)).to_contain_text("The question is added.")
    expect(heading).to_have_text("Registration questions")
    question = Question.objects.get(event=event, label=BOROUGH)
    assert question.choices == ["Halton", "Knowsley", "Wirral"]
    # A new question comes last: the form offers the next place.
    rows = page.locator("tbody tr")
    expect(rows.last).to_contain_text(BOROUGH)
    expect(page.get_by_role("button", name=f"Move down {BOROUGH}")).to_have_count(0)
    assert_fits(page, viewport)
    assert_accessible(page, f"questionnaire-list-{viewport}")

    page.get_by_role("button", name=f"Move up {BOROUGH}").click()
    expect(banner(page)).to_contain_text(f"“{BOROUGH}” moved up.")
    expect(rows.nth(rows.count() - 2)).to_contain_text(BOROUGH)
    expect(page).to_have_url(
        f"{live_server.url}/organise/{event.slug}/questions/#questions-{question.pk}"
    )

    page.get_by_role("link", name="Preview registration questions").click()
    expect(heading).to_have_text("Preview the registration form")
    preview = page.get_by_role("region", name=f"Register for {event.name}")
    borough = preview.get_by_role("group", name=BOROUGH)
    expect(borough.get_by_role("radio")).to_have_count(3)
    last_default = preview.get_by_label("Is there anything else we should know?")
    assert borough.bounding_box()["y"] < last_default.bounding_box()["y"]
    expect(preview.get_by_role("button", name="Register")).to_be_disabled()
    assert_fits(page, viewport)
    assert_accessible(page, f"questionnaire-preview-{viewport}")
    assert not event.registrations.exists()


def _presentations(event, room, long_words) -> PresentationSlot:
    """Presentations in the schedule, with a team presenting in `room`; returns the slot."""
    starts = event.starts_at + datetime.timedelta(hours=6)
    ScheduleItemFactory(
        event=event, kind=ScheduleKind.PRESENTATIONS, title="Team presentations",
        starts_at=starts, ends_at=starts + datetime.timedelta(hours=1),
    )  # fmt: skip
    entry = SubmissionFactory(
        team=team_with(event, name=f"Team {long_words}"), title=f"Entry {long_words}",
        status=SubmissionStatus.SUBMITTED,
    )  # fmt: skip
    ten = datetime.timedelta(minutes=10)
    PresentationSlot.objects.create(room=room, starts_at=starts + ten, ends_at=starts + 2 * ten)
    return PresentationSlot.objects.create(
        room=room, starts_at=starts, ends_at=starts + ten, submission=entry
    )


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_every_console_page_fits_a_phone_and_passes_axe(page, live_server, viewport):
    """Each page of the set-up part of the console, filled with long names and many rows,
    stays within the screen and has no serious accessibility problem."""
    long_words = "Supercalifragilisticexpialidocious-neighbourhood-regeneration-partnership"
    organiser = UserFactory(is_superuser=True, display_name=f"Organiser {long_words}")
    role = EventRoleFactory(
        role=RoleKind.ORGANISER, user=organiser, event__name=f"Hackathon {long_words}"
    )
    event = role.event
    EventRoleFactory(
        event=event,
        role=RoleKind.JUDGE,
        user=None,
        email=f"a.very.long.address.{long_words}@example.org",
    )
    theme = ThemeFactory(event=event, name=f"Theme {long_words}")
    challenge = ChallengeFactory(theme=theme, partner_organisation=f"Partner {long_words}")
    item = ScheduleItemFactory(event=event, title=f"Session {long_words}", location=long_words)
    question = event.questions.first()
    criterion = CriterionFactory(
        event=event, name=f"Criterion {long_words}", theme=theme,
        levels=[[1, f"Weak {long_words}"], [5, f"Strong {long_words}"]],
    )  # fmt: skip
    room = Room.objects.create(event=event, name=f"Room {long_words}")
    slot = _presentations(event, room, long_words)
    sign_in(page, live_server, organiser, viewport)

    base = f"{live_server.url}/organise/{event.slug}"
    pages = {
        "home": f"{live_server.url}/organise/",
        "create": f"{live_server.url}/organise/new/",
        "dashboard": f"{base}/",
        "details": f"{base}/details/",
        "themes": f"{base}/themes/",
        "theme-edit": f"{base}/themes/{theme.pk}/edit/",
        "theme-delete": f"{base}/themes/{theme.pk}/delete/",
        "challenges": f"{base}/challenges/",
        "challenge-edit": f"{base}/challenges/{challenge.pk}/edit/",
        "schedule": f"{base}/schedule/",
        "schedule-edit": f"{base}/schedule/{item.pk}/edit/",
        "questions": f"{base}/questions/",
        "question-edit": f"{base}/questions/{question.pk}/edit/",
        "questions-preview": f"{base}/questions/preview/",
        "people": f"{base}/roles/",
        "criteria": f"{base}/criteria/",
        "criterion-edit": f"{base}/criteria/{criterion.pk}/edit/",
        "rooms": f"{base}/rooms/",
        "judging": f"{base}/judging/",
        "presentations": f"{base}/judging/slots/",
        "presentation-slot-edit": f"{base}/judging/slots/{slot.pk}/edit/",
    }
    for name, url in pages.items():
        response = page.goto(url)
        assert response.status == 200, url
        assert_fits(page, viewport)
        assert_accessible(page, f"console-{name}-{viewport}")

    # The question before taking the event back to draft, which the dashboard's button asks.
    page.goto(f"{base}/")
    page.get_by_role("button", name="Take back to draft").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Take {event.name} back to draft?")
    assert_fits(page, viewport)
    assert_accessible(page, f"console-back-to-draft-{viewport}")
    page.get_by_role("button", name="Yes, take it back to draft").click()
    expect(banner(page)).to_contain_text("Event back in draft.")
    expect(page.get_by_text("This event is a draft")).to_be_visible()
