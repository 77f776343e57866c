"""The survey through the API: organisers' settings, questions and report; answering by
link with no sign-in, with the page's rules and the API's error shape."""

import datetime

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from events.enums import RoleKind
from feedback.enums import Audience
from feedback.models import Survey, SurveyInvitation, SurveyResponse
from feedback.services.responding import response_submit
from tests.factories import EventRoleFactory
from tests.feedback.helpers import attendee, finished_event, link_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return finished_event()


@pytest.fixture
def organiser_api(event):
    api = APIClient()
    api.force_authenticate(EventRoleFactory(event=event, role=RoleKind.ORGANISER).user)
    return api


@pytest.fixture
def token(event):
    invitation = SurveyInvitation.objects.create(
        survey=event.survey, user=attendee(event), audience=Audience.PARTICIPANTS
    )
    return link_for(invitation)


def test_organisers_read_and_change_the_survey_and_add_a_question(organiser_api, event):
    url = reverse("api:survey", args=[event.slug])
    questions = reverse("api:survey-question-list", args=[event.slug])

    read = organiser_api.get(url)
    changed = organiser_api.patch(url, {"audiences": ["participants"]}, format="json")
    added = organiser_api.post(
        questions,
        {"text": "Which talk helped?", "kind": "single_choice", "choices": ["A", "B"],
         "audiences": ["participants"]},
        format="json",
    )  # fmt: skip

    assert read.status_code == 200 and read.json()["anonymous"] is True
    assert changed.json()["audiences"] == ["participants"]
    assert Survey.objects.get(event=event).audiences == ["participants"]
    assert added.status_code == 201 and added.json()["key"] == ""
    assert "Which talk helped?" in [q["text"] for q in organiser_api.get(questions).json()]


def test_a_refused_change_answers_the_error_shape_and_changes_nothing(organiser_api, event, token):
    response_submit(token=token, answers={event.survey_questions.get(key="overall").pk: 4})

    refused = organiser_api.patch(
        reverse("api:survey", args=[event.slug]), {"anonymous": False}, format="json"
    )

    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == "survey_answered"
    assert Survey.objects.get(event=event).anonymous is True


def test_report_is_empty_until_built_then_asked_for_and_built(
    organiser_api, event, token, django_capture_on_commit_callbacks
):
    response_submit(token=token, answers={event.survey_questions.get(key="overall").pk: 4})
    url = reverse("api:survey-report", args=[event.slug])

    before = organiser_api.get(url).json()
    with django_capture_on_commit_callbacks(execute=True):
        asked = organiser_api.post(url)
    after = organiser_api.get(url).json()

    assert before["built_at"] is None and before["content"] == {}
    assert asked.status_code == 202 and asked.json()["pending"] is True
    assert after["pending"] is False and after["content"]["survey"]["responses"] == 1


def test_a_link_gives_its_audiences_questions_and_takes_answers_once(event, token):
    api = APIClient(enforce_csrf_checks=True)
    url = reverse("api:survey-link", args=[token])
    overall = event.survey_questions.get(key="overall")

    read = api.get(url)
    sent = api.post(url, {"answers": {str(overall.pk): 5}}, format="json")
    again = api.post(url, {"answers": {str(overall.pk): 1}}, format="json")

    texts = [q["text"] for q in read.json()["questions"]]
    assert "How well did forming or finding a team work?" in texts
    assert "How clear and fair was the judging?" in texts
    assert sent.status_code == 201
    assert again.status_code == 409 and again.json()["error"]["code"] == "already_answered"
    assert SurveyResponse.objects.get().answers == {str(overall.pk): 5}


@pytest.mark.parametrize(
    "answers, status, code",
    [
        ({"overall": 6}, 400, "invalid_answers"),
        ({"overall": 10**400}, 400, "invalid_answers"),
        ({"overall": [[[[1]]]]}, 400, "invalid_answers"),
        ({}, 400, "no_answers"),
    ],
)
def test_bad_answers_by_api_are_refused_naming_the_problem(event, token, answers, status, code):
    by_key = {q.key: str(q.pk) for q in event.survey_questions.all()}
    url = reverse("api:survey-link", args=[token])

    refused = APIClient().post(
        url, {"answers": {by_key[k]: v for k, v in answers.items()}}, format="json"
    )

    assert refused.status_code == status
    assert refused.json()["error"]["code"] == code
    assert not SurveyResponse.objects.exists()


def test_unknown_and_closed_links_answer_404_and_410(event, token):
    unknown = APIClient().get(reverse("api:survey-link", args=["no-such-token"]))
    event.survey.closes_at = event.survey.opens_at + datetime.timedelta(minutes=1)  # past
    event.survey.save()
    closed = APIClient().get(reverse("api:survey-link", args=[token]))

    assert unknown.status_code == 404 and unknown.json()["error"]["code"] == "link_unknown"
    assert closed.status_code == 410 and closed.json()["error"]["code"] == "survey_closed"
