"""Telling teams their results once they are published: one email per member of each
judged entry's team, with the entry's rank and the judges' feedback (unnamed) and a link
to the team's results page, fanned out through the outbox by a task, as segment messages
are (registration.segments), with a sweep that re-queues a fan-out whose task was lost.

Nothing is stored beyond the outbox's messages: their key (the entry and the member, so
per person whatever their address) is what makes a repeat send nothing, and what the
sweep looks for."""

import datetime
from collections import Counter
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from common.outbox import outbox_store, render_text
from common.queueing import enqueue_after_commit
from events.models import Event
from judging.selectors import counted_pairs, event_results
from judging.selectors_feedback import (
    FEEDBACK_PURPOSE,
    feedback_by_entry,
    feedback_key,
    feedback_unsent,
    judged_entries,
)

TEMPLATE = "judging/email/feedback"
# A published event whose emails are still missing this long after publication lost
# its fan-out task (or a member was added since); the sweep queues it again.
REQUEUE_AFTER = datetime.timedelta(minutes=10)
# Published longer ago than this, an event is left alone: its teams have had their news,
# and the sweep's work stays bounded however many events there were.
SWEEP_FOR = datetime.timedelta(days=7)


@dataclass(frozen=True)
class RenderedEmail:
    subject: str
    body_text: str
    body_html: str


def feedback_emails_request(*, event) -> None:
    """Queue the fan-out of `event`'s feedback emails after the current transaction."""
    from judging.tasks import send_results_feedback

    enqueue_after_commit(send_results_feedback, event_id=event.pk)


@transaction.atomic
def feedback_emails_send(*, event_id: int) -> int | None:
    """Queue, in the outbox, the feedback email of every member of every judged entry's
    team who has not had it yet; returns how many were queued, or None when the event
    is gone or its results are not published. Running it again queues nothing more; two
    runs at once each find the other's messages by the outbox's unique key."""
    event = Event.objects.filter(pk=event_id, results_published_at__isnull=False).first()
    if event is None:
        return None
    # Which sheets count is read once, for the entries, the ranking and the feedback.
    counted = counted_pairs(event)
    entries = judged_entries(event, counted=counted)
    unsent = feedback_unsent(event, entries=entries)
    if not unsent:
        return 0
    ranking = event_results(event, resamples=0, counted=counted).submissions
    results = {result.submission_id: result for result in ranking}
    feedback = feedback_by_entry(event, counted=counted)
    ranked = len(ranking)
    at_rank = Counter(result.rank for result in ranking)
    count = 0
    for entry_id, members in unsent.items():
        # The same words go to every member, so each entry's email is rendered once.
        result = results.get(entry_id)
        email = _render(
            event, entries[entry_id], result, ranked, result and at_rank[result.rank] > 1,
            feedback.get(entry_id, []),
        )  # fmt: skip
        for user_id, address in members:
            outbox_store(
                recipient=address,
                purpose=FEEDBACK_PURPOSE,
                key=feedback_key(entry_id, user_id),
                subject=email.subject,
                body_text=email.body_text,
                body_html=email.body_html,
            )
            count += 1
    return count


def _render(event, entry, result, ranked, shared, feedback) -> RenderedEmail:
    context = {
        "site_url": settings.SITE_URL,
        "event": event,
        "team": entry.team,
        "submission": entry,
        "result": result,
        "ranked": ranked,
        "shared": shared,
        "feedback": feedback,
        "results_url": settings.SITE_URL + reverse("judging_team_results", args=[event.slug]),
    }
    return RenderedEmail(
        subject=render_text(f"{TEMPLATE}_subject.txt", context),
        body_text=render_text(f"{TEMPLATE}.txt", context),
        body_html=render_to_string(f"{TEMPLATE}.html", context),
    )


def feedback_emails_sweep(*, now=None) -> int:
    """Queue the fan-out again for each event published between SWEEP_FOR and
    REQUEUE_AFTER ago with a team member still not written to; returns how many."""
    now = now or timezone.now()
    events = Event.objects.filter(
        results_published_at__lt=now - REQUEUE_AFTER,
        results_published_at__gte=now - SWEEP_FOR,
    ).order_by("pk")
    stuck = [event for event in events if feedback_unsent(event)]
    with transaction.atomic():
        for event in stuck:
            feedback_emails_request(event=event)
    return len(stuck)
