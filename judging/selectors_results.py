"""Reads of the results for organisers: the results page and the CSV exports, each in a
fixed number of queries whatever the numbers of entries and judges."""

from collections.abc import Iterator
from dataclasses import dataclass

from judging.models import Criterion, Judge, Score
from judging.results import RESAMPLES, JudgeCalibration, Results, SubmissionResult
from judging.selectors import category_of, counted_pairs, event_results
from submissions.models import Submission


@dataclass(frozen=True)
class Entry:
    title: str
    team: str


@dataclass(frozen=True)
class RankedEntry:
    entry: Entry
    result: SubmissionResult
    categories: list[float | None]  # in the order of ResultsView.categories


@dataclass(frozen=True)
class Category:
    key: str  # as judging.results names it: "theme:3", "challenge:7"
    name: str  # "Theme: Transport"
    scores: list[tuple[Entry, float]]  # highest first


@dataclass(frozen=True)
class JudgeRow:
    name: str
    calibration: JudgeCalibration


@dataclass(frozen=True)
class ResultsView:
    results: Results
    ranked: list[RankedEntry]
    categories: list[Category]
    scoped_only: list[Entry]  # scored on category criteria only: no total to rank by
    absent: list[Entry]  # absent for their whole panel: not ranked
    judges: list[JudgeRow]


def results_view(event, *, resamples: int = RESAMPLES) -> ResultsView:
    """The event's results with names: entries by title and team, judges by name,
    categories by their theme's or challenge's name: three queries more than
    `event_results`."""
    results = event_results(event, resamples=resamples)
    entries = _entries(event)
    categories = _category_names(event)
    judges = {
        judge.pk: str(judge) for judge in Judge.objects.filter(event=event).select_related("user")
    }

    scores_of: dict[str, list[tuple[Entry, float]]] = {key: [] for key in categories}
    for item in (*results.submissions, *results.unranked):
        for key, score in item.categories.items():
            scores_of.setdefault(key, []).append((entries[item.submission_id], score))
    return ResultsView(
        results=results,
        ranked=[
            RankedEntry(
                entry=entries[result.submission_id],
                result=result,
                categories=[result.categories.get(key) for key in categories],
            )
            for result in results.submissions
        ],
        categories=[
            Category(key, categories.get(key, key), sorted(scores, key=lambda s: -s[1]))
            for key, scores in scores_of.items()
            if scores
        ],
        scoped_only=[entries[item.submission_id] for item in results.unranked],
        absent=[entries[pk] for pk in results.absent],
        judges=[JudgeRow(judges[row.judge_id], row) for row in results.judges],
    )


def _entries(event) -> dict[int, Entry]:
    return {
        pk: Entry(title, team)
        for pk, title, team in Submission.objects.filter(event=event).values_list(
            "pk", "title", "team__name"
        )
    }


def _category_names(event) -> dict[str, str]:
    """Each category key of the rubric → "Theme: …" or "Challenge: …", in rubric order."""
    names = {}
    scoped = Criterion.objects.filter(event=event).exclude(theme=None, challenge=None)
    for criterion in scoped.select_related("theme", "challenge"):
        kind = "Challenge" if criterion.challenge_id else "Theme"
        names.setdefault(category_of(criterion), f"{kind}: {criterion.scope}")
    return names


SCORE_HEADINGS = (
    "Judge", "Entry", "Team", "Criterion", "Score", "Scale", "Counted",
    "Note to organisers", "Feedback for the team",
)  # fmt: skip


def score_rows(event) -> Iterator[tuple]:
    """Every score of the event's judges, one row each, with its sheet's notes and
    whether it counts in the results (`counted_pairs`). At most seven queries, then
    the scores read in chunks."""
    counted = counted_pairs(event)
    scores = (
        Score.objects.filter(sheet__judge__event=event)
        .select_related("sheet__judge__user", "sheet__submission__team", "criterion")
        .order_by("sheet__submission__title", "sheet__submission_id", "sheet__judge_id",
                  "criterion__order", "criterion_id")
    )  # fmt: skip
    for score in scores.iterator(chunk_size=2000):
        sheet, criterion = score.sheet, score.criterion
        entry = sheet.submission
        yield (
            str(sheet.judge), entry.title, entry.team.name,
            criterion.name, score.value, f"{criterion.scale_min} to {criterion.scale_max}",
            (sheet.judge_id, entry.pk) in counted,
            sheet.note_to_organisers, sheet.feedback_for_team,
        )  # fmt: skip


def result_headings(view: ResultsView) -> list[str]:
    return [
        "Rank", "Entry", "Team", "Normalised score", "Raw score", "Rank interval from",
        "Rank interval to", "Too close to call", "Judges",
        *(category.name for category in view.categories), "Not ranked because",
    ]  # fmt: skip


def result_rows(view: ResultsView) -> Iterator[list]:
    """The results CSV's rows: the ranking, then the entries not ranked."""
    keys = [category.key for category in view.categories]
    for row in view.ranked:
        result = row.result
        yield [
            result.rank, row.entry.title, row.entry.team, round(result.normalised, 2),
            round(result.raw, 2), result.rank_low, result.rank_high, result.too_close,
            result.sheets,
            *(_two_places(result.categories.get(key)) for key in keys), "",
        ]  # fmt: skip
    blank = [""] * (6 + len(keys))
    unranked = view.results.unranked
    for entry, item in zip(view.scoped_only, unranked, strict=True):
        yield ["", entry.title, entry.team, *blank[:6],
               *(_two_places(item.categories.get(key)) for key in keys),
               "Scored on category criteria only"]  # fmt: skip
    for entry in view.absent:
        yield ["", entry.title, entry.team, *blank, "Absent for the whole panel"]


def _two_places(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
