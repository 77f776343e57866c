from django.db import models


class MemberRole(models.TextChoices):
    LEAD = "lead", "Team lead"
    MEMBER = "member", "Member"


class JoinRequestStatus(models.TextChoices):
    PENDING = "pending", "Waiting for the team lead"
    APPROVED = "approved", "Approved"
    DECLINED = "declined", "Declined"
    WITHDRAWN = "withdrawn", "Withdrawn"
    # The person joined another team, or the team disbanded, before a decision.
    CLOSED = "closed", "Closed"


class MatchingStatus(models.TextChoices):
    PROPOSED = "proposed", "Proposed"
    APPLIED = "applied", "Applied"
    DISCARDED = "discarded", "Discarded"


class HelpStatus(models.TextChoices):
    OPEN = "open", "Waiting for a mentor"
    CLAIMED = "claimed", "A mentor is coming"
    RESOLVED = "resolved", "Resolved"
    CANCELLED = "cancelled", "Cancelled"


class TeamActor(models.TextChoices):
    """Who moves a join request or a matching run."""

    LEAD = "lead", "the team's lead"
    REQUESTER = "requester", "the person who asked"
    ORGANISER = "organiser", "organisers"
    # Someone joined a team, a team ended, or someone no longer takes part.
    SYSTEM = "system", "the system"


_R, _M, _A = JoinRequestStatus, MatchingStatus, TeamActor

# The lifecycles of join requests and matching runs: every move, and who may make it.
# teams.transitions holds the one service of each, which refuses any other move.
JOIN_REQUEST_MOVES: dict[tuple[str, str], frozenset[str]] = {
    (_R.PENDING, _R.APPROVED): frozenset({_A.LEAD}),
    (_R.PENDING, _R.DECLINED): frozenset({_A.LEAD}),
    (_R.PENDING, _R.WITHDRAWN): frozenset({_A.REQUESTER}),
    (_R.PENDING, _R.CLOSED): frozenset({_A.SYSTEM}),
}
# A new proposal supersedes the one before it: the organiser who proposes discards it.
MATCHING_RUN_MOVES: dict[tuple[str, str], frozenset[str]] = {
    (_M.PROPOSED, _M.APPLIED): frozenset({_A.ORGANISER}),
    (_M.PROPOSED, _M.DISCARDED): frozenset({_A.ORGANISER}),
}
