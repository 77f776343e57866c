"""Feedback in the browser, each page checked with axe at phone and desktop widths: a
participant answers the survey through the link in the invitation email, without signing
in, with JavaScript and without; an organiser reads the report and the series
comparison, then creates the next event, which shows the lessons of this one; someone
who took part joins the event's directory; the survey's settings and questions.

The live server runs in the test process with Celery eager (tests/conftest.py), so the
report asked for from its page is built before the page reloads."""

import re

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect

from common.models import OutboxMessage
from events.enums import RoleKind
from events.models import Event, Series
from feedback import connections
from feedback.enums import Audience, SurveyQuestionKind
from feedback.models import DirectoryEntry, SurveyInvitation, SurveyQuestion, SurveyResponse
from feedback.services import reporting
from feedback.services.invitations import step_purpose, survey_emails_send
from feedback.services.responding import response_submit
from tests.e2e.conftest import assert_accessible_at_every_width, login
from tests.e2e.test_organiser_journey import banner
from tests.factories import EventRoleFactory
from tests.feedback.helpers import DAY, attendee, finished_event, link_for

pytestmark = pytest.mark.browser

# The invitation's plain-text body puts its link after this (templates/feedback/email/survey.txt).
ANSWER_LINK = re.compile(r"Answer the survey: (\S+)")


def emailed_link(person) -> str:
    """The link in `person`'s survey invitation, as they would click it."""
    message = OutboxMessage.objects.get(recipient=person.email, purpose=step_purpose(0))
    return ANSWER_LINK.search(message.body_text).group(1)


def question(page: Page, text: str):
    """A question's fieldset (radios, checkboxes), found by its legend."""
    return page.get_by_role("group", name=text)


@pytest.mark.parametrize("javascript", [True, False], ids=["with-scripts", "without-scripts"])
def test_participant_answers_through_the_emailed_link(new_page, live_server, settings, javascript):
    settings.SITE_URL = live_server.url  # the email's links lead to this server
    event = finished_event(name="Halton Data Day")
    person = attendee(event, display_name="Ada Byrne")
    by_key = {q.key: q for q in event.survey_questions.all()}
    overall, recommend, change = by_key["overall"], by_key["recommend"], by_key["change"]
    overall.required = True
    overall.save(update_fields=["required"])
    parts = SurveyQuestion.objects.create(
        event=event,
        text="Which parts of the day did you join?",
        kind=SurveyQuestionKind.MULTIPLE_CHOICE,
        choices=["Talks", "Data clinic", "Presentations"],
        audiences=[Audience.PARTICIPANTS],
        order=20,
    )

    assert survey_emails_send() == 1
    link = emailed_link(person)
    assert link.startswith(f"{live_server.url}/feedback/")
    name = "with-scripts" if javascript else "without-scripts"
    page = new_page("desktop", javascript=javascript)
    heading = page.get_by_role("heading", level=1)

    page.goto(link)
    expect(heading).to_have_text("How did it go?")
    expect(page.get_by_text("Your answers are anonymous")).to_be_visible()
    assert_accessible_at_every_width(page, f"feedback-answer-{name}")

    question(page, recommend.text).get_by_label("9", exact=True).check()
    question(page, parts.text).get_by_label("Data clinic").check()
    page.get_by_label(change.text).fill("Share the datasets a week before.")
    page.get_by_role("button", name="Send my answers").click()  # the overall rating left out
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text(f"“{overall.text}” needs an answer.")
    if javascript:
        expect(summary).to_be_focused()
    expect(question(page, recommend.text).get_by_label("9", exact=True)).to_be_checked()
    assert_accessible_at_every_width(page, f"feedback-answer-error-{name}")

    question(page, overall.text).get_by_label("4: Very good").check()
    page.get_by_role("button", name="Send my answers").click()
    expect(heading).to_have_text("Thank you")
    expect(page.get_by_text("Your answers are saved")).to_be_visible()
    assert_accessible_at_every_width(page, f"feedback-thanks-{name}")

    again = page.goto(link)
    assert again.status == 409
    expect(heading).to_have_text("This survey link takes no answers")
    expect(page.get_by_text("You have already answered this survey")).to_be_visible()
    assert_accessible_at_every_width(page, f"feedback-answered-{name}")

    response = SurveyResponse.objects.get(survey=event.survey)
    assert response.invitation is None and response.submitted_at is None
    assert response.answers == {
        str(overall.pk): 4,
        str(recommend.pk): 9,
        str(change.pk): "Share the datasets a week before.",
        str(parts.pk): ["Data clinic"],
    }


def assert_charts_shown(page: Page, count: int) -> None:
    """The page shows `count` charts, each image fetched and decoded (a broken image, or
    an SVG the browser cannot draw, has no natural width)."""
    page.wait_for_load_state("load")  # the charts are drawn when asked for: wait for them
    widths = page.locator("img.civichack-chart__image").evaluate_all(
        "(images) => images.map((image) => image.naturalWidth)"
    )
    assert len(widths) == count and all(width > 0 for width in widths), widths


def answered(event, **by_key) -> None:
    """One participant of `event` answers its survey through their link: answers by the
    default questions' keys."""
    invitation = SurveyInvitation.objects.create(
        survey=event.survey, user=attendee(event), audience=Audience.PARTICIPANTS
    )
    keys = dict(event.survey_questions.values_list("key", "pk"))
    response_submit(
        token=link_for(invitation),
        answers={keys[key]: value for key, value in by_key.items()},
        now=event.ends_at + DAY,
    )


@pytest.fixture
def two_of_a_series():
    """Two finished events of one series, each answered: the first's report built when
    its survey closed, the second's not yet."""
    group = Series.objects.create(name="Halton Data Days", slug="halton-data-days")
    first = finished_event(
        series=group, ended=400 * DAY, name="Halton Data Day 2024", slug="halton-2024"
    )
    second = finished_event(
        series=group, previous_event=first, name="Halton Data Day 2025", slug="halton-2025"
    )
    answered(first, overall=3, team_formation=2, recommend=6, datasets_missing="Bus routes")
    answered(first, overall=4, team_formation=3, recommend=8, datasets_missing="Bus routes")
    reporting.report_build(survey_id=first.survey.pk)
    # Five students: a group big enough for the report to break the ratings down by.
    for overall, recommend, change in [
        (5, 10, "More time for the analysis."),
        (4, 9, "More time for the analysis, please."),
        (3, 6, "A quieter room."),
        (4, 9, "Share the datasets earlier."),
        (5, 7, "Nothing."),
    ]:
        answered(
            second, overall=overall, venue=4, recommend=recommend, change=change,
            participant_type="Student",
        )  # fmt: skip
    return first, second


def test_organiser_reads_the_report_compares_the_series_and_creates_the_next_event(
    new_page, live_server, two_of_a_series
):
    first, second = two_of_a_series
    role = EventRoleFactory(event=second, role=RoleKind.ORGANISER)
    # get_or_create: a live-server test's database starts without the migration's rows.
    role.user.groups.add(Group.objects.get_or_create(name="Event creators")[0])
    page = new_page("desktop", javascript=False)
    heading = page.get_by_role("heading", level=1)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}/organise/{second.slug}/")
    feedback = page.get_by_role("region", name="Feedback", exact=True)
    participants = feedback.get_by_role("row", name="Participants")
    expect(participants.get_by_role("cell")).to_have_text(["5", "5", "100%"])
    lessons = page.get_by_role("region", name="Lessons from last time")
    expect(lessons).to_contain_text(f"From the 2 people who answered the survey of {first.name}")
    expect(lessons.get_by_role("definition").last).to_have_text("bus route")
    assert_accessible_at_every_width(page, "feedback-dashboard")

    page.get_by_role("link", name="Feedback report").click()
    expect(heading).to_have_text("Feedback report")
    expect(page.get_by_text("You can build it now from the answers so far")).to_be_visible()
    assert_accessible_at_every_width(page, "feedback-report-unbuilt")

    page.get_by_role("button", name="Build the report now").click()
    expect(banner(page)).to_contain_text("The report is being built")
    expect(page.get_by_text("Built on")).to_be_visible()
    expect(page.get_by_role("button", name="Build it again now")).to_be_visible()
    expect(page.get_by_text("5 of 5 invited (100%)")).to_be_visible()
    # Response rates; overall, venue, recommending and who they are.
    assert_charts_shown(page, 1 + 4)
    # Each chart's figures as a table beside it.
    overall = page.get_by_role("region", name="How would you rate the event overall?")
    expect(overall.get_by_role("table", name=re.compile("the figures$"))).to_be_visible()
    by_group = overall.get_by_role("table", name="By who respondents say they are")
    expect(by_group.get_by_role("row", name="Student").get_by_role("cell")).to_have_text(
        ["5", "4.2"]
    )
    change = page.get_by_role("region", name="What should we change next time?")
    expect(change.get_by_role("list").first).to_contain_text("analysis (2 people)")
    csv = page.get_by_role("link", name="Download every answer (CSV)")
    download = page.context.request.get(live_server.url + csv.get_attribute("href"))
    assert download.status == 200
    assert download.headers["content-type"].startswith("text/csv")
    assert download.text().count("\n") == 1 + 5  # the headings, then each response
    assert_accessible_at_every_width(page, "feedback-report")

    page.get_by_role("link", name="Compare the series' events").click()
    expect(heading).to_have_text("Compare the series' events")
    # A series of many events scrolls sideways on a phone, in a region keyboards can reach.
    scrolling = page.get_by_role("region", name="Event by event")
    expect(scrolling).to_have_attribute("tabindex", "0")
    table = scrolling.get_by_role("table", name="Event by event")
    expect(table.get_by_role("columnheader")).to_contain_text(["Figure", first.name, second.name])
    responses = table.get_by_role("row", name="Survey responses")
    expect(responses.get_by_role("cell")).to_have_text(["2", "5"])
    assert_charts_shown(page, 2)  # attendance and the overall rating
    assert_accessible_at_every_width(page, "feedback-series")

    page.get_by_role("link", name="Dashboard").click()
    page.get_by_role("link", name="Create the next event from this one").click()
    expect(heading).to_have_text("Create the next event")
    page.get_by_label("Name", exact=True).fill("Halton Data Day 2026")
    page.get_by_role("button", name="Create the next event").click()
    expect(heading).to_have_text("Halton Data Day 2026")
    expect(banner(page)).to_contain_text("Copied:")
    expect(banner(page)).to_contain_text("the feedback survey")
    lessons = page.get_by_role("region", name="Lessons from last time")
    expect(lessons).to_contain_text(f"From the 5 people who answered the survey of {second.name}")
    # Three promoters and one detractor of five: (3 - 1) / 5.
    expect(lessons.get_by_role("definition").first).to_have_text("40")
    assert_accessible_at_every_width(page, "feedback-next-dashboard")
    assert Event.objects.get(name="Halton Data Day 2026").previous_event == second


def test_participant_joins_the_directory_with_their_email_shown(new_page, live_server):
    event = finished_event(name="Halton Data Day 2025")
    person = attendee(event, display_name="Ada Byrne", organisation="Halton CVS")
    connections.directory_join(event=event, user=attendee(event, display_name="Bo Jones"))
    page = new_page("desktop", javascript=False)
    heading = page.get_by_role("heading", level=1)
    login(page, live_server, person)

    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    stay_in_touch = page.get_by_role("region", name="Stay in touch")
    stay_in_touch.get_by_role("link", name="See who is listed, and join").click()
    expect(heading).to_have_text("Stay in touch")
    expect(page.get_by_role("heading", name="1 person listed")).to_be_visible()
    assert_accessible_at_every_width(page, "feedback-directory")

    page.get_by_label("What would you like to talk to people about?").fill("Open data for councils")
    page.get_by_label(connections.EMAIL_CONSENT_TEXTS[connections.EMAIL_CONSENT_VERSION]).check()
    page.get_by_role("button", name="List me").click()
    expect(banner(page)).to_contain_text("Your entry in the directory is saved.")
    expect(page.get_by_role("heading", name="2 people listed")).to_be_visible()
    mine = page.get_by_role("listitem").filter(has=page.get_by_role("heading", name="Ada Byrne"))
    expect(mine).to_contain_text("Halton CVS")
    expect(mine).to_contain_text("Open data for councils")
    email = mine.get_by_role("link", name=person.email)
    expect(email).to_have_attribute("href", f"mailto:{person.email}")
    expect(page.get_by_role("button", name="Take me off the directory")).to_be_visible()
    assert_accessible_at_every_width(page, "feedback-directory-listed")

    entry = DirectoryEntry.objects.get(event=event, user=person)
    assert entry.shares_email and entry.email_consent_version == connections.EMAIL_CONSENT_VERSION


def test_organiser_sets_up_the_survey_and_previews_a_new_question(new_page, live_server):
    event = finished_event(name="Halton Data Day 2025")
    role = EventRoleFactory(event=event, role=RoleKind.ORGANISER)
    page = new_page("desktop", javascript=False)
    heading = page.get_by_role("heading", level=1)
    login(page, live_server, role.user)

    page.goto(f"{live_server.url}/organise/{event.slug}/")
    page.get_by_role("link", name="Feedback survey").click()
    expect(heading).to_have_text("Feedback survey")
    assert_accessible_at_every_width(page, "feedback-survey-settings")
    page.get_by_label("Introduction").fill("Five minutes: what should we keep and change?")
    page.get_by_role("group", name="Who is invited").get_by_label("Organisers").uncheck()
    page.get_by_role("button", name="Save settings").click()
    expect(banner(page)).to_contain_text("Survey settings saved.")
    assert_accessible_at_every_width(page, "feedback-survey-settings-saved")
    event.survey.refresh_from_db()
    assert event.survey.intro == "Five minutes: what should we keep and change?"
    assert Audience.ORGANISERS not in event.survey.audiences

    page.get_by_role("link", name="Edit the questions").click()
    expect(heading).to_have_text("Survey questions")
    assert_accessible_at_every_width(page, "feedback-survey-questions")
    page.get_by_label("Question", exact=True).fill("Which data did your team open first?")
    kinds = page.get_by_role("group", name="Kind of answer")
    kinds.get_by_label("Single choice").check()
    page.get_by_label("Options").fill("Claimant counts\nBus routes\nHousing")
    asked = page.get_by_role("group", name="Asked of")
    asked.get_by_label("Participants").check()
    asked.get_by_label("Judges").check()
    page.get_by_role("button", name="Add survey question").click()
    expect(banner(page)).to_contain_text("The survey question is added.")
    added = page.get_by_role("row", name="Which data did your team open first?")
    expect(added.get_by_role("cell")).to_contain_text(["Single choice", "Judges, Participants"])
    assert_accessible_at_every_width(page, "feedback-survey-question-added")

    page.get_by_role("link", name="Preview survey questions").click()
    expect(heading).to_have_text("Preview the survey")
    page.get_by_role("navigation", name="Audiences").get_by_role("link", name="Judges").click()
    expect(page.get_by_text("This is the survey as judges get it")).to_be_visible()
    new = page.get_by_role("group", name="Which data did your team open first?")
    expect(new.get_by_role("radio")).to_have_count(3)
    # Judges are not asked how forming a team went; participants are.
    expect(page.get_by_text("How well did forming or finding a team work?")).to_have_count(0)
    expect(page.get_by_role("button", name="Send my answers")).to_be_disabled()
    assert_accessible_at_every_width(page, "feedback-survey-preview-judges")
