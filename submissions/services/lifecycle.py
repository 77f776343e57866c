"""A team's entry: started, edited (keeping a version of every save after the first
submit), and moved draft -> submitted -> locked by one transition service.

Locking is the deadline's: `submissions_lock_due` (a periodic sweep) locks every entry
whose deadline (the team's extension, else the event's) has passed. With no deadline
set, organisers lock by hand. Authors are the team's members, copied at the first submit
and again at lock; those copies are what credit, the gallery and judging read.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.locking import lock_capacity_row
from common.services import full_clean_or_raise, reject_unknown_fields
from common.transitions import check_move, moves_for
from submissions.enums import EDITABLE, TRANSITIONS, Actor, SubmissionStatus
from submissions.models import Submission, SubmissionAuthor, SubmissionVersion
from teams.enums import MemberRole

S = SubmissionStatus

# What a member edits; the rest (status, snapshots, lateness, extension) is the services'.
EDITABLE_FIELDS = (
    "title", "summary", "impact_statement", "repository_url", "demo_url", "video_url",
)  # fmt: skip
# What must be filled in before an entry is submitted.
REQUIRED_TO_SUBMIT = {"title": "a title", "summary": "a summary"}


def lock_submission(submission) -> Submission:
    """`submission` read again under its row lock: every change to an entry holds it, so
    version numbers and statuses are current."""
    return lock_capacity_row(
        Submission.objects.select_related("event", "team").filter(pk=submission.pk)
    )


def check_editable(submission) -> None:
    if submission.status not in EDITABLE:
        raise ApplicationError(
            "This submission is locked, so it can no longer be changed.",
            code="submission_locked",
            status=409,
        )
    check_not_judged(submission)


def check_not_judged(submission) -> None:
    """Once judging is locked (`Event.judging_locked_at`, set by judging) an entry stays
    as the judges scored it: what published results and winners name."""
    if submission.event.judging_locked_at is not None:
        raise ApplicationError(
            "Judging is locked for this event, so its entries stay as they were judged.",
            code="judging_locked",
            status=409,
        )


@transaction.atomic
def submission_create(*, actor, team, fields: dict, now=None) -> Submission:
    """Start `team`'s entry as a draft. One per team: a second answers "already started"."""
    now = now or timezone.now()
    reject_unknown_fields(fields, EDITABLE_FIELDS)
    deadline = team.event.submission_deadline
    if deadline is not None and now >= deadline:
        raise ApplicationError(
            "The submission deadline has passed, so no new entry can be started.",
            code="deadline_passed",
            status=409,
        )
    if team.disbanded_at is not None:
        raise ApplicationError("This team has disbanded.", code="team_disbanded", status=409)
    already = ApplicationError(
        "Your team has already started its submission.", code="duplicate", status=409
    )
    if Submission.objects.filter(team=team).exists():
        raise already
    submission = Submission(event=team.event, team=team, created_by=actor, **fields)
    full_clean_or_raise(submission)
    try:
        with transaction.atomic():
            submission.save()
    except IntegrityError:  # started by a teammate since the check
        raise already from None
    audit_record(actor=actor, action="submission.created", target=submission)
    return submission


@transaction.atomic
def submission_update(*, actor, submission, fields: dict) -> Submission:
    """Change what a member may edit; after the first submit, every save that changes
    something is kept as a version (who, when, what changed)."""
    reject_unknown_fields(fields, EDITABLE_FIELDS)
    current = lock_submission(submission)
    check_editable(current)
    changes = {
        name: [getattr(current, name), value]
        for name, value in fields.items()
        if getattr(current, name) != value
    }
    if not changes:
        return current
    for name, (_before, after) in changes.items():
        setattr(current, name, after)
    full_clean_or_raise(current)
    current.save(update_fields=[*changes, "updated_at"])
    version_keep(actor=actor, submission=current, changes=changes)
    audit_record(
        actor=actor, action="submission.updated", target=current, data={"changed": sorted(changes)}
    )
    return current


def version_keep(*, actor, submission, changes: dict) -> SubmissionVersion | None:
    """Keep a version of a save of `submission` (locked by the caller) once it has been
    submitted: `changes` is {field: [before, after]}. Before the first submit a draft is
    the team's scratch space, and nothing is kept."""
    if submission.first_submitted_at is None:
        return None
    submission.version += 1
    Submission.objects.filter(pk=submission.pk).update(version=submission.version)
    return SubmissionVersion.objects.create(
        submission=submission, number=submission.version, saved_by=actor, changes=changes
    )


def moves_allowed(submission, by: Actor) -> list[str]:
    """The statuses `by` may move `submission` to now (for pages and the API)."""
    return moves_for(TRANSITIONS, SubmissionStatus, by, submission.status)


@transaction.atomic
def submission_transition(*, submission, to, by: Actor, actor=None, now=None) -> Submission:
    """Move `submission` to `to` on behalf of `by` (a member, organisers or the sweep).

    The only place an entry's status changes. Submitting the first time copies the team's
    challenge, theme and members and marks the entry late if its deadline had passed;
    locking copies the members again.
    """
    now = now or timezone.now()
    current = lock_submission(submission)
    check_move(
        TRANSITIONS, noun="a submission", statuses=SubmissionStatus, actors=Actor,
        start=current.status, to=to, by=by,
    )  # fmt: skip
    if to == S.DRAFT:
        check_not_judged(current)
    if to == S.SUBMITTED and current.status == S.DRAFT:
        _check_complete(current)
    if current.status == S.LOCKED and current.deadline is not None and current.deadline <= now:
        raise ApplicationError(
            "The deadline for this submission has passed: give the team more time to open "
            "it again.",
            code="deadline_passed",
            status=409,
        )
    previous = current.status
    updated = ["status", "updated_at"]
    if to == S.SUBMITTED and current.first_submitted_at is None:
        current.first_submitted_at = now
        # A team names a challenge (which has its theme) or a theme, never both.
        team = current.team
        current.challenge = team.challenge
        current.theme_id = team.theme_id or (team.challenge.theme_id if team.challenge else None)
        current.is_late = current.deadline is not None and now > current.deadline
        updated += ["first_submitted_at", "challenge", "theme", "is_late"]
        _snapshot_authors(current, now)
    if to == S.LOCKED:
        current.locked_at = now
        updated.append("locked_at")
        _snapshot_authors(current, now)
    elif previous == S.LOCKED:
        current.locked_at = None
        updated.append("locked_at")
    current.status = to
    current.save(update_fields=updated)
    audit_record(
        actor=actor, action=f"submission.{to}", target=current, data={"from": previous, "by": by}
    )
    return current


def _check_complete(submission) -> None:
    missing = [label for name, label in REQUIRED_TO_SUBMIT.items() if not getattr(submission, name)]
    if missing:
        raise ApplicationError(
            f"Add {' and '.join(missing)} before you submit.",
            code="incomplete",
            details={
                name: ["Required to submit."]
                for name in REQUIRED_TO_SUBMIT
                if not getattr(submission, name)
            },
        )


def _snapshot_authors(submission, now) -> None:
    """Copy the team's current members as the entry's authors (walk-ins have no account
    and are not members, so never authors)."""
    memberships = submission.team.memberships.select_related("user").order_by("joined_at", "pk")
    submission.authors.all().delete()
    SubmissionAuthor.objects.bulk_create(
        SubmissionAuthor(
            submission=submission,
            user=membership.user,
            name=str(membership.user),
            organisation=membership.user.organisation,
            is_lead=membership.role == MemberRole.LEAD,
            taken_at=now,
        )
        for membership in memberships
    )


def due_for_locking(now):
    """Entries still open whose deadline (the team's extension, else the event's) has
    passed."""
    return Submission.objects.filter(status__in=EDITABLE).filter(
        Q(deadline_extension__lte=now)
        | Q(deadline_extension__isnull=True, event__submission_deadline__lte=now)
    )


def submissions_lock_due(*, now=None) -> int:
    """Periodic: lock every entry past its deadline, each in its own transaction (one
    that changed meanwhile, e.g. given more time, is re-checked under its lock)."""
    now = now or timezone.now()
    locked = 0
    for submission in due_for_locking(now).only("pk").iterator():
        with transaction.atomic():
            current = lock_submission(submission)
            if current.status not in EDITABLE or current.deadline is None or current.deadline > now:
                continue
            submission_transition(submission=current, to=S.LOCKED, by=Actor.SWEEP, now=now)
            locked += 1
    return locked


@transaction.atomic
def submission_extend_deadline(*, actor, submission, until, now=None) -> Submission:
    """Give one team until `until` (later than now and than the event's deadline); an
    entry the deadline had locked opens again as it was (submitted, or a draft)."""
    now = now or timezone.now()
    current = lock_submission(submission)
    event_deadline = current.event.submission_deadline
    if until <= now or (event_deadline is not None and until <= event_deadline):
        raise ApplicationError(
            "Give a time later than now and than the event's deadline.",
            details={"deadline_extension": ["Must be later than now and the event's deadline."]},
        )
    before = current.deadline_extension
    current.deadline_extension = until
    current.save(update_fields=["deadline_extension", "updated_at"])
    audit_record(
        actor=actor, action="submission.deadline_extended", target=current,
        data={"from": before.isoformat() if before else None, "to": until.isoformat()},
    )  # fmt: skip
    if current.status == S.LOCKED:
        reopened = S.SUBMITTED if current.first_submitted_at else S.DRAFT
        current = submission_transition(
            submission=current, to=reopened, by=Actor.ORGANISER, actor=actor, now=now
        )
    return current


@transaction.atomic
def submission_set_gallery(*, actor, submission, in_gallery: bool) -> Submission:
    """The team's choice to show its entry in the public gallery once results are
    published; theirs to change at any time, locked or not."""
    current = lock_submission(submission)
    if current.in_gallery != in_gallery:
        current.in_gallery = in_gallery
        current.save(update_fields=["in_gallery", "updated_at"])
        audit_record(
            actor=actor,
            action="submission.gallery",
            target=current,
            data={"in_gallery": in_gallery},
        )
    return current
