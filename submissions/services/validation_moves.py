"""The artifact validation lifecycle's one transition service, and the fence every
write of a claim goes through.

`validation_transition` is the only code that writes Artifact.status: it checks the move
against VALIDATION_TRANSITIONS (submissions.enums) for the actor making it, on the row
the caller has locked. `claim_current` is the artifact's row while a worker's claim is
still the current one: progress and reports are written through it, so a claim fenced
off by a newer attempt writes nothing.
"""

from common.audit import audit_record
from common.locking import LOCK_OF
from common.transitions import check_move
from submissions.enums import VALIDATION_TRANSITIONS, ValidationActor, ValidationStatus
from submissions.models import Artifact


def validation_transition(*, artifact: Artifact, to: str, by: str, actor=None, **changes) -> None:
    """Move `artifact` to `to` on behalf of `by`, setting `changes` (other fields) with it.

    The only place an artifact's validation status is written. The caller holds the
    artifact's row lock (select_for_update) inside its transaction, so `artifact.status`
    is current. Every move is audited with who made it and the attempt.
    """
    start = artifact.status
    check_move(
        VALIDATION_TRANSITIONS, noun="a file's validation", statuses=ValidationStatus,
        actors=ValidationActor, start=start, to=to, by=by,
    )  # fmt: skip
    artifact.status = to
    for name, value in changes.items():
        setattr(artifact, name, value)
    artifact.save(update_fields=["status", *changes, "updated_at"])
    audit_record(
        actor=actor,
        action=f"artifact.validation_{to}",
        target=artifact,
        data={"by": by, "from": start, "attempt": artifact.attempt},
    )


def locked_artifact(queryset) -> Artifact | None:
    """The first artifact of `queryset`, its row locked until the transaction ends."""
    return queryset.select_for_update(of=LOCK_OF).first()


def claim_current(artifact: Artifact):
    """The artifact's row while `artifact`'s claim is current: RUNNING, same attempt."""
    return Artifact.objects.filter(
        pk=artifact.pk, status=ValidationStatus.RUNNING, attempt=artifact.attempt
    )
