"""Reads of judging for pages and the API."""

from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import chain

import numpy as np
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from events.enums import RoleKind
from judging.enums import ConflictKind
from judging.models import (
    Assignment,
    Conflict,
    Criterion,
    Judge,
    PresentationSlot,
    Room,
    Score,
    ScoreSheet,
)
from judging.results import (
    BOOTSTRAP_SEED,
    RESAMPLES,
    CriterionSpec,
    JudgeCalibration,
    Results,
    results_of_sheets,
    sheets_from_totals,
)
from submissions.models import Submission, SubmissionAuthor
from teams.models import TeamMembership


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


def criterion_specs(event, *, criteria=None) -> list[CriterionSpec]:
    """The event's criteria as judging.results takes them: one query, none when the
    caller has read them (`criteria`)."""
    return [
        CriterionSpec(
            id=criterion.pk,
            weight=float(criterion.weight),
            scale_min=criterion.scale_min,
            scale_max=criterion.scale_max,
            category=category_of(criterion),
        )
        for criterion in (Criterion.objects.filter(event=event) if criteria is None else criteria)
    ]


def counted_pairs(event, *, submission=None) -> set[tuple[int, int]]:
    """(judge id, submission id) of the event's score sheets that count in its results
    (a sheet is one per pair; only `submission`'s, if given). Once judging is locked,
    those fixed as counting then (ScoreSheet.counts), so nothing done later (a conflict
    recorded or erased, a profile's organisation edited) moves published results: one
    query. While judging is open, or for sheets never fixed, `live_counted_pairs`."""
    if event.judging_locked_at is not None:
        sheets = ScoreSheet.objects.filter(judge__event=event).order_by()
        if submission is not None:
            sheets = sheets.filter(submission=submission)
        frozen = list(sheets.values_list("judge_id", "submission_id", "counts"))
        # Locked other than by judging_lock (the shell, an import): counted as they stand.
        if all(counts is not None for _judge, _entry, counts in frozen):
            return {(judge, entry) for judge, entry, counts in frozen if counts}
    return live_counted_pairs(event, submission=submission)


def live_counted_pairs(event, *, submission=None) -> set[tuple[int, int]]:
    """The pairs whose sheet counts as things stand: the judge is still assigned to the
    entry, has not marked it absent and has no conflict with it (a sheet outlives a
    removed assignment or a conflict found later, and must then drop out). Six queries."""
    assigned = Assignment.objects.filter(judge__event=event, absent_at__isnull=True).order_by()
    if submission is not None:
        assigned = assigned.filter(submission=submission)
    pairs = set(assigned.values_list("judge_id", "submission_id"))
    return pairs - conflicted_pairs(event, submission=submission)


def event_results(
    event,
    *,
    resamples: int = RESAMPLES,
    seed: int = BOOTSTRAP_SEED,
    counted: set[tuple[int, int]] | None = None,
    criteria: list[Criterion] | None = None,
) -> Results:
    """The event's results (judging.results says how) from the sheets that count
    (`counted_pairs`, unless the caller has them already): their stored totals, and the
    scores of the scoped criteria if the rubric has any (its `criteria`, read here unless
    given). Entries whose every judge marked them absent are listed in `absent`. At most
    five queries once judging is locked, ten while it is open, whatever the numbers."""
    criteria = criterion_specs(event, criteria=criteria)
    totalled = ScoreSheet.objects.filter(judge__event=event, total__isnull=False).order_by()
    totals = _array(totalled.values_list("judge_id", "submission_id", "total"), float, 3)
    scoped = [criterion.id for criterion in criteria if criterion.category is not None]
    scoped_rows = Score.objects.filter(sheet__judge__event=event, criterion_id__in=scoped)
    scoped_scores = _array(
        scoped_rows.values_list("sheet__judge_id", "sheet__submission_id", "criterion_id", "value")
        if scoped
        else (),
        np.int64,
        4,
    )
    if counted is None:
        counted = counted_pairs(event)
    sheets = sheets_from_totals(
        criteria=criteria,
        totals=totals[_rows_of_pairs(totals, counted)],
        scoped_scores=scoped_scores[_rows_of_pairs(scoped_scores, counted)],
    )
    results = results_of_sheets(sheets, resamples=resamples, seed=seed)
    return replace(results, absent=_absent_entries(event))


def _array(rows, dtype, columns: int) -> np.ndarray:
    # Flattened straight into an array: half the time numpy takes over a list of tuples.
    return np.fromiter(chain.from_iterable(rows), dtype=dtype).reshape(-1, columns)


def _rows_of_pairs(rows: np.ndarray, pairs: set[tuple[int, int]]) -> np.ndarray:
    """Which of `rows` (judge id, submission id, ...) are of one of `pairs`."""
    if not pairs or not rows.size:
        return np.zeros(len(rows), dtype=bool)
    ids = rows[:, :2].astype(np.int64)
    wanted = np.array(sorted(pairs), dtype=np.int64)
    # One number per (judge, submission) pair, so numpy tests membership at once.
    shift = int(max(ids[:, 1].max(), wanted[:, 1].max())) + 1
    return np.isin(ids[:, 0] * shift + ids[:, 1], wanted[:, 0] * shift + wanted[:, 1])


def _absent_entries(event) -> tuple[int, ...]:
    """Ids of the entries whose judges all marked them absent (one query)."""
    present = Count("pk", filter=Q(absent_at__isnull=True))
    return tuple(
        Assignment.objects.filter(judge__event=event)
        .order_by()
        .values("submission_id")
        .annotate(present=present)
        .filter(present=0)
        .order_by("submission_id")
        .values_list("submission_id", flat=True)
    )


def same_organisation(name: str) -> str:
    """An organisation's name as conflicts compare it: without case or surrounding space.
    Blank stays blank, and blank never matches."""
    return name.strip().casefold()


def conflicted_pairs(event, *, judge_id=None, submission=None) -> set[tuple[int, int]]:
    """(judge id, submission id) pairs of `event` a judge must neither be assigned nor
    score: a submission of the judge's own team (an author of it, or a member of the team
    now), one with an author from the judge's organisation, and each declared conflict
    (a team, a person among the authors, an organisation among the authors'). Given a
    `judge_id` and a `submission`, only that pair is looked at (a score being saved). Five
    queries, whatever the numbers."""
    # Unordered: the default orderings join events and sort, for nothing here.
    judges = Judge.objects.filter(event=event).order_by()
    entries = Submission.objects.filter(event=event).order_by()
    authors = SubmissionAuthor.objects.filter(submission__event=event).order_by()
    members = TeamMembership.objects.filter(event=event).order_by()
    declared = Conflict.objects.filter(judge__event=event).order_by()
    if judge_id is not None:
        judges, declared = judges.filter(pk=judge_id), declared.filter(judge_id=judge_id)
    if submission is not None:
        entries = entries.filter(pk=submission.pk)
        authors = authors.filter(submission=submission)
        members = members.filter(team_id=submission.team_id)
    judges = list(judges.values_list("pk", "user_id", "user__organisation"))
    entry_of_team = dict(entries.values_list("team_id", "pk"))
    people: dict[int, set[int]] = {}  # user id -> their submissions: authors and members
    organisations: dict[str, set[int]] = {}  # organisation -> submissions of its authors
    for entry, user, organisation in authors.values_list(
        "submission_id", "user_id", "organisation"
    ):
        if user is not None:
            people.setdefault(user, set()).add(entry)
        if same_organisation(organisation):
            organisations.setdefault(same_organisation(organisation), set()).add(entry)
    for team, user in members.values_list("team_id", "user_id"):
        if user is not None and team in entry_of_team:
            people.setdefault(user, set()).add(entry_of_team[team])

    conflicted = set()
    for judge_id, user, organisation in judges:
        own = people.get(user, set()) | organisations.get(
            same_organisation(organisation or ""), set()
        )
        conflicted |= {(judge_id, entry) for entry in own}
    for judge_id, kind, team, person, organisation in declared.values_list(
        "judge_id", "kind", "team_id", "person_id", "organisation"
    ):
        if kind == ConflictKind.TEAM:
            with_them = {entry_of_team[team]} if team in entry_of_team else set()
        elif kind == ConflictKind.PERSON:
            with_them = people.get(person, set())
        else:
            with_them = organisations.get(same_organisation(organisation), set())
        conflicted |= {(judge_id, entry) for entry in with_them}
    return conflicted


def judging_progress(event) -> dict | None:
    """The dashboard's view of judging: each judge's complete sheets (every overall
    criterion scored) against the entries they are to score (not marked absent), each
    entry presenting still being scored (or with fewer judges than wanted) with its
    judges done, and how many have too few judges; None before anyone judges. Five
    queries, whatever the numbers."""
    judges = list(
        Judge.objects.filter(event=event).select_related("user", "room").order_by("room", "pk")
    )
    if not judges:
        return None
    overall = Q(scores__criterion__theme__isnull=True, scores__criterion__challenge__isnull=True)
    needed = Criterion.objects.filter(event=event, theme__isnull=True, challenge__isnull=True)
    pairs = list(
        Assignment.objects.filter(judge__event=event).values_list(
            "judge_id", "submission_id", "absent_at"
        )
    )
    done = set(
        ScoreSheet.objects.filter(judge__event=event)
        .annotate(scored=Count("scores", filter=overall))
        .filter(scored__gte=needed.count())
        .values_list("judge_id", "submission_id")
    )
    to_score = [(judge, entry) for judge, entry, absent_at in pairs if absent_at is None]
    assigned, complete = Counter(), Counter()
    entry_assigned, entry_complete = Counter(), Counter()
    for judge, entry in to_score:
        assigned[judge] += 1
        entry_assigned[entry] += 1
        if (judge, entry) in done:
            complete[judge] += 1
            entry_complete[entry] += 1
    judges_per_entry = Counter(entry for _judge, entry, _absent in pairs)
    wanted = settings.JUDGING_JUDGES_PER_SUBMISSION
    presenting = (
        PresentationSlot.objects.filter(room__event=event, submission__isnull=False)
        .select_related("submission")
        .order_by("starts_at", "pk")
    )
    entries = [
        {
            "title": slot.submission.title,
            "judges": judges_per_entry[slot.submission_id],
            "assigned": entry_assigned[slot.submission_id],
            "complete": entry_complete[slot.submission_id],
        }
        for slot in presenting
    ]
    return {
        "judges": [
            {
                "name": str(judge),
                "room": judge.room.name if judge.room else "",
                "assigned": assigned[judge.pk],
                "complete": complete[judge.pk],
            }
            for judge in judges
        ],
        "assigned": sum(assigned.values()),
        "complete": sum(complete.values()),
        "short": sum(1 for entry in entries if entry["judges"] < wanted),
        "in_progress": [
            entry
            for entry in entries
            if entry["complete"] < entry["assigned"] or entry["judges"] < wanted
        ],
        "wanted": wanted,
    }


def accepted_judges(event):
    """The people who accepted a judge's role at `event` (an invitation not yet accepted
    gives no seat), by name."""
    return (
        get_user_model()
        .objects.filter(
            event_roles__event=event,
            event_roles__role=RoleKind.JUDGE,
            event_roles__accepted_at__isnull=False,
        )
        .distinct()
        .order_by("display_name", "pk")
    )


def panels_overview(event) -> dict:
    """The console's judging page: each accepted judge with their seat, the rooms, and
    each entry presenting with the judges assigned to it. Five queries."""
    seats = {
        judge.user_id: judge for judge in Judge.objects.filter(event=event).select_related("room")
    }
    entries = (
        PresentationSlot.objects.filter(room__event=event, submission__isnull=False)
        .select_related("room", "submission")
        .order_by("starts_at", "room__order", "pk")
    )
    assigned: dict[int, list[str]] = {}
    for assignment in (
        Assignment.objects.filter(judge__event=event)
        .select_related("judge__user")
        .order_by("judge__user__display_name", "pk")
    ):
        assigned.setdefault(assignment.submission_id, []).append(str(assignment.judge))
    return {
        "judges": [(user, seats.get(user.pk)) for user in accepted_judges(event)],
        "rooms": list(Room.objects.filter(event=event)),
        "entries": [(slot, assigned.get(slot.submission_id, [])) for slot in entries],
        "wanted": settings.JUDGING_JUDGES_PER_SUBMISSION,
    }


def conflicts_of(event) -> list[Conflict]:
    """The event's recorded conflicts, by judge, for organisers (one query)."""
    return list(
        Conflict.objects.filter(judge__event=event)
        .select_related("judge__user", "team", "person", "declared_by")
        .order_by("judge__user__display_name", "created_at", "pk")
    )


def judging_spread(event) -> tuple[JudgeCalibration, ...]:
    """How each judge of the event scored, unnamed (the calibration of
    `judging.results`): their sheets, mean total, spread and agreement with the others."""
    return event_results(event, resamples=0).judges
