"""Feedback in the browser, each page checked with axe at phone and desktop widths: a
participant answers the survey through the link in the invitation email, without signing
in, with JavaScript and without; an organiser reads the report and the series
comparison, then creates the next event, which shows the lessons of this one; someone
who took part joins the event's directory; the survey's settings and questions.

The live server runs in the test process with Celery eager (tests/conftest.py), so the
report asked for from its page is built before the page reloads."""

import re

import pytest
from playwright.sync_api import Page, expect

from common.models import OutboxMessage
from feedback.enums import Audience, SurveyQuestionKind
from feedback.models import SurveyQuestion, SurveyResponse
from feedback.services.invitations import step_purpose, survey_emails_send
from tests.e2e.conftest import assert_accessible_at_every_width
from tests.feedback.helpers import attendee, finished_event

pytestmark = pytest.mark.browser

# The invitation's plain-text body puts its link after this (feedback/email/survey.txt).
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
