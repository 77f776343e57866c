import itertools
import math
import random
import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from judging.results import (
    CriterionSpec,
    JudgeCalibration,
    Results,
    UnrankedSubmission,
    rank_intervals,
    results_compute,
    sheets_compute,
    sheets_from_totals,
)

POINTS = CriterionSpec(id=1, weight=1, scale_min=0, scale_max=100)  # value = total


def _totals(sheets):
    """Rows scoring POINTS: {(judge, submission): total}."""
    return [(judge, submission, POINTS.id, total) for (judge, submission), total in sheets.items()]


def _compute(sheets, **options):
    return results_compute(criteria=[POINTS], scores=_totals(sheets), **options)


def test_sheet_total_maps_each_scale_to_points_and_weights_them():
    criteria = [
        CriterionSpec(id=1, weight=2, scale_min=1, scale_max=5),
        CriterionSpec(id=2, weight=1, scale_min=0, scale_max=10),
        CriterionSpec(id=3, weight=1, scale_min=0, scale_max=100),
    ]
    scores = [
        # Sheet (7, 1): 4 of 1-5 is 75 points, 6 of 0-10 is 60, 30 of 0-100 is 30:
        # (2·75 + 60 + 30) / 4 = 60.
        (7, 1, 1, 4),
        (7, 1, 2, 6),
        (7, 1, 3, 30),
        # Sheet (7, 2) did not score criterion 2: (2·100 + 10) / 3 = 70.
        (7, 2, 1, 5),
        (7, 2, 3, 10),
    ]

    sheets = sheets_compute(criteria=criteria, scores=scores)

    assert sheets.judge_ids.tolist() == [7]
    assert sheets.submission_ids.tolist() == [1, 2]
    assert sheets.totals.tolist() == [[pytest.approx(60), pytest.approx(70)]]


def test_normalisation_by_hand():
    listed = _compute({(1, 1): 85, (1, 2): 55, (2, 2): 45, (2, 3): 15}).submissions

    # All totals 85, 55, 45, 15: mu = 50; deviations 35, 5, -5, -35, so
    # sigma = sqrt((1225 + 25 + 25 + 1225) / 4) = 25.
    # Judge 1: mean 70, sd 15: z(85) = +1 -> 50 + 25 = 75, z(55) = -1 -> 25.
    # Judge 2: mean 30, sd 15: z(45) = +1 -> 75, z(15) = -1 -> 25.
    # Submission 2: (25 + 75) / 2 = 50; raw (55 + 45) / 2 = 50.
    summary = [(s.submission_id, s.rank, s.normalised, s.raw, s.sheets) for s in listed]
    assert summary == [
        (1, 1, pytest.approx(75), pytest.approx(85), 1),
        (2, 2, pytest.approx(50), pytest.approx(50), 2),
        (3, 3, pytest.approx(25), pytest.approx(15), 1),
    ]


def test_normalised_totals_are_clipped_to_the_points_range():
    sheets = {(1, 1): 0, (1, 2): 0, (1, 3): 0, (1, 4): 100}
    sheets |= {(2, 5): 100, (2, 6): 100, (2, 7): 100, (2, 8): 0}

    results = _compute(sheets, resamples=0)

    # mu = 50, sigma = 50. Judge 1: mean 25, sd sqrt(1875) = 25·sqrt(3), so
    # z(100) = sqrt(3) -> 50 + 86.6, clipped to 100; z(0) = -1/sqrt(3) -> 50 - 50/sqrt(3).
    # Judge 2 mirrors it: z(0) = -sqrt(3), clipped to 0; z(100) = 1/sqrt(3).
    normalised = {s.submission_id: s.normalised for s in results.submissions}
    assert normalised == {
        4: 100.0,
        5: pytest.approx(50 + 50 / math.sqrt(3)),
        6: pytest.approx(50 + 50 / math.sqrt(3)),
        7: pytest.approx(50 + 50 / math.sqrt(3)),
        1: pytest.approx(50 - 50 / math.sqrt(3)),
        2: pytest.approx(50 - 50 / math.sqrt(3)),
        3: pytest.approx(50 - 50 / math.sqrt(3)),
        8: 0.0,
    }


def test_judges_without_spread_are_centred_without_warnings_or_nan():
    ninths = CriterionSpec(id=2, weight=1, scale_min=0, scale_max=9)
    scores = [
        (1, 1, POINTS.id, 90),  # judge 1: one sheet
        (2, 2, ninths.id, 1),  # judge 2: three totals of 100/9, whose float mean is not
        (2, 3, ninths.id, 1),  # exactly 100/9: a spread of rounding, which must not
        (2, 4, ninths.id, 1),  # count as spread
        (3, 5, POINTS.id, 80),
        (3, 6, POINTS.id, 40),
    ]
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        results = results_compute(criteria=[POINTS, ninths], scores=scores, resamples=50)

    totals = [90] + [100 / 9] * 3 + [80, 40]
    mu = sum(totals) / 6
    sigma = math.sqrt(sum((t - mu) ** 2 for t in totals) / 6)
    # Judges 1 and 2 are centred on mu; judge 3 (mean 60, sd 20) gets z = +1 and -1.
    normalised = {s.submission_id: s.normalised for s in results.submissions}
    assert normalised == {
        1: pytest.approx(mu),
        2: pytest.approx(mu),
        3: pytest.approx(mu),
        4: pytest.approx(mu),
        5: pytest.approx(mu + sigma),
        6: pytest.approx(mu - sigma),
    }
    assert [s.submission_id for s in results.submissions] == [5, 1, 2, 3, 4, 6]
    assert [s.rank for s in results.submissions] == [1, 2, 3, 3, 3, 6]  # raw 90 before 11.1


def test_all_totals_equal_gives_normalised_equal_to_raw_and_one_shared_rank():
    ninths = CriterionSpec(id=1, weight=1, scale_min=0, scale_max=9)
    # Three totals of 100/9, whose float mean is not exactly 100/9: centring on it
    # would not give the raw score back exactly.
    scores = [(1, 1, 1, 1), (1, 2, 1, 1), (2, 3, 1, 1)]

    results = results_compute(criteria=[ninths], scores=scores, resamples=0)

    summary = [(s.rank, s.normalised, s.raw) for s in results.submissions]
    assert summary == [(1, 100 / 9, 100 / 9)] * 3


def test_normalisation_undoes_a_lenient_and_a_harsh_judge():
    x, y, z, w = 1, 2, 3, 4
    sheets = {(1, x): 90, (1, y): 80}  # judge 1, lenient, saw x and y: x above y
    sheets |= {(2, z): 40, (2, w): 30}  # judge 2, harsh, saw z and w: z above w
    # Judge 3 saw all four, on the same footing: x, z, y, w.
    sheets |= {(3, x): 70, (3, z): 65, (3, y): 60, (3, w): 55}

    results = _compute(sheets, resamples=0)

    # Raw (80, 70, 52.5, 42.5) puts both of the lenient judge's above both of the harsh one's.
    raw_order = sorted(results.submissions, key=lambda s: -s.raw)
    assert [s.submission_id for s in raw_order] == [x, y, z, w]
    # All totals: mu = 490 / 8 = 61.25, sigma = sqrt(2737.5 / 8). Judges 1 and 2 (two
    # sheets each) give z = +1 and -1; judge 3 (mean 62.5, sd sqrt(31.25)) gives
    # 7.5/sd = 1.342 to x, 2.5/sd = 0.447 to z, -0.447 to y, -1.342 to w. Means:
    # x (1 + 1.342) / 2 > z (1 + 0.447) / 2 > y > w, mirrored.
    mu, sigma, sd = 61.25, math.sqrt(2737.5 / 8), math.sqrt(31.25)
    expected = {
        x: mu + sigma * (1 + 7.5 / sd) / 2,
        z: mu + sigma * (1 + 2.5 / sd) / 2,
        y: mu + sigma * (-1 - 2.5 / sd) / 2,
        w: mu + sigma * (-1 - 7.5 / sd) / 2,
    }
    assert [s.submission_id for s in results.submissions] == [x, z, y, w]
    assert [s.rank for s in results.submissions] == [1, 2, 3, 4]
    assert {s.submission_id: s.normalised for s in results.submissions} == pytest.approx(expected)


def test_equal_scores_share_a_rank_and_the_next_rank_skips():
    results = _compute({(1, 10): 90, (1, 30): 70, (1, 20): 70, (1, 40): 50}, resamples=0)

    assert [(s.submission_id, s.rank) for s in results.submissions] == [
        (10, 1),
        (20, 2),  # tied: the lower id listed first
        (30, 2),
        (40, 4),
    ]


def test_raw_score_breaks_a_tie_in_normalised_score():
    # Two judges with one sheet each: both totals are centred on mu = 70.
    results = _compute({(1, 1): 60, (2, 2): 80})

    # In the resamples too: 1 is second whenever both judges are drawn, and first only
    # when judge 2 is not.
    summary = [
        (s.submission_id, s.rank, s.normalised, s.rank_low, s.rank_high)
        for s in results.submissions
    ]
    assert summary == [(2, 1, pytest.approx(70), 1, 1), (1, 2, pytest.approx(70), 1, 2)]


def test_scores_equal_but_for_float_rounding_share_a_rank():
    criteria = [
        CriterionSpec(id=1, weight=1, scale_min=0, scale_max=3),
        CriterionSpec(id=2, weight=2, scale_min=0, scale_max=7),
        CriterionSpec(id=3, weight=3, scale_min=0, scale_max=9),
    ]
    sheet_1 = [(1, 1, 1, 1), (1, 1, 2, 0), (1, 1, 3, 0)]  # 1/3 at weight 1: 100/18
    sheet_2 = [(1, 2, 1, 0), (1, 2, 2, 0), (1, 2, 3, 1)]  # 1/9 at weight 3: 100/18 too
    sheet_3 = [(1, 3, 1, 3), (1, 3, 2, 7), (1, 3, 3, 9)]

    results = results_compute(criteria=criteria, scores=sheet_1 + sheet_2 + sheet_3, resamples=0)

    _, first, second = results.submissions
    assert first.raw != second.raw  # the floats differ
    assert first.raw == pytest.approx(100 / 18)
    assert second.raw == pytest.approx(100 / 18)
    assert [(s.submission_id, s.rank) for s in results.submissions] == [(3, 1), (1, 2), (2, 2)]


def test_scoped_criteria_stay_out_of_totals_and_give_category_scores():
    criteria = [
        CriterionSpec(id=1, weight=1, scale_min=0, scale_max=10),
        CriterionSpec(id=2, weight=1, scale_min=1, scale_max=5, category="theme:3"),
        CriterionSpec(id=3, weight=3, scale_min=0, scale_max=10, category="theme:3"),
        CriterionSpec(id=4, weight=1, scale_min=0, scale_max=4, category="challenge:7"),
    ]
    scores = [
        (1, 1, 1, 8),  # total 80
        (1, 1, 2, 5),  # theme:3 by judge 1: (1·100 + 3·20) / 4 = 40
        (1, 1, 3, 2),
        (2, 1, 1, 6),  # total 60
        (2, 1, 2, 1),  # theme:3 by judge 2: 0, criterion 3 not scored
        (2, 1, 4, 3),  # challenge:7: 75
        (1, 2, 1, 4),  # total 40, no category
        (2, 3, 2, 3),  # theme:3 only: 50, no total
    ]

    results = results_compute(criteria=criteria, scores=scores, resamples=0)

    first, second = results.submissions
    assert (first.submission_id, first.raw) == (1, pytest.approx(70))
    assert first.categories == {"theme:3": pytest.approx(20), "challenge:7": pytest.approx(75)}
    assert (second.submission_id, second.raw, second.categories) == (2, pytest.approx(40), {})
    assert results.unranked == (UnrankedSubmission(3, {"theme:3": pytest.approx(50)}),)
    assert [judge.sheets for judge in results.judges] == [2, 1]  # judge 2's sheet on 3 has no total


@pytest.mark.parametrize("scores", [[], np.empty((0, 4), dtype=np.int64)])
def test_no_scores_give_empty_results(scores):
    assert results_compute(criteria=[POINTS], scores=scores) == Results((), (), (), resamples=0)
    assert results_compute(criteria=[], scores=scores) == Results((), (), (), resamples=0)


def test_a_numpy_array_and_a_list_of_tuples_give_the_same_results():
    rows = _totals({(1, 1): 85, (1, 2): 55, (2, 2): 45, (2, 3): 15, (3, 1): 60, (3, 3): 20})

    from_list = results_compute(criteria=[POINTS], scores=rows, resamples=200)
    from_array = results_compute(criteria=[POINTS], scores=np.array(rows), resamples=200)

    assert from_array == from_list


def test_judge_calibration_by_hand():
    sheets = {}
    for judge, totals in {1: [80, 60, 40, 20], 2: [70, 50, 50, 30], 3: [90, 70, 30, 10]}.items():
        sheets |= {(judge, submission): t for submission, t in enumerate(totals, start=1)}
    sheets |= {(4, 5): 90}  # shares no submission
    sheets |= {(5, 6): 50, (5, 7): 50, (5, 8): 50}  # no spread
    sheets |= {(6, 6): 40, (6, 7): 60, (6, 8): 80}  # the others (judge 5 alone): no spread
    sheets |= {(7, 9): 10, (7, 10): 20, (8, 9): 30, (8, 10): 50}  # two shared only

    results = _compute(sheets, resamples=0)

    # Judge 1 against the mean of judges 2 and 3: (80, 60, 40, 20), its own totals: 1.
    # Judge 2 (deviations 20, 0, 0, -20) against (85, 65, 35, 15) (35, 15, -15, -35):
    # 1400 / sqrt(800 · 2900). Judge 3 (40, 20, -20, -40) against (75, 55, 45, 25)
    # (25, 5, -5, -25): 2200 / sqrt(4000 · 1300).
    assert results.judges == (
        JudgeCalibration(1, 4, 50.0, pytest.approx(math.sqrt(500)), pytest.approx(1.0)),
        JudgeCalibration(
            2, 4, 50.0, pytest.approx(math.sqrt(200)), pytest.approx(1400 / math.sqrt(2_320_000))
        ),
        JudgeCalibration(
            3, 4, 50.0, pytest.approx(math.sqrt(1000)), pytest.approx(2200 / math.sqrt(5_200_000))
        ),
        JudgeCalibration(4, 1, 90.0, 0.0, None),
        JudgeCalibration(5, 3, 50.0, 0.0, None),
        JudgeCalibration(6, 3, 60.0, pytest.approx(math.sqrt(800 / 3)), None),
        JudgeCalibration(7, 2, 15.0, 5.0, None),
        JudgeCalibration(8, 2, 40.0, 10.0, None),
    )


# --- Rank intervals ----------------------------------------------------------------------


def _near_tie():
    """1 is clearly first and 4 clearly last; judges 1 and 2 put 2 above 3, judges 3
    and 4 the other way round, so which camp is drawn more decides."""
    sheets = {}
    for judge, (second, third) in {1: (60, 55), 2: (60, 55), 3: (56, 59), 4: (56, 59)}.items():
        sheets |= {(judge, 1): 95, (judge, 2): second, (judge, 3): third, (judge, 4): 10}
    return sheets


def _typical_panel():
    """30 submissions, each scored by 3 of 5 judges of differing leniency, with noise."""
    rng = random.Random(3)
    quality = {s: rng.uniform(30, 80) for s in range(1, 31)}
    leniency = {judge: rng.uniform(-15, 15) for judge in range(1, 6)}
    return {
        (judge, s): round(min(100, max(0, q + leniency[judge] + rng.gauss(0, 8))))
        for s, q in quality.items()
        for judge in rng.sample(sorted(leniency), 3)
    }


def test_same_seed_gives_the_same_intervals():
    # Few resamples, so that the intervals depend on the draws.
    first = _compute(_typical_panel(), resamples=20, seed=7)

    assert _compute(_typical_panel(), resamples=20, seed=7) == first
    assert _compute(_typical_panel(), resamples=20, seed=8) != first
    assert first.resamples == 20


def test_identical_judges_give_intervals_of_the_point_rank():
    totals = {1: 90, 2: 70, 3: 50, 4: 30, 5: 70}
    sheets = {(judge, s): t for judge in (1, 2, 3) for s, t in totals.items()}

    results = _compute(sheets)

    intervals = [(s.submission_id, s.rank, s.rank_low, s.rank_high) for s in results.submissions]
    assert intervals == [(1, 1, 1, 1), (2, 2, 2, 2), (5, 2, 2, 2), (3, 4, 4, 4), (4, 5, 5, 5)]


def test_intervals_contain_the_rank_on_a_typical_panel():
    results = _compute(_typical_panel())

    assert [s.rank for s in results.submissions] == list(range(1, 31))
    assert all(s.rank_low <= s.rank <= s.rank_high for s in results.submissions)
    assert any(s.rank_low < s.rank_high for s in results.submissions)


def test_too_close_to_call_on_a_near_tie_and_not_across_a_clear_gap():
    listed = _compute(_near_tie()).submissions

    # Point: 2 (raw 58) above 3 (raw 57). 3 goes above 2 when judges 3 and 4 are drawn
    # three or four times out of four (5/16 of the resamples).
    summary = [(s.submission_id, s.rank, s.rank_low, s.rank_high, s.too_close) for s in listed]
    assert summary == [
        (1, 1, 1, 1, False),
        (2, 2, 2, 3, True),
        (3, 3, 2, 3, True),
        (4, 4, 4, 4, False),
    ]


def test_a_submission_whose_judges_were_not_drawn_is_left_out_of_that_resample():
    # Judge 1's only sheet is centred on mu = 52.5; judge 2's z-scores put 2 and 3
    # above it and 4 below: ranks 2, 3, 1, 4.
    results = _compute({(1, 1): 50, (2, 2): 100, (2, 3): 60, (2, 4): 0})

    # Half the resamples draw both judges: the point ranks. A quarter draw judge 2
    # twice: 1 has no rank there (not the last, 4) and 4 is third of three. A quarter
    # draw judge 1 twice: 1 is first of one, and 2, 3 and 4 have no rank.
    intervals = {s.submission_id: (s.rank, s.rank_low, s.rank_high) for s in results.submissions}
    assert intervals == {2: (1, 1, 1), 3: (2, 2, 2), 1: (3, 1, 3), 4: (4, 3, 4)}


def test_reversed_rows_give_the_same_floats():
    criteria = [
        CriterionSpec(id=1, weight=0.1, scale_min=0, scale_max=3),
        CriterionSpec(id=2, weight=0.2, scale_min=0, scale_max=7),
        CriterionSpec(id=3, weight=0.7, scale_min=0, scale_max=9),
    ]
    # Added in this order, or the reverse, these weighted points round differently.
    rows = [(1, 1, 1, 1), (1, 1, 2, 1), (1, 1, 3, 5), (1, 2, 1, 3), (1, 2, 2, 0), (1, 2, 3, 2)]

    forward = results_compute(criteria=criteria, scores=rows)

    assert results_compute(criteria=criteria, scores=rows[::-1]) == forward


def test_a_submission_no_resample_scored_gets_the_widest_interval():
    totals = np.array([[80.0, 60.0, np.nan], [70.0, 50.0, np.nan]])

    low, high = rank_intervals(totals=totals, normalised=totals, resamples=100)

    assert (low.tolist(), high.tolist()) == ([1, 2, 1], [1, 2, 3])


def test_no_resamples_leave_intervals_unknown():
    results = _compute(_near_tie(), resamples=0)

    assert results.resamples == 0
    assert {(s.rank_low, s.rank_high, s.too_close) for s in results.submissions} == {
        (None, None, None)
    }


@pytest.mark.parametrize(
    ("criteria", "scores", "message"),
    [
        ([POINTS], [(1, 1, 2, 5)], "unknown criteria: \\[2\\]"),
        ([POINTS], [(1, 1, 1, 5), (1, 1, 1, 6)], "twice"),
        ([POINTS, POINTS], [], "unique"),
        ([CriterionSpec(1, 0, 0, 10)], [], "weight > 0"),
        ([CriterionSpec(1, 1, 5, 5)], [], "max > min"),
        ([POINTS], [(1, 1, 1)], "rows of"),
    ],
)
def test_inconsistent_input_is_refused(criteria, scores, message):
    with pytest.raises(ValueError, match=message):
        results_compute(criteria=criteria, scores=scores)


def test_negative_resamples_are_refused():
    with pytest.raises(ValueError, match="resamples"):
        results_compute(criteria=[POINTS], scores=[], resamples=-1)


# --- Properties --------------------------------------------------------------------------


@st.composite
def panels(draw):
    """A rubric of 1-4 criteria (some scoped) and some of their scores by up to 5 judges
    on up to 8 submissions."""
    criteria = [
        CriterionSpec(
            id=criterion_id,
            weight=draw(st.floats(0.1, 10)),
            scale_min=(low := draw(st.integers(-2, 2))),
            scale_max=low + draw(st.integers(1, 10)),
            category=draw(st.sampled_from([None, None, "theme:1", "challenge:2"])),
        )
        for criterion_id in range(1, draw(st.integers(1, 4)) + 1)
    ]
    cells = st.tuples(st.integers(1, 5), st.integers(1, 8), st.sampled_from(criteria))
    chosen = draw(st.lists(cells, max_size=60, unique_by=lambda c: (c[0], c[1], c[2].id)))
    scores = [
        (judge, submission, c.id, draw(st.integers(c.scale_min, c.scale_max)))
        for judge, submission, c in chosen
    ]
    return criteria, scores


def _floats(results):
    for s in results.submissions:
        yield s.normalised
        yield s.raw
        yield from s.categories.values()
    for s in results.unranked:
        yield from s.categories.values()
    for judge in results.judges:
        yield judge.mean_total
        yield judge.spread
        if judge.agreement is not None:
            yield judge.agreement


@settings(max_examples=80, deadline=None)
@given(panels())
def test_results_are_a_valid_ranking_in_points_without_nan(panel):
    criteria, scores = panel

    results = results_compute(criteria=criteria, scores=scores, resamples=40)

    ranks = [s.rank for s in results.submissions]
    # Competition ranking: each rank is the place or the rank of the one above (shared).
    assert all(rank == i + 1 or (i and rank == ranks[i - 1]) for i, rank in enumerate(ranks))
    listed = [s.normalised for s in results.submissions]
    assert all(later <= earlier + 1e-6 for earlier, later in itertools.pairwise(listed))
    assert all(math.isfinite(value) for value in _floats(results))
    assert all(0 <= s.normalised <= 100 and 0 <= s.raw <= 100 for s in results.submissions)
    assert all(1 <= s.rank_low <= s.rank_high <= len(ranks) for s in results.submissions)


@settings(max_examples=40, deadline=None)
@given(panels(), st.randoms(use_true_random=False))
def test_the_order_of_the_rows_changes_nothing(panel, rng):
    criteria, scores = panel
    shuffled = list(scores)
    rng.shuffle(shuffled)

    before = results_compute(criteria=criteria, scores=scores, resamples=40)
    after = results_compute(criteria=list(reversed(criteria)), scores=shuffled, resamples=40)

    assert after == before


def test_sheets_from_their_totals_are_the_sheets_from_every_score():
    """The results read each sheet's total as stored (computed by sheets_compute) and the
    scoped criteria's scores: the same matrices, to the bit. Entry 11 has one judge's
    total from Story alone, and another's scoped score without a total."""
    criteria = [
        CriterionSpec(1, 3.0, 0, 10),
        CriterionSpec(2, 1.0, 1, 5),
        CriterionSpec(3, 1.0, 1, 5, "theme:1"),
    ]
    scores = [(1, 10, 1, 7), (1, 10, 2, 2), (1, 10, 3, 5), (2, 10, 1, 3), (2, 11, 3, 4),
              (1, 11, 2, 5), (3, 12, 1, 9)]  # fmt: skip
    whole = sheets_compute(criteria=criteria, scores=scores)
    judges, entries = np.nonzero(~np.isnan(whole.totals))
    totals = [
        (whole.judge_ids[j], whole.submission_ids[s], whole.totals[j, s])
        for j, s in zip(judges, entries, strict=True)
    ]

    rebuilt = sheets_from_totals(
        criteria=criteria, totals=totals, scoped_scores=[row for row in scores if row[2] == 3]
    )

    assert len(totals) == 4
    for matrix in ("judge_ids", "submission_ids", "totals", "normalised"):
        np.testing.assert_array_equal(getattr(rebuilt, matrix), getattr(whole, matrix))
    np.testing.assert_array_equal(rebuilt.categories["theme:1"], whole.categories["theme:1"])
