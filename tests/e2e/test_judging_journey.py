"""Judging in the browser (issue 13), on a phone.

A judge signs in, finds "Your judging" on the event page, opens their queue and scores
the two entries given to them: the first is saved as they go (htmx's autosave), and
"Save and go to the next team" takes them to the second; the queue then says both are
scored. An organiser then locks judging and publishes the results from the Results
page, each after its confirmation; a member of the first team reads, on their phone,
their rank and the judge's feedback without the judge's name. Without JavaScript the
sheet is saved by its Save button. Each page passes axe at phone and desktop widths.
"""

import time

import pytest
from playwright.sync_api import Page, expect

from events.enums import RoleKind
from judging.models import Assignment, Judge, Room, Score, ScoreSheet
from tests.e2e.conftest import assert_accessible_at_every_width, login
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.judging.helpers import presenting

pytestmark = [pytest.mark.browser, pytest.mark.postgres]

AUTOSAVE_TIMEOUT_S = 10
FEEDBACK = "A clear question, answered with the right data."


@pytest.fixture
def judging_world():
    """An event with two entries presenting in Main hall, both assigned to one judge, and
    an organiser."""
    event = EventFactory(name="Halton Data Day")
    EventRoleFactory(event=event, role=RoleKind.ORGANISER)
    judge_user = UserFactory(display_name="Amara Bello")
    EventRoleFactory(event=event, user=judge_user, role=RoleKind.JUDGE)
    hall = Room.objects.create(event=event, name="Main hall")
    judge = Judge.objects.create(event=event, user=judge_user, room=hall)
    entries = [
        presenting(event, hall, "Parks and jobs", minutes=0),
        presenting(event, hall, "Walking to work", minutes=5),
    ]
    for entry in entries:
        Assignment.objects.create(judge=judge, submission=entry)
    return event, judge, entries


def check(page: Page, name: str) -> None:
    assert_accessible_at_every_width(page, f"judging-{name}")


def saved_as_they_went(entry, criteria: int) -> None:
    """Wait for the autosaves of every criterion of `entry` to have landed."""
    deadline = time.monotonic() + AUTOSAVE_TIMEOUT_S
    while Score.objects.filter(sheet__submission=entry).count() < criteria:
        assert time.monotonic() < deadline, "the sheet was not saved as the judge went"
        time.sleep(0.2)


def choose_scores(page: Page, event, score: int) -> None:
    """Choose `score` on every criterion of the sheet, by its radio's label."""
    for criterion in event.criteria.all():
        group = page.get_by_role("group", name=criterion.name)
        group.get_by_label(str(score), exact=True).check()


@pytest.mark.parametrize("viewport", ["phone"])
def test_a_judge_scores_two_entries_on_a_phone(page: Page, live_server, judging_world):
    event, judge, (first, second) = judging_world
    heading = page.get_by_role("heading", level=1)
    login(page, live_server, judge.user)

    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    section = page.get_by_role("region", name="Your judging")
    expect(section).to_contain_text("You are judging 2 teams: 0 of 2 scored.")
    section.get_by_role("link", name="Go to your judging").click()
    expect(heading).to_have_text("Your judging")
    expect(page.locator("#judging-progress")).to_have_text("0 of 2 scored")
    check(page, "queue")

    page.get_by_role("link", name="Parks and jobs").click()
    expect(heading).to_have_text("Parks and jobs")
    check(page, "sheet")
    choose_scores(page, event, 4)
    page.get_by_label("Feedback for the team").fill(FEEDBACK)
    # Autosave: the status says so without the page being sent.
    expect(page.locator("#autosave-status")).to_contain_text("Saved at")
    expect(heading).to_have_text("Parks and jobs")
    saved_as_they_went(first, event.criteria.count())

    page.get_by_role("button", name="Save and go to the next team").click()
    expect(heading).to_have_text("Walking to work")
    choose_scores(page, event, 2)
    page.get_by_role("button", name="Save and go to the next team").click()
    expect(heading).to_have_text("Your judging")
    expect(page.locator("#judging-progress")).to_have_text("2 of 2 scored")
    check(page, "queue-done")

    assert ScoreSheet.objects.get(submission=first).feedback_for_team == FEEDBACK
    second_scores = Score.objects.filter(sheet__submission=second)
    assert set(second_scores.values_list("value", flat=True)) == {2}

    organiser = event.roles.get(role=RoleKind.ORGANISER).user
    page.context.clear_cookies()
    login(page, live_server, organiser)
    publish(page, live_server, event)

    member = first.team.memberships.get(role="lead").user
    page.context.clear_cookies()
    login(page, live_server, member)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    page.get_by_role("region", name="Your results").get_by_role("link").first.click()
    expect(heading).to_have_text("Parks and jobs")
    expect(page.get_by_role("heading", name="Ranked 1 of 2")).to_be_visible()
    expect(page.get_by_text(FEEDBACK)).to_be_visible()
    expect(page.get_by_role("heading", name="Judge 1")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Amara Bello")
    check(page, "team-results")


def publish(page: Page, live_server, event) -> None:
    """From the organisers' Results page: lock judging, then publish, each confirmed."""
    heading = page.get_by_role("heading", level=1)
    page.goto(f"{live_server.url}/organise/{event.slug}/judging/results/")
    expect(heading).to_have_text("Results")
    check(page, "results")
    page.get_by_role("button", name="Lock judging").click()
    expect(heading).to_have_text("Lock judging?")
    page.get_by_role("button", name="Yes, lock judging").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Judging is locked."
    )
    page.get_by_role("button", name="Publish results").click()
    page.get_by_role("button", name="Yes, publish the results").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "The results are published."
    )
    check(page, "results-published")


def test_without_javascript_the_save_button_saves_the_sheet(new_page, live_server, judging_world):
    event, judge, (first, _second) = judging_world
    page = new_page("phone", javascript=False)
    login(page, live_server, judge.user)

    page.goto(f"{live_server.url}/events/{event.slug}/judging/{first.pk}/")
    choose_scores(page, event, 5)
    page.get_by_role("button", name="Save", exact=True).click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Scores for “Parks and jobs” saved."
    )
    check(page, "sheet-no-js")
    assert set(Score.objects.filter(sheet__submission=first).values_list("value", flat=True)) == {5}
