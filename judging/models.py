from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from common.input import text_problem
from common.models import TimeStampedModel, bounded_text
from judging.enums import ConflictKind, PrizeKind

MAX_SCALE = 100


class Criterion(models.Model):
    """One criterion of an event's rubric, scored by judges on its own scale.

    A criterion scoped to a theme or a challenge is reported as a category score of its
    own and kept out of the overall total, so totals stay comparable across teams.
    `levels` describes what a score means: [[score, descriptor], ...], each score within
    the scale, at most once.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(max_length=120)
    description = bounded_text(2000, blank=True)
    levels = models.JSONField(default=list, blank=True)
    weight = models.DecimalField(max_digits=4, decimal_places=1, default=1)
    scale_min = models.PositiveSmallIntegerField(default=1)
    scale_max = models.PositiveSmallIntegerField(default=5)
    # PROTECT: deleting the theme or challenge would otherwise change what judges scored.
    theme = models.ForeignKey(
        "events.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    challenge = models.ForeignKey(
        "events.Challenge", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        verbose_name_plural = "criteria"
        constraints = [
            models.UniqueConstraint(
                fields=["event", "name"], name="criterion_name_unique_in_event"
            ),
            models.CheckConstraint(
                condition=models.Q(weight__gt=0), name="criterion_weight_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(scale_max__gt=models.F("scale_min"), scale_max__lte=MAX_SCALE),
                name="criterion_scale_ordered_and_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(theme__isnull=True) | models.Q(challenge__isnull=True),
                name="criterion_scoped_to_theme_or_challenge_not_both",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def scope(self):
        """The theme or challenge the criterion is scoped to, or None for every team."""
        return self.challenge or self.theme

    def clean(self):
        errors = {}
        for field in ("theme", "challenge"):
            scoped = getattr(self, field)
            if scoped is not None and self.event_id and scoped.event_id != self.event_id:
                errors[field] = f"Choose one of this event's {field}s."
        if self.theme_id and self.challenge_id:
            errors["challenge"] = "Scope the criterion to a theme or to a challenge, not both."
        if self.scale_min is not None and self.scale_max is not None:
            if self.scale_max <= self.scale_min:
                errors["scale_max"] = "The highest score must be above the lowest."
            elif self.scale_max > MAX_SCALE:
                errors["scale_max"] = f"The highest score can be at most {MAX_SCALE}."
            else:
                problem = levels_problem(self.levels, self.scale_min, self.scale_max)
                if problem:
                    errors["levels"] = problem
        if errors:
            raise ValidationError(errors)


MAX_DESCRIPTOR = 300


def levels_problem(levels, scale_min: int, scale_max: int) -> str | None:
    """What is wrong with `levels` for a criterion scored from scale_min to scale_max, or
    None: a list of [score, descriptor] pairs, scores whole and within the scale, each once,
    descriptors of 1 to MAX_DESCRIPTOR characters."""
    if not isinstance(levels, list):
        return "Describe the levels as a list of scores and what each means."
    seen = set()
    for level in levels:
        if not (isinstance(level, list | tuple) and len(level) == 2):
            return "Each level is a score and what it means."
        score, descriptor = level
        if isinstance(score, bool) or not isinstance(score, int):
            return "Each level's score must be a whole number."
        if not scale_min <= score <= scale_max:
            return f"The level {score} is outside the scale, {scale_min} to {scale_max}."
        if score in seen:
            return f"The level {score} is described twice."
        seen.add(score)
        if not isinstance(descriptor, str) or not descriptor.strip():
            return f"Say what a score of {score} means."
        if text_problem(descriptor):
            return f"The level {score}: {text_problem(descriptor)}"
        if len(descriptor) > MAX_DESCRIPTOR:
            return f"Describe the level {score} in at most {MAX_DESCRIPTOR} characters."
    return None


class Room(models.Model):
    """A room where teams present, with its panel of judges."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="rooms")
    name = models.CharField(max_length=120)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="room_name_unique_in_event")
        ]

    def __str__(self):
        return self.name


class Judge(models.Model):
    """A judge of one event, on the panel of one room: the row their scores are keyed to.

    The account is set null when it is erased, so an erased judge's scores still group
    together and results do not move.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="judges")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="judge_seats",
    )
    room = models.ForeignKey(
        Room, null=True, blank=True, on_delete=models.SET_NULL, related_name="panel"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="judge_once_per_event")
        ]

    def __str__(self):
        return str(self.user) if self.user_id else f"Judge {self.pk} (account erased)"


class ScoreSheet(TimeStampedModel):
    """One judge's scores of one submission, with their notes."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="sheets")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="score_sheets"
    )
    note_to_organisers = bounded_text(2000, blank=True)
    feedback_for_team = bounded_text(4000, blank=True)
    # Whether the sheet counts in the results, fixed when judging is locked so published
    # results never move (None while judging is open: judging.selectors.counted_pairs).
    counts = models.BooleanField(null=True, editable=False)
    # Its overall criteria's points (judging.results rule 1), kept as its scores and the
    # rubric's weights change (judging.services.totals), so results read a row per sheet
    # rather than per score. None while it has no overall criterion scored.
    total = models.FloatField(null=True, editable=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "submission"], name="score_sheet_once_per_judge_and_submission"
            )
        ]

    def __str__(self):
        return f"{self.judge} on {self.submission}"


class Score(models.Model):
    """One criterion's score on a sheet: one per (judge, submission, criterion), as the
    sheet is one per (judge, submission)."""

    sheet = models.ForeignKey(ScoreSheet, on_delete=models.CASCADE, related_name="scores")
    # PROTECT: a criterion already scored cannot vanish from under the results.
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.SmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sheet", "criterion"], name="score_once_per_sheet_and_criterion"
            )
        ]

    def __str__(self):
        return f"{self.criterion}: {self.value}"


class PresentationSlot(models.Model):
    """A time in a room when one team presents its submission."""

    room = models.ForeignKey(Room, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    submission = models.OneToOneField(
        "submissions.Submission",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="presentation_slot",
    )

    class Meta:
        ordering = ["starts_at", "room", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["room", "starts_at"], name="slot_once_per_room_time"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self):
        return f"{self.room} at {self.starts_at:%H:%M}"


class Conflict(models.Model):
    """A judge's conflict of interest with a team, a person or an organisation, declared
    by the judge or added by organisers. A judge's own team, and teams with an author of
    the judge's organisation, are conflicts without a row (judging.selectors)."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="conflicts")
    kind = models.CharField(max_length=12, choices=ConflictKind.choices)
    team = models.ForeignKey("teams.Team", null=True, blank=True, on_delete=models.CASCADE)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )  # fmt: skip
    organisation = models.CharField(max_length=150, blank=True)
    reason = bounded_text(500, blank=True)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(kind=ConflictKind.TEAM, team__isnull=False, person__isnull=True,
                             organisation="")
                    | models.Q(kind=ConflictKind.PERSON, team__isnull=True, person__isnull=False,
                               organisation="")
                    | (models.Q(kind=ConflictKind.ORGANISATION, team__isnull=True,
                                person__isnull=True) & ~models.Q(organisation=""))
                ),
                name="conflict_names_one_thing_of_its_kind",
            ),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.judge}: {self.get_kind_display().lower()}"


class Assignment(TimeStampedModel):
    """A judge's assignment to score one submission: the only source of judging rights.
    `absent_at` is set when the judge marks the team absent (it leaves their queue)."""

    judge = models.ForeignKey(Judge, on_delete=models.CASCADE, related_name="assignments")
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="judge_assignments"
    )
    absent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["judge", "submission"], name="assignment_once_per_judge_and_submission"
            )
        ]

    def __str__(self):
        return f"{self.judge} scores {self.submission}"


class Prize(models.Model):
    """A prize of an event: overall, for one theme or challenge, a special award, or the
    people's choice (decided by participants' votes, within its voting window).

    `winner` is set null when the entry is deleted (its team erased, say): PROTECT would
    let an award block an erasure, and the audit log keeps who was awarded what.
    """

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="prizes")
    name = models.CharField(max_length=120)
    description = bounded_text(2000, blank=True)
    kind = models.CharField(max_length=16, choices=PrizeKind.choices)
    # PROTECT, as for criteria: a theme or challenge with a prize is not deleted from under it.
    theme = models.ForeignKey(
        "events.Theme", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    challenge = models.ForeignKey(
        "events.Challenge", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    order = models.PositiveSmallIntegerField(default=0)
    voting_opens_at = models.DateTimeField(null=True, blank=True)
    voting_closes_at = models.DateTimeField(null=True, blank=True)
    winner = models.ForeignKey(
        "submissions.Submission", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="prizes_won",
    )  # fmt: skip

    class Meta:
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["event", "name"], name="prize_name_unique_in_event"),
            # Votes are one per person per event, so one people's choice per event.
            models.UniqueConstraint(
                fields=["event"], condition=models.Q(kind=PrizeKind.PEOPLES_CHOICE),
                name="prize_one_peoples_choice_per_event",
                violation_error_message="This event already has a people's choice.",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=PrizeKind.THEME, theme__isnull=False, challenge__isnull=True)
                    | models.Q(kind=PrizeKind.CHALLENGE, theme__isnull=True,
                               challenge__isnull=False)
                    | (~models.Q(kind__in=[PrizeKind.THEME, PrizeKind.CHALLENGE])
                       & models.Q(theme__isnull=True, challenge__isnull=True))
                ),
                name="prize_scope_matches_kind",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(kind=PrizeKind.PEOPLES_CHOICE,
                             voting_closes_at__gt=models.F("voting_opens_at"))
                    | (~models.Q(kind=PrizeKind.PEOPLES_CHOICE)
                       & models.Q(voting_opens_at__isnull=True, voting_closes_at__isnull=True))
                ),
                name="prize_voting_window_only_for_peoples_choice_and_ordered",
            ),
        ]  # fmt: skip

    def __str__(self):
        return self.name

    @property
    def scope(self):
        """The theme or challenge the prize is for, or None."""
        return self.challenge or self.theme

    def voting_is_open(self, now) -> bool:
        return (
            self.kind == PrizeKind.PEOPLES_CHOICE
            and self.voting_opens_at <= now < self.voting_closes_at
        )

    def clean(self):
        errors = {}
        for field in ("theme", "challenge"):
            scoped = getattr(self, field)
            if scoped is not None and self.event_id and scoped.event_id != self.event_id:
                errors[field] = f"Choose one of this event's {field}s."
            elif scoped is None and self.kind == field:
                errors[field] = f"Choose the {field} the prize is for."
            elif scoped is not None and self.kind != field:
                errors[field] = f"Only a {field} prize is for one {field}."
        if self.kind == PrizeKind.PEOPLES_CHOICE:
            if self.voting_opens_at is None or self.voting_closes_at is None:
                errors["voting_opens_at"] = "Say when voting opens and when it closes."
            elif self.voting_closes_at <= self.voting_opens_at:
                errors["voting_closes_at"] = "Voting must close after it opens."
        elif self.voting_opens_at is not None or self.voting_closes_at is not None:
            errors["voting_opens_at"] = "Only the people's choice has a voting window."
        if errors:
            raise ValidationError(errors)


class Vote(models.Model):
    """A participant's people's choice vote: one per person per event (the constraint).
    Deleted with the voter's account (CASCADE): a vote is theirs alone, and the count it
    made is not kept after they are gone."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="votes")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="votes"
    )
    submission = models.ForeignKey(
        "submissions.Submission", on_delete=models.CASCADE, related_name="votes"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "voter"], name="vote_once_per_person_per_event"
            )
        ]

    def __str__(self):
        return f"Vote of {self.voter} at {self.event}"
