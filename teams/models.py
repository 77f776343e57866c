import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from common.models import TimeStampedModel
from teams.enums import HelpStatus, JoinRequestStatus, MatchingStatus, MemberRole


def new_invite_code() -> str:
    return secrets.token_urlsafe(12)


class TeamPolicy(models.Model):
    """An event's team sizes; the matching and every join respect them."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="team_policy"
    )
    min_size = models.PositiveSmallIntegerField(default=2)
    max_size = models.PositiveSmallIntegerField(default=5)

    class Meta:
        verbose_name_plural = "team policies"
        constraints = [
            models.CheckConstraint(condition=Q(min_size__gte=1), name="team_min_size_positive"),
            models.CheckConstraint(
                condition=Q(max_size__gte=F("min_size")), name="team_max_at_least_min"
            ),
        ]

    def __str__(self):
        return f"Team sizes of {self.event}"


class Team(TimeStampedModel):
    """A team of one event. Its row is the lock its places are taken under."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="teams")
    name = models.CharField(max_length=80)
    description = models.TextField(max_length=1000, blank=True)
    # A team works on a challenge (and so on its theme) or, before choosing one, a theme.
    challenge = models.ForeignKey(
        "events.Challenge", null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )
    theme = models.ForeignKey(
        "events.Theme", null=True, blank=True, on_delete=models.SET_NULL, related_name="teams"
    )
    wanted_skills = models.ManyToManyField("accounts.Skill", blank=True, related_name="+")
    accepts_requests = models.BooleanField(
        default=True, help_text="Shown on the board with its open places; people may ask to join."
    )
    # Where the team works on the day (a table, a room), so a mentor answering its help
    # request can find it; set by anyone in the team.
    location = models.CharField("where the team sits", max_length=80, blank=True)
    invite_code = models.CharField(max_length=24, unique=True, default=new_invite_code)
    formed_by_matching = models.BooleanField(default=False)
    disbanded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                Lower("name"),
                "event",
                condition=Q(disbanded_at__isnull=True),
                name="team_name_unique_in_event",
                violation_error_message="A team of this event already has this name.",
            ),
            models.CheckConstraint(
                condition=Q(challenge__isnull=True) | Q(theme__isnull=True),
                name="team_challenge_or_theme",
                violation_error_message="Choose a challenge or a theme, not both: a challenge "
                "already has its theme.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def focus_theme(self):
        return self.challenge.theme if self.challenge_id else self.theme


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    # The team's event again, so "one team per person per event" is a database constraint.
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    # Empty once the person deleted their account after the event: the team is the
    # event's record, so its place stays, unnamed (teams.contributions.erase_teams).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.CASCADE,
        related_name="team_memberships",
    )
    role = models.CharField(max_length=10, choices=MemberRole.choices, default=MemberRole.MEMBER)
    joined_at = models.DateTimeField()

    class Meta:
        ordering = ["joined_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_team_per_person_per_event"),
            models.UniqueConstraint(
                fields=["team"], condition=Q(role=MemberRole.LEAD), name="one_lead_per_team"
            ),
        ]

    def __str__(self):
        return f"{self.user} in {self.team}"


class JoinRequest(TimeStampedModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="join_requests")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_join_requests"
    )
    message = models.CharField(max_length=300, blank=True)
    status = models.CharField(
        max_length=10, choices=JoinRequestStatus.choices, default=JoinRequestStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=Q(status=JoinRequestStatus.PENDING),
                name="one_pending_request_per_team",
            ),
        ]

    def __str__(self):
        return f"{self.user} asks to join {self.team}"

    @property
    def event(self):
        return self.team.event


class BoardEntry(TimeStampedModel):
    """A participant looking for a team. Skills and type are read from the profile and
    theme interests from the registration; only the pitch is kept here."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="board_entries"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_entries"
    )
    pitch = models.CharField(max_length=300)

    class Meta:
        ordering = ["-updated_at", "id"]
        verbose_name_plural = "board entries"
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="one_board_entry_per_event"),
        ]

    def __str__(self):
        return f"{self.user} looking for a team at {self.event}"


class PartnerPreference(models.Model):
    """ "We want to be together": `user` names the address of someone they want in their
    team. Matching keeps two people together only when each named the other's address,
    so a preference is stored as typed and says nothing about whether the address belongs
    to anyone, let alone to someone with a place."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="partner_preferences"
    )
    partner_email = models.EmailField()  # lower case, as User.email is stored
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "user", "partner_email"], name="partner_email_once"
            ),
        ]

    def __str__(self):
        return f"{self.user} with {self.partner_email}"


class MatchingRun(TimeStampedModel):
    """A proposal of teams, which organisers adjust and then apply in one transaction."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="matching_runs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    seed = models.PositiveIntegerField()
    top_up = models.BooleanField(default=False, help_text="Also fill places in under-filled teams.")
    status = models.CharField(
        max_length=10, choices=MatchingStatus.choices, default=MatchingStatus.PROPOSED
    )
    proposal = models.JSONField(default=dict)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event"],
                condition=Q(status=MatchingStatus.PROPOSED),
                name="one_proposed_matching_run_per_event",
            ),
        ]

    def __str__(self):
        return f"Matching {self.pk} for {self.event}"


class HelpRequest(TimeStampedModel):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="help_requests")
    topic = models.CharField(max_length=120)
    skill = models.ForeignKey(
        "accounts.Skill", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    details = models.TextField(max_length=1000, blank=True)
    status = models.CharField(max_length=10, choices=HelpStatus.choices, default=HelpStatus.OPEN)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self):
        return self.topic

    @property
    def event(self):
        return self.team.event
