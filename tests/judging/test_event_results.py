"""An event's results read from its scores: the criteria as the results module takes
them (a scoped one as its own category), the sheets of judges still assigned, present and
without a conflict (fixed when judging is locked, so published results never move), and
the entries absent for their whole panel; nine queries while judging is open, four once
it is locked, and one more for a rubric with scoped criteria."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from judging.enums import ConflictKind
from judging.models import Assignment, Conflict, Judge, PresentationSlot, Room, ScoreSheet
from judging.selectors import event_results
from judging.services.publication import judging_lock, judging_reopen
from tests.factories import (
    CriterionFactory,
    EventFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.judging.helpers_feedback import sheet as _sheet
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


def _entry(event):
    return SubmissionFactory(team=team_with(event))


def test_results_rank_by_the_overall_criteria_and_report_a_scoped_one_apart():
    event = EventFactory()
    event.criteria.all().delete()
    theme = ThemeFactory(event=event)
    impact = CriterionFactory(event=event, name="Impact", scale_min=0, scale_max=10, weight=3)
    story = CriterionFactory(event=event, name="Story", scale_min=1, scale_max=5, weight=1)
    local = CriterionFactory(event=event, name="Local", theme=theme)
    first, second = _entry(event), _entry(event)
    judge = Judge.objects.create(event=event, user=UserFactory())
    # first: (3 x 100% + 1 x 50%) / 4 = 87.5 points; second: (3 x 50% + 1 x 100%) / 4 = 62.5
    _sheet(judge, first, {impact: 10, story: 3, local: 5})
    _sheet(judge, second, {impact: 5, story: 5})

    with CaptureQueriesContext(connection) as queries:
        results = event_results(event, resamples=0)

    assert len(queries) == 10  # nine, and the scoped criterion's scores
    assert [(r.submission_id, r.rank, r.raw) for r in results.submissions] == [
        (first.pk, 1, 87.5),
        (second.pk, 2, 62.5),
    ]
    assert results.submissions[0].categories == {f"theme:{theme.pk}": 100.0}
    assert results.submissions[1].categories == {}


def test_another_events_scores_are_left_out():
    event, other = EventFactory(), EventFactory()
    criterion = event.criteria.first()
    elsewhere = other.criteria.first()
    mine, theirs = _entry(event), _entry(other)
    _sheet(Judge.objects.create(event=event, user=UserFactory()), mine, {criterion: 4})
    _sheet(Judge.objects.create(event=other, user=UserFactory()), theirs, {elsewhere: 2})

    results = event_results(event, resamples=0)

    assert [r.submission_id for r in results.submissions] == [mine.pk]


@pytest.fixture
def panel():
    """Two entries scored by two judges on one criterion (0 to 10): the first entry by
    10 and 6, the second by 4 and 4 (points are tenths of the scale times 100)."""
    event = EventFactory()
    event.criteria.all().delete()
    criterion = CriterionFactory(event=event, name="Impact", scale_min=0, scale_max=10)
    first, second = _entry(event), _entry(event)
    judges = [Judge.objects.create(event=event, user=UserFactory()) for _ in range(2)]
    _sheet(judges[0], first, {criterion: 10})
    _sheet(judges[1], first, {criterion: 6})
    _sheet(judges[0], second, {criterion: 4})
    _sheet(judges[1], second, {criterion: 4})
    return event, judges, first, second


def _raw(results):
    return {r.submission_id: (r.raw, r.sheets) for r in results.submissions}


def test_every_sheet_of_an_assigned_present_judge_counts(panel):
    event, _judges, first, second = panel

    assert _raw(event_results(event, resamples=0)) == {first.pk: (80.0, 2), second.pk: (40.0, 2)}


def test_a_sheet_whose_assignment_was_removed_no_longer_counts(panel):
    event, judges, first, second = panel
    Assignment.objects.filter(judge=judges[0], submission=first).delete()

    assert _raw(event_results(event, resamples=0)) == {first.pk: (60.0, 1), second.pk: (40.0, 2)}


def test_a_sheet_of_an_entry_the_judge_marked_absent_no_longer_counts(panel):
    event, judges, first, second = panel
    Assignment.objects.filter(judge=judges[1], submission=first).update(absent_at=timezone.now())

    assert _raw(event_results(event, resamples=0)) == {first.pk: (100.0, 1), second.pk: (40.0, 2)}


def test_a_sheet_of_a_judge_found_in_conflict_later_no_longer_counts(panel):
    event, judges, first, second = panel
    Conflict.objects.create(judge=judges[0], kind=ConflictKind.TEAM, team=first.team)

    results = event_results(event, resamples=0)

    assert _raw(results) == {first.pk: (60.0, 1), second.pk: (40.0, 2)}
    # The conflict takes away only that pair: the judge's other sheet still counts.
    sheets = [(j.judge_id, j.sheets) for j in results.judges]
    assert sheets == [(judges[0].pk, 1), (judges[1].pk, 2)]


def test_an_entry_presenting_that_its_whole_panel_marked_absent_is_listed_not_ranked(panel):
    event, judges, first, second = panel
    room = Room.objects.create(event=event, name="Hall")
    absent, half_absent, waiting = first, second, _entry(event)
    for n, entry in enumerate((absent, half_absent, waiting)):
        starts = event.starts_at + datetime.timedelta(minutes=5 * n)
        PresentationSlot.objects.create(
            room=room, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=5),
            submission=entry,
        )  # fmt: skip
    Assignment.objects.filter(submission=absent).update(absent_at=timezone.now())
    Assignment.objects.filter(submission=half_absent, judge=judges[0]).update(
        absent_at=timezone.now()
    )
    Assignment.objects.create(judge=judges[0], submission=waiting)  # not scored yet

    results = event_results(event, resamples=0)

    assert results.absent == (absent.pk,)
    assert _raw(results) == {half_absent.pk: (40.0, 1)}


def test_the_query_count_stays_flat_with_conflicts_and_absences(panel):
    event, judges, first, _second = panel
    Conflict.objects.create(judge=judges[0], kind=ConflictKind.TEAM, team=first.team)
    for _ in range(5):
        _sheet(judges[1], _entry(event), {event.criteria.get(): 7})

    with CaptureQueriesContext(connection) as queries:
        event_results(event, resamples=0)

    assert len(queries) == 9


def test_once_judging_is_locked_which_sheets_count_is_fixed_and_reopening_frees_it():
    """A conflict gone after the lock (erased with its person) moves nothing: the
    conflicted judge's sheet on our entry stays out. Reopening counts it again."""
    event = EventFactory()
    event.criteria.all().delete()
    impact = CriterionFactory(event=event, name="Impact", scale_min=1, scale_max=5)
    ours, theirs = _entry(event), _entry(event)
    kept, conflicted = (Judge.objects.create(event=event, user=UserFactory()) for _ in "ab")
    for judge, on_ours, on_theirs in ((kept, 2, 4), (conflicted, 5, 1)):
        _sheet(judge, ours, {impact: on_ours})
        _sheet(judge, theirs, {impact: on_theirs})
    Conflict.objects.create(judge=conflicted, kind=ConflictKind.TEAM, team=ours.team)
    organiser = UserFactory()

    def sheets_of_ours():
        results = event_results(event, resamples=0)
        return next(r.sheets for r in results.submissions if r.submission_id == ours.pk)

    judging_lock(actor=organiser, event=event)
    at_lock = sheets_of_ours()
    Conflict.objects.all().delete()  # as erasing the person would
    with CaptureQueriesContext(connection) as queries:
        after = sheets_of_ours()
    judging_reopen(actor=organiser, event=event)

    assert at_lock == after == 1
    assert len(queries) == 4
    assert not ScoreSheet.objects.filter(counts__isnull=False).exists()
    assert sheets_of_ours() == 2  # open again: counted as things stand
