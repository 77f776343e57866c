"""Every email the project sends says the same in its HTML and plain-text parts, and
every link in a plain-text part is labelled for what it opens.

The emails are made by the real services (registration statuses, reminder, a message to
a segment, a reissued ticket, a role invitation, team notices, judges' feedback), and a
test fails when an email template exists that this file does not make, so a new email
cannot drift unseen.
allauth's emails (verification, password reset) are plain text only: nothing to compare.
"""

import datetime
import re
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.test.signals import template_rendered

from common.models import OutboxMessage
from events.enums import RoleKind
from events.services import role_invite
from feedback.services.invitations import survey_emails_send
from judging.services.feedback import feedback_emails_send
from registration import notifications, services
from registration.enums import Actor, AdmissionMode, RegistrationStatus
from registration.models import RegistrationPolicy
from registration.segments import segment_message_deliver, segment_message_send
from registration.tickets import ticket_code_issue, ticket_code_revoke
from teams import notifications as team_notifications
from teams import services as team_services
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.feedback.helpers import attendee, finished_event
from tests.judging.helpers_feedback import judged_event, publish
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus
TEMPLATES = Path(settings.BASE_DIR) / "templates"

LINK = re.compile(r"<a\s[^>]*\bhref=\"([^\"]*)\"[^>]*>(.*?)</a>", re.S)
BLOCK_TAG = re.compile(r"</?(?:p|br|hr|div|ul|ol|li|h\d)\b[^>]*>")
TAG = re.compile(r"<[^>]+>")
URL = re.compile(r"https?://\S+")
LABELLED_URL = re.compile(r"(?m)^[A-Z][^:\n]*[a-z]: https?://\S+$")


def visible_text(html: str) -> str:
    """What a reader sees of an HTML part, each link written as the text part writes
    it ("Label: https://…"), whitespace collapsed."""
    text = LINK.sub(lambda link: f" {link[2]}: {link[1]} ", html)
    text = TAG.sub("", BLOCK_TAG.sub(" ", text))
    return " ".join(unescape(text).split())


def plain(text: str) -> str:
    return " ".join(text.split())


def _email_templates() -> set[str]:
    """Every email template of the project: "<dir>/email/<name>" without the suffix."""
    return {
        str(path.relative_to(TEMPLATES)).removesuffix(".html")
        for path in TEMPLATES.glob("*/email/*.html")
        if not path.name.startswith("_")
    }


def _send_every_email():
    """Make each email the project sends, through the services that send it."""
    organiser = EventRoleFactory(role=RoleKind.ORGANISER, event__capacity=1)
    event = organiser.event
    first = register(event, UserFactory(display_name="Siobhán O'Neill"))  # confirmed
    second = register(event, UserFactory())  # waitlisted
    third = register(event, UserFactory())  # waitlisted
    services.registration_leave(registration=first, actor=first.user)  # cancelled; offered
    services.offers_expire(now=event.starts_at - datetime.timedelta(hours=1))  # expired
    third.refresh_from_db()
    services.registration_answer_offer(
        registration=third, accept=True, actor=third.user, now=event.starts_at
    )
    notifications.remind_upcoming(now=event.starts_at - datetime.timedelta(days=1))
    ticket_code_issue(registration=third, actor=third.user)
    ticket_code_revoke(registration=third, actor=organiser.user)
    message = segment_message_send(
        event=event,
        segment=S.CONFIRMED,
        subject="Doors open at 9",
        body="Tom & Jerry's <team> is welcome.\n\nBring a laptop.\nAnd a charger.",
        actor=organiser.user,
    )
    segment_message_deliver(message_id=message.pk)
    role_invite(actor=organiser.user, event=event, email="helper@example.org", role="volunteer")

    reviewed = EventFactory(name="O'Neill & Sons <Data> Day")
    RegistrationPolicy.objects.filter(event=reviewed).update(mode=AdmissionMode.REVIEW)
    applied = register(reviewed, UserFactory())
    services.registration_transition(
        registration=applied, to=S.DECLINED, by=Actor.ORGANISER, actor=organiser.user
    )

    teams_event = EventFactory()
    lead, asker, joiner = (register(teams_event, UserFactory()).user for _ in range(3))
    team = team_services.team_create(event=teams_event, user=lead, name="Tom & Jerry's <b>")
    declined = team_services.join_request_create(team=team, user=asker, message="Me <b>too</b>")
    team_services.join_request_decide(request=declined, approve=False, actor=lead)
    approved = team_services.join_request_create(team=team, user=joiner)
    team_services.join_request_decide(request=approved, approve=True, actor=lead)
    team_notifications.matched(team.memberships.get(user=lead))

    judged = judged_event()
    publish(judged.event)
    feedback_emails_send(event_id=judged.event.pk)

    surveyed = finished_event(name="Tom & Jerry's <Data> Day")
    attendee(surveyed, display_name="Siobhán O'Neill")
    survey_emails_send()
    return second


def test_every_email_says_the_same_in_html_and_text():
    rendered = set()

    def note(sender, template, context, **kwargs):
        rendered.add(template.name)

    template_rendered.connect(note)
    try:
        _send_every_email()
    finally:
        template_rendered.disconnect(note)

    made = {name.removesuffix(".html") for name in rendered if name.endswith(".html")}
    assert _email_templates() - made == set(), "an email template this test does not make"
    messages = list(OutboxMessage.objects.order_by("pk"))
    statuses = {m.purpose.split("@")[0].removeprefix("registration_") for m in messages}
    assert set(notifications.SUBJECTS) <= statuses
    purposes = {m.purpose.split("@")[0] for m in messages}
    assert {
        "registration_reminder",
        "registration_ticket_reissued",
        "segment_message",
        "role_invitation",
        "team_request_received",
        "team_request_declined",
        "team_request_approved",
        "team_matched",
        "judging_feedback",
        "survey_invitation",
    } <= purposes
    for message in messages:
        assert message.body_html, message.purpose
        assert visible_text(message.body_html) == plain(message.body_text), message.purpose


def test_every_link_in_a_text_part_is_labelled():
    _send_every_email()

    messages = list(OutboxMessage.objects.all())
    assert len(messages) >= 16
    for message in messages:
        urls = URL.findall(message.body_text)
        assert urls, message.purpose  # every email leads somewhere
        assert len(LABELLED_URL.findall(message.body_text)) == len(urls), message.body_text


def test_offer_email_links_to_accept_and_decline_that_offer():
    waiting = _send_every_email()
    offer = OutboxMessage.objects.get(recipient=waiting.user.email, purpose__contains="offered")

    page = f"{settings.SITE_URL}/registrations/{waiting.pk}/offer/"
    assert f"Accept your place: {page}?answer=accept" in offer.body_text.splitlines()
    assert f"Decline the place: {page}?answer=decline" in offer.body_text.splitlines()
    assert f'<a href="{page}?answer=accept">Accept your place</a>' in offer.body_html


def test_confirmation_email_carries_the_ticket_link():
    event = EventFactory()
    registration = register(event, UserFactory())

    confirmation = OutboxMessage.objects.get(purpose__startswith="registration_confirmed")

    ticket = f"{settings.SITE_URL}/registrations/{registration.pk}/ticket/"
    assert f"Your ticket: {ticket}" in confirmation.body_text.splitlines()
    assert f'<a href="{ticket}">Your ticket</a>' in confirmation.body_html


def test_visible_text_writes_links_as_the_text_part_does():
    link = '<a href="https://x.test/a?b=1&amp;c=2">Go <b>there</b></a>'
    html = f"<p>Hello O&#x27;Neill,</p>\n<p>{link}</p>"

    assert visible_text(html) == "Hello O'Neill, Go there: https://x.test/a?b=1&c=2"
