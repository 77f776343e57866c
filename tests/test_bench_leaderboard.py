"""The pieces of `python -m bench leaderboard`, on a small event."""

from collections import Counter

import pytest

from bench import BENCHMARKS
from bench.leaderboard import JUDGES_PER_SUBMISSION, fetch_scores, results_queries, seed_event
from judging.models import ScoreSheet
from judging.selectors import event_results


def test_leaderboard_is_listed():
    assert BENCHMARKS["leaderboard"] == "bench.leaderboard"


@pytest.mark.django_db
def test_the_seeded_event_has_every_submission_scored_by_its_judges_on_every_criterion():
    event = seed_event(submissions=12, seed=1)

    rows = fetch_scores(event)

    criteria = event.criteria.count()
    assert len(rows) == 12 * JUDGES_PER_SUBMISSION * criteria
    sheets = ScoreSheet.objects.filter(judge__event=event)
    assert sheets.count() == 12 * JUDGES_PER_SUBMISSION
    assert {value for *_, value in rows} <= set(range(1, 6))
    loads = Counter(sheets.values_list("judge_id", flat=True))
    assert sorted(Counter(loads.values()).items()) == [(1, 40), (2, 10)]  # 60 sheets, 50 judges


@pytest.mark.django_db
def test_results_take_the_same_queries_at_two_sizes_and_rank_every_submission():
    small, large = seed_event(submissions=3, seed=1), seed_event(submissions=15, seed=2)

    assert results_queries(small) == results_queries(large) == 9
    assert len(event_results(large, resamples=0).submissions) == 15
