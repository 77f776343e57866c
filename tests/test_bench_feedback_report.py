"""The pieces of `python -m bench feedback_report`, on a small event."""

from collections import Counter

import pytest

from bench import BENCHMARKS
from bench.feedback_report import ORGANISER_QUESTIONS, measure, split
from feedback.models import SurveyInvitation, SurveyResponse
from feedback.template import DEFAULT_QUESTIONS


def test_feedback_report_is_listed():
    assert BENCHMARKS["feedback_report"] == "bench.feedback_report"


def test_split_cuts_a_total_into_whole_shares_that_add_up():
    # 5, 2.5 and 2.5: the half left over goes to the first of the equal remainders.
    assert split(10, {"a": 0.5, "b": 0.25, "c": 0.25}) == {"a": 5, "b": 3, "c": 2}
    shares = {"a": 0.9, "b": 0.044, "c": 0.03, "d": 0.016, "e": 0.01}
    assert split(5000, shares) == {"a": 4500, "b": 220, "c": 150, "d": 80, "e": 50}
    assert sum(split(137, shares).values()) == 137


@pytest.mark.django_db
def test_measure_reports_every_key_with_the_same_queries_at_both_sizes():
    results = measure(sizes=(30, 150), invited=300, seed=1, rounds=1)

    assert list(results)[:5] == ["responses", "build_s", "queries_30", "queries_150", "svg_bytes"]
    assert results["responses"] == 150 == SurveyResponse.objects.count()
    assert results["queries_30"] == results["queries_150"] <= 20
    assert results["questions"] == len(DEFAULT_QUESTIONS) + len(ORGANISER_QUESTIONS) == 20
    # A chart per scale and choice question (15 of the 20), and the response rates'.
    assert results["charts"] == 16
    assert results["svg_bytes"] > 16 * 1000
    assert float(results["build_s"]) > 0 and float(results["facts_s"]) > 0
    answered = Counter(
        SurveyInvitation.objects.filter(responded=True).values_list("audience", flat=True)
    )
    assert answered == Counter(SurveyResponse.objects.values_list("audience", flat=True))
