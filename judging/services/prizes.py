"""Prizes and the people's choice vote.

Organisers define an event's prizes (overall, one theme's or challenge's, special
awards, the people's choice with its voting window) and award each to an entry handed
in. Everything about prizes is frozen once results are published: what the public was
told does not change afterwards.

The vote: one per checked-in participant (not a judge), never for their own team, only
while the window is open and results are unpublished. A second vote replaces the first
while the window is open (a mistaken click can be put right, and the count still has
one vote per person: the database constraint). Votes are not audited with their choice,
so the audit log does not undo the ballot's privacy; that someone voted is recorded.
"""

import rules
from django.db import transaction
from django.utils import timezone

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.locking import hold_race_window, lock_rows
from common.services import audited_create, full_clean_or_raise, reject_unknown_fields
from events.rules import is_event_judge
from judging.enums import PrizeKind
from judging.models import Prize, Vote
from judging.selectors_prizes import peoples_choice_of
from judging.services.preparation import event_read_locked
from registration.enums import RegistrationStatus
from registration.models import Registration
from submissions.selectors.listing import HANDED_IN
from teams.selectors import team_of

PRIZE_FIELDS = (
    "name",
    "description",
    "kind",
    "theme",
    "challenge",
    "order",
    "voting_opens_at",
    "voting_closes_at",
)
NOT_CHECKED_IN = "Only participants who were checked in at the event can vote."


def refuse_when_results_published(event) -> None:
    """Once results are published, prizes and their winners are what the public saw.
    Read under the event's row lock, so a change under way lands before publication."""
    if event_read_locked(event).results_published_at is not None:
        raise ApplicationError(
            "Results are published for this event, so its prizes can no longer change.",
            code="results_published",
        )


@transaction.atomic
def prize_create(*, actor, event, **fields) -> Prize:
    refuse_when_results_published(event)
    reject_unknown_fields(fields, PRIZE_FIELDS)
    # The model's checks (scope, window) as one ApplicationError, before the save's own.
    full_clean_or_raise(Prize(event=event, **fields))
    return audited_create(Prize, actor=actor, action="prize.created", event=event, **fields)


@transaction.atomic
def prize_update(*, actor, prize: Prize, **fields) -> Prize:
    refuse_when_results_published(prize.event)
    reject_unknown_fields(fields, PRIZE_FIELDS)
    leaves_the_vote = fields.get("kind", prize.kind) != PrizeKind.PEOPLES_CHOICE
    if (
        prize.kind == PrizeKind.PEOPLES_CHOICE
        and leaves_the_vote
        and Vote.objects.filter(event_id=prize.event_id).exists()
    ):
        raise ApplicationError(
            f"People have voted for “{prize}”, so it stays the people's choice; delete "
            "it to end the vote and its votes.",
            code="votes_cast",
        )
    changed = [name for name, value in fields.items() if getattr(prize, name) != value]
    for name in changed:
        setattr(prize, name, fields[name])
    full_clean_or_raise(prize)
    if prize.winner_id is not None and not _may_win(prize.winner, prize):
        raise ApplicationError(
            f"“{prize.winner}” has won “{prize}” and is not an entry for “{prize.scope}”. "
            "Take the award back first, then change what the prize is for.",
            code="outside_scope",
        )
    if changed:
        prize.save(update_fields=changed)
        audit_record(actor=actor, action="prize.updated", target=prize, data={"changed": changed})
    return prize


@transaction.atomic
def prize_delete(*, actor, prize: Prize) -> None:
    """Delete a prize; deleting the people's choice deletes its votes too (they were
    cast for it alone)."""
    refuse_when_results_published(prize.event)
    votes = 0
    if prize.kind == PrizeKind.PEOPLES_CHOICE:
        votes, _ = Vote.objects.filter(event_id=prize.event_id).delete()
    audit_record(actor=actor, action="prize.deleted", target=prize, data={"votes": votes})
    prize.delete()


@transaction.atomic
def prize_award(*, actor, prize: Prize, submission) -> Prize:
    """Award `prize` to `submission`: an entry of the prize's event, handed in, and in
    the prize's theme or challenge when it has one. Replaces an earlier winner."""
    refuse_when_results_published(prize.event)
    if submission.event_id != prize.event_id or submission.status not in HANDED_IN:
        raise ApplicationError(
            "Choose an entry of this event that was handed in.", code="not_an_entry"
        )
    if not _may_win(submission, prize):
        raise ApplicationError(
            f"“{submission}” is not an entry for “{prize.scope}”, so it cannot win “{prize}”.",
            code="outside_scope",
        )
    prize.winner = submission
    prize.save(update_fields=["winner"])
    audit_record(
        actor=actor, action="prize.awarded", target=prize, data={"submission": submission.pk}
    )
    return prize


def _may_win(submission, prize: Prize) -> bool:
    """Whether `submission` is for the prize's theme or challenge, when it has one."""
    scope_field = {PrizeKind.THEME: "theme_id", PrizeKind.CHALLENGE: "challenge_id"}.get(prize.kind)
    return scope_field is None or getattr(submission, scope_field) == getattr(prize, scope_field)


@transaction.atomic
def prize_unaward(*, actor, prize: Prize) -> Prize:
    refuse_when_results_published(prize.event)
    if prize.winner_id is None:
        raise ApplicationError(f"“{prize}” has not been awarded.", code="not_awarded")
    previous = prize.winner_id
    prize.winner = None
    prize.save(update_fields=["winner"])
    audit_record(actor=actor, action="prize.unawarded", target=prize, data={"submission": previous})
    return prize


def _open_vote_for(actor, event, now) -> Prize:
    """The event's people's choice, when it is open and `actor` may vote in it (checked
    in, not a judge); else ApplicationError saying why not."""
    if actor is None or not actor.is_authenticated:
        raise ApplicationError("Sign in to vote.", code="not_signed_in", status=403)
    prize = peoples_choice_of(event)
    if prize is None:
        raise ApplicationError(
            "This event has no people's choice vote.", code="no_vote", status=404
        )
    if not rules.has_perm("judging.cast_vote", actor, event):
        message = (
            "Judges cannot vote for the people's choice."
            if is_event_judge(actor, event)
            else NOT_CHECKED_IN
        )
        raise ApplicationError(message, code="not_a_voter", status=403)
    if event_read_locked(event).results_published_at is not None or now >= prize.voting_closes_at:
        raise ApplicationError("Voting for the people's choice is over.", code="voting_closed")
    if now < prize.voting_opens_at:
        opens = timezone.localtime(prize.voting_opens_at)
        raise ApplicationError(
            f"Voting opens at {opens:%H:%M} on {opens.day} {opens:%B}.", code="voting_not_open"
        )
    return prize


def _lock_place(actor, event) -> None:
    """Lock the voter's checked-in place: two votes of one person queue on it (and the
    check-in is read again under the lock)."""
    place = Registration.objects.filter(
        event=event, user=actor, status=RegistrationStatus.CHECKED_IN
    )
    if not lock_rows(place):
        raise ApplicationError(NOT_CHECKED_IN, code="not_a_voter", status=403)


@transaction.atomic
def vote_cast(*, actor, event, submission, now=None) -> Vote:
    """`actor`'s people's choice vote for `submission` (an entry of `event` handed in, not
    their own team's), replacing their earlier vote; refused outside the window."""
    now = now or timezone.now()
    _open_vote_for(actor, event, now)
    if submission is None or submission.event_id != event.pk or submission.status not in HANDED_IN:
        raise ApplicationError("Choose one of this event's entries.", code="not_an_entry")
    own = team_of(event, actor)
    if own is not None and own.pk == submission.team_id:
        raise ApplicationError("You cannot vote for your own team.", code="own_team")
    _lock_place(actor, event)
    vote = Vote.objects.filter(event=event, voter=actor).first()
    hold_race_window()  # test-only: a second vote of the same person would read the same
    if vote is None:
        vote = Vote.objects.create(event=event, voter=actor, submission=submission)
    elif vote.submission_id != submission.pk:
        vote.submission = submission
        vote.save(update_fields=["submission"])
    # Who voted is recorded, not for whom: the ballot stays private.
    audit_record(actor=actor, action="vote.cast", target=event)
    return vote


@transaction.atomic
def vote_withdraw(*, actor, event, now=None) -> None:
    now = now or timezone.now()
    _open_vote_for(actor, event, now)
    _lock_place(actor, event)
    deleted, _ = Vote.objects.filter(event=event, voter=actor).delete()
    if not deleted:
        raise ApplicationError("You have not voted.", code="no_vote_cast")
    audit_record(actor=actor, action="vote.withdrawn", target=event)
