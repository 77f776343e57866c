"""Judging results: rank submissions from judges' scores, and say how sure the ranking is.

Pure numpy (no Django), so results can be computed, stored and checked anywhere. The
Django side turns the rubric into `CriterionSpec`s and gives the scores as rows
`(judge_id, submission_id, criterion_id, value)`. A judge's scores for one submission
form a score sheet. `results_compute` ranks from every score; the Django side keeps each
sheet's total (rule 1, by `sheets_compute`) on the sheet as its scores are saved, and ranks
from those totals and the scoped criteria's scores (`sheets_from_totals`, then
`results_of_sheets`), which reads a sixth of the rows for a rubric of six criteria.

Rules
-----
1. Sheet total: each overall criterion's value as a fraction of its scale,
   (v - min) / (max - min), averaged with the criteria's weights, times 100. Points
   0 to 100 whatever the scales, so a 1-5 criterion and a 0-10 one count as their weights
   say, not as their ranges. A criterion the sheet did not score is left out and the
   weights of the rest renormalised, so a missing score counts as neither zero nor
   average; a sheet with no overall criterion scored has no total, and plays no part in
   rules 2, 3, 4, 5 and 7. A scoped criterion (category "theme:3", "challenge:7") is
   kept out of the total, so that the totals of entries to different themes and
   challenges stay comparable; it is reported under rule 6.
2. Raw score: the mean of the submission's sheet totals.
3. Normalised score, the ranking's: judges differ in leniency and in how widely they
   spread their marks, and each sees only some submissions, so raw scores favour
   whoever drew lenient judges. Each judge's totals become z-scores (with the population
   standard deviation of all their totals), rescaled with the mean mu and standard
   deviation sigma of all sheet totals (mu + sigma * z) and clipped to 0 to 100, so
   they read as points; a submission's score is the mean over its judges. A judge with
   one sheet, or whose totals have no spread, gives no scale to divide by: their totals
   are only centred (total - their mean + mu). When all totals are equal (sigma 0),
   normalised = raw.
4. Ranking: by normalised score, then raw score, highest first. Scores within 1e-9 of
   the next are equal, so float rounding never decides a place. Raw breaks ties as it
   is what the judges wrote (two judges' only sheets are both centred on mu; the higher
   total goes first). Submissions still equal share a rank, and the next rank skips as
   many places (1, 2, 2, 4); among them, the lower submission id is listed first.
5. Rank intervals: which judges saw what is the main source of noise, so the judges
   are resampled with replacement, `resamples` times, from
   `numpy.random.default_rng(seed)` (same input and seed, same intervals). In a
   resample, a submission's score is the mean of its drawn judges' normalised totals
   (rule 3's), a judge drawn k times counting k times, with the resampled raw score
   breaking ties as in rule 4. A submission none of whose judges was drawn has no score
   there and is left out of that resample's ranking, the others being ranked among
   those scored: ranking it last would push it down for a draw that says nothing about
   it. Its interval is the 2.5th and 97.5th percentiles of the ranks it got (by the
   inverted distribution function, so both ends are ranks it got); one scored in no
   resample gets the widest interval, 1 to the number ranked. A submission is too
   close to call when its interval overlaps that of the submission listed just above
   or just below it.
6. Category scores: per category key and submission, the mean over its judges of the
   weighted mean (points, as in rule 1) of that category's criteria they scored. Raw:
   a judge scores a category on a few entries only, too few to estimate their scale.
7. Judge calibration, for organisers: per judge with a total, the number of sheets, the
   mean total, the spread (population standard deviation) and the agreement: the
   Pearson correlation of their totals with the mean of the other judges' totals on
   the same submissions, over the submissions they share with another judge. None with
   fewer than three shared (two points always correlate ±1), or when either side has
   no spread (the correlation is undefined).

Submissions with scores but no total are listed apart as unranked, with their category
scores. Everything is computed on judge-by-submission matrices; the rows are first
sorted, so their order in the input changes nothing, not even float rounding.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

RESAMPLES = 1000
BOOTSTRAP_SEED = 0
TIE = 1e-9  # points: closer scores are equal (rule 4)
NO_SPREAD = 1e-9  # points: a smaller standard deviation is rounding, not spread
_MISSING = -1.0  # below every score (0 to 100): sorts last, and its rank is dropped


@dataclass(frozen=True)
class CriterionSpec:
    id: int
    weight: float  # > 0
    scale_min: int
    scale_max: int  # > scale_min
    category: str | None = None  # None: overall; else a key such as "theme:3"


@dataclass(frozen=True, eq=False)  # arrays have no single truth value to compare by
class Sheets:
    """Score sheets as judge-by-submission matrices, NaN where there is no such sheet."""

    judge_ids: np.ndarray  # rows, ascending
    submission_ids: np.ndarray  # columns, ascending
    totals: np.ndarray  # rule 1
    normalised: np.ndarray  # rule 3
    categories: dict[str, np.ndarray]  # rule 6, per category key


@dataclass(frozen=True)
class SubmissionResult:
    submission_id: int
    rank: int
    normalised: float
    raw: float
    sheets: int  # sheets with a total, one per judge
    rank_low: int | None  # None when no resample was drawn
    rank_high: int | None
    too_close: bool | None
    categories: dict[str, float]


@dataclass(frozen=True)
class UnrankedSubmission:
    """Scored on scoped criteria only: no total to rank it by."""

    submission_id: int
    categories: dict[str, float]


@dataclass(frozen=True)
class JudgeCalibration:
    judge_id: int
    sheets: int
    mean_total: float
    spread: float
    agreement: float | None


@dataclass(frozen=True)
class Results:
    submissions: tuple[SubmissionResult, ...]  # in rank order
    unranked: tuple[UnrankedSubmission, ...]
    judges: tuple[JudgeCalibration, ...]  # by judge id
    resamples: int  # drawn: 0 when skipped or when nothing was ranked
    # Submissions that presented but every judge assigned marked absent: not ranked.
    # Scores cannot tell, so the Django side fills it in (judging.selectors).
    absent: tuple[int, ...] = ()


def results_compute(
    *,
    criteria: Sequence[CriterionSpec],
    scores: np.ndarray | Sequence[tuple[int, int, int, int]],
    resamples: int = RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> Results:
    """The ranking with its intervals, category scores and judges' calibration.

    `resamples=0` skips the bootstrap: intervals and flags are then None.
    """
    return results_of_sheets(
        sheets_compute(criteria=criteria, scores=scores), resamples=resamples, seed=seed
    )


def results_of_sheets(
    sheets: Sheets, *, resamples: int = RESAMPLES, seed: int = BOOTSTRAP_SEED
) -> Results:
    """`results_compute` from sheets already totalled (rules 2 to 7)."""
    if resamples < 0:
        raise ValueError(f"resamples must be 0 or more, not {resamples}")
    scored = ~np.isnan(sheets.totals)
    judging, ranked = scored.any(axis=1), scored.any(axis=0)
    totals = sheets.totals[np.ix_(judging, ranked)]
    normalised = sheets.normalised[np.ix_(judging, ranked)]

    present = ~np.isnan(totals)
    count = present.sum(axis=0)
    raw = np.where(present, totals, 0).sum(axis=0) / count
    norm = np.where(present, normalised, 0).sum(axis=0) / count
    ranks = _competition_ranks(norm[None], raw[None])[0]
    order = np.argsort(ranks, kind="stable")  # shared ranks by id, as columns ascend

    drawn = resamples if count.size else 0
    low = high = close = None
    if drawn:
        low, high = rank_intervals(totals=totals, normalised=normalised, resamples=drawn, seed=seed)
        close = _too_close(low[order], high[order])

    categories = _category_scores(sheets)
    ranked_ids = sheets.submission_ids[ranked]
    submissions = tuple(
        SubmissionResult(
            submission_id=int(ranked_ids[s]),
            rank=int(ranks[s]),
            normalised=float(norm[s]),
            raw=float(raw[s]),
            sheets=int(count[s]),
            rank_low=None if low is None else int(low[s]),
            rank_high=None if high is None else int(high[s]),
            too_close=None if close is None else bool(close[position]),
            categories=categories.get(int(ranked_ids[s]), {}),
        )
        for position, s in enumerate(order)
    )
    unranked = tuple(
        UnrankedSubmission(submission_id=int(sid), categories=categories.get(int(sid), {}))
        for sid in sheets.submission_ids[~ranked]
    )
    judges = _calibration(sheets.judge_ids[judging], totals)
    return Results(submissions, unranked, judges, resamples=drawn)


def sheets_compute(
    *,
    criteria: Sequence[CriterionSpec],
    scores: np.ndarray | Sequence[tuple[int, int, int, int]],
) -> Sheets:
    """Each sheet's total, normalised total and category scores (rules 1, 3 and 6)."""
    rubric = _rubric(criteria)
    rows = _score_rows(scores)
    judge_ids, submission_ids = np.unique(rows[:, 0]), np.unique(rows[:, 1])
    points = _points(rubric, rows, judge_ids, submission_ids)
    return _sheets(judge_ids, submission_ids, points[0], points[1:], rubric.keys)


def sheets_from_totals(
    *,
    criteria: Sequence[CriterionSpec],
    totals: np.ndarray | Sequence[tuple[int, int, float]],
    scoped_scores: np.ndarray | Sequence[tuple[int, int, int, int]],
) -> Sheets:
    """`sheets_compute`'s sheets from each sheet's total as it computed it, as rows
    `(judge_id, submission_id, total)` (a sheet without a total left out), and the scores
    of the scoped criteria (rows as `sheets_compute` takes them; other criteria's rows
    change nothing). The same sheets, to the last bit: each total is the same sum."""
    rubric = _rubric(criteria)
    rows = _score_rows(scoped_scores)
    totals = np.asarray(totals, dtype=float).reshape(-1, 3)
    judge_ids = np.union1d(totals[:, 0].astype(np.int64), rows[:, 0])
    submission_ids = np.union1d(totals[:, 1].astype(np.int64), rows[:, 1])
    points = _points(rubric, rows, judge_ids, submission_ids)
    overall = np.full(points.shape[1:], np.nan)
    judge = np.searchsorted(judge_ids, totals[:, 0].astype(np.int64))
    submission = np.searchsorted(submission_ids, totals[:, 1].astype(np.int64))
    overall[judge, submission] = totals[:, 2]
    return _sheets(judge_ids, submission_ids, overall, points[1:], rubric.keys)


def rank_intervals(
    *,
    totals: np.ndarray,
    normalised: np.ndarray,
    resamples: int = RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
) -> tuple[np.ndarray, np.ndarray]:
    """Each column's 95 % rank interval (low, high) by bootstrap over the rows (rule 5).

    `totals` and `normalised` are judge-by-submission matrices, NaN where a judge has no
    sheet, as in `Sheets`; the ranks are among the columns.
    """
    judges, submissions = totals.shape
    if resamples < 1 or judges < 1:
        raise ValueError("the bootstrap needs at least one resample and one judge")
    present = ~np.isnan(totals)
    rng = np.random.default_rng(seed)
    # How many times each judge is drawn in each resample: resamples by judges.
    draws = rng.multinomial(judges, np.full(judges, 1 / judges), size=resamples).astype(float)
    sheets = _product(draws, present.astype(float))
    scored = sheets > 0
    norm = _mean_of_drawn(draws, np.where(present, normalised, 0), sheets, scored)
    raw = _mean_of_drawn(draws, np.where(present, totals, 0), sheets, scored)

    ranks = np.where(scored, _competition_ranks(norm, raw), submissions + 1)  # unscored last
    # Each submission's ranks in a row, sorted; in the smallest integer type, which a
    # stable sort orders by radix, three times faster.
    ranks = np.sort(ranks.T.astype(np.min_scalar_type(submissions + 1)), axis=1, kind="stable")
    times = scored.sum(axis=0)
    # The inverted distribution function: the ceil(q n)-th smallest rank, in integers.
    low_at = np.maximum((times + 39) // 40 - 1, 0)
    high_at = np.maximum((39 * times + 39) // 40 - 1, 0)
    rows = np.arange(submissions)
    low = np.where(times > 0, ranks[rows, low_at], 1)
    high = np.where(times > 0, ranks[rows, high_at], submissions)
    return low.astype(np.int64), high.astype(np.int64)


# --- Internals ---------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class _Rubric:
    """The criteria as arrays sorted by id, with each one's category index (0: overall,
    k: keys[k - 1])."""

    ids: np.ndarray
    weights: np.ndarray
    lows: np.ndarray
    spans: np.ndarray
    category: np.ndarray
    keys: list[str]


def _rubric(criteria: Sequence[CriterionSpec]) -> _Rubric:
    by_id = sorted(criteria, key=lambda criterion: criterion.id)
    ids = np.array([criterion.id for criterion in by_id], dtype=np.int64)
    if np.any(np.diff(ids) == 0):
        raise ValueError("criterion ids must be unique")
    for criterion in by_id:
        if not criterion.weight > 0 or criterion.scale_max <= criterion.scale_min:
            raise ValueError(f"criterion {criterion.id} needs weight > 0 and max > min")
    keys = sorted({c.category for c in by_id if c.category is not None})
    index = {category: k for k, category in enumerate(keys, start=1)}
    return _Rubric(
        ids=ids,
        weights=np.array([c.weight for c in by_id], dtype=float),
        lows=np.array([c.scale_min for c in by_id], dtype=float),
        spans=np.array([c.scale_max - c.scale_min for c in by_id], dtype=float),
        category=np.array([index.get(c.category, 0) for c in by_id], dtype=np.int64),
        keys=keys,
    )


def _score_rows(scores: np.ndarray | Sequence[tuple[int, int, int, int]]) -> np.ndarray:
    rows = np.asarray(scores, dtype=np.int64)
    if rows.size == 0:
        rows = rows.reshape(0, 4)
    if rows.ndim != 2 or rows.shape[1] != 4:
        raise ValueError("scores must be rows of (judge_id, submission_id, criterion_id, value)")
    return rows


def _points(
    rubric: _Rubric, rows: np.ndarray, judge_ids: np.ndarray, submission_ids: np.ndarray
) -> np.ndarray:
    """Rules 1 and 6: per category index (0: overall), judge and submission, the sheet's
    points; NaN where it scored none of that category's criteria. `rows` name only
    judges and submissions among the ids given (sorted, unique)."""
    judge = np.searchsorted(judge_ids, rows[:, 0])
    submission = np.searchsorted(submission_ids, rows[:, 1])
    criterion = np.searchsorted(rubric.ids, rows[:, 2])
    known = criterion < rubric.ids.size
    known[known] = rubric.ids[criterion[known]] == rows[known, 2]
    if not known.all():
        raise ValueError(f"scores name unknown criteria: {sorted(set(rows[~known, 2].tolist()))}")

    judges, submissions, count = judge_ids.size, submission_ids.size, rubric.ids.size
    cell = (rubric.category[criterion] * judges + judge) * submissions + submission
    key = cell * count + criterion
    # Sorted rows make the sums below add up in one order whatever the input's.
    order = np.argsort(key)
    if np.any(np.diff(key[order]) == 0):
        raise ValueError("a judge scored the same criterion of a submission twice")
    cell, criterion, value = cell[order], criterion[order], rows[order, 3]

    weight = rubric.weights[criterion]
    # Points before weights: one rounding, so 85 on a 0-100 scale stays exactly 85.
    value_points = (value - rubric.lows[criterion]) * 100 / rubric.spans[criterion]
    shape = (len(rubric.keys) + 1, judges, submissions)
    size = shape[0] * judges * submissions
    weighted = np.bincount(cell, weights=weight * value_points, minlength=size).reshape(shape)
    weight_sum = np.bincount(cell, weights=weight, minlength=size).reshape(shape)
    points = np.divide(weighted, weight_sum, out=np.full(shape, np.nan), where=weight_sum > 0)
    # A weighted mean of points within 0 to 100 is too, but for float rounding (100.00…01).
    return np.clip(points, 0, 100)


def _sheets(
    judge_ids: np.ndarray,
    submission_ids: np.ndarray,
    totals: np.ndarray,
    categories: np.ndarray,
    keys: list[str],
) -> Sheets:
    return Sheets(
        judge_ids=judge_ids,
        submission_ids=submission_ids,
        totals=totals,
        normalised=_normalise(totals, ~np.isnan(totals)),
        categories=dict(zip(keys, categories, strict=True)),
    )


def _normalise(totals: np.ndarray, present: np.ndarray) -> np.ndarray:
    """Rule 3 on a judge-by-submission matrix of totals."""
    if not present.any():
        return totals.copy()
    values = totals[present]
    mu, sigma = values.mean(), values.std()
    if sigma <= NO_SPREAD:
        return totals.copy()
    sheets = present.sum(axis=1)
    mean = np.where(present, totals, 0).sum(axis=1) / np.maximum(sheets, 1)
    deviation = np.where(present, totals - mean[:, None], 0)
    spread = np.sqrt((deviation**2).sum(axis=1) / np.maximum(sheets, 1))
    scaled = spread > NO_SPREAD  # one sheet: deviation 0, so spread exactly 0
    z = deviation / np.where(scaled, spread, 1)[:, None]
    normalised = np.where(scaled[:, None], mu + sigma * z, deviation + mu)
    return np.where(present, np.clip(normalised, 0, 100), np.nan)


def _mean_of_drawn(
    draws: np.ndarray, values: np.ndarray, sheets: np.ndarray, scored: np.ndarray
) -> np.ndarray:
    """Per resample and submission, the mean of the drawn judges' values."""
    sums = _product(draws, values)
    return np.divide(sums, sheets, out=np.full(sheets.shape, _MISSING), where=scored)


def _product(draws: np.ndarray, matrix: np.ndarray) -> np.ndarray:
    """(resamples by judges) times (judges by submissions).

    numpy's own loop, not `@`: on busy shared cores OpenBLAS's threads made these thin
    products 40 times slower (8 ms against 0.7 ms for 1,000 by 5 by 500).
    """
    return np.einsum("rj,js->rs", draws, matrix)


def _competition_ranks(primary: np.ndarray, secondary: np.ndarray) -> np.ndarray:
    """Per row, each column's rank (rule 4): by primary, highest first, a run of values
    each within TIE of the next making one level; within a level by secondary; values
    still within TIE share a rank (1, 2, 2, 4). Both inputs lie in -1 to 100."""
    rows, columns = primary.shape
    # Flat indices, as np.take on them is four times faster than np.take_along_axis.
    starts_at = (np.arange(rows) * columns)[:, None]
    flat = np.argsort(-primary, axis=1) + starts_at
    level = np.zeros(primary.shape)
    level[:, 1:] = np.cumsum(np.diff(np.take(primary, flat)) < -TIE, axis=1)
    # Levels already ascend, so these keys are nearly sorted, which a stable sort orders
    # in about linear time (a lexsort takes twenty times longer). A step of 128 exceeds
    # the secondary's range; below 32,768 columns the key's rounding stays under TIE, so
    # it may swap only values that share a rank anyway.
    key = level * 128 - np.take(secondary, flat)
    flat = np.take(flat, np.argsort(key, axis=1, kind="stable") + starts_at)
    second = np.take(secondary, flat)  # the levels are as they were: each kept its place

    starts = np.ones(primary.shape, dtype=bool)
    starts[:, 1:] = (np.diff(level) != 0) | (np.diff(second) < -TIE)
    first = np.maximum.accumulate(np.where(starts, np.arange(columns), 0), axis=1)
    ranks = np.empty(primary.shape, dtype=np.int64)
    np.put(ranks, flat, first + 1)
    return ranks


def _too_close(low: np.ndarray, high: np.ndarray) -> np.ndarray:
    """For intervals in rank order: does each overlap its neighbour above or below?"""
    overlaps = (low[1:] <= high[:-1]) & (low[:-1] <= high[1:])  # item i with item i + 1
    close = np.zeros(low.shape, dtype=bool)
    close[1:] |= overlaps
    close[:-1] |= overlaps
    return close


def _category_scores(sheets: Sheets) -> dict[int, dict[str, float]]:
    """Submission id → category key → mean over its judges of their category points."""
    scores: dict[int, dict[str, float]] = {}
    for category, points in sheets.categories.items():
        present = ~np.isnan(points)
        count = present.sum(axis=0)
        total = np.where(present, points, 0).sum(axis=0)
        for s in np.flatnonzero(count):
            scores.setdefault(int(sheets.submission_ids[s]), {})[category] = float(
                total[s] / count[s]
            )
    return scores


def _calibration(judge_ids: np.ndarray, totals: np.ndarray) -> tuple[JudgeCalibration, ...]:
    """Rule 7, for judges each with at least one total."""
    present = ~np.isnan(totals)
    values = np.where(present, totals, 0)
    sheets = present.sum(axis=1)
    mean = values.sum(axis=1) / sheets
    spread = np.sqrt((np.where(present, totals - mean[:, None], 0) ** 2).sum(axis=1) / sheets)

    others = present.sum(axis=0) - present  # other judges' sheets on each submission
    shared = present & (others > 0)
    other_mean = np.divide(
        values.sum(axis=0) - values, others, out=np.zeros(totals.shape), where=shared
    )
    count = shared.sum(axis=1)
    n = np.maximum(count, 1)
    own = np.where(shared, values - (values * shared).sum(axis=1)[:, None] / n[:, None], 0)
    rest = np.where(shared, other_mean - other_mean.sum(axis=1)[:, None] / n[:, None], 0)
    own_sd = np.sqrt((own**2).sum(axis=1) / n)
    rest_sd = np.sqrt((rest**2).sum(axis=1) / n)
    defined = (count >= 3) & (own_sd > NO_SPREAD) & (rest_sd > NO_SPREAD)
    correlation = np.divide(
        (own * rest).sum(axis=1) / n,
        own_sd * rest_sd,
        out=np.zeros(count.shape),
        where=defined,
    )
    correlation = np.clip(correlation, -1, 1)  # rounding can step just past ±1
    return tuple(
        JudgeCalibration(
            judge_id=int(judge_ids[j]),
            sheets=int(sheets[j]),
            mean_total=float(mean[j]),
            spread=float(spread[j]),
            agreement=float(correlation[j]) if defined[j] else None,
        )
        for j in range(judge_ids.size)
    )
