"""Feedback's part of the next event (events.extensions.event_copiers): the survey's
settings and its questions in place of the default ones, each question keeping its key,
so the series comparison finds the same question in both events. The survey closes as
long after the new event as a new survey would (feedback.template.survey_closes_at)."""

from events.copying import copy_of, counted
from events.extensions import event_copiers
from feedback.models import Survey, SurveyQuestion
from feedback.template import survey_closes_at

SURVEY_COPIED = ("intro", "anonymous", "audiences")
QUESTION_COPIED = ("key", "text", "help_text", "kind", "choices", "audiences", "required", "order")


@event_copiers.register("feedback", order=70)
def copy_survey(source, target, copy) -> str | None:
    settings = Survey.objects.filter(event=source).values(*SURVEY_COPIED).first()
    if settings is None:
        return None
    Survey.objects.filter(event=target).update(**settings, closes_at=survey_closes_at(target))
    questions = list(SurveyQuestion.objects.filter(event=source))
    SurveyQuestion.objects.filter(event=target).delete()  # the default questions
    SurveyQuestion.objects.bulk_create(
        copy_of(question, QUESTION_COPIED, event=target) for question in questions
    )
    return f"the feedback survey ({counted(len(questions), 'question')})"
