"""What the survey report reads: the survey's questions, responses and invitations, and
the event's own facts through the earlier apps' selectors, in a fixed number of queries
whatever the number of responses."""

from collections import Counter

from feedback.enums import Audience
from feedback.models import SurveyInvitation, SurveyQuestion, SurveyResponse
from feedback.report import QuestionSpec
from feedback.template import SELF_DESCRIPTION
from judging.selectors import judging_spread
from registration.models import Registration
from registration.selectors import registration_funnel, theme_interest_counts
from submissions.selectors.listing import datasets_cited
from teams.selectors import team_sizes, teams_per_theme

AUDIENCE_LABELS = dict(Audience.choices)


def question_specs(event) -> list[QuestionSpec]:
    return [
        QuestionSpec(
            id=str(question.pk),
            key=question.key,
            text=question.text,
            kind=question.kind,
            choices=list(question.choices),
            audiences=list(question.audiences),
        )
        for question in SurveyQuestion.objects.filter(event=event)
    ]


def response_rows(survey) -> list[tuple[str, dict]]:
    """(audience, answers) of every response, in the order of their random ids."""
    return list(
        SurveyResponse.objects.filter(survey=survey)
        .order_by("pk")
        .values_list("audience", "answers")
    )


def invitation_counts(survey) -> dict[str, tuple[int, int]]:
    """{audience: (invited, answered)} in Audience's order, for the audiences invited."""
    counts = Counter()
    answered = Counter()
    for audience, responded in SurveyInvitation.objects.filter(survey=survey).values_list(
        "audience", "responded"
    ):
        counts[audience] += 1
        answered[audience] += responded
    return {
        audience: (counts[audience], answered[audience])
        for audience in Audience.values
        if counts[audience]
    }


def group_question_id(questions: list[QuestionSpec]) -> str | None:
    return next((q.id for q in questions if q.key == SELF_DESCRIPTION), None)


def event_facts(event) -> dict:
    """The event's own figures beside the survey: registrations against attendance and
    the participant mix, walk-ins, team sizes, the datasets entries used, each theme's
    popularity and how the judges scored (unnamed)."""
    interested = theme_interest_counts(event)
    teams = teams_per_theme(event)
    return {
        "funnel": registration_funnel(event),
        "walk_ins": Registration.objects.filter(event=event, walk_in=True).count(),
        "team_sizes": [[size, count] for size, count in team_sizes(event).items()],
        "datasets": [[title, entries] for title, entries in datasets_cited(event)],
        "themes": [[name, people, teams.get(name, 0)] for name, people in interested],
        "judges": [
            {
                "number": number,
                "sheets": judge.sheets,
                "mean": round(judge.mean_total, 1),
                "spread": round(judge.spread, 1),
                "agreement": None if judge.agreement is None else round(judge.agreement, 2),
            }
            for number, judge in enumerate(judging_spread(event), start=1)
        ],
    }
