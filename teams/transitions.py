"""The one transition service of each teams lifecycle: join requests and matching runs.

Each checks the move against its table (teams.enums), saves with update_fields, writes
an audit entry and queues the move's notifications. Nothing else sets the status of a
JoinRequest or a MatchingRun.
"""

from django.db import transaction
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.transitions import check_move
from teams import notifications
from teams.enums import (
    JOIN_REQUEST_MOVES,
    MATCHING_RUN_MOVES,
    JoinRequestStatus,
    MatchingStatus,
    TeamActor,
)
from teams.models import JoinRequest, MatchingRun

R = JoinRequestStatus
DECISIONS = frozenset({R.APPROVED, R.DECLINED})


def join_request_locked(request) -> JoinRequest:
    """`request` read again and locked until the transaction ends, so two moves of one
    request (a decision and a withdrawal) happen one after the other."""
    locked = JoinRequest.objects.select_for_update(of=("self",)).select_related("team__event")
    return locked.select_related("user").get(pk=request.pk)


@transaction.atomic
def join_request_move(*, request, to, by, actor=None, now=None, data=None) -> JoinRequest:
    """Move a pending join request to `to` on behalf of `by` (the team's lead, the person
    who asked, or the system); a request decided already is refused as such."""
    now = now or timezone.now()
    current = join_request_locked(request)
    if current.status != R.PENDING:
        raise ApplicationError(
            f"This request is already {current.get_status_display().lower()}.",
            code="already_decided",
            status=409,
        )
    check_move(
        JOIN_REQUEST_MOVES,
        noun="a request to join",
        statuses=R,
        actors=TeamActor,
        start=current.status,
        to=to,
        by=by,
    )
    current.status = to
    fields = ["status", "updated_at"]
    if to in DECISIONS:
        current.decided_by, current.decided_at = actor, now
        fields += ["decided_by", "decided_at"]
    current.save(update_fields=fields)
    audit_record(
        actor=actor, action=f"team.request_{to}", target=current, data={"by": by, **(data or {})}
    )
    if to in DECISIONS:
        notifications.join_request_decided(current)
    return current


def join_requests_close(requests, *, reason: str, now=None) -> None:
    """Close the pending requests among `requests` (a queryset): the person joined a
    team, the team ended, or they no longer take part (`reason` says which)."""
    for request in requests.filter(status=R.PENDING).only("pk"):
        try:
            join_request_move(
                request=request, to=R.CLOSED, by=TeamActor.SYSTEM, now=now, data={"reason": reason}
            )
        except ApplicationError as error:
            # Decided or withdrawn since it was read: nothing left to close, and the join,
            # disbanding or cancellation that closes it must not fail for that.
            if error.code != "already_decided":
                raise


def matching_run_move(*, run, to, by, actor=None, now=None, data=None) -> MatchingRun:
    """Move a matching run to `to` on behalf of `by`. The caller holds the run's row
    locked (teams.proposals reads it with select_for_update)."""
    check_move(
        MATCHING_RUN_MOVES,
        noun="a matching proposal",
        statuses=MatchingStatus,
        actors=TeamActor,
        start=run.status,
        to=to,
        by=by,
    )
    run.status = to
    fields = ["status", "updated_at"]
    if to == MatchingStatus.APPLIED:
        run.applied_at = now or timezone.now()
        fields.append("applied_at")
    run.save(update_fields=fields)
    audit_record(actor=actor, action=f"matching.{to}", target=run, data={"by": by, **(data or {})})
    return run
