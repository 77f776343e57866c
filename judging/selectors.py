"""Reads of judging for pages and the API."""

from dataclasses import dataclass
from decimal import Decimal
from itertools import chain

import numpy as np

from judging.models import Criterion, Score
from judging.results import BOOTSTRAP_SEED, RESAMPLES, CriterionSpec, Results, results_compute


@dataclass(frozen=True)
class RubricGroup:
    """Criteria reported together: the overall ones (scope None), or one theme's or
    challenge's, each with its share of the group's weight in whole percent."""

    scope: object
    criteria: list[tuple[Criterion, int]]


def rubric_groups(event) -> list[RubricGroup]:
    """The event's criteria, the overall ones first, then each scope's (one query)."""
    criteria = list(Criterion.objects.filter(event=event).select_related("theme", "challenge"))
    scopes: dict[object, list[Criterion]] = {}
    for criterion in criteria:
        scopes.setdefault(criterion.scope, []).append(criterion)
    ordered = sorted(scopes.items(), key=lambda item: item[0] is not None)
    return [RubricGroup(scope, _with_shares(members)) for scope, members in ordered]


def _with_shares(criteria: list[Criterion]) -> list[tuple[Criterion, int]]:
    total = sum((criterion.weight for criterion in criteria), Decimal(0))
    return [(criterion, round(100 * criterion.weight / total)) for criterion in criteria]


def category_of(criterion: Criterion) -> str | None:
    """The category a scoped criterion is reported under ("theme:3", "challenge:7"), or
    None for an overall one."""
    if criterion.challenge_id:
        return f"challenge:{criterion.challenge_id}"
    if criterion.theme_id:
        return f"theme:{criterion.theme_id}"
    return None


def event_results(event, *, resamples: int = RESAMPLES, seed: int = BOOTSTRAP_SEED) -> Results:
    """The event's results from every score its judges gave (judging.results says how):
    two queries, whatever the number of scores."""
    criteria = [
        CriterionSpec(
            id=criterion.pk,
            weight=float(criterion.weight),
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
            category=category_of(criterion),
        )
        for criterion in Criterion.objects.filter(event=event)
    ]
    rows = Score.objects.filter(sheet__judge__event=event).values_list(
        "sheet__judge_id", "sheet__submission_id", "criterion_id", "value"
    )
    # Flattened straight into an array: half the time numpy takes over a list of tuples.
    scores = np.fromiter(chain.from_iterable(rows), dtype=np.int64).reshape(-1, 4)
    return results_compute(criteria=criteria, scores=scores, resamples=resamples, seed=seed)
