"""Every write to judging: the event's rubric (its criteria) and the judges' assignments."""

from django.conf import settings
from django.db import transaction
from django.db.models import Q

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.locking import lock_rows
from common.services import audited_create, audited_update
from events.models import Event
from events.rules import is_event_judge
from judging.assignment import Assignment as AssignmentPlan
from judging.assignment import RoomPlan, assignment_compute
from judging.enums import ConflictKind
from judging.models import Assignment, Conflict, Criterion, Judge, Room, ScoreSheet
from judging.selectors import accepted_judges, conflicted_pairs
from judging.services.totals import sheet_totals_refresh

CRITERION_FIELDS = (
    "name",
    "description",
    "levels",
    "weight",
    "scale_min",
    "scale_max",
    "theme",
    "challenge",
    "order",
)


def event_read_locked(event) -> Event:
    """`event` read again with its row locked. A write that checks judging's state this
    way first holds the row that judging_lock and results_publish update: they wait for
    the write under way, and a write after them sees their mark (never a stale one)."""
    return lock_rows(Event.objects.filter(pk=event.pk))[0]


def refuse_when_judging_locked(event, *, read_locked: bool = True) -> None:
    """Once organisers lock judging, nothing about it changes: criteria, rooms, panels,
    conflicts, assignments, scores. The event is read under its row lock, unless the
    caller has read it afresh under a lock judging_lock also waits for (a score's
    assignment)."""
    current = event_read_locked(event) if read_locked else event
    if current.judging_locked_at is not None:
        raise ApplicationError(
            "Judging is locked for this event, so nothing about it can change now.",
            code="judging_locked",
        )


@transaction.atomic
def criterion_create(*, actor, event, **fields) -> Criterion:
    refuse_when_judging_locked(event)
    return audited_create(Criterion, actor=actor, action="criterion.created", event=event, **fields)


@transaction.atomic
def criterion_update(*, actor, criterion: Criterion, **fields) -> Criterion:
    refuse_when_judging_locked(criterion.event)
    rescaled = any(
        name in fields and fields[name] != getattr(criterion, name)
        for name in ("scale_min", "scale_max")
    )
    if rescaled and criterion.scores.exists():
        raise ApplicationError(
            f"Judges have already scored “{criterion}” from {criterion.scale_min} to "
            f"{criterion.scale_max}, so its scale can no longer change.",
            code="criterion_scored",
            details={"scale_max": ["Judges have already scored on this scale."]},
        )
    counted_as = _in_totals(criterion)
    updated = audited_update(
        criterion,
        actor=actor,
        action="criterion.updated",
        allowed=CRITERION_FIELDS,
        fields=fields,
    )
    if _in_totals(updated) != counted_as:
        # A sheet is saved holding its assignment's row: taking them all waits for the
        # saves under way, which totalled by the old weight, and holds back new ones
        # until the new weight is committed.
        lock_rows(Assignment.objects.filter(judge__event=updated.event_id))
        sheet_totals_refresh(event_id=updated.event_id)
    return updated


def _in_totals(criterion: Criterion) -> tuple:
    """What a sheet's total takes from the criterion: its weight if it is an overall one
    (unscoped); the scale cannot change once scored."""
    overall = criterion.theme_id is None and criterion.challenge_id is None
    return (overall, criterion.weight if overall else None)


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    refuse_when_judging_locked(criterion.event)
    if criterion.scores.exists():
        raise ApplicationError(
            f"Judges have already scored “{criterion}”, so it can no longer be deleted.",
            code="criterion_scored",
        )
    audit_record(actor=actor, action="criterion.deleted", target=criterion)
    criterion.delete()


ROOM_FIELDS = ("name", "order")


@transaction.atomic
def room_create(*, actor, event, **fields) -> Room:
    refuse_when_judging_locked(event)
    return audited_create(Room, actor=actor, action="room.created", event=event, **fields)


@transaction.atomic
def room_update(*, actor, room: Room, **fields) -> Room:
    refuse_when_judging_locked(room.event)
    return audited_update(
        room, actor=actor, action="room.updated", allowed=ROOM_FIELDS, fields=fields
    )


@transaction.atomic
def room_delete(*, actor, room: Room) -> None:
    """Delete a room where no team is due to present; its judges leave its panel."""
    refuse_when_judging_locked(room.event)
    if room.slots.filter(submission__isnull=False).exists():
        raise ApplicationError(
            f"Teams are due to present in “{room}”; move them to another room first.",
            code="room_in_use",
        )
    audit_record(actor=actor, action="room.deleted", target=room)
    room.delete()


@transaction.atomic
def panels_set(*, actor, event, rooms: dict) -> None:
    """Seat the event's accepted judges on panels: `rooms` maps a judge's user id to a
    room of the event, or to None for no panel yet. Every judge named must be an accepted
    judge of the event. A judge's row is made on first seating and kept (their scores
    are keyed to it)."""
    refuse_when_judging_locked(event)
    accepted = {user.pk: user for user in accepted_judges(event)}
    own_rooms = {room.pk: room for room in Room.objects.filter(event=event)}
    unknown = [user_id for user_id in rooms if user_id not in accepted]
    foreign = [room for room in rooms.values() if room is not None and room.pk not in own_rooms]
    if unknown or foreign:
        raise ApplicationError(
            "Seat only this event's judges, in this event's rooms.", code="not_this_event"
        )
    seated = {judge.user_id: judge for judge in Judge.objects.filter(event=event, user__in=rooms)}
    moved = []
    for user_id, room in rooms.items():
        judge = seated.get(user_id)
        if judge is None:
            if room is not None:
                Judge.objects.create(event=event, user=accepted[user_id], room=room)
                moved.append(user_id)
        elif judge.room_id != (room.pk if room else None):
            judge.room = room
            judge.save(update_fields=["room"])
            moved.append(user_id)
    if moved:
        audit_record(actor=actor, action="judging.panels_set", target=event,
                     data={"judges_moved": len(moved)})  # fmt: skip


@transaction.atomic
def conflict_add(
    *,
    actor,
    judge: Judge,
    kind: str,
    team=None,
    person=None,
    organisation: str = "",
    reason: str = "",
) -> Conflict:
    """Record that `judge` has a conflict of interest with a team, a person or an
    organisation (only the one `kind` names). It takes effect at once: scoring that team
    is refused, and the next assignment leaves the pair out."""
    refuse_when_judging_locked(judge.event)
    named = {
        ConflictKind.TEAM: team is not None,
        ConflictKind.PERSON: person is not None,
        ConflictKind.ORGANISATION: bool(organisation.strip()),
    }
    if not named.get(kind):
        raise ApplicationError(
            "Name the team, the person or the organisation the conflict is with.",
            code="conflict_incomplete",
            details={"kind": ["Choose what the conflict is with, and name it."]},
        )
    if team is not None and team.event_id != judge.event_id:
        raise ApplicationError("Choose one of this event's teams.", code="not_this_event")
    conflict = audited_create(
        Conflict, actor=actor, action="conflict.added", judge=judge, kind=kind,
        team=team if kind == ConflictKind.TEAM else None,
        person=person if kind == ConflictKind.PERSON else None,
        organisation=organisation.strip() if kind == ConflictKind.ORGANISATION else "",
        reason=reason, declared_by=actor if actor and actor.is_authenticated else None,
    )  # fmt: skip
    return conflict


@transaction.atomic
def conflict_declare(*, actor, event, kind: str, **named) -> Conflict:
    """An accepted judge of `event` declares a conflict of their own, seated on a panel
    or not yet (their judge row is made, so the first assignment already respects it).
    `named`: the team, person or organisation, and the reason, as `conflict_add` takes."""
    if not is_event_judge(actor, event):
        raise ApplicationError(
            "Only the event's judges declare conflicts.", code="not_a_judge", status=404
        )
    judge, _ = Judge.objects.get_or_create(event=event, user=actor)
    return conflict_add(actor=actor, judge=judge, kind=kind, **named)


@transaction.atomic
def conflict_remove(*, actor, conflict: Conflict) -> None:
    refuse_when_judging_locked(conflict.judge.event)
    audit_record(actor=actor, action="conflict.removed", target=conflict)
    conflict.delete()


@transaction.atomic
def assignments_make(*, actor, event, per_submission: int | None = None) -> AssignmentPlan:
    """Assign each room's panel to the submissions presenting there (judging.assignment
    says how: k judges each, never a conflicted one, loads even), keeping every pair a
    judge has already scored; returns the plan, whose shortfalls say where a panel is too
    small. Re-running moves only unscored assignments. One run at a time per event."""
    refuse_when_judging_locked(event)  # and holds the event's row: one run at a time
    rooms = [
        RoomPlan(
            room_id=room.pk,
            judges=tuple(judge.pk for judge in room.panel.all()),
            submissions=tuple(
                slot.submission_id for slot in room.slots.all() if slot.submission_id
            ),
        )
        for room in Room.objects.filter(event=event).prefetch_related("panel", "slots")
    ]
    existing = set(
        Assignment.objects.filter(judge__event=event).values_list("judge_id", "submission_id")
    )
    scored = set(
        ScoreSheet.objects.filter(judge__event=event).values_list("judge_id", "submission_id")
    )
    plan = assignment_compute(
        rooms=rooms,
        conflicts=frozenset(conflicted_pairs(event)),
        keep=frozenset(existing & scored),
        per_submission=per_submission or settings.JUDGING_JUDGES_PER_SUBMISSION,
    )
    removed, added = existing - plan.pairs, plan.pairs - existing
    if removed:
        stale = Q()
        for judge, submission in removed:
            stale |= Q(judge_id=judge, submission_id=submission)
        # A removed pair's score sheet, if any, stays: nothing here deletes a score.
        Assignment.objects.filter(stale).delete()
    Assignment.objects.bulk_create(
        Assignment(judge_id=judge, submission_id=submission) for judge, submission in added
    )
    audit_record(
        actor=actor,
        action="judging.assigned",
        target=event,
        data={
            "pairs": len(plan.pairs),
            "added": len(added),
            "removed": len(removed),
            "shortfalls": len(plan.shortfalls),
        },
    )
    return plan
