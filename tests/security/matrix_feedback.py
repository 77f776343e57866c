"""Authorization-matrix rows for feedback surveys (see matrix.py for the row format).

The answering page needs no sign-in: the single-use token in its address is the whole
right, so every role gets the same answer for one link: the form for a live link, 404
for an unknown one, and a POST of nothing is refused as empty."""

import datetime

from feedback.enums import Audience
from feedback.models import DirectoryEntry, Survey, SurveyInvitation, SurveyReportBuild
from feedback.services import reporting
from tests.feedback.helpers import link_for
from tests.security.matrix import (
    A_API,
    CONFIRMED,
    DOWN,
    LOGIN,
    MANAGERS,
    OUTSIDERS,
    A,
    D,
    Row,
    api_write,
    console,
    constant,
    everyone,
    expect,
    signed_in,
)

QUESTION_FORM = constant({"text": "What would bring you back?", "kind": "text", "choices": "",
                          "audiences": ["participants"], "order": 3})  # fmt: skip
SETTINGS_FORM = constant({"intro": "Thank you for coming.", "anonymous": "on",
                          "audiences": ["participants", "judges"]})  # fmt: skip


def _question_of(key: str, *, under: str | None = None):
    """The first survey question of event `key`, addressed under event `under`."""
    return lambda w: {
        "slug": getattr(w, under or key).event.slug,
        "pk": getattr(w, key).event.survey_questions.order_by("order").first().pk,
    }


def _asked(key: str, text: str):
    return lambda w: getattr(w, key).event.survey_questions.filter(text=text).exists()


def _first_gone(key: str):
    return lambda w: not getattr(w, key).event.survey_questions.filter(order=0).exists()


def _intro_saved(w) -> bool:
    return Survey.objects.get(event=w.a.event).intro == "Thank you for coming."


def _live_link(w) -> dict:
    """A link of A's survey, invited as a participant (A's survey takes answers until
    it closes, after A ends)."""
    invitation = SurveyInvitation.objects.create(
        survey=w.a.event.survey, user=w.people["participant"], audience=Audience.PARTICIPANTS
    )
    return {"token": link_for(invitation)}


def rows() -> list[Row]:
    return [
        Row("survey_answer", "GET", everyone(200), _live_link),
        Row("survey_answer", "POST", everyone(400), _live_link, data=lambda w: {}),
        Row("survey_answer", "GET", everyone(404), lambda w: {"token": "no-such-link"},
            label="unknown"),
        Row("survey_thanks", "GET", everyone(200)),
        Row("feedback_survey", "GET", console(200), A),
        Row("feedback_survey", "GET", console(200), D, label="draft"),
        Row("feedback_survey", "POST", console(302), A, data=_settings_form, effect=_intro_saved),
        Row("organise_survey_questions", "GET", console(200), A),
        Row("organise_survey_questions", "POST", console(302), A, data=QUESTION_FORM,
            effect=_asked("a", "What would bring you back?")),
        Row("organise_survey_question_edit", "GET", console(200), _question_of("a")),
        Row("organise_survey_question_edit", "POST", console(302), _question_of("a"),
            data=QUESTION_FORM, effect=_asked("a", "What would bring you back?")),
        Row("organise_survey_question_edit", "POST", signed_in(404), _question_of("b", under="a"),
            label="other-event", data=QUESTION_FORM,
            effect=_asked("b", "What would bring you back?")),
        Row("organise_survey_question_delete", "POST", console(302), _question_of("a"),
            data=CONFIRMED, effect=_first_gone("a")),
        Row("organise_survey_question_delete", "POST", signed_in(404),
            _question_of("b", under="a"), label="other-event", data=CONFIRMED,
            effect=_first_gone("b")),
        Row("organise_survey_question_move", "POST", console(302), _question_of("a"), data=DOWN),
        Row("organise_survey_questions_preview", "GET", console(200), A),
        Row("feedback_report", "GET", console(200), A),
        Row("feedback_report", "POST", console(302), A, effect=_report_asked),
        Row("feedback_report_chart", "GET", console(200), _chart_of_a),
        Row("feedback_report_chart", "GET", signed_in(404), _chart_of_b_under_a,
            label="other-event"),
        Row("feedback_answers_csv", "GET", console(200), A),
        Row("feedback_series", "GET", console(200), A),
        Row("feedback_series_chart", "GET", console(200), _series_chart_of_a),
        # The API: the survey is its organisers' (A is public, so others get 403).
        Row("api:survey-question-list", "GET", api_write(200), A_API),
        Row("api:survey-question-list", "POST", api_write(201), A_API, data=_api_question,
            effect=_asked("a", "What would bring you back?")),
        Row("api:survey-question-detail", "PATCH", api_write(200), _api_question_of_a,
            data=constant({"text": "What would bring you back?"}),
            effect=_asked("a", "What would bring you back?")),
        Row("api:survey-question-detail", "DELETE", api_write(204), _api_question_of_a,
            effect=_first_gone("a")),
        Row("api:survey", "GET", api_write(200), A_API),
        Row("api:survey", "PATCH", api_write(200), A_API,
            data=constant({"intro": "Thank you for coming."}), effect=_intro_saved),
        Row("api:survey-report", "GET", api_write(200), A_API),
        Row("api:survey-report", "POST", api_write(202), A_API, effect=_report_asked),
        Row("api:survey-link", "GET", everyone(200), _live_link),
        Row("api:survey-link", "POST", everyone(400), _live_link, data=constant({})),
        # A has not ended: its directory is its organisers' to read, and nobody's to join.
        Row("feedback_directory", "GET", console(200), A),
        Row("feedback_directory", "POST",
            expect(f"anonymous:{LOGIN} {OUTSIDERS}:404 {MANAGERS}:403"), A,
            data=constant({"action": "join"}), effect=_listed),
    ]  # fmt: skip


def _listed(w) -> bool:
    return DirectoryEntry.objects.exists()


def _settings_form(w) -> dict:
    closes = w.a.event.ends_at + datetime.timedelta(days=10)
    return {**SETTINGS_FORM(w), "closes_at": closes.strftime("%Y-%m-%dT%H:%M")}


def _report_asked(w) -> bool:
    return SurveyReportBuild.objects.filter(
        survey__event=w.a.event, requested_at__isnull=False
    ).exists()


def _chart_of_a(w) -> dict:
    """A's report, built, and its response-rate chart (A's participant was invited)."""
    _live_link(w)
    reporting.report_build(survey_id=Survey.objects.get(event=w.a.event).pk)
    return {"slug": w.a.event.slug, "key": "rates"}


def _chart_of_b_under_a(w) -> dict:
    SurveyInvitation.objects.create(
        survey=w.b.event.survey, user=w.people["participant"], audience=Audience.PARTICIPANTS
    )
    reporting.report_build(survey_id=Survey.objects.get(event=w.b.event).pk)
    return {"slug": w.a.event.slug, "key": "rates"}


def _series_chart_of_a(w) -> dict:
    _chart_of_a(w)
    return {"slug": w.a.event.slug, "key": "attendance"}


def _api_question(w) -> dict:
    return {"text": "What would bring you back?", "kind": "text", "audiences": ["participants"]}


def _api_question_of_a(w) -> dict:
    first = w.a.event.survey_questions.order_by("order").first()
    return {"event_slug": w.a.event.slug, "pk": first.pk}
