"""A judge's score sheet: saved (by autosave or an explicit save) only by a judge
assigned to the submission, not in conflict with it, while judging is open; every score
a whole number within its criterion's scale. Rights come from the assignment alone: a
superuser without one is refused like anybody else."""

from django.db import transaction
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError, raise_problems
from common.input import text_problem
from common.locking import hold_race_window, lock_rows
from events.models import Event
from events.rules import is_event_judge
from judging.models import Assignment, Criterion, Score, ScoreSheet
from judging.selectors import conflicted_pairs
from judging.selectors_judge import criteria_for_entry
from judging.services.preparation import refuse_when_judging_locked
from judging.services.totals import sheet_totals_refresh

NOT_ASSIGNED = "You are not assigned to score this team."
MARKED_ABSENT = "You marked this team absent. Mark it present again to score it."
CONFLICTED = "You have a conflict of interest with this team, so you cannot score it."
NOTE_LIMIT, FEEDBACK_LIMIT = 2000, 4000
MAX_ID_DIGITS = 18


@transaction.atomic
def sheet_save(
    *,
    actor,
    submission,
    scores: dict,
    note_to_organisers: str | None = None,
    feedback_for_team: str | None = None,
) -> ScoreSheet:
    """Save `actor`'s scores of `submission`: `scores` maps criterion ids to a whole
    number within the criterion's scale, or to None to clear it (a sheet may be saved
    half done). The notes change only when given. Any problem is refused before anything
    is written; two saves of one sheet at once (two tabs) queue on the assignment's row,
    so each criterion keeps one score, the last saved."""
    assignment = _assignment_to_judge(actor, submission)
    criteria = {
        criterion.pk: criterion
        for criterion in criteria_for_entry(
            Criterion.objects.filter(event_id=submission.event_id), submission
        )
    }
    values = _checked_values(scores, criteria)
    _check_notes(note_to_organisers, feedback_for_team)
    sheet, _created = ScoreSheet.objects.get_or_create(
        judge_id=assignment.judge_id, submission=submission
    )
    _store_values(sheet, values)
    sheet_totals_refresh(event_id=submission.event_id, sheet=sheet)
    notes = {"note_to_organisers": note_to_organisers, "feedback_for_team": feedback_for_team}
    changed = [name for name, text in notes.items() if text is not None]
    for name in changed:
        setattr(sheet, name, notes[name])
    sheet.save(update_fields=[*changed, "updated_at"])
    return sheet


@transaction.atomic
def team_absent_mark(*, actor, submission, absent: bool) -> Assignment:
    """The actor marks `submission`'s team absent from their presentation (it leaves
    the actor's queue, and counts for nobody's ranking if its whole panel says so), or
    present again. Scores already given stay, and count again once it is present."""
    assignment = _assignment_to_judge(actor, submission, to_score=False)
    if (assignment.absent_at is not None) == absent:
        return assignment
    assignment.absent_at = timezone.now() if absent else None
    assignment.save(update_fields=["absent_at", "updated_at"])
    audit_record(
        actor=actor,
        action="judging.team_absent" if absent else "judging.team_present",
        target=submission,
        data={"judge": assignment.judge_id},
    )
    return assignment


def _assignment_to_judge(actor, submission, *, to_score: bool = True) -> Assignment:
    """The actor's assignment to `submission`, locked (the row two saves of one sheet
    queue on), while judging is open and the actor has no conflict with it; with
    `to_score`, only while they have not marked its team absent."""
    # A judge whose role was revoked keeps their rows, and loses the right with the role.
    if actor is None or not is_event_judge(actor, submission.event):
        raise ApplicationError(NOT_ASSIGNED, code="not_assigned", status=404)
    assigned = Assignment.objects.filter(
        judge__user=actor, judge__event=submission.event_id, submission=submission
    )
    locked = lock_rows(assigned)
    if not locked:
        raise ApplicationError(NOT_ASSIGNED, code="not_assigned", status=404)
    # Read now, under the row lock: judging_lock takes every assignment's row before it
    # locks, so a save either commits first or sees the lock here.
    # Not the event's row: autosaves of one event would queue on it.
    refuse_when_judging_locked(
        Event.objects.only("judging_locked_at").get(pk=submission.event_id), read_locked=False
    )
    if to_score and locked[0].absent_at is not None:
        raise ApplicationError(MARKED_ABSENT, code="team_absent")
    if conflicted_pairs(submission.event, judge_id=locked[0].judge_id, submission=submission):
        raise ApplicationError(CONFLICTED, code="conflicted", status=403)
    return locked[0]


def _checked_values(scores: dict, criteria: dict) -> dict:
    """{criterion id: value or None}, or ApplicationError naming every bad entry."""
    if not isinstance(scores, dict):
        raise ApplicationError("Scores must be given per criterion.", code="invalid_score")
    problems, values = {}, {}
    for key, value in scores.items():
        criterion = criteria.get(_criterion_id(key))
        field = f"criterion_{key}"
        if criterion is None:
            problems[field] = ["This entry is not scored on this criterion."]
        elif value is None:
            values[criterion.pk] = None
        elif _whole(value) is None:
            problems[field] = [f"Give “{criterion}” a whole number."]
        elif not criterion.scale_min <= value <= criterion.scale_max:
            problems[field] = [
                f"Score “{criterion}” from {criterion.scale_min} to {criterion.scale_max}."
            ]
        else:
            values[criterion.pk] = value
    raise_problems(problems, code="invalid_score")
    return values


def _criterion_id(key) -> int | None:
    # JSON objects have text keys: "12" names criterion 12 as 12 does.
    if isinstance(key, str) and key.isascii() and key.isdigit() and len(key) <= MAX_ID_DIGITS:
        return int(key)
    return _whole(key)


def _whole(value) -> int | None:
    # A bool is an int to Python, not a score to a judge.
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _check_notes(note: str | None, feedback: str | None) -> None:
    problems = {}
    for field, text, limit in (
        ("note_to_organisers", note, NOTE_LIMIT),
        ("feedback_for_team", feedback, FEEDBACK_LIMIT),
    ):
        if text is None:
            continue
        problem = text_problem(text) if isinstance(text, str) else "Text is expected."
        if problem is None and len(text) > limit:
            problem = f"Keep it to {limit:,} characters."
        if problem:
            problems[field] = [problem]
    raise_problems(problems, code="invalid_note")


def _store_values(sheet: ScoreSheet, values: dict) -> None:
    stored = {score.criterion_id: score for score in sheet.scores.all()}
    hold_race_window()  # test-only: another save of this sheet would read the same
    cleared = [stored[pk].pk for pk, value in values.items() if value is None and pk in stored]
    Score.objects.filter(pk__in=cleared).delete()
    changed = []
    for pk, value in values.items():
        if value is not None and pk in stored and stored[pk].value != value:
            stored[pk].value = value
            changed.append(stored[pk])
    Score.objects.bulk_update(changed, ["value"])
    Score.objects.bulk_create(
        Score(sheet=sheet, criterion_id=pk, value=value)
        for pk, value in values.items()
        if value is not None and pk not in stored
    )
