"""Judging's two steps at the end: organisers lock judging (nothing about it changes
after, see preparation.refuse_when_judging_locked), may reopen it until they publish,
then publish the results. These services are the only code that sets
`Event.judging_locked_at` and `Event.results_published_at`.

Each step is one conditional UPDATE of the event's row (`filter(..., field__isnull=...)`),
so two clicks at once do it once: the second UPDATE waits for the first's row lock,
then finds its condition false and is refused.
"""

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.locking import hold_race_window, lock_rows
from events.models import Event
from judging.extensions import results_published
from judging.models import Assignment, ScoreSheet
from judging.selectors import live_counted_pairs

ALREADY_LOCKED = "Judging is already locked for this event."
NOT_LOCKED = "Judging is not locked for this event, so there is nothing to reopen."
LOCK_FIRST = "Lock judging before publishing the results, so no score changes after."
ALREADY_PUBLISHED = "The results of this event are already published."
PUBLISHED_STAYS_LOCKED = "The results are published, so judging cannot be reopened."


@transaction.atomic
def judging_lock(*, actor, event: Event) -> Event:
    """Lock judging: from now on no score, criterion, room, panel, conflict or
    assignment of `event` changes. Saves of score sheets under way finish first: they
    hold their assignment's row, which this waits for."""
    # The event's row first, then its assignments': the order every judging write keeps.
    lock_rows(Event.objects.filter(pk=event.pk))
    lock_rows(Assignment.objects.filter(judge__event=event))
    now = timezone.now()
    if not Event.objects.filter(pk=event.pk, judging_locked_at__isnull=True).update(
        judging_locked_at=now
    ):
        raise ApplicationError(ALREADY_LOCKED, code="judging_locked")
    # Which sheets count is fixed now, so nothing done later moves the results.
    pairs = live_counted_pairs(event)
    sheets = ScoreSheet.objects.filter(judge__event=event)
    counted = [pk for pk, *pair in sheets.values_list("pk", "judge_id", "submission_id")
               if tuple(pair) in pairs]  # fmt: skip
    sheets.update(counts=Case(When(pk__in=counted, then=Value(True)), default=Value(False)))
    event.judging_locked_at = now
    audit_record(actor=actor, action="judging.locked", target=event)
    return event


@transaction.atomic
def judging_reopen(*, actor, event: Event) -> Event:
    """Unlock judging, so judges may score again; only before the results are published
    (published results must not move)."""
    reopened = Event.objects.filter(
        pk=event.pk, judging_locked_at__isnull=False, results_published_at__isnull=True
    ).update(judging_locked_at=None)
    if not reopened:
        published = Event.objects.filter(pk=event.pk, results_published_at__isnull=False)
        if published.exists():
            raise ApplicationError(PUBLISHED_STAYS_LOCKED, code="results_published")
        raise ApplicationError(NOT_LOCKED, code="judging_not_locked")
    ScoreSheet.objects.filter(judge__event=event).update(counts=None)
    event.judging_locked_at = None
    audit_record(actor=actor, action="judging.reopened", target=event)
    return event


@transaction.atomic
def results_publish(*, actor, event: Event) -> Event:
    """Publish the results of locked judging, once. Receivers of
    `judging.extensions.results_published` hear of it after the commit."""
    # The row first, then the time: a prize or vote change under way holds the row, and
    # lands before the moment the results are published at.
    lock_rows(Event.objects.filter(pk=event.pk))
    now = timezone.now()
    published = Event.objects.filter(
        pk=event.pk, judging_locked_at__isnull=False, results_published_at__isnull=True
    ).update(results_published_at=now)
    hold_race_window()  # test-only: a second click now waits on the event's row
    if not published:
        current = Event.objects.values("judging_locked_at", "results_published_at").get(pk=event.pk)
        if current["results_published_at"] is not None:
            raise ApplicationError(ALREADY_PUBLISHED, code="results_published")
        raise ApplicationError(LOCK_FIRST, code="judging_not_locked")
    event.results_published_at = now
    audit_record(actor=actor, action="judging.results_published", target=event)
    transaction.on_commit(lambda: results_published.send(sender=Event, event=event, actor=actor))
    return event
