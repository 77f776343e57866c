"""Answering a survey through an emailed link: single use, no sign-in."""

import hashlib
import secrets
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from common.exceptions import ApplicationError
from common.locking import hold_race_window, lock_capacity_row
from feedback.answers import answers_clean
from feedback.models import InvitationLink, Survey, SurveyInvitation, SurveyQuestion, SurveyResponse
from feedback.selectors import questions_for

UNKNOWN_LINK = (
    "This survey link does not work. Copy the whole link from the email; if it still does "
    "not work, the newest email about the survey has a link that does."
)


def token_new() -> tuple[str, str]:
    """A new link token and its hash: the token goes in the email, the hash is kept."""
    token = secrets.token_urlsafe(32)
    return token, token_hash(token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


@dataclass(frozen=True)
class OpenLink:
    """What a link leads to: its survey, the questions its audience is asked, and why it
    takes no answers (None when it does)."""

    invitation: SurveyInvitation
    survey: Survey
    questions: list[SurveyQuestion]
    refusal: ApplicationError | None


def link_open(*, token: str, now=None) -> OpenLink:
    """The survey behind `token`; ApplicationError (404) when no link has it."""
    link = (
        InvitationLink.objects.select_related("invitation__survey__event")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise ApplicationError(UNKNOWN_LINK, code="link_unknown", status=404)
    invitation = link.invitation
    survey = invitation.survey
    return OpenLink(
        invitation=invitation,
        survey=survey,
        questions=questions_for(survey.event, invitation.audience),
        refusal=_refusal(invitation, survey, now or timezone.now()),
    )


def _refusal(invitation, survey, now) -> ApplicationError | None:
    if invitation.responded:
        return ApplicationError(
            "You have already answered this survey: thank you. Each invitation takes one "
            "set of answers.",
            code="already_answered",
            status=409,
        )
    if now >= survey.closes_at:
        closed = timezone.localtime(survey.closes_at).strftime("%-d %B %Y")
        return ApplicationError(
            f"This survey closed on {closed}, so it takes no more answers.",
            code="survey_closed",
            status=410,
        )
    return None


@transaction.atomic
def response_submit(*, token: str, answers: dict, now=None) -> SurveyResponse:
    """Store one response through the link `token`, once per invitation.

    The invitation's row is locked (with the capacity locks' bounded wait), so two
    submissions at once (a double click, two tabs) store one response and the second is
    told it was already answered: an anonymous response has no unique key to stop it. In
    anonymous mode the response keeps no invitation and no time.
    """
    now = now or timezone.now()
    link = link_open(token=token, now=now)
    invitation = lock_capacity_row(SurveyInvitation.objects.filter(pk=link.invitation.pk))
    refusal = _refusal(invitation, link.survey, now)
    if refusal is not None:
        raise refusal
    cleaned = answers_clean(questions=link.questions, raw=answers)
    if not cleaned:
        raise ApplicationError("Answer at least one question before sending.", code="no_answers")
    anonymous = link.survey.anonymous
    hold_race_window()  # test-only: "not answered yet" is read, the response not yet stored
    response = SurveyResponse.objects.create(
        survey=link.survey,
        audience=invitation.audience,
        answers=cleaned,
        invitation=None if anonymous else invitation,
        submitted_at=None if anonymous else now,
    )
    invitation.responded = True
    invitation.save(update_fields=["responded"])
    return response
