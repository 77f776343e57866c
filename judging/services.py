"""Every write to judging: for now the event's rubric (its criteria)."""

from django.db import transaction

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.services import audited_create, audited_update
from judging.models import Criterion

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


def _refuse_when_judging_locked(event) -> None:
    if event.judging_locked_at is not None:
        raise ApplicationError(
            "Judging is locked for this event, so its criteria can no longer change.",
            code="judging_locked",
        )


@transaction.atomic
def criterion_create(*, actor, event, **fields) -> Criterion:
    _refuse_when_judging_locked(event)
    return audited_create(Criterion, actor=actor, action="criterion.created", event=event, **fields)


@transaction.atomic
def criterion_update(*, actor, criterion: Criterion, **fields) -> Criterion:
    _refuse_when_judging_locked(criterion.event)
    return audited_update(
        criterion,
        actor=actor,
        action="criterion.updated",
        allowed=CRITERION_FIELDS,
        fields=fields,
    )


@transaction.atomic
def criterion_delete(*, actor, criterion: Criterion) -> None:
    _refuse_when_judging_locked(criterion.event)
    audit_record(actor=actor, action="criterion.deleted", target=criterion)
    criterion.delete()
