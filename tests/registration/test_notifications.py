import datetime

import pytest

from common.models import OutboxMessage
from registration import services
from registration.enums import Actor, RegistrationStatus
from registration.notifications import remind_upcoming
from tests.factories import EventFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def test_each_step_emails_once(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(capacity=1)
    confirmed_person, waiting_person = UserFactory(), UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        confirmed = register(event, confirmed_person)
        register(event, waiting_person)
        register(event, waiting_person)  # a double submit sends nothing more
        services.registration_transition(
            registration=confirmed, to=S.CANCELLED, by=Actor.PARTICIPANT
        )

    sent = [(m.to[0], m.subject) for m in mailoutbox]
    assert sent == [
        (confirmed_person.email, f"[CivicHack] Your place at {event.name} is confirmed"),
        (waiting_person.email, f"[CivicHack] You are on the waiting list for {event.name}"),
        (confirmed_person.email, f"[CivicHack] Your place at {event.name} is cancelled"),
        (waiting_person.email, f"[CivicHack] A place at {event.name} is yours if you want it"),
    ]
    assert "number 1" in mailoutbox[1].body
    assert OutboxMessage.objects.count() == 4


def test_reminder_two_days_before_sent_once(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory()
    person = UserFactory()
    registration = register(event, person)
    cancelled = register(event, UserFactory())
    # Cancelled: no reminder.
    services.registration_transition(registration=cancelled, to=S.CANCELLED, by=Actor.PARTICIPANT)
    mailoutbox.clear()
    two_days_before = event.starts_at - datetime.timedelta(days=2)

    with django_capture_on_commit_callbacks(execute=True):
        early = remind_upcoming(now=two_days_before - datetime.timedelta(hours=1))
        first = remind_upcoming(now=two_days_before + datetime.timedelta(minutes=1))
        again = remind_upcoming(now=two_days_before + datetime.timedelta(hours=1))

    assert (early, first, again) == (0, 1, 1)
    assert [m.to for m in mailoutbox] == [[person.email]]
    assert f"/registrations/{registration.pk}/ticket/" in mailoutbox[0].body


def test_plain_text_email_is_not_html_escaped(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory(name="O'Neill & Sons <Data> Day", venue_name='Tom\'s "Hall"')
    person = UserFactory(display_name="Siobhán O'Neill")

    with django_capture_on_commit_callbacks(execute=True):
        register(event, person)

    [email] = mailoutbox
    assert email.subject == "[CivicHack] Your place at O'Neill & Sons <Data> Day is confirmed"
    assert "Hello Siobhán O'Neill," in email.body
    assert 'at Tom\'s "Hall"' in email.body
    [(html, _)] = email.alternatives
    assert "O&#x27;Neill &amp; Sons &lt;Data&gt; Day" in html


def test_segment_message_plain_text_is_not_escaped(django_capture_on_commit_callbacks, mailoutbox):
    from registration.segments import segment_message_send

    event = EventFactory(name="Tom & Jerry's")
    register(event, UserFactory())
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        segment_message_send(
            event=event,
            segment="confirmed",
            subject="Bring <laptops> & chargers",
            body="Doors at 9 — don't be late",
            actor=None,
        )

    [email] = mailoutbox
    assert email.subject == "[CivicHack] Bring <laptops> & chargers"
    assert "Doors at 9 — don't be late" in email.body
    assert "organisers of Tom & Jerry's" in email.body
