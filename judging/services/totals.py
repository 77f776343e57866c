"""Each score sheet's total (judging.results rule 1), kept on the sheet so results read a
row per sheet, not per score. Computed only here, by judging.results itself, whenever
what it depends on changes: the sheet's scores (judging.services.scoring) or an overall
criterion's weight or scope (judging.services.preparation)."""

import numpy as np

from common.locking import hold_race_window
from judging.models import Score, ScoreSheet
from judging.results import sheets_compute
from judging.selectors import criterion_specs


def sheet_totals_refresh(*, event_id: int, sheet: ScoreSheet | None = None) -> None:
    """Recompute the totals of the event's sheets, or of `sheet` alone, from their scores.
    Four queries; only totals that changed are written."""
    scores = Score.objects.filter(sheet__judge__event_id=event_id)
    sheets = ScoreSheet.objects.filter(judge__event_id=event_id).only(
        "judge_id", "submission_id", "total"
    )
    if sheet is not None:
        scores, sheets = scores.filter(sheet=sheet), [sheet]
    rows = scores.values_list("sheet__judge_id", "sheet__submission_id", "criterion_id", "value")
    computed = sheets_compute(criteria=criterion_specs(event_id), scores=list(rows))
    judges, entries = np.nonzero(~np.isnan(computed.totals))
    total_of = {
        (int(computed.judge_ids[j]), int(computed.submission_ids[s])): float(computed.totals[j, s])
        for j, s in zip(judges, entries, strict=True)
    }
    hold_race_window()  # test-only: the rubric is read, the totals not yet written
    changed = []
    for stored in sheets:
        total = total_of.get((stored.judge_id, stored.submission_id))
        if stored.total != total:
            stored.total = total
            changed.append(stored)
    ScoreSheet.objects.bulk_update(changed, ["total"], batch_size=1000)
