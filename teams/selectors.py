"""Reads of teams for pages and the API, with their related rows fetched up front."""

from django.db.models import Count, Prefetch, Q

from accounts.models import Skill, User
from events.enums import RoleKind
from registration.models import Registration
from registration.selectors import participations
from teams.enums import HelpStatus
from teams.models import BoardEntry, HelpRequest, PartnerPreference, Team, TeamMembership


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
