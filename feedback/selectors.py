"""Reads of surveys: who an event's audiences are, and the questions each is asked."""

from django.db.models import Count, Q

from events.enums import RoleKind
from events.models import EventRole
from feedback.enums import Audience
from feedback.models import Survey, SurveyInvitation, SurveyQuestion
from registration.enums import RegistrationStatus
from registration.models import Registration

AUDIENCE_OF_ROLE = {
    RoleKind.ORGANISER: Audience.ORGANISERS,
    RoleKind.JUDGE: Audience.JUDGES,
    RoleKind.MENTOR: Audience.MENTORS,
    RoleKind.VOLUNTEER: Audience.VOLUNTEERS,
}
PRECEDENCE = {audience: rank for rank, audience in enumerate(Audience.values)}


def audience_members(event) -> dict[int, str]:
    """{user id: audience} of everyone the event's survey may ask, each in one audience
    (Audience's order decides): accepted roles, and participants who attended, meaning
    checked in with an account. Walk-ins have none, so no address to write to."""
    candidates = [
        (user_id, AUDIENCE_OF_ROLE[role])
        for user_id, role in EventRole.objects.filter(
            event=event, user__is_active=True, accepted_at__isnull=False
        ).values_list("user_id", "role")
    ]
    candidates += [
        (user_id, Audience.PARTICIPANTS)
        for user_id in Registration.objects.filter(
            event=event, status=RegistrationStatus.CHECKED_IN, user__is_active=True
        ).values_list("user_id", flat=True)
    ]
    members: dict[int, str] = {}
    for user_id, audience in candidates:
        known = members.get(user_id)
        if known is None or PRECEDENCE[audience] < PRECEDENCE[known]:
            members[user_id] = str(audience)
    return members


def questions_for(event, audience: str) -> list[SurveyQuestion]:
    """The questions `audience` is asked, in order."""
    return [q for q in SurveyQuestion.objects.filter(event=event) if audience in q.audiences]


def survey_of(event) -> Survey:
    return Survey.objects.select_related("event").get(event=event)


def response_rates(survey) -> list[dict]:
    """Per audience asked: invited, answered, and the rate in percent (None before any
    invitation)."""
    rows = {
        row["audience"]: row
        for row in SurveyInvitation.objects.filter(survey=survey)
        .order_by()
        .values("audience")
        .annotate(invited=Count("pk"), answered=Count("pk", filter=Q(responded=True)))
    }
    rates = []
    for audience in Audience:
        if audience not in survey.audiences:
            continue
        row = rows.get(audience.value, {"invited": 0, "answered": 0})
        invited, answered = row["invited"], row["answered"]
        rates.append(
            {
                "audience": audience.label,
                "invited": invited,
                "answered": answered,
                "rate": round(100 * answered / invited) if invited else None,
            }
        )
    return rates
