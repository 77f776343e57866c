"""Demo: December 2024's survey, answered by most of those who came and by the judges,
with the patterns the organisers' own write-up describes (a good day; teams formed
slowly; people asked for transport and health data, and for the datasets earlier)."""

import datetime
import random

from accounts.enums import ParticipantType
from events.extensions import demo_seeders
from feedback.enums import Audience
from feedback.models import SurveyInvitation, SurveyResponse
from feedback.services.invitations import invitations_make, link_create
from feedback.services.reporting import report_request
from feedback.services.responding import response_submit
from feedback.template import SELF_DESCRIPTION

# How many of each audience answer; the rest were invited and did not.
ANSWERING = {Audience.PARTICIPANTS: 40, Audience.JUDGES: 5, Audience.ORGANISERS: 1}
# Weights of each score, lowest first: what people thought of each aspect.
SCALE_WEIGHTS = {
    "overall": [0, 1, 4, 14, 21],
    "venue": [0, 1, 3, 12, 24],
    "themes": [0, 2, 7, 17, 14],
    "datasets": [1, 4, 12, 15, 8],
    "team_formation": [2, 8, 14, 11, 5],
    "judging": [0, 2, 8, 18, 12],
    # 0 to 10: about 45% promoters and 20% detractors.
    "recommend": [0, 0, 1, 1, 2, 3, 5, 14, 15, 25, 20],
}
TEXTS = {
    "change": [
        "More time for the analysis: the afternoon went very quickly.",
        "Share the datasets a week before, so we can look at them first.",
        "Help forming teams earlier in the morning; we lost an hour.",
        "A quieter room for teams to work in.",
        "Clearer judging criteria at the start of the day.",
        "More time for the analysis and less for the introductions.",
        "Share the datasets before the day, with a data dictionary.",
        "Help forming teams: a board or a matching session at the start.",
    ],
    "datasets_missing": [
        "Bus routes and timetables by ward.",
        "Health outcomes by ward, to set against unemployment.",
        "Housing and rents over time.",
        "Bus routes, so we could compare access to jobs.",
        "Health data at ward level.",
        "Local business openings and closures.",
    ],
    "datasets_helped": [
        "The claimant counts by ward were clean and easy to join.",
        "Population change by ward, with the boundaries file.",
        "The active travel counts: they showed a clear story.",
    ],
    "themes_next": [
        "Health and wellbeing",
        "Housing",
        "Transport and access to work",
        "Young people and skills",
        "Health and wellbeing in the community",
        "Green spaces and climate",
    ],
}
COMING_BACK = {"Yes": 6, "Maybe": 3, "No": 1}


def seed_feedback(demo):
    december = demo["events"].get("december")
    if december is None or SurveyResponse.objects.filter(survey__event=december).exists():
        return
    survey = december.survey
    invitations_make(survey=survey)
    rng = random.Random(2024)  # noqa: S311 — demo data, the same in every demo
    questions = list(december.survey_questions.all())
    answered_at = december.ends_at + datetime.timedelta(days=2)
    for audience, answering in ANSWERING.items():
        invited = SurveyInvitation.objects.filter(survey=survey, audience=audience)
        for invitation in invited.select_related("user").order_by("pk")[:answering]:
            token = link_create(invitation_id=invitation.pk, step=0, now=answered_at)
            answers = _answers(rng, questions, audience, invitation.user)
            response_submit(token=token, answers=answers, now=answered_at)
    # The survey closed long ago: its report is asked for, as the sweep would, and built
    # by the task once the seeding commits.
    report_request(survey=survey)


def _answers(rng, questions, audience, person) -> dict:
    answers = {}
    for question in questions:
        if audience not in question.audiences or rng.random() < 0.08:
            continue  # not asked, or skipped, as some people do
        if question.key in SCALE_WEIGHTS:
            weights = SCALE_WEIGHTS[question.key]
            lowest = 0 if question.kind == "net_promoter" else 1
            answers[question.pk] = rng.choices(range(lowest, lowest + len(weights)), weights)[0]
        elif question.key in TEXTS and rng.random() < 0.6:
            answers[question.pk] = rng.choice(TEXTS[question.key])
        elif question.key == "next_event":
            answers[question.pk] = rng.choices(list(COMING_BACK), list(COMING_BACK.values()))[0]
        elif question.key == SELF_DESCRIPTION and person.participant_type:
            answers[question.pk] = ParticipantType(person.participant_type).label
    return answers


demo_seeders.register("feedback", seed_feedback, order=70)
