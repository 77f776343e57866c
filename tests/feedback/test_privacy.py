"""Surveys in "download my data" and when an account is deleted."""

import pytest

from accounts.privacy import personal_data_export
from accounts.services import account_delete
from feedback.enums import Audience
from feedback.models import SurveyInvitation, SurveyResponse
from feedback.services.responding import response_submit
from tests.feedback.helpers import attendee, finished_event, link_for

pytestmark = pytest.mark.django_db


def _respond(event, person, **answers_by_key):
    invitation = SurveyInvitation.objects.create(
        survey=event.survey, user=person, audience=Audience.PARTICIPANTS
    )
    questions = {q.key: q.pk for q in event.survey_questions.all()}
    answers = {questions[key]: value for key, value in answers_by_key.items()}
    return response_submit(token=link_for(invitation), answers=answers)


def test_export_holds_named_answers_and_only_whether_an_anonymous_survey_was_answered():
    named, anonymous = finished_event(), finished_event()
    named.survey.anonymous = False
    named.survey.save()
    person = attendee(named)
    _respond(named, person, overall=4, change="Warmer room")
    _respond(anonymous, person, overall=2)

    exported = personal_data_export(user=person)["feedback"]["surveys"]

    assert exported[0]["event"] == named.name and exported[0]["answered"] is True
    assert exported[0]["answers"] == {
        "How would you rate the event overall?": 4,
        "What should we change next time?": "Warmer room",
    }
    assert exported[1]["event"] == anonymous.name and exported[1]["answered"] is True
    assert exported[1]["answers"] is None and exported[1]["anonymous"] is True


def test_erasure_keeps_counts_and_ratings_but_not_the_link_or_free_text():
    event = finished_event()
    event.survey.anonymous = False
    event.survey.save()
    person = attendee(event)
    response = _respond(event, person, overall=5, change="Ask Sam Jones about parking")
    overall = str(event.survey_questions.get(key="overall").pk)

    account_delete(user=person)

    invitation = SurveyInvitation.objects.get()
    response = SurveyResponse.objects.get(pk=response.pk)
    assert invitation.user is None and invitation.responded is True
    assert response.invitation is None and response.submitted_at is None
    assert response.answers == {overall: 5}
