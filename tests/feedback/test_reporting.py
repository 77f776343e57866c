"""The survey report as organisers get it: built by a task, kept, shown, and exported."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from events.enums import RoleKind
from feedback.enums import Audience
from feedback.models import SurveyInvitation, SurveyReportBuild
from feedback.services import reporting
from feedback.services.responding import response_submit
from tests.factories import EventRoleFactory
from tests.feedback.helpers import attendee, finished_event, link_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return finished_event()


def _respond(event, person=None, audience=Audience.PARTICIPANTS, **by_key):
    invitation = SurveyInvitation.objects.create(
        survey=event.survey, user=person or attendee(event), audience=audience
    )
    questions = {q.key: q.pk for q in event.survey_questions.all()}
    return response_submit(
        token=link_for(invitation), answers={questions[k]: v for k, v in by_key.items()}
    )


def _question(report, key):
    return next(q for q in report["questions"] if q["question"]["key"] == key)


def test_built_report_holds_hand_checked_figures_and_the_events_own(event):
    for overall, recommend in [(5, 10), (4, 9), (4, 7), (2, 3)]:
        _respond(event, overall=overall, recommend=recommend)
    SurveyInvitation.objects.create(  # invited, never answered
        survey=event.survey, user=attendee(event), audience=Audience.PARTICIPANTS
    )

    build = reporting.report_build(survey_id=event.survey.pk)

    report, facts = build.content["survey"], build.content["facts"]
    assert report["responses"] == 4
    assert (report["overall"]["invited"], report["overall"]["answered"]) == (5, 4)
    overall = _question(report, "overall")
    assert overall["mean"] == 3.75 and overall["answered"] == 4
    assert [o["count"] for o in overall["options"]] == [0, 1, 0, 2, 1]
    # 2 promoters, 1 passive, 1 detractor of 4: (2 - 1) / 4 = 25.
    assert report["nps"]["score"] == 25
    assert facts["funnel"][-1] == {"type": "All", "applied": 5, "confirmed": 5, "checked_in": 5}
    assert facts["walk_ins"] == 0 and facts["judges"] == []
    # The five participants' profiles have no type; four of them answered.
    assert build.content["participants_by_type"] == [["Not given", 5, 4, 80]]
    assert build.built_at is not None


def test_reading_the_report_takes_as_many_queries_for_many_responses_as_for_few(event):
    def build_queries():
        with CaptureQueriesContext(connection) as queries:
            reporting.report_content(event.survey)
        return len(queries.captured_queries)

    _respond(event, overall=3, change="More tea please")
    few = build_queries()
    for n in range(19):
        _respond(event, overall=1 + n % 5, change="More tea and more time")

    assert build_queries() == few <= 20


def test_asking_for_the_report_builds_it_after_commit(event, django_capture_on_commit_callbacks):
    _respond(event, overall=4)

    with django_capture_on_commit_callbacks(execute=True):
        build = reporting.report_request(survey=event.survey)

    build.refresh_from_db()
    assert not build.pending and build.content["survey"]["responses"] == 1


def test_sweep_builds_closed_surveys_once_and_asks_again_for_a_lost_build(
    event, django_capture_on_commit_callbacks
):
    closed, _also_closed = (finished_event(ended=datetime.timedelta(days=20)) for _ in "ab")

    def sweep() -> int:
        with django_capture_on_commit_callbacks(execute=True):
            return reporting.reports_sweep()

    assert sweep() == 2  # closed, never built; `event` is still open
    assert sweep() == 0  # built since they closed: nothing more
    now = timezone.now()
    SurveyReportBuild.objects.filter(survey=closed.survey).update(
        requested_at=now - datetime.timedelta(minutes=5),
        built_at=now - datetime.timedelta(minutes=6),
    )
    assert sweep() == 0  # asked for lately: its task may be running
    SurveyReportBuild.objects.filter(survey=closed.survey).update(
        requested_at=now - datetime.timedelta(minutes=11),
        built_at=now - datetime.timedelta(minutes=12),
    )
    assert sweep() == 1  # its task was lost
    assert not SurveyReportBuild.objects.get(survey=closed.survey).pending
    assert not SurveyReportBuild.objects.filter(survey=event.survey).exists()


# --- pages ----------------------------------------------------------------------------


@pytest.fixture
def organiser_client(client, event):
    client.force_login(EventRoleFactory(event=event, role=RoleKind.ORGANISER).user)
    return client


def test_report_page_builds_on_request_and_shows_answers_charts_and_figures(
    organiser_client, event, django_capture_on_commit_callbacks
):
    for n in range(6):
        _respond(event, overall=4 + n % 2, recommend=9, participant_type="Student")
    url = reverse("feedback_report", args=[event.slug])

    before = organiser_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        asked = organiser_client.post(url)
    page = organiser_client.get(url).content.decode()
    overall = event.survey_questions.get(key="overall")
    chart = organiser_client.get(
        reverse("feedback_report_chart", args=[event.slug, str(overall.pk)])
    )
    missing = organiser_client.get(reverse("feedback_report_chart", args=[event.slug, "0"]))

    assert "Build the report now" in before
    assert asked.status_code == 302
    assert "How would you rate the event overall?" in page
    assert "Net promoter score" in page and "100 (95% interval" in page
    assert "mean 4.5, median 4.5" in page
    assert chart["Content-Type"] == "image/svg+xml; charset=utf-8"
    assert chart.content.startswith(b"<svg") and b"<script" not in chart.content
    assert missing.status_code == 404


def test_answers_csv_of_an_anonymous_survey_names_nobody(organiser_client, event):
    _respond(event, overall=5, change='=HYPERLINK("x")')

    response = organiser_client.get(reverse("feedback_answers_csv", args=[event.slug]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:2] == ["Audience", "How would you rate the event overall?"]
    assert "Name" not in rows[0]
    assert rows[1][0] == "Participants" and rows[1][1] == "5"
    assert '\'=HYPERLINK("x")' in rows[1]


def test_answers_csv_of_a_named_survey_gives_names_and_times(organiser_client, event):
    event.survey.anonymous = False
    event.survey.save()
    person = attendee(event, display_name="Ada Byrne")
    _respond(event, person=person, overall=3)

    response = organiser_client.get(reverse("feedback_answers_csv", args=[event.slug]))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][:3] == ["Audience", "Name", "Answered at"]
    assert rows[1][1] == "Ada Byrne" and rows[1][2].startswith(str(timezone.now().year))
