"""Feedback emails once results are published: one per member of each judged entry's
team, through the outbox, fanned out by a task queued when results are published, with
a sweep that queues the fan-out again when some are missing."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from accounts.services import account_delete
from common.models import OutboxMessage
from events.models import Event
from judging.extensions import results_published
from judging.selectors_feedback import FEEDBACK_PURPOSE, feedback_unsent
from judging.services import feedback
from judging.tasks import resend_lost_results_feedback, send_results_feedback
from teams import services as team_services
from tests.factories import UserFactory
from tests.judging.helpers_feedback import judged_event, members, publish
from tests.teams.helpers import participant

pytestmark = pytest.mark.django_db


def _addresses(mailoutbox) -> list[str]:
    return sorted(message.to[0] for message in mailoutbox)


def test_publication_emails_each_member_of_each_judged_team_once(
    django_capture_on_commit_callbacks, mailoutbox
):
    judged = judged_event()
    mailoutbox.clear()
    publish(judged.event)
    organiser = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        results_published.send(sender=Event, event=judged.event, actor=organiser)

    ours = [user.email for user in members(judged.ours)]
    theirs = [user.email for user in members(judged.theirs)]
    # The unjudged entry's team hears nothing: it has no results to read.
    assert _addresses(mailoutbox) == sorted(ours + theirs)
    assert OutboxMessage.objects.filter(purpose=FEEDBACK_PURPOSE).count() == 3


def test_feedback_email_has_rank_feedback_and_link_and_nothing_else(
    django_capture_on_commit_callbacks, mailoutbox
):
    judged = judged_event()
    mailoutbox.clear()
    publish(judged.event)

    with django_capture_on_commit_callbacks(execute=True):
        feedback.feedback_emails_send(event_id=judged.event.pk)

    lead = members(judged.ours)[0]
    email = next(message for message in mailoutbox if message.to == [lead.email])
    html = email.alternatives[0][0]
    assert email.subject.endswith(f"Your results and the judges' feedback: {judged.event.name}")
    assert "“Trees by ward”, is ranked 1 of 2." in email.body
    assert "Judge 1:\nGreat <b>map</b>." in email.body  # plain text: as written
    assert "Judge 2:\nTell us more." in email.body
    assert f"/events/{judged.event.slug}/your-results/" in email.body
    assert "Great &lt;b&gt;map&lt;/b&gt;." in html and "<b>map</b>" not in html
    for text in (email.body, html):
        assert "Secret note" not in text
        assert "Good buses." not in text and "Late buses" not in text
        for judge in judged.judges:
            assert judge.user.display_name not in text


def test_fan_out_twice_sends_once(django_capture_on_commit_callbacks, mailoutbox):
    judged = judged_event()
    mailoutbox.clear()
    publish(judged.event)

    with django_capture_on_commit_callbacks(execute=True):
        first = send_results_feedback.delay(event_id=judged.event.pk).get()
    with django_capture_on_commit_callbacks(execute=True):
        second = send_results_feedback.delay(event_id=judged.event.pk).get()

    assert (first, second) == (3, 0)
    assert len(mailoutbox) == 3
    assert OutboxMessage.objects.filter(purpose=FEEDBACK_PURPOSE).count() == 3


def test_fan_out_before_publication_or_for_a_gone_event_sends_nothing(mailoutbox):
    judged = judged_event()
    mailoutbox.clear()

    assert feedback.feedback_emails_send(event_id=judged.event.pk) is None
    assert feedback.feedback_emails_send(event_id=0) is None
    assert OutboxMessage.objects.filter(purpose=FEEDBACK_PURPOSE).count() == 0


def test_members_who_left_were_erased_or_have_no_address_are_not_written_to(
    django_capture_on_commit_callbacks, mailoutbox
):
    judged = judged_event()
    team = judged.ours.team
    leaver, erased, no_address = (participant(judged.event) for _ in range(3))
    for person in (leaver, erased, no_address):
        team_services.team_join(team=team, user=person, invite_code=team.invite_code)
    team_services.member_leave(team=team, user=leaver)
    # After the event its team is its record: an erased member's place stays, unnamed.
    past = timezone.now() - datetime.timedelta(days=3)
    Event.objects.filter(pk=judged.event.pk).update(
        registration_opens_at=past - datetime.timedelta(days=9),
        registration_closes_at=past - datetime.timedelta(days=2),
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=8),
    )
    account_delete(user=erased)
    type(no_address).objects.filter(pk=no_address.pk).update(email="")
    assert team.memberships.filter(user__isnull=True).count() == 1
    mailoutbox.clear()
    publish(judged.event)

    with django_capture_on_commit_callbacks(execute=True):
        feedback.feedback_emails_send(event_id=judged.event.pk)

    ours = [m.user.email for m in team.memberships.filter(user__isnull=False).order_by("pk")]
    assert "" in ours  # the member without an address is still in the team
    theirs = [user.email for user in members(judged.theirs)]
    assert _addresses(mailoutbox) == sorted([e for e in ours if e] + theirs)
    assert leaver.email not in _addresses(mailoutbox)


def test_sweep_queues_a_lost_fan_out_again(django_capture_on_commit_callbacks, mailoutbox):
    judged = judged_event()
    mailoutbox.clear()
    publish(judged.event)  # the receiver's task never ran: say the broker was down
    later = timezone.now() + feedback.REQUEUE_AFTER + datetime.timedelta(minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = feedback.feedback_emails_sweep(now=later)
    with django_capture_on_commit_callbacks(execute=True):
        again = feedback.feedback_emails_sweep(now=later)

    assert (requeued, again) == (1, 0)
    assert len(mailoutbox) == 3
    assert feedback_unsent(judged.event) == {}


def test_sweep_writes_to_a_member_missed_by_the_first_fan_out(
    django_capture_on_commit_callbacks, mailoutbox
):
    judged = judged_event()
    publish(judged.event)
    with django_capture_on_commit_callbacks(execute=True):
        feedback.feedback_emails_send(event_id=judged.event.pk)
    team = judged.theirs.team
    newcomer = participant(judged.event)
    team_services.team_join(team=team, user=newcomer, invite_code=team.invite_code)
    mailoutbox.clear()
    later = timezone.now() + feedback.REQUEUE_AFTER + datetime.timedelta(minutes=1)

    with django_capture_on_commit_callbacks(execute=True):
        requeued = resend_lost_results_feedback.delay().get()

    assert requeued == 0  # not yet: the sweep waits REQUEUE_AFTER after publication
    with django_capture_on_commit_callbacks(execute=True):
        requeued = feedback.feedback_emails_sweep(now=later)
    assert requeued == 1
    assert _addresses(mailoutbox) == [newcomer.email]


def test_sweep_leaves_alone_recent_old_and_unpublished_events(
    django_capture_on_commit_callbacks, mailoutbox
):
    recent, old, unpublished = judged_event(), judged_event(), judged_event()
    now = timezone.now()
    Event.objects.filter(pk=recent.event.pk).update(results_published_at=now)
    Event.objects.filter(pk=old.event.pk).update(
        results_published_at=now - feedback.SWEEP_FOR - datetime.timedelta(minutes=1)
    )
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        requeued = feedback.feedback_emails_sweep(now=now + datetime.timedelta(minutes=1))

    assert requeued == 0
    assert mailoutbox == []
    assert unpublished.event.results_published_at is None


def test_a_member_who_changes_address_is_not_written_to_again(
    django_capture_on_commit_callbacks, mailoutbox
):
    judged = judged_event()
    publish(judged.event)
    with django_capture_on_commit_callbacks(execute=True):
        first = feedback.feedback_emails_send(event_id=judged.event.pk)
    sent = len(mailoutbox)
    mover = members(judged.ours)[0]
    mover.email = "moved@example.org"
    mover.save(update_fields=["email"])

    with django_capture_on_commit_callbacks(execute=True):
        again = feedback.feedback_emails_send(event_id=judged.event.pk)

    assert first == sent > 0
    assert again == 0 and len(mailoutbox) == sent
    assert feedback_unsent(judged.event) == {}


def test_the_migration_keys_queued_feedback_by_person():
    judged = judged_event()
    publish(judged.event)
    feedback.feedback_emails_send(event_id=judged.event.pk)
    message = OutboxMessage.objects.filter(purpose=FEEDBACK_PURPOSE).order_by("pk").first()
    person_key = message.object_key
    entry_key, _, _ = person_key.partition("/user:")
    OutboxMessage.objects.filter(pk=message.pk).update(object_key=entry_key)  # as it was
    migration = importlib.import_module("judging.migrations.0008_feedback_keys_per_person")

    migration.key_per_person(apps, None)

    message.refresh_from_db()
    assert message.object_key == person_key
    assert feedback_unsent(judged.event) == {}
