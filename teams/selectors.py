"""Reads of teams for pages and the API, with their related rows fetched up front."""

from dataclasses import dataclass

from django.db.models import Count, F, Prefetch, Q

from accounts.models import Skill, User
from events.enums import Phase, RoleKind
from registration.enums import TAKING_PART
from registration.models import Registration
from registration.selectors import participations
from teams.enums import HelpStatus
from teams.models import (
    BoardEntry,
    HelpRequest,
    PartnerPreference,
    Team,
    TeamMembership,
    TeamPolicy,
)

CLOSED_HELP = (HelpStatus.RESOLVED, HelpStatus.CANCELLED)


def teams_settled(event, now=None) -> bool:
    """Whether `event` is over. Its teams are then its record (what is submitted and
    judged refers to them), so nothing changes them any more."""
    return event.phase(now) == Phase.FINISHED


def teams_of_event(event):
    """The event's active teams with their focus and `size`."""
    return (
        Team.objects.filter(event=event, disbanded_at__isnull=True)
        .select_related("challenge__theme", "theme")
        .annotate(size=Count("memberships", distinct=True))
        .order_by("name", "id")
    )


def teams_filtered(event, *, skill="", theme="", with_members=False):
    """Teams as the board and the API show them, with wanted skills (and members)."""
    teams = teams_of_event(event).prefetch_related("wanted_skills")
    if with_members:
        members = TeamMembership.objects.select_related("user").order_by("joined_at", "id")
        teams = teams.prefetch_related(Prefetch("memberships", queryset=members))
    if skill:
        teams = teams.filter(wanted_skills__slug=skill)
    if theme:
        teams = teams.filter(Q(theme__slug=theme) | Q(challenge__theme__slug=theme))
    return teams.distinct()


def board_entries(event, *, skill="", theme=""):
    """People looking for a team, with their profile skills and their registration's
    theme interests (read where they are kept, not copied)."""
    interests = Prefetch(
        "user__registrations",
        queryset=Registration.objects.filter(event=event).prefetch_related("theme_interests"),
        to_attr="registrations_here",
    )
    entries = (
        BoardEntry.objects.filter(event=event, user__in=participations(event).values("user"))
        .select_related("user")
        .prefetch_related(
            Prefetch("user__skills", queryset=Skill.objects.order_by("name")), interests
        )
    )
    if skill:
        entries = entries.filter(user__skills__slug=skill)
    if theme:
        entries = entries.filter(
            user__registrations__event=event, user__registrations__theme_interests__slug=theme
        )
    return entries.distinct()


def help_requests_of(event, *, active_only=False):
    """The event's help requests, oldest first; `active_only`: those still open or claimed."""
    requests = HelpRequest.objects.filter(team__event=event)
    if active_only:
        requests = requests.filter(status__in=[HelpStatus.OPEN, HelpStatus.CLAIMED])
    return requests.select_related("team", "skill", "claimed_by", "raised_by").order_by(
        "created_at", "id"
    )


def help_history(event):
    """The event's closed help requests (resolved or cancelled), the latest first, with
    the team and where it sits."""
    return (
        HelpRequest.objects.filter(team__event=event, status__in=CLOSED_HELP)
        .select_related("team", "skill", "claimed_by")
        .order_by(F("resolved_at").desc(nulls_last=True), "-id")
    )


def team_of(event, user):
    """The user's active team at `event`, or None."""
    if not user.is_authenticated:
        return None
    return Team.objects.filter(event=event, memberships__user=user).first()


def mentors_of(event):
    """The event's mentors with the skills on their profiles, for teams choosing whom to ask."""
    return (
        User.objects.filter(event_roles__event=event, event_roles__role=RoleKind.MENTOR)
        .prefetch_related(Prefetch("skills", queryset=Skill.objects.order_by("name")))
        .order_by("display_name")
    )


def mutual_partners(event) -> list[tuple[int, int]]:
    """(user id, user id) for each two people at `event` who named each other's address:
    the only preferences matching keeps, so naming someone alone decides nothing."""
    named = PartnerPreference.objects.filter(event=event).values_list(
        "user_id", "user__email", "partner_email"
    )
    by_addresses = {(email.lower(), partner): user_id for user_id, email, partner in named}
    return [
        (user_id, other_id)
        for (email, partner), user_id in by_addresses.items()
        if (other_id := by_addresses.get((partner, email))) is not None and user_id < other_id
    ]


@dataclass(frozen=True)
class Places:
    taken: int
    max_size: int

    @property
    def left(self) -> int:
        return max(0, self.max_size - self.taken)


def places_of(team) -> Places:
    """How many of the team's places are taken, of its event's largest team size (the
    model's default size until organisers set one)."""
    policy = TeamPolicy.objects.filter(event_id=team.event_id).first() or TeamPolicy()
    return Places(taken=team.memberships.count(), max_size=policy.max_size)


@dataclass(frozen=True)
class JoinCheck:
    """Whether someone may join a team now and, when not, why (`code`, `reason`) and
    the answer a refused join gets (`status`)."""

    places: Places
    code: str = ""
    reason: str = ""
    status: int = 200
    other_team: Team | None = None

    @property
    def allowed(self) -> bool:
        return not self.code


def join_check(team, user, *, now=None) -> JoinCheck:
    """The one decision of whether `user` may join `team`, read by the team's page (to
    offer a Join or Ask button, or say why not) and by the join view. The services
    decide again under their locks, so a race still ends in a clear refusal."""
    event = team.event
    places = places_of(team)

    def refused(code, reason, status=409, other_team=None):
        return JoinCheck(places, code, reason, status, other_team)

    if teams_settled(event, now):
        return refused("finished", "The event has finished, so its teams no longer change.")
    mine = team_of(event, user)
    if mine is not None and mine.pk == team.pk:
        return refused("in_this_team", "You are in this team.")
    registration = (
        Registration.objects.filter(event=event, user=user).first()
        if user.is_authenticated
        else None
    )
    if registration is None:
        return refused(
            "not_registered",
            f"Only people with a confirmed place at {event} can join a team.",
            status=403,
        )
    if registration.status not in TAKING_PART:
        return refused(
            "not_confirmed",
            f"Your place at {event} is not confirmed "
            f"(your registration is {registration.get_status_display().lower()}): "
            "you can join a team once it is.",
            status=403,
        )
    if mine is not None:
        return refused(
            "in_a_team",
            f"You are already in “{mine}”: leave it first to join another.",
            other_team=mine,
        )
    if places.left == 0:
        return refused("full", f"“{team}” is full: a team has at most {places.max_size} people.")
    return JoinCheck(places)


def team_sizes(event) -> dict[int, int]:
    """{size: how many of the event's teams have it}, disbanded teams left out."""
    sizes = (
        Team.objects.filter(event=event, disbanded_at__isnull=True)
        .annotate(size=Count("memberships"))
        .values_list("size", flat=True)
    )
    counted: dict[int, int] = {}
    for size in sizes:
        counted[size] = counted.get(size, 0) + 1
    return dict(sorted(counted.items()))


def teams_per_theme(event) -> dict[str, int]:
    """{theme name: teams working in it (their own theme or their challenge's)}."""
    rows = (
        Team.objects.filter(event=event, disbanded_at__isnull=True)
        .values_list("theme__name", "challenge__theme__name")
        .order_by()
    )
    counted: dict[str, int] = {}
    for theme, challenge_theme in rows:
        name = challenge_theme or theme
        if name:
            counted[name] = counted.get(name, 0) + 1
    return counted
