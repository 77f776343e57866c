"""Judging in "download my data" and in account erasure: scores stay, unnamed, and the
results do not move."""

import json

import pytest

from accounts.services import account_delete
from judging.enums import ConflictKind
from judging.models import Assignment, Conflict, Judge, Room, ScoreSheet
from judging.selectors import event_results
from judging.services.scoring import sheet_save
from tests.factories import EventFactory, SubmissionFactory
from tests.judging.helpers import accepted_judge
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


def _judged():
    """Two judges of an event, each having scored the same two entries; the first also
    declared a conflict and judges in the main hall."""
    event = EventFactory(name="Community Data Hackathon")
    room = Room.objects.create(event=event, name="Main hall")
    entries = [SubmissionFactory(team=team_with(event), title=t) for t in ("Parks", "Jobs")]
    criteria = list(event.criteria.all())
    judges = [accepted_judge(event, room=room) for _ in range(2)]
    for judge, offset in zip(judges, (0, 1), strict=True):
        for n, entry in enumerate(entries):
            Assignment.objects.create(judge=judge, submission=entry)
            sheet_save(
                actor=judge.user, submission=entry,
                scores={c.pk: 1 + (n + offset + i) % 5 for i, c in enumerate(criteria)},
                feedback_for_team=f"Feedback {n}",
            )  # fmt: skip
    Conflict.objects.create(
        judge=judges[0], kind=ConflictKind.ORGANISATION, organisation="Riverside Trust",
        reason="I volunteer there", declared_by=judges[0].user,
    )  # fmt: skip
    return event, judges, entries


def test_the_export_lists_places_sheets_and_declared_conflicts(client):
    _event, judges, _entries = _judged()
    client.force_login(judges[0].user)

    data = json.loads(client.get("/accounts/my-data/").content)["judging"]

    assert data["judging"] == [{"event": "Community Data Hackathon", "room": "Main hall"}]
    assert [(s["submission"], s["feedback_for_team"]) for s in data["score_sheets"]] == [
        ("Parks", "Feedback 0"),
        ("Jobs", "Feedback 1"),
    ]
    assert len(data["score_sheets"][0]["scores"]) == 6
    assert data["conflicts_declared"] == [
        {
            "event": "Community Data Hackathon", "kind": "organisation", "team": None,
            "person": None, "organisation": "Riverside Trust", "reason": "I volunteer there",
        }
    ]  # fmt: skip


def test_erasing_a_judge_keeps_their_scores_unnamed_and_the_results_unmoved():
    event, judges, _entries = _judged()
    idle = accepted_judge(event)
    before = event_results(event, resamples=0)

    account_delete(user=judges[0].user)
    account_delete(user=idle.user)

    erased = Judge.objects.get(pk=judges[0].pk)
    assert erased.user is None
    assert ScoreSheet.objects.filter(judge=erased).count() == 2
    assert not Judge.objects.filter(pk=idle.pk).exists()  # no scores: nothing to keep
    assert not Conflict.objects.exists()
    assert event_results(event, resamples=0) == before
