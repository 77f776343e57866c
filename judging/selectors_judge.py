"""Reads for a judge's own pages: their queue of entries to score, in presentation
order, and one entry's score sheet."""

from dataclasses import dataclass, field

from judging.models import Assignment, Criterion, Judge, Score, ScoreSheet
from judging.selectors import conflicted_pairs


def criteria_for_entry(criteria, entry) -> list[Criterion]:
    """Of an event's `criteria`, those `entry` is scored on: every overall one, and those
    scoped to its challenge, to its theme or to its challenge's theme."""
    themes = {entry.theme_id, entry.challenge.theme_id if entry.challenge_id else None} - {None}
    return [
        criterion
        for criterion in criteria
        if criterion.scope is None
        or (criterion.challenge_id and criterion.challenge_id == entry.challenge_id)
        or (criterion.theme_id and criterion.theme_id in themes)
    ]


@dataclass(frozen=True)
class QueueEntry:
    assignment: Assignment
    scored: int  # criteria with a score
    criteria: int  # criteria the entry is scored on

    @property
    def entry(self):
        return self.assignment.submission

    @property
    def slot(self):
        return getattr(self.entry, "presentation_slot", None)

    @property
    def complete(self) -> bool:
        return self.scored >= self.criteria

    @property
    def started(self) -> bool:
        return self.scored > 0


@dataclass
class JudgeQueue:
    """A judge's entries: those to score (in presentation order), those they marked
    absent, and those they may not score for a conflict of interest."""

    judge: Judge | None
    to_score: list[QueueEntry] = field(default_factory=list)
    absent: list[QueueEntry] = field(default_factory=list)
    conflicted: list[QueueEntry] = field(default_factory=list)

    @property
    def complete(self) -> int:
        return sum(1 for item in self.to_score if item.complete)

    def find(self, entry_id: int) -> QueueEntry | None:
        return next(
            (item for item in self.to_score if item.entry.pk == entry_id),
            None,
        )

    def after(self, entry_id: int) -> QueueEntry | None:
        """The next entry to score after `entry_id`'s, still incomplete, if any."""
        ids = [item.entry.pk for item in self.to_score]
        following = self.to_score[ids.index(entry_id) + 1 :] if entry_id in ids else []
        return next((item for item in following if not item.complete), None)


def _presentation_order(item: QueueEntry):
    slot = item.slot
    # Entries without a slot yet come last, by title.
    return (slot is None, slot.starts_at if slot else None, item.entry.title, item.entry.pk)


def judge_queue(event, user) -> JudgeQueue:
    """`user`'s queue at `event`: nine queries, whatever the numbers of entries."""
    judge = Judge.objects.filter(event=event, user=user).select_related("room").first()
    if judge is None or not user.is_authenticated:
        return JudgeQueue(judge=None)
    assignments = list(
        Assignment.objects.filter(judge=judge).select_related(
            "submission__team",
            "submission__challenge",
            "submission__presentation_slot__room",
        )
    )
    criteria = list(Criterion.objects.filter(event=event))
    scored: dict[int, int] = {}
    for entry_id in Score.objects.filter(sheet__judge=judge).values_list(
        "sheet__submission_id", flat=True
    ):
        scored[entry_id] = scored.get(entry_id, 0) + 1
    conflicted = conflicted_pairs(event, judge_id=judge.pk)
    queue = JudgeQueue(judge=judge)
    for assignment in assignments:
        entry = assignment.submission
        item = QueueEntry(
            assignment=assignment,
            scored=scored.get(entry.pk, 0),
            criteria=len(criteria_for_entry(criteria, entry)),
        )
        if (judge.pk, entry.pk) in conflicted:
            queue.conflicted.append(item)
        elif assignment.absent_at is not None:
            queue.absent.append(item)
        else:
            queue.to_score.append(item)
    for items in (queue.to_score, queue.absent, queue.conflicted):
        items.sort(key=_presentation_order)
    return queue


@dataclass(frozen=True)
class SheetCriterion:
    criterion: Criterion
    value: int | None  # the judge's score so far
    levels: dict  # score -> what it means

    @property
    def choices(self) -> list[tuple[int, str]] | None:
        """Each score with its descriptor, for a scale short enough to choose from; None
        for a long one (entered as a number)."""
        low, high = self.criterion.scale_min, self.criterion.scale_max
        if high - low > RADIO_LIMIT:
            return None
        return [(score, self.levels.get(score, "")) for score in range(low, high + 1)]


# A scale of more than this many steps is typed as a number rather than chosen.
RADIO_LIMIT = 10


def sheet_criteria(judge: Judge, entry, *, typed: dict | None = None) -> list[SheetCriterion]:
    """The criteria `entry` is scored on, each with `judge`'s score (or what was just
    typed, when a save was refused) and its level descriptors. Two queries."""
    criteria = criteria_for_entry(
        Criterion.objects.filter(event_id=entry.event_id).select_related("challenge"), entry
    )
    values = dict(
        Score.objects.filter(sheet__judge=judge, sheet__submission=entry).values_list(
            "criterion_id", "value"
        )
    )
    typed = typed or {}
    return [
        SheetCriterion(
            criterion=criterion,
            value=typed.get(criterion.pk, values.get(criterion.pk)),
            levels=dict(criterion.levels),
        )
        for criterion in criteria
    ]


def sheet_of(judge: Judge, entry) -> ScoreSheet | None:
    return ScoreSheet.objects.filter(judge=judge, submission=entry).first()
