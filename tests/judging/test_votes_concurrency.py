"""Two first votes of one person at once (two tabs, a double tap), on PostgreSQL with
real row locks.

The vote holds the race window open with CAPACITY_RACE_DELAY (between reading the
person's vote and writing it); both calls queue on the voter's checked-in place, so the
second sees the first's vote and changes it. The negative control turns the lock off
and shows the same race hitting the one-vote-per-person constraint. So do a vote and
the results' publication at once: the vote under way lands before the publication.
"""

import time

import pytest
from django.db import IntegrityError
from django.utils import timezone

from events.models import Event
from judging.models import Vote
from judging.services.prizes import vote_cast
from judging.services.publication import results_publish
from tests.concurrency import in_threads
from tests.factories import EventFactory, UserFactory
from tests.judging.prizes_helpers import checked_in_participant, handed_in, peoples_choice

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    pytest.mark.no_cover,
]


def _two_first_votes(settings):
    event = EventFactory()
    peoples_choice(event)
    first, second = handed_in(event), handed_in(event)
    voter = checked_in_participant(event)
    settings.CAPACITY_RACE_DELAY = 0.5

    def vote(entry):
        def call():
            try:
                vote_cast(actor=voter, event=event, submission=entry)
            except IntegrityError:
                return "integrity-error"
            return "voted"

        return call

    return in_threads([vote(first), vote(second)], workers=2), {first.pk, second.pk}


def test_two_first_votes_at_once_end_with_one_vote(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000

    outcomes, entries = _two_first_votes(settings)

    assert outcomes == ["voted", "voted"]
    assert Vote.objects.count() == 1
    assert Vote.objects.get().submission_id in entries  # the later of the two


def test_negative_control_without_the_lock_the_second_vote_fails(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    settings.CAPACITY_LOCKING = False

    outcomes, _entries = _two_first_votes(settings)

    assert sorted(outcomes) == ["integrity-error", "voted"]
    assert Vote.objects.count() == 1


def _vote_while_results_are_published(settings):
    """A vote holding its race window while organisers publish the results: the vote's
    time and the publication's, as stored."""
    event = EventFactory()
    peoples_choice(event)
    entry, voter = handed_in(event), checked_in_participant(event)
    Event.objects.filter(pk=event.pk).update(judging_locked_at=timezone.now())
    organiser = UserFactory()
    settings.CAPACITY_RACE_DELAY = 0.8

    def vote():
        vote_cast(actor=voter, event=event, submission=entry)
        return "voted"

    def publish():
        time.sleep(0.3)  # the vote has read the event and is inside its window
        results_publish(actor=organiser, event=Event.objects.get(pk=event.pk))
        return "published"

    outcomes = in_threads([vote, publish], workers=2)
    event.refresh_from_db()
    return outcomes, Vote.objects.get().created_at, event.results_published_at


def test_a_vote_under_way_when_results_are_published_lands_before_them(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000

    outcomes, voted_at, published_at = _vote_while_results_are_published(settings)

    assert outcomes == ["voted", "published"]
    assert voted_at < published_at


def test_negative_control_without_row_locks_a_vote_lands_after_publication(settings):
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    settings.CAPACITY_LOCKING = False

    outcomes, voted_at, published_at = _vote_while_results_are_published(settings)

    assert outcomes == ["voted", "published"]
    assert voted_at > published_at
