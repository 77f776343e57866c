"""The demo's December survey: answered by most of those who came and by the judges."""

import io
from collections import Counter
from statistics import mean

import pytest
from django.core.management import call_command

from events.models import Event
from feedback.models import SurveyInvitation, SurveyResponse
from feedback.series import lessons_from

pytestmark = pytest.mark.django_db


def test_december_is_answered_by_forty_participants_and_the_judges_once(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):  # as the command's commit would
        call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # a second run changes nothing
    december = Event.objects.get(slug="community-data-hackathon-2024")

    responses = SurveyResponse.objects.filter(survey__event=december)
    assert Counter(responses.values_list("audience", flat=True)) == {
        "participants": 40,
        "judges": 5,
        "organisers": 1,
    }
    # Anonymous: no response names its invitation or its time.
    assert not responses.filter(invitation__isnull=False).exists()
    assert not responses.filter(submitted_at__isnull=False).exists()
    answered = SurveyInvitation.objects.filter(survey__event=december, responded=True).count()
    assert answered == 46
    # The write-up's pattern: forming teams was the weakest part of a good day.
    by_key = {q.key: str(q.pk) for q in december.survey_questions.all()}

    def average(key):
        return mean(r.answers[by_key[key]] for r in responses if by_key[key] in r.answers)

    aspects = ["overall", "venue", "themes", "datasets", "team_formation", "judging"]
    assert min(aspects, key=average) == "team_formation"
    assert average("overall") > 4

    # Its report is built, so the follow-up event's dashboard shows its lessons.
    follow_up = Event.objects.get(previous_event=december)
    lessons = lessons_from(follow_up.previous_event)
    assert lessons.built and lessons.responses == 46
    assert lessons.weakest[0][0] == "How well did forming or finding a team work?"
