"""Reads of what a team learns once results are published: its entry's rank and scores,
and the judges' feedback, never naming a judge nor showing their notes to organisers."""

from dataclasses import dataclass

from common.models import OutboxMessage
from common.outbox import object_key
from judging.models import Criterion, Score, ScoreSheet
from judging.selectors import category_of, counted_pairs, event_results, rubric_groups
from submissions.models import Submission
from teams.models import TeamMembership

# The outbox purpose of the email telling a team member their entry's results.
FEEDBACK_PURPOSE = "judging_feedback"


@dataclass(frozen=True)
class CriterionMean:
    criterion: Criterion
    share: int  # of its group's weight, in whole percent
    mean: float | None  # on the criterion's own scale; None when no judge scored it
    judges: int  # how many scored it


@dataclass(frozen=True)
class CategoryScore:
    scope: object  # the Theme or Challenge
    points: float  # 0 to 100, as the results compute it


@dataclass(frozen=True)
class TeamResults:
    rank: int | None  # None: not ranked (no overall criterion scored)
    ranked: int  # how many entries were ranked
    shared: bool  # another entry has the same rank
    normalised: float | None
    raw: float | None
    judges: int  # judges whose scores make the total
    criteria: list[CriterionMean]  # the overall criteria first, then each scope's
    categories: list[CategoryScore]
    feedback: list[str]  # one per judge who wrote some, in a fixed order, unnamed


def team_results(event, submission) -> TeamResults:
    """Everything the team's results page shows for `submission`, from the sheets that
    count (`counted_pairs`, read once): seven queries once judging is locked (six for a
    rubric without scoped criteria), whatever the numbers of judges, criteria and
    entries (the ranking needs every sheet's total; the bootstrap is skipped, as a rank
    needs none)."""
    counted = counted_pairs(event)
    groups = rubric_groups(event)
    rubric = [criterion for group in groups for criterion, _share in group.criteria]
    results = event_results(event, resamples=0, counted=counted, criteria=rubric)
    mine = next((r for r in results.submissions if r.submission_id == submission.pk), None)
    if mine is not None:
        categories = mine.categories
    else:
        unranked = (u for u in results.unranked if u.submission_id == submission.pk)
        categories = next((u.categories for u in unranked), {})
    values: dict[int, list[int]] = {}
    for judge, criterion, value in Score.objects.filter(
        sheet__submission=submission, criterion__event=event
    ).values_list("sheet__judge_id", "criterion_id", "value"):
        if (judge, submission.pk) in counted:
            values.setdefault(criterion, []).append(value)
    means = {
        criterion: {"mean": sum(given) / len(given), "judges": len(given)}
        for criterion, given in values.items()
    }
    criteria, scopes = [], {}
    for group in groups:
        for criterion, share in group.criteria:
            row = means.get(criterion.pk)
            criteria.append(
                CriterionMean(
                    criterion=criterion,
                    share=share,
                    mean=float(row["mean"]) if row else None,
                    judges=row["judges"] if row else 0,
                )
            )
            if group.scope is not None:
                scopes[category_of(criterion)] = group.scope
    return TeamResults(
        rank=mine.rank if mine else None,
        ranked=len(results.submissions),
        shared=mine is not None and sum(1 for r in results.submissions if r.rank == mine.rank) > 1,
        normalised=mine.normalised if mine else None,
        raw=mine.raw if mine else None,
        judges=mine.sheets if mine else 0,
        criteria=criteria,
        categories=[
            CategoryScore(scope=scope, points=categories[key])
            for key, scope in scopes.items()
            if key in categories
        ],
        feedback=feedback_by_entry(event, submission=submission, counted=counted).get(
            submission.pk, []
        ),
    )


def feedback_by_entry(event, *, submission=None, counted=None) -> dict[int, list[str]]:
    """Submission id → the judges' feedback for its team, blank feedback left out, in the
    order of the judges' rows (so "Judge 1" stays the same judge on every reading).
    Only `feedback_for_team` is read: the notes to organisers never leave the query.
    Only sheets that count (`counted`, read here unless given): a judge whose sheet no
    longer counts (a conflict, an absence) does not speak to the team. One query more."""
    if counted is None:
        counted = counted_pairs(event, submission=submission)
    sheets = ScoreSheet.objects.filter(judge__event=event).exclude(feedback_for_team="")
    if submission is not None:
        sheets = sheets.filter(submission=submission)
    feedback: dict[int, list[str]] = {}
    for judge, entry, text in sheets.order_by("judge_id", "pk").values_list(
        "judge_id", "submission_id", "feedback_for_team"
    ):
        if (judge, entry) in counted and text.strip():
            feedback.setdefault(entry, []).append(text.strip())
    return feedback


def judged_entries(event, *, counted=None) -> dict[int, Submission]:
    """The event's entries with a sheet that counts (`counted`, read here unless given),
    by id, with their teams (two queries more): the entries whose teams are told their
    results."""
    if counted is None:
        counted = counted_pairs(event)
    sheets = ScoreSheet.objects.filter(judge__event=event).values_list("judge_id", "submission_id")
    judged = {entry for judge, entry in sheets if (judge, entry) in counted}
    entries = Submission.objects.filter(pk__in=judged).select_related("team")
    return {entry.pk: entry for entry in entries}


def feedback_key(entry_id: int, user_id: int) -> str:
    """The outbox key of one member's email about one entry: per person, not per address,
    so a member who changes their address is not written to again."""
    return f"{object_key(Submission(pk=entry_id))}/user:{user_id}"


def feedback_recipients(event, *, entries=None) -> dict[int, list[tuple[int, str]]]:
    """Submission id → (user id, address) of its team's members to tell, for each judged
    entry: current members with an active account and an address. Someone who left the
    team, or whose account was erased (their place stays, without them), is not written
    to. One query, or two without `entries` (judged_entries)."""
    entries = judged_entries(event) if entries is None else entries
    rows = (
        TeamMembership.objects.filter(
            event=event,
            team_id__in=[entry.team_id for entry in entries.values()],
            user__isnull=False,
            user__is_active=True,
        )
        .exclude(user__email="")
        .order_by("joined_at", "pk")
        .values_list("team__submission", "user_id", "user__email")
    )
    recipients: dict[int, list[tuple[int, str]]] = {}
    for entry, user_id, email in rows:
        recipients.setdefault(entry, []).append((user_id, email))
    return recipients


def feedback_unsent(event, *, entries=None) -> dict[int, list[tuple[int, str]]]:
    """Like feedback_recipients, less those already queued in the outbox (one query
    more): what a fan-out still has to queue."""
    recipients = feedback_recipients(event, entries=entries)
    keys = [
        feedback_key(entry, user_id)
        for entry, members in recipients.items()
        for user_id, _email in members
    ]
    queued = set(
        OutboxMessage.objects.filter(purpose=FEEDBACK_PURPOSE, object_key__in=keys).values_list(
            "object_key", flat=True
        )
    )
    unsent = {}
    for entry, members in recipients.items():
        due = [
            (user_id, email)
            for user_id, email in members
            if feedback_key(entry, user_id) not in queued
        ]
        if due:
            unsent[entry] = due
    return unsent
