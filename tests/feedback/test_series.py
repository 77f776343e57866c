"""Events of a series side by side, and the lessons of the last one on the next."""

import datetime

import pytest
from django.urls import reverse

from events.enums import RoleKind
from events.models import Series
from feedback import series
from feedback.enums import Audience
from feedback.models import SurveyInvitation
from feedback.services import reporting
from feedback.services.responding import response_submit
from tests.factories import EventFactory, EventRoleFactory
from tests.feedback.helpers import attendee, finished_event, link_for

pytestmark = pytest.mark.django_db


def _respond(event, **by_key):
    invitation = SurveyInvitation.objects.create(
        survey=event.survey, user=attendee(event), audience=Audience.PARTICIPANTS
    )
    questions = {q.key: q.pk for q in event.survey_questions.all()}
    response_submit(
        token=link_for(invitation),
        answers={questions[k]: v for k, v in by_key.items()},
        now=event.ends_at + datetime.timedelta(days=1),  # while its survey was open
    )


@pytest.fixture
def the_series():
    """Two finished events of one series, their reports built, and the next one."""
    group = Series.objects.create(name="Data days", slug="data-days")
    first = finished_event(series=group, ended=datetime.timedelta(days=400))
    second = finished_event(series=group, previous_event=first)
    for overall, team, recommend, wanted in [
        (5, 2, 10, "Health data by ward"),
        (4, 2, 9, "Health data and housing"),
        (3, 3, 6, "Bus routes"),
    ]:
        _respond(
            second, overall=overall, team_formation=team, venue=4, recommend=recommend,
            datasets_missing=wanted,
        )  # fmt: skip
    _respond(first, overall=2, recommend=0)
    for event in (first, second):
        reporting.report_build(survey_id=event.survey.pk)
    upcoming = EventFactory(series=group, previous_event=second)
    return first, second, upcoming


def test_series_figures_are_each_events_own_oldest_first(the_series):
    first, second, upcoming = the_series

    figures = series.series_figures(upcoming)

    assert [f.name for f in figures] == [first.name, second.name]
    # Everyone registered in these tests came: 1 of 1, then 3 of 3.
    assert [(f.applied, f.came, f.attendance) for f in figures] == [(1, 1, 100.0), (3, 3, 100.0)]
    assert [f.responses for f in figures] == [1, 3]
    assert figures[0].nps == -100 and figures[1].nps == pytest.approx(100 * (2 - 1) / 3)
    assert figures[1].aspects["overall"] == 4.0 and figures[1].aspects["team_formation"] == 7 / 3
    assert figures[0].aspects["venue"] is None


def test_lessons_name_the_weakest_aspects_the_data_asked_for_and_the_score_to_beat(the_series):
    _first, second, _upcoming = the_series

    lessons = series.lessons_from(second)

    assert lessons.built and lessons.responses == 3
    assert [text for text, _mean in lessons.weakest] == [
        "How well did forming or finding a team work?",
        "How would you rate the event overall?",
        "How would you rate the venue and its accessibility?",
    ]
    assert lessons.weakest[0][1] == pytest.approx(7 / 3)
    # "health data" was asked for by two people, and says what "health" and "data" would;
    # one person's words are left out.
    assert lessons.data_wanted == ["health data"]
    assert lessons.nps_to_beat == pytest.approx(100 / 3)


def test_dashboard_shows_lessons_only_on_an_event_that_follows_another(client, the_series):
    first, _second, upcoming = the_series
    organiser = EventRoleFactory(event=upcoming, role=RoleKind.ORGANISER).user
    EventRoleFactory(event=first, role=RoleKind.ORGANISER, user=organiser)
    client.force_login(organiser)

    following = client.get(reverse("organise_dashboard", args=[upcoming.slug])).content.decode()
    opening = client.get(reverse("organise_dashboard", args=[first.slug])).content.decode()

    assert "Lessons from last time" in following
    assert "Net promoter score to beat" in following and "health data" in following
    assert "Lessons from last time" not in opening


def test_lessons_from_one_answer_speak_of_one_person(client, the_series):
    first, second, _upcoming = the_series
    client.force_login(EventRoleFactory(event=second, role=RoleKind.ORGANISER).user)

    page = client.get(reverse("organise_dashboard", args=[second.slug])).content.decode()

    assert f"From the 1 person who answered the survey of {first.name}." in page


def test_series_page_and_its_charts(client, the_series):
    first, second, upcoming = the_series
    client.force_login(EventRoleFactory(event=upcoming, role=RoleKind.ORGANISER).user)

    page = client.get(reverse("feedback_series", args=[upcoming.slug])).content.decode()
    chart = client.get(reverse("feedback_series_chart", args=[upcoming.slug, "attendance"]))
    unknown = client.get(reverse("feedback_series_chart", args=[upcoming.slug, "nothing"]))

    assert first.name in page and second.name in page
    assert "Rating: Forming teams" in page
    assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert b"Bar chart, attendance" in chart.content
    assert unknown.status_code == 404
