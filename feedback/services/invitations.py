"""Emailing a survey: an invitation a while after the event ends, then reminders to
those who have not answered, each step through the outbox with a single-use link.

The periodic task runs `survey_emails_send`, which does whatever is due and nothing
twice: each (invitation, step) gets one InvitationLink (a database constraint), stored
in the same transaction as its outbox message, so a run that dies mid-batch leaves
every email either fully queued or not at all, and the next run (every 15 minutes)
picks up the rest. Two runs at once meet on the link's unique key."""

import datetime

from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.outbox import object_key, optional_purpose, outbox_store, render_text
from feedback.models import InvitationLink, Survey, SurveyInvitation
from feedback.selectors import audience_members
from feedback.services.responding import token_new

TEMPLATE = "feedback/email/survey"


def step_purpose(step: int) -> str:
    """The outbox purpose of one step: the invitation, then each reminder."""
    return optional_purpose("survey_invitation" if step == 0 else f"survey_reminder_{step}")


def survey_emails_send(*, now=None) -> int:
    """Invite and remind for every survey taking answers; returns how many emails were
    queued."""
    now = now or timezone.now()
    surveys = Survey.objects.select_related("event").filter(
        event__is_published=True,
        event__ends_at__lte=now - settings.FEEDBACK_INVITE_DELAY,
        closes_at__gt=now,
    )
    return sum(_survey_emails_send(survey, now) for survey in surveys.order_by("pk"))


def _survey_emails_send(survey, now) -> int:
    invitations_make(survey=survey)
    return sum(_email_step(invitation_id, step, now) for invitation_id, step in _due(survey, now))


def invitations_make(*, survey) -> int:
    """An invitation for each member of the survey's audiences without one; returns how
    many were made. Someone who joins an audience later (a late check-in recorded after
    the event) is invited on the next run."""
    invited = set(
        SurveyInvitation.objects.filter(survey=survey, user__isnull=False).values_list(
            "user_id", flat=True
        )
    )
    new = [
        SurveyInvitation(survey=survey, user_id=user_id, audience=audience)
        for user_id, audience in audience_members(survey.event).items()
        if audience in survey.audiences and user_id not in invited
    ]
    # ignore_conflicts: a run at the same time made some of them first.
    SurveyInvitation.objects.bulk_create(new, ignore_conflicts=True)
    return len(new)


def _due(survey, now) -> list[tuple[int, int]]:
    """(invitation id, step) of each email due now: the invitation for anyone without
    one, then, for those who have not answered, the next reminder once the last email is
    FEEDBACK_REMINDER_AFTER_DAYS old, up to FEEDBACK_MAX_REMINDERS."""
    wait = datetime.timedelta(days=settings.FEEDBACK_REMINDER_AFTER_DAYS)
    last_email: dict[int, tuple[int, datetime.datetime]] = {}
    for invitation_id, step, created_at in InvitationLink.objects.filter(
        invitation__survey=survey
    ).values_list("invitation_id", "step", "created_at"):
        if invitation_id not in last_email or step > last_email[invitation_id][0]:
            last_email[invitation_id] = (step, created_at)
    due = []
    invitations = SurveyInvitation.objects.filter(
        survey=survey,
        audience__in=survey.audiences,
        user__is_active=True,
        user__email_suppression__isnull=True,
    ).values_list("pk", "responded")
    for invitation_id, responded in invitations.order_by("pk"):
        if invitation_id not in last_email:
            due.append((invitation_id, 0))
            continue
        step, sent_at = last_email[invitation_id]
        if not responded and step < settings.FEEDBACK_MAX_REMINDERS and sent_at <= now - wait:
            due.append((invitation_id, step + 1))
    return due


def link_create(*, invitation_id: int, step: int, now) -> str:
    """Store a new link for one step of an invitation; returns its token, which only the
    email (or whoever asked) ever holds. IntegrityError when the step has one already."""
    token, token_hash = token_new()
    InvitationLink.objects.create(
        invitation_id=invitation_id, step=step, token_hash=token_hash, created_at=now
    )
    return token


def _email_step(invitation_id: int, step: int, now) -> int:
    """Queue one step's email with its own link; 0 when another run already did."""
    try:
        with transaction.atomic():
            token = link_create(invitation_id=invitation_id, step=step, now=now)
            invitation = SurveyInvitation.objects.select_related("user", "survey__event").get(
                pk=invitation_id
            )
            context = _context(invitation, step, token)
            stored = outbox_store(
                recipient=invitation.user.email,
                purpose=step_purpose(step),
                key=object_key(invitation),
                subject=render_text(f"{TEMPLATE}_subject.txt", context),
                body_text=render_text(f"{TEMPLATE}.txt", context),
                body_html=render_to_string(f"{TEMPLATE}.html", context),
                person=invitation.user,
            )
    except IntegrityError:
        return 0  # this step's link exists: its email was queued by another run
    return int(stored is not None)


def _context(invitation, step, token) -> dict:
    survey = invitation.survey
    return {
        "site_url": settings.SITE_URL,
        "event": survey.event,
        "survey": survey,
        "person": invitation.user,
        "reminder": step > 0,
        "answer_url": settings.SITE_URL + reverse("survey_answer", args=[token]),
    }
