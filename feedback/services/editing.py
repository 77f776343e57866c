"""Organisers' edits of an event's survey: its settings and its questions."""

from django.db import transaction

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.services import audited_create, audited_update
from feedback.models import Survey, SurveyQuestion, SurveyResponse

SURVEY_FIELDS = ("intro", "anonymous", "audiences", "closes_at")
QUESTION_FIELDS = ("text", "help_text", "kind", "choices", "audiences", "required", "order")
# What an answered question keeps: its answers mean what they meant when given.
FIXED_ONCE_ANSWERED = ("kind", "choices")


@transaction.atomic
def survey_update(*, actor, survey: Survey, **fields) -> Survey:
    survey = (
        Survey.objects.select_for_update(of=("self",)).select_related("event").get(pk=survey.pk)
    )
    answered = SurveyResponse.objects.filter(survey=survey).exists()
    if answered and fields.get("anonymous", survey.anonymous) != survey.anonymous:
        raise ApplicationError(
            "People have answered, so whether answers are anonymous cannot change: they "
            "answered on the promise they were given.",
            code="survey_answered",
            details={"anonymous": ["Already answered."]},
        )
    return audited_update(
        survey, actor=actor, action="survey.updated", allowed=SURVEY_FIELDS, fields=fields
    )


def _answered(question) -> bool:
    return SurveyResponse.objects.filter(
        survey__event_id=question.event_id, answers__has_key=str(question.pk)
    ).exists()


def question_create(*, actor, event, **fields) -> SurveyQuestion:
    return audited_create(
        SurveyQuestion, actor=actor, action="survey_question.created", event=event, **fields
    )


@transaction.atomic
def question_update(*, actor, question, **fields) -> SurveyQuestion:
    changing = [
        name
        for name in FIXED_ONCE_ANSWERED
        if fields.get(name, getattr(question, name)) != getattr(question, name)
    ]
    if changing and _answered(question):
        raise ApplicationError(
            "People have answered this question, so its kind and options cannot change; "
            "add a new question instead.",
            code="question_answered",
            details={name: ["Already answered."] for name in changing},
        )
    return audited_update(
        question,
        actor=actor,
        action="survey_question.updated",
        allowed=QUESTION_FIELDS,
        fields=fields,
    )


@transaction.atomic
def question_delete(*, actor, question) -> None:
    if _answered(question):
        raise ApplicationError(
            f"People have answered “{question}”, so it cannot be deleted: the report "
            "would lose their answers.",
            code="question_answered",
        )
    audit_record(actor=actor, action="survey_question.deleted", target=question)
    question.delete()
