"""Locking judging, reopening it and publishing the results: each once, in order, with
an audit entry; after the lock nothing about judging changes; the signal is sent once,
after the commit."""

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from events.models import Event
from judging.extensions import results_published
from judging.models import Assignment, Room, Score
from judging.services import preparation
from judging.services.publication import judging_lock, judging_reopen, results_publish
from judging.services.scoring import sheet_save
from tests.factories import EventFactory, SubmissionFactory, UserFactory
from tests.judging.helpers import accepted_judge
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def heard():
    """The results_published signals sent, as (event pk, actor)."""
    sent = []

    def receiver(sender, event, actor, **kwargs):
        sent.append((event.pk, actor))

    results_published.connect(receiver, dispatch_uid="test_publication")
    yield sent
    results_published.disconnect(dispatch_uid="test_publication")


def _audited(event, action):
    return AuditEntry.objects.filter(action=action, target_id=str(event.pk)).count()


def test_locking_sets_the_time_once_and_a_second_lock_is_refused():
    event, organiser = EventFactory(), UserFactory()

    judging_lock(actor=organiser, event=event)
    with pytest.raises(ApplicationError, match="already locked"):
        judging_lock(actor=organiser, event=Event.objects.get(pk=event.pk))

    assert Event.objects.get(pk=event.pk).judging_locked_at is not None
    assert _audited(event, "judging.locked") == 1


def test_a_lock_stops_scoring_and_every_change_to_judging():
    event, organiser = EventFactory(), UserFactory()
    judge = accepted_judge(event)
    entry = SubmissionFactory(team=team_with(event))
    Assignment.objects.create(judge=judge, submission=entry)
    criterion = event.criteria.first()

    judging_lock(actor=organiser, event=event)
    fresh = Event.objects.get(pk=event.pk)

    with pytest.raises(ApplicationError, match="Judging is locked"):
        sheet_save(actor=judge.user, submission=type(entry).objects.get(pk=entry.pk),
                   scores={criterion.pk: 4})  # fmt: skip
    with pytest.raises(ApplicationError, match="Judging is locked"):
        preparation.room_create(actor=organiser, event=fresh, name="Side room")
    with pytest.raises(ApplicationError, match="Judging is locked"):
        preparation.assignments_make(actor=organiser, event=fresh)
    assert not Score.objects.exists()
    assert not Room.objects.filter(event=event).exists()


def test_reopening_lets_judges_score_again():
    event, organiser = EventFactory(), UserFactory()
    judge = accepted_judge(event)
    entry = SubmissionFactory(team=team_with(event))
    Assignment.objects.create(judge=judge, submission=entry)
    judging_lock(actor=organiser, event=event)

    judging_reopen(actor=organiser, event=event)
    sheet_save(actor=judge.user, submission=type(entry).objects.get(pk=entry.pk),
               scores={event.criteria.first().pk: 4})  # fmt: skip

    assert Event.objects.get(pk=event.pk).judging_locked_at is None
    assert Score.objects.count() == 1
    assert _audited(event, "judging.reopened") == 1


def test_reopening_what_is_not_locked_or_already_published_is_refused():
    open_event, published, organiser = EventFactory(), EventFactory(), UserFactory()
    Event.objects.filter(pk=published.pk).update(
        judging_locked_at=timezone.now(), results_published_at=timezone.now()
    )

    with pytest.raises(ApplicationError, match="not locked"):
        judging_reopen(actor=organiser, event=open_event)
    with pytest.raises(ApplicationError, match="published, so judging cannot be reopened"):
        judging_reopen(actor=organiser, event=Event.objects.get(pk=published.pk))

    assert Event.objects.get(pk=published.pk).judging_locked_at is not None
    assert not AuditEntry.objects.filter(action="judging.reopened").exists()


def test_publishing_needs_the_lock_first(heard, django_capture_on_commit_callbacks):
    event, organiser = EventFactory(), UserFactory()

    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ApplicationError, match="Lock judging before publishing"),
    ):
        results_publish(actor=organiser, event=event)

    assert Event.objects.get(pk=event.pk).results_published_at is None
    assert heard == []


def test_publishing_sets_the_time_audits_and_signals_after_the_commit_once(
    heard, django_capture_on_commit_callbacks
):
    event, organiser = EventFactory(), UserFactory()
    judging_lock(actor=organiser, event=event)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        results_publish(actor=organiser, event=event)
    assert heard == []  # not before the commit
    for callback in callbacks:
        callback()
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(ApplicationError, match="already published"),
    ):
        results_publish(actor=organiser, event=Event.objects.get(pk=event.pk))

    assert heard == [(event.pk, organiser)]
    assert Event.objects.get(pk=event.pk).results_published_at == event.results_published_at
    assert _audited(event, "judging.results_published") == 1
