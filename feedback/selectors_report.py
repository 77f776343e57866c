"""What the survey report reads: the survey's questions, responses and invitations, and
the event's own facts through the earlier apps' selectors, in a fixed number of queries
whatever the number of responses."""

from dataclasses import dataclass

from accounts.enums import ParticipantType
from feedback.enums import Audience
from feedback.models import SurveyInvitation, SurveyQuestion, SurveyResponse
from feedback.report import QuestionSpec
from feedback.template import SELF_DESCRIPTION
from judging.selectors import judging_spread
from registration.models import Registration
from registration.selectors import (
    NOT_GIVEN,
    participant_type_label,
    registration_funnel,
    theme_interest_counts,
)
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


@dataclass(frozen=True)
class Invited:
    """Who was invited and who answered: by audience, and the participants by the type
    on their profile. Both come from the invitations alone, which keep whether someone
    answered but never what, so neither says anything about an anonymous answer."""

    by_audience: dict[str, tuple[int, int]]  # {audience: (invited, answered)}
    participants_by_type: list[list]  # [type, invited, answered, percent or None]


def invited_counts(survey) -> Invited:
    """One query, whatever the number of invitations."""
    by_audience: dict[str, list[int]] = {}
    by_type: dict[str, list[int]] = {}
    rows = SurveyInvitation.objects.filter(survey=survey).values_list(
        "audience", "responded", "user__participant_type"
    )
    for audience, responded, participant_type in rows:
        counts = by_audience.setdefault(audience, [0, 0])
        counts[0] += 1
        counts[1] += responded
        if audience == Audience.PARTICIPANTS:
            label = participant_type_label(participant_type)
            counts = by_type.setdefault(label, [0, 0])
            counts[0] += 1
            counts[1] += responded
    order = [label for _, label in ParticipantType.choices] + [NOT_GIVEN]
    return Invited(
        by_audience={a: tuple(by_audience[a]) for a in Audience.values if a in by_audience},
        participants_by_type=[
            [label, *by_type[label], round(100 * by_type[label][1] / by_type[label][0])]
            for label in order
            if label in by_type
        ],
    )


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
