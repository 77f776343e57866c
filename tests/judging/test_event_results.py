"""An event's results read from its scores: the criteria as the results module takes
them (a scoped one as its own category), every sheet of the event's judges, two queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from judging.models import Judge, Score, ScoreSheet
from judging.selectors import event_results
from tests.factories import (
    CriterionFactory,
    EventFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


def _entry(event):
    return SubmissionFactory(team=team_with(event))


def _sheet(judge, submission, values: dict):
    sheet = ScoreSheet.objects.create(judge=judge, submission=submission)
    Score.objects.bulk_create(
        Score(sheet=sheet, criterion=criterion, value=value) for criterion, value in values.items()
    )


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

    assert len(queries) == 2
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
