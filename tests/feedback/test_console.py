"""Organisers' survey pages: settings, questions, preview and the dashboard panel."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from common.exceptions import ApplicationError
from events.enums import RoleKind
from feedback.enums import Audience
from feedback.models import Survey, SurveyInvitation, SurveyQuestion
from feedback.services import editing
from feedback.services.responding import response_submit
from feedback.template import DEFAULT_QUESTIONS
from tests.factories import EventRoleFactory
from tests.feedback.helpers import attendee, finished_event, link_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return finished_event()


@pytest.fixture
def organiser_client(client, event):
    client.force_login(EventRoleFactory(event=event, role=RoleKind.ORGANISER).user)
    return client


def _answered(event, key="overall", value=4):
    """One participant's response answering the question with `key`."""
    invitation = SurveyInvitation.objects.create(
        survey=event.survey, user=attendee(event), audience=Audience.PARTICIPANTS
    )
    question = event.survey_questions.get(key=key)
    response_submit(token=link_for(invitation), answers={question.pk: value})
    return question


def test_every_new_event_gets_the_default_survey(event):
    survey = Survey.objects.get(event=event)

    assert survey.anonymous is True
    assert survey.audiences == list(Audience.values)
    assert survey.closes_at == event.ends_at + datetime.timedelta(days=14)
    keys = list(event.survey_questions.values_list("key", flat=True))
    assert keys == [key for key, *_ in DEFAULT_QUESTIONS]


def test_settings_page_saves_and_shows_response_rates(organiser_client, event):
    _answered(event)
    url = reverse("feedback_survey", args=[event.slug])
    closes = timezone.localtime(event.ends_at + datetime.timedelta(days=21))

    page = organiser_client.get(url)
    saved = organiser_client.post(
        url,
        {
            "intro": "Five minutes, <b>please</b>.",
            "anonymous": "on",
            "audiences": ["participants", "judges"],
            "closes_at": closes.strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert page.status_code == 200
    assert "100%" in page.content.decode()  # one invited participant, who answered
    assert saved.status_code == 302
    survey = Survey.objects.get(event=event)
    assert survey.intro == "Five minutes, <b>please</b>."
    assert survey.audiences == ["participants", "judges"]
    assert survey.closes_at == closes.replace(second=0, microsecond=0)


def test_closing_before_the_invitations_go_is_refused(organiser_client, event):
    url = reverse("feedback_survey", args=[event.slug])
    too_early = timezone.localtime(event.ends_at)

    refused = organiser_client.post(
        url, {"audiences": ["participants"], "closes_at": too_early.strftime("%Y-%m-%dT%H:%M")}
    )

    assert refused.status_code == 400
    assert "The survey must close after its invitations go out." in refused.content.decode()
    assert Survey.objects.get(event=event).closes_at > event.ends_at


def test_anonymity_cannot_change_once_anyone_answered(event):
    _answered(event)

    with pytest.raises(ApplicationError) as refused:
        editing.survey_update(actor=None, survey=event.survey, anonymous=False)

    assert refused.value.code == "survey_answered"
    assert Survey.objects.get(event=event).anonymous is True


def test_an_answered_question_keeps_its_kind_and_options_and_is_not_deleted(event):
    question = _answered(event, key="next_event", value="Yes")

    with pytest.raises(ApplicationError) as kind_change:
        editing.question_update(actor=None, question=question, kind="text", choices=[])
    with pytest.raises(ApplicationError) as deletion:
        editing.question_delete(actor=None, question=question)
    editing.question_update(actor=None, question=question, text="Will you come back?")

    assert kind_change.value.details == {
        "kind": ["Already answered."],
        "choices": ["Already answered."],
    }
    assert deletion.value.code == "question_answered"
    question.refresh_from_db()
    assert (question.text, question.kind) == ("Will you come back?", "single_choice")


def test_an_unanswered_question_may_change_and_go(event):
    question = event.survey_questions.get(key="next_event")
    _answered(event, key="overall")

    editing.question_update(actor=None, question=question, kind="text", choices=[])
    editing.question_delete(actor=None, question=question)

    assert not SurveyQuestion.objects.filter(pk=question.pk).exists()


def test_a_new_question_comes_last_unless_the_organiser_says_otherwise(organiser_client, event):
    page = organiser_client.get(reverse("organise_survey_questions", args=[event.slug]))

    last = max(event.survey_questions.values_list("order", flat=True))
    assert page.context["form"].initial["order"] == last + 1


def test_questions_part_adds_a_question_for_chosen_audiences(organiser_client, event):
    added = organiser_client.post(
        reverse("organise_survey_questions", args=[event.slug]),
        {
            "text": "Which session helped most?",
            "kind": "single_choice",
            "choices": "Talks\nWorkshops\n",
            "audiences": ["mentors"],
            "order": "20",
        },
    )

    assert added.status_code == 302
    question = event.survey_questions.get(text="Which session helped most?")
    assert question.choices == ["Talks", "Workshops"] and question.audiences == ["mentors"]
    assert question.key == ""


def test_preview_shows_each_audiences_questions(organiser_client, event):
    url = reverse("organise_survey_questions_preview", args=[event.slug])

    participants = organiser_client.get(url).content.decode()
    judges = organiser_client.get(url, {"audience": "judges"}).content.decode()
    unknown = organiser_client.get(url, {"audience": "\u202enobody"})

    assert "How well did forming or finding a team work?" in participants
    assert "How well did forming or finding a team work?" not in judges
    assert "How clear and fair was the judging?" in judges
    assert 'href="?audience=judges" aria-current="page">Judges</a>' in judges
    assert unknown.status_code == 200


def test_dashboard_panel_appears_once_the_event_has_ended(organiser_client):
    upcoming = EventRoleFactory(role=RoleKind.ORGANISER)
    ended = finished_event()
    EventRoleFactory(event=ended, role=RoleKind.ORGANISER, user=upcoming.user)
    organiser_client.force_login(upcoming.user)

    before = organiser_client.get(reverse("organise_dashboard", args=[upcoming.event.slug]))
    after = organiser_client.get(reverse("organise_dashboard", args=[ended.slug]))

    assert "Who has answered" not in before.content.decode()
    assert "Who has answered" in after.content.decode()
