"""Optional mail (surveys, organisers' messages) and the per-person unsubscribe: the
outbox stores none for someone who unsubscribed, while their transactional mail goes."""

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from common import outbox
from common.enums import OutboxStatus
from common.models import EmailSuppression, OutboxMessage
from registration import segments
from tests.factories import EventFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db

OPTIONAL = outbox.optional_purpose("test_optional_news")


def _store_optional(person, key="events.event:1"):
    return outbox.outbox_store(
        recipient=person.email,
        purpose=OPTIONAL,
        key=key,
        subject="News",
        body_text="Hello",
        body_html="<p>Hello</p>",
        person=person,
    )


def test_optional_mail_carries_the_persons_unsubscribe_link_in_body_and_header(mailoutbox):
    person = UserFactory()

    message = _store_optional(person)
    outbox.outbox_send(message_id=message.pk)

    url = message.unsubscribe_url
    token = outbox.unsubscribe_token(person)
    assert url.endswith(reverse("email_unsubscribe", args=[token]))
    assert url in message.body_text and url in message.body_html
    sent = mailoutbox[0]
    assert sent.extra_headers["List-Unsubscribe"] == f"<{url}>"
    assert sent.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"


def test_optional_mail_to_someone_unsubscribed_is_not_stored():
    person = UserFactory()
    outbox.optional_email_stop(user=person)

    assert _store_optional(person) is None
    assert not OutboxMessage.objects.filter(recipient=person.email).exists()


def test_transactional_mail_has_no_unsubscribe_link_and_still_reaches_the_unsubscribed(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory()
    person = UserFactory()
    outbox.optional_email_stop(user=person)

    with django_capture_on_commit_callbacks(execute=True):
        register(event, person)  # the confirmation (with the ticket) is transactional

    assert [m.to for m in mailoutbox] == [[person.email]]
    assert "List-Unsubscribe" not in mailoutbox[0].extra_headers
    assert OutboxMessage.objects.get(recipient=person.email).unsubscribe_url == ""


@pytest.mark.parametrize("purpose, person", [(OPTIONAL, None), ("role_invitation", "someone")])
def test_optional_mail_must_name_its_person_and_only_it_may(purpose, person):
    named = UserFactory() if person else None

    with pytest.raises(ValueError, match="Only optional mail names its person"):
        outbox.outbox_store(
            recipient="a@example.org", purpose=purpose, key="k", subject="s", body_text="b",
            person=named,
        )  # fmt: skip
    assert not OutboxMessage.objects.exists()


def test_unsubscribing_cancels_optional_mail_not_yet_sent_only():
    person = UserFactory()
    optional = _store_optional(person)
    transactional = outbox.outbox_store(
        recipient=person.email, purpose="role_invitation", key="k", subject="s", body_text="b"
    )

    outbox.optional_email_stop(user=person)

    optional.refresh_from_db()
    transactional.refresh_from_db()
    assert optional.status == OutboxStatus.FAILED
    assert optional.last_error == "Not sent: the person unsubscribed first."
    assert transactional.status == OutboxStatus.PENDING


def test_segment_message_skips_the_unsubscribed_and_counts_who_it_reached(
    mailoutbox, django_capture_on_commit_callbacks
):
    event = EventFactory()
    staying, leaving = UserFactory(), UserFactory()
    for person in (staying, leaving):
        register(event, person)
    outbox.optional_email_stop(user=leaving)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        message = segments.segment_message_send(
            event=event, segment="confirmed", subject="Doors at 9", body="See you.", actor=None
        )
    message.refresh_from_db()

    assert [m.to for m in mailoutbox] == [[staying.email]]
    assert message.recipient_count == 1
    assert segments.segment_sizes(event)["confirmed"] == 1
    assert "Stop these emails" in mailoutbox[0].alternatives[0][0]


def test_unsubscribe_link_asks_first_then_stops_and_can_be_undone(client):
    person = UserFactory()
    url = reverse("email_unsubscribe", args=[outbox.unsubscribe_token(person)])

    asked = client.get(url)
    assert b"Stop surveys and organisers" in asked.content
    assert not EmailSuppression.objects.filter(user=person).exists()

    done = client.post(url)
    assert b"You are unsubscribed" in done.content
    assert EmailSuppression.objects.filter(user=person).exists()

    client.post(url, {"resume": "yes"})
    assert not EmailSuppression.objects.filter(user=person).exists()


def test_one_click_unsubscribe_from_a_mail_program_needs_no_csrf_token():
    person = UserFactory()
    client = Client(enforce_csrf_checks=True)
    url = reverse("email_unsubscribe", args=[outbox.unsubscribe_token(person)])

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert EmailSuppression.objects.filter(user=person).exists()


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "MQ:forged",
        signing.Signer(salt=outbox.UNSUBSCRIBE_SALT).sign_object("1"),
        signing.Signer(salt="another purpose").sign_object(1),
    ],
)
def test_bad_unsubscribe_link_says_so_and_changes_nothing(client, token):
    UserFactory()

    response = client.post(reverse("email_unsubscribe", args=[token]))

    assert response.status_code == 404
    assert b"This unsubscribe link does not work" in response.content
    assert not EmailSuppression.objects.exists()


@pytest.mark.parametrize("path", ["/accounts/unsubscribe/%00/", "/accounts/unsubscribe/%ED%A0%80/"])
def test_unsubscribe_link_with_bytes_no_text_has_is_refused_not_a_500(client, path):
    response = client.post(path)

    assert response.status_code in {400, 404}
    assert not EmailSuppression.objects.exists()


def test_profile_switch_stops_and_resumes_optional_mail(client):
    person = UserFactory()
    client.force_login(person)

    client.post(reverse("account_optional_email"), {})
    assert EmailSuppression.objects.filter(user=person).exists()
    assert (
        b'id="optional_email" name="optional_email" type="checkbox" value="on" aria'
        in client.get(reverse("account_profile")).content
    )

    client.post(reverse("account_optional_email"), {"optional_email": "on"})
    assert not EmailSuppression.objects.filter(user=person).exists()
