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
