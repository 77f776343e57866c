"""Answering through the emailed link: once, within the dates, with clean answers."""

import pytest
from django.urls import reverse
from django.utils import timezone

from common.exceptions import ApplicationError
from feedback.enums import Audience
from feedback.models import SurveyInvitation, SurveyResponse
from feedback.services.responding import response_submit
from tests.feedback.helpers import DAY, attendee, finished_event, link_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return finished_event()


@pytest.fixture
def invitation(event):
    person = attendee(event)
    return SurveyInvitation.objects.create(
        survey=event.survey, user=person, audience=Audience.PARTICIPANTS
    )


def _question(event, key):
    return event.survey_questions.get(key=key)


def test_anonymous_response_keeps_no_link_to_the_person_nor_a_time(event, invitation):
    token = link_for(invitation)
    overall, change = _question(event, "overall"), _question(event, "change")

    response = response_submit(
        token=token, answers={overall.pk: 5, f"question_{change.pk}": " More tea. "}
    )

    assert response.answers == {str(overall.pk): 5, str(change.pk): "More tea."}
    assert response.invitation is None and response.submitted_at is None
    assert response.audience == Audience.PARTICIPANTS
    invitation.refresh_from_db()
    assert invitation.responded is True


def test_named_response_keeps_its_invitation_and_time(event, invitation):
    event.survey.anonymous = False
    event.survey.save()
    now = timezone.now()

    response = response_submit(
        token=link_for(invitation), answers={_question(event, "overall").pk: "3"}, now=now
    )

    assert response.invitation == invitation and response.submitted_at == now
    assert response.answers == {str(_question(event, "overall").pk): 3}


def test_any_of_an_invitations_links_answers_it_once(event, invitation):
    first, reminder = link_for(invitation, 0), link_for(invitation, 1)
    overall = _question(event, "overall")
    response_submit(token=reminder, answers={overall.pk: 4})

    for token in (first, reminder):
        with pytest.raises(ApplicationError) as refused:
            response_submit(token=token, answers={overall.pk: 1})
        assert refused.value.code == "already_answered"
    assert SurveyResponse.objects.get().answers == {str(overall.pk): 4}


def test_unknown_and_closed_links_are_refused_saying_why(event, invitation):
    overall = _question(event, "overall")
    with pytest.raises(ApplicationError) as unknown:
        response_submit(token="not-a-token", answers={overall.pk: 4})
    token = link_for(invitation)
    with pytest.raises(ApplicationError) as closed:
        response_submit(token=token, answers={overall.pk: 4}, now=event.survey.closes_at)

    assert (unknown.value.code, unknown.value.status) == ("link_unknown", 404)
    assert (closed.value.code, closed.value.status) == ("survey_closed", 410)
    assert "closed on" in closed.value.message
    assert not SurveyResponse.objects.exists()
    assert SurveyInvitation.objects.get().responded is False


@pytest.mark.parametrize(
    "key, value, problem",
    [
        ("overall", 6, "Choose a whole number from 1 to 5."),
        ("overall", 0, "Choose a whole number from 1 to 5."),
        ("overall", "4.5", "Choose a whole number from 1 to 5."),
        ("overall", True, "Choose a whole number from 1 to 5."),
        ("overall", "9" * 5000, "Choose a whole number from 1 to 5."),
        ("overall", "٣", "Choose a whole number from 1 to 5."),  # a digit, not 0-9
        ("recommend", 11, "Choose a whole number from 0 to 10."),
        ("recommend", -1, "Choose a whole number from 0 to 10."),
        ("next_event", "Perhaps", "“Perhaps” is not one of the options."),
        ("next_event", ["Yes"], "“['Yes']” is not one of the options."),
        ("change", "x" * 2001, "At most 2000 characters, please."),
        ("change", "a\x00b", "Null characters are not allowed."),
        ("change", 12, "Expected text."),
    ],
)
def test_out_of_range_answers_are_refused_naming_the_question_and_nothing_is_saved(
    event, invitation, key, value, problem
):
    question = _question(event, key)
    overall = _question(event, "overall")
    answers = {overall.pk: 4, question.pk: value} if key != "overall" else {question.pk: value}

    with pytest.raises(ApplicationError) as refused:
        response_submit(token=link_for(invitation), answers=answers)

    assert refused.value.details == {f"question_{question.pk}": [problem]}
    assert refused.value.message == f"{question.text}: {problem}"
    assert not SurveyResponse.objects.exists()
    invitation.refresh_from_db()
    assert invitation.responded is False


def test_questions_of_another_audience_and_empty_forms_are_refused(event, invitation):
    judges_only = event.survey_questions.create(
        text="How many entries did you judge?", kind="text", audiences=[Audience.JUDGES]
    )
    token = link_for(invitation)

    with pytest.raises(ApplicationError) as other_audience:
        response_submit(token=token, answers={judges_only.pk: "Six"})
    with pytest.raises(ApplicationError) as empty:
        response_submit(token=token, answers={})

    assert other_audience.value.details == {
        f"question_{judges_only.pk}": ["This survey has no such question for you."]
    }
    assert empty.value.code == "no_answers"
    assert not SurveyResponse.objects.exists()


def test_a_required_question_left_blank_is_named(event, invitation):
    change = _question(event, "change")
    change.required = True
    change.save()

    with pytest.raises(ApplicationError) as refused:
        response_submit(token=link_for(invitation), answers={_question(event, "overall").pk: 3})

    assert refused.value.details == {f"question_{change.pk}": ["This question needs an answer."]}


def test_multiple_choice_keeps_the_options_order_once_each(event, invitation):
    pick = event.survey_questions.create(
        text="Which sessions did you attend?",
        kind="multiple_choice",
        choices=["Talks", "Workshops", "Lunch"],
        audiences=[Audience.PARTICIPANTS],
    )

    response = response_submit(token=link_for(invitation), answers={pick.pk: ["Lunch", "Talks"]})

    assert response.answers == {str(pick.pk): ["Talks", "Lunch"]}


# --- the page -------------------------------------------------------------------------


def test_page_shows_the_audiences_questions_then_thanks(client, event, invitation):
    url = reverse("survey_answer", args=[link_for(invitation)])
    overall, team = _question(event, "overall"), _question(event, "team_formation")
    judges_only = event.survey_questions.create(
        text="How many entries did you judge?", kind="text", audiences=[Audience.JUDGES]
    )

    page = client.get(url)
    sent = client.post(url, {f"question_{overall.pk}": "4", f"question_{team.pk}": "2"})

    assert page.status_code == 200
    assert overall.text in page.content.decode()
    assert judges_only.text not in page.content.decode()
    assert "Your answers are anonymous" in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    assert sent.status_code == 302 and sent["Location"] == reverse("survey_thanks")
    assert SurveyResponse.objects.get().answers == {str(overall.pk): 4, str(team.pk): 2}


def test_page_shows_what_is_wrong_and_keeps_nothing(client, event, invitation):
    url = reverse("survey_answer", args=[link_for(invitation)])
    overall = _question(event, "overall")

    empty = client.post(url, {})
    wrong = client.post(url, {f"question_{overall.pk}": "6"})

    assert empty.status_code == 400
    assert "Answer at least one question before sending." in empty.content.decode()
    assert wrong.status_code == 400
    assert "Select a valid choice" in wrong.content.decode()
    assert not SurveyResponse.objects.exists()


def test_page_says_when_a_link_was_used_is_closed_or_unknown(client, event, invitation):
    token = link_for(invitation)
    response_submit(token=token, answers={_question(event, "overall").pk: 4})
    other = attendee(event)
    late = SurveyInvitation.objects.create(survey=event.survey, user=other, audience="participants")
    late_token = link_for(late)
    event.survey.closes_at = timezone.now() - DAY / 24
    event.survey.save()

    used = client.get(reverse("survey_answer", args=[token]))
    closed = client.post(reverse("survey_answer", args=[late_token]), {})
    unknown = client.get(reverse("survey_answer", args=["nothing-like-it"]))

    assert used.status_code == 409 and "already answered" in used.content.decode()
    assert closed.status_code == 410 and "closed on" in closed.content.decode()
    assert unknown.status_code == 404 and "does not work" in unknown.content.decode()
    assert SurveyResponse.objects.count() == 1
