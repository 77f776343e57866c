"""Building the survey report: by a task when the survey closes, again when organisers
ask, and kept (`SurveyReportBuild`) so the page shows it at once.

Building is idempotent (it writes the report as the data stands), so a duplicate or
late task only writes the same report again. A periodic sweep asks for the report of
each survey that closed since its last build, and again for a request whose task was
lost."""

import dataclasses
import datetime

from django.db import transaction
from django.utils import timezone

from common.audit import audit_record
from common.queueing import enqueue_after_commit
from feedback.models import Survey, SurveyReportBuild
from feedback.report import build_report
from feedback.selectors_report import (
    AUDIENCE_LABELS,
    event_facts,
    group_question_id,
    invited_counts,
    question_specs,
    response_rows,
)

# A request not built this long after it was made lost its task: the sweep asks again.
REQUEUE_AFTER = datetime.timedelta(minutes=10)


def report_content(survey) -> dict:
    """The report of `survey` as JSON-ready data: the survey's figures and the event's."""
    questions = question_specs(survey.event)
    invited = invited_counts(survey)
    report = build_report(
        questions=questions,
        responses=response_rows(survey),
        invitations=invited.by_audience,
        group_question_id=group_question_id(questions),
        audience_labels=AUDIENCE_LABELS,
    )
    return {
        "survey": dataclasses.asdict(report),
        "facts": event_facts(survey.event),
        "participants_by_type": invited.participants_by_type,
    }


def report_request(*, survey, actor=None, now=None) -> SurveyReportBuild:
    """Ask for the report to be built (again) after this transaction commits."""
    from feedback.tasks import build_survey_report

    now = now or timezone.now()
    with transaction.atomic():
        build, _ = SurveyReportBuild.objects.get_or_create(survey=survey)
        SurveyReportBuild.objects.filter(pk=build.pk).update(requested_at=now)
        build.requested_at = now
        if actor is not None:
            audit_record(actor=actor, action="survey_report.requested", target=survey)
        enqueue_after_commit(build_survey_report, survey_id=survey.pk)
    return build


def report_build(*, survey_id: int, now=None) -> SurveyReportBuild | None:
    """Build and keep the report of survey `survey_id`; None when it is gone."""
    survey = Survey.objects.select_related("event").filter(pk=survey_id).first()
    if survey is None:
        return None
    now = now or timezone.now()
    content = report_content(survey)
    build, _ = SurveyReportBuild.objects.update_or_create(
        survey=survey, defaults={"content": content, "built_at": now}
    )
    return build


def reports_sweep(*, now=None) -> int:
    """Ask for each report due: a survey closed since its last build (or never built),
    and a request whose task was lost. Returns how many were asked for."""
    now = now or timezone.now()
    due = []
    for survey in Survey.objects.filter(closes_at__lte=now).select_related("report_build"):
        build = getattr(survey, "report_build", None)
        never_built_since_closing = (
            build is None or build.built_at is None or (build.built_at < survey.closes_at)
        )
        lost = build is not None and build.pending and build.requested_at < now - REQUEUE_AFTER
        recently_requested = build is not None and build.pending and not lost
        if (never_built_since_closing and not recently_requested) or lost:
            due.append(survey)
    for survey in due:
        report_request(survey=survey, now=now)
    return len(due)
