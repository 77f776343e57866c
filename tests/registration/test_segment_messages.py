import datetime

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import OutboxMessage
from registration import segments, services
from registration.models import SegmentMessage
from tests.factories import EventFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db


def _event_with_segments():
    """Three confirmed (one then checked in), a walk-in, one waitlisted."""
    event = EventFactory(capacity=4)
    people = [UserFactory(email=f"p{n}@example.org") for n in range(3)]
    registrations = [register(event, person) for person in people]
    services.registration_check_in(registration=registrations[1], actor=None)
    services.registration_walk_in(
        event=event, name="Jo Bloggs", consents={"code_of_conduct", "privacy"}, actor=None
    )
    register(event, UserFactory(email="waiting@example.org"))
    return event


def test_message_reaches_everyone_in_segment_once(django_capture_on_commit_callbacks, mailoutbox):
    event = _event_with_segments()
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message = segments.segment_message_send(
            event=event,
            segment="confirmed",
            subject="Doors open at 9",
            body="Bring a laptop.\nTea from 9:15.",
            actor=None,
        )
    again = segments.segment_message_deliver(message_id=message.pk)

    message.refresh_from_db()
    assert sorted(m.to[0] for m in mailoutbox) == ["p0@example.org", "p2@example.org"]
    assert "Bring a laptop." in mailoutbox[0].body
    assert "with a confirmed place" in mailoutbox[0].body
    assert message.recipient_count == 2 and message.delivered_at is not None
    assert again is None
    assert OutboxMessage.objects.filter(purpose="segment_message").count() == 2


def test_segment_sizes_count_only_people_with_an_address():
    event = _event_with_segments()

    assert segments.segment_sizes(event) == {"confirmed": 2, "waitlisted": 1, "checked_in": 1}


@pytest.mark.parametrize(
    "fields, field",
    [
        ({"segment": "cancelled", "subject": "Hi", "body": "Hello"}, "segment"),
        ({"segment": "confirmed", "subject": "  ", "body": "Hello"}, "subject"),
        ({"segment": "confirmed", "subject": "Hi", "body": "x" * 5001}, "body"),
    ],
)
def test_bad_message_names_the_field_and_stores_nothing(fields, field):
    with pytest.raises(ApplicationError) as raised:
        segments.segment_message_send(event=EventFactory(), actor=None, **fields)

    assert field in raised.value.details
    assert not SegmentMessage.objects.exists()


def test_lost_delivery_is_published_again(django_capture_on_commit_callbacks, mailoutbox):
    event = _event_with_segments()
    mailoutbox.clear()
    long_ago = timezone.now() - datetime.timedelta(hours=1)
    # Sent, but its delivery task never ran (the callbacks are not executed).
    with django_capture_on_commit_callbacks(execute=False):
        message = segments.segment_message_send(
            event=event, segment="waitlisted", subject="Hi", body="Hello", actor=None, now=long_ago
        )
    fresh = SegmentMessage.objects.create(
        event=event, segment="waitlisted", subject="New", body="Hello", sent_at=timezone.now()
    )

    with django_capture_on_commit_callbacks(execute=True):
        published = segments.segment_messages_redeliver()

    assert published == 1
    assert [m.to for m in mailoutbox] == [["waiting@example.org"]]
    assert SegmentMessage.objects.get(pk=message.pk).recipient_count == 1
    assert SegmentMessage.objects.get(pk=fresh.pk).delivered_at is None


def test_organiser_previews_then_sends_from_console(
    client, organiser, django_capture_on_commit_callbacks
):
    register(organiser.event, UserFactory(display_name="Carol Byrne", email="coming@example.org"))
    register(organiser.event, UserFactory(display_name="Sam Patel"))
    url = f"/organise/{organiser.event.slug}/messages/"
    body = "Hi <b>all</b>\nTea at 9."
    fields = {"segment": "confirmed", "subject": "See you Friday", "body": body}

    page = client.get(url)
    preview = client.post(url, fields)

    assert "Confirmed, not yet checked in (2 people)" in page.content.decode()
    assert preview.status_code == 200
    shown = preview.content.decode()
    assert "The email Carol Byrne will get" in shown
    assert "Send to 2 people" in shown
    # Exactly the text each recipient gets, typed text escaped, not run as HTML.
    email = preview.context["preview"].email
    assert email.body_text.startswith("Hi <b>all</b>\nTea at 9.\n\nSent by the organisers of")
    assert "Hi &lt;b&gt;all&lt;/b&gt;" in shown and "<b>all</b>" not in shown
    assert not SegmentMessage.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**fields, "confirmed": "yes"}, follow=True)

    assert "“See you Friday” is on its way to 2 people." in sent.content.decode()
    message = SegmentMessage.objects.get()
    assert message.sent_by == organiser.user and message.recipient_count == 2
    stored = OutboxMessage.objects.get(purpose="segment_message", recipient="coming@example.org")
    # The outbox adds the recipient's own unsubscribe link after the message.
    assert stored.body_text.startswith(email.body_text + "\n\n")
    assert stored.unsubscribe_url in stored.body_text.removeprefix(email.body_text)


def test_preview_can_go_back_to_change_the_message(client, organiser):
    url = f"/organise/{organiser.event.slug}/messages/"
    fields = {"segment": "waitlisted", "subject": "Hello", "body": "Still hoping"}

    response = client.post(url, {**fields, "change": "yes"})

    assert response.status_code == 200
    assert response.context["form"]["subject"].value() == "Hello"
    assert "Still hoping" in response.content.decode()
    assert not SegmentMessage.objects.exists()


def test_preview_of_an_empty_group_offers_no_send(client, organiser):
    response = client.post(
        f"/organise/{organiser.event.slug}/messages/",
        {"segment": "checked_in", "subject": "Hello", "body": "Hi"},
    )

    content = response.content.decode()
    assert "Nobody is in this group yet, so there is nobody to send it to." in content
    assert 'name="confirmed"' not in content


def test_sent_message_reopens_read_only(client, organiser):
    register(organiser.event, UserFactory(email="coming@example.org"))
    message = segments.segment_message_send(
        event=organiser.event,
        segment="confirmed",
        subject="Doors open at 9",
        body="Bring a laptop.",
        actor=organiser.user,
    )
    segments.segment_message_deliver(message_id=message.pk)

    listing = client.get(f"/organise/{organiser.event.slug}/messages/")
    response = client.get(f"/organise/{organiser.event.slug}/messages/{message.pk}/")

    assert f'href="/organise/{organiser.event.slug}/messages/{message.pk}/"' in (
        listing.content.decode()
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Bring a laptop." in content
    assert str(organiser.user) in content and organiser.user.email not in content
    assert "1 person" in content
    assert "<form" not in content.split('id="main-content"')[1]


def test_another_events_message_is_not_found(client, organiser):
    other = SegmentMessage.objects.create(
        event=EventFactory(),
        segment="confirmed",
        subject="Theirs",
        body="Hi",
        sent_at=timezone.now(),
    )

    response = client.get(f"/organise/{organiser.event.slug}/messages/{other.pk}/")

    assert response.status_code == 404


def test_console_form_error_names_field_and_sends_nothing(client, organiser):
    response = client.post(
        f"/organise/{organiser.event.slug}/messages/",
        {"segment": "confirmed", "subject": "", "body": "Hi"},
    )

    assert response.status_code == 400
    assert "subject" in response.context["form"].errors
    assert not SegmentMessage.objects.exists()


def test_sent_messages_list_queries_flat(client, organiser):
    def add(k):
        for n in range(k):
            SegmentMessage.objects.create(
                event=organiser.event,
                segment="confirmed",
                subject=f"Note {n}",
                body="Hi",
                sent_by=UserFactory(),
                sent_at=timezone.now(),
            )

    def fetch():
        response = client.get(f"/organise/{organiser.event.slug}/messages/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: SegmentMessage.objects.values_list("subject", flat=True),
    )
