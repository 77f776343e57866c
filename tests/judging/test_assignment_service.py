"""Assigning each room's panel to the submissions presenting there: stored, re-run
without losing a scored pair, conflicts kept out, shortfalls reported."""

import datetime
from collections import Counter

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from judging.models import Assignment, Judge, PresentationSlot, Room, ScoreSheet
from judging.services.preparation import assignments_make
from tests.factories import EventFactory, SubmissionFactory, UserFactory
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


def _room(event, name, *, judges: int, entries: int):
    room = Room.objects.create(event=event, name=name)
    panel = [
        Judge.objects.create(event=event, user=UserFactory(), room=room) for _ in range(judges)
    ]
    submissions = []
    for n in range(entries):
        submission = SubmissionFactory(team=team_with(event))
        starts = event.starts_at + datetime.timedelta(minutes=10 * n)
        PresentationSlot.objects.create(
            room=room, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=10),
            submission=submission,
        )  # fmt: skip
        submissions.append(submission)
    return panel, submissions


def _pairs(event):
    return set(
        Assignment.objects.filter(judge__event=event).values_list("judge_id", "submission_id")
    )


def test_each_submission_gets_three_judges_of_its_rooms_panel_with_even_loads():
    event = EventFactory()
    panel_a, entries_a = _room(event, "Room A", judges=4, entries=6)
    panel_b, entries_b = _room(event, "Room B", judges=3, entries=4)

    plan = assignments_make(actor=None, event=event)

    pairs = _pairs(event)
    assert pairs == set(plan.pairs)
    per_entry = Counter(submission for _judge, submission in pairs)
    assert {per_entry[e.pk] for e in entries_a + entries_b} == {3}
    in_a = {judge.pk for judge in panel_a}
    assert all((judge in in_a) == (entry in {e.pk for e in entries_a}) for judge, entry in pairs)
    loads = Counter(judge for judge, _submission in pairs)
    assert sorted(loads[j.pk] for j in panel_a) == [4, 4, 5, 5]
    assert sorted(loads[j.pk] for j in panel_b) == [4, 4, 4]
    entry = AuditEntry.objects.get(action="judging.assigned")
    assert entry.data == {"pairs": 30, "added": 30, "removed": 0, "shortfalls": 0}


def test_a_judge_is_never_assigned_their_own_team_and_the_shortfall_says_where():
    event = EventFactory()
    panel, entries = _room(event, "Room A", judges=3, entries=2)
    own = entries[0]
    own.team.memberships.filter(role="lead").update(user=panel[0].user)  # the judge leads it

    plan = assignments_make(actor=None, event=event)

    assert (panel[0].pk, own.pk) not in _pairs(event)
    assert [(s.submission_id, s.assigned, s.wanted, s.available) for s in plan.shortfalls] == [
        (own.pk, 2, 3, 2)
    ]


def test_a_rerun_keeps_every_scored_pair_and_moves_only_unscored_ones():
    event = EventFactory()
    panel, _entries = _room(event, "Room A", judges=3, entries=3)
    assignments_make(actor=None, event=event)
    scored = Assignment.objects.filter(judge=panel[0]).first()
    ScoreSheet.objects.create(judge=scored.judge, submission=scored.submission)
    newcomer = Judge.objects.create(event=event, user=UserFactory(), room=panel[0].room)

    assignments_make(actor=None, event=event)

    pairs = _pairs(event)
    assert (scored.judge_id, scored.submission_id) in pairs
    loads = Counter(judge for judge, _submission in pairs)
    assert sorted(loads[j.pk] for j in [*panel, newcomer]) == [2, 2, 2, 3]
    assert len(pairs) == 9 and Assignment.objects.count() == 9


def test_once_judging_is_locked_assignments_stay_as_they_are():
    event = EventFactory()
    _room(event, "Room A", judges=3, entries=1)
    event.judging_locked_at = timezone.now()
    event.save(update_fields=["judging_locked_at"])

    with pytest.raises(ApplicationError) as refused:
        assignments_make(actor=None, event=event)

    assert refused.value.code == "judging_locked"
    assert not Assignment.objects.exists()
