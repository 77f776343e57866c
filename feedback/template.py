"""The survey every new event starts with: its default questions and its settings,
edited afterwards by the event's organisers like any other part."""

import datetime

from django.conf import settings

from accounts.enums import ParticipantType
from feedback.enums import Audience, SurveyQuestionKind
from feedback.models import Survey, SurveyQuestion

K = SurveyQuestionKind
A = Audience
EVERYONE = list(Audience.values)
TAKING_PART = [A.PARTICIPANTS, A.MENTORS]
# The key the report reads "who are you" from: in anonymous mode, what respondents say
# of themselves is the only breakdown there is.
SELF_DESCRIPTION = "participant_type"
NET_PROMOTER = "recommend"
OVERALL = "overall"
THEMES_WANTED = "themes_next"
DATASETS_MISSING = "datasets_missing"

# (key, text, kind, audiences, choices, help text)
DEFAULT_QUESTIONS = [
    (OVERALL, "How would you rate the event overall?", K.RATING, EVERYONE, [], ""),
    (
        NET_PROMOTER,
        "How likely are you to recommend these events to a friend or colleague?",
        K.NET_PROMOTER,
        EVERYONE,
        [],
        "0 is not at all likely, 10 extremely likely.",
    ),
    ("venue", "How would you rate the venue and its accessibility?", K.RATING, EVERYONE, [], ""),
    (
        "themes",
        "How well did the themes and challenges work for you?",
        K.RATING,
        [A.PARTICIPANTS, A.MENTORS, A.JUDGES],
        [],
        "",
    ),
    ("datasets", "How useful were the datasets?", K.RATING, TAKING_PART, [], ""),
    (
        "datasets_helped",
        "Which datasets helped most, and why?",
        K.TEXT,
        TAKING_PART,
        [],
        "",
    ),
    (
        DATASETS_MISSING,
        "Which data was missing that you would have liked to use?",
        K.TEXT,
        TAKING_PART,
        [],
        "Name the dataset or describe what it would show.",
    ),
    (
        "team_formation",
        "How well did forming or finding a team work?",
        K.RATING,
        [A.PARTICIPANTS],
        [],
        "",
    ),
    (
        "judging",
        "How clear and fair was the judging?",
        K.RATING,
        [A.PARTICIPANTS, A.JUDGES],
        [],
        "",
    ),
    ("change", "What should we change next time?", K.TEXT, EVERYONE, [], ""),
    (
        THEMES_WANTED,
        "Which themes or questions should the next event take on?",
        K.TEXT,
        EVERYONE,
        [],
        "",
    ),
    (
        "next_event",
        "Would you like to come to the next event?",
        K.SINGLE_CHOICE,
        EVERYONE,
        ["Yes", "Maybe", "No"],
        "",
    ),
    (
        SELF_DESCRIPTION,
        "Which best describes you?",
        K.SINGLE_CHOICE,
        [A.PARTICIPANTS],
        list(ParticipantType.labels),
        "Only used to compare groups of five or more people.",
    ),
]


def survey_closes_at(event) -> datetime.datetime:
    return event.ends_at + datetime.timedelta(days=settings.FEEDBACK_OPEN_DAYS)


def survey_create_default(*, event) -> Survey:
    """The event's survey with the default questions; the caller is in a transaction."""
    survey = Survey.objects.create(event=event, closes_at=survey_closes_at(event))
    SurveyQuestion.objects.bulk_create(
        SurveyQuestion(
            event=event,
            key=key,
            text=text,
            kind=kind,
            audiences=[str(audience) for audience in audiences],
            choices=choices,
            help_text=help_text,
            order=order,
        )
        for order, (key, text, kind, audiences, choices, help_text) in enumerate(DEFAULT_QUESTIONS)
    )
    return survey
