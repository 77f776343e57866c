"""The event's directory of people who took part and want to stay in touch."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from accounts.models import Skill
from common.audit import audit_record
from common.exceptions import ApplicationError
from common.input import text_problem
from events.models import Theme
from feedback.models import DirectoryEntry
from feedback.selectors import audience_members
from registration.models import Registration
from submissions.enums import SubmissionStatus
from submissions.models import Submission
from teams.models import TeamMembership

# The words someone agrees to before their email address is listed; a new wording is a
# new version here, never an edit, so each consent names what was shown.
EMAIL_CONSENT_VERSION = "2026-12"
EMAIL_CONSENT_TEXTS = {
    "2026-12": "Show my email address to the people who can see this directory, so they "
    "can write to me. I can take it off at any time.",
}
ABOUT_LIMIT = DirectoryEntry._meta.get_field("about").max_length


def may_join(event, user) -> bool:
    """Whoever the survey asks (accepted roles, participants who checked in), once the
    event has ended."""
    return (
        user.is_authenticated
        and timezone.now() >= event.ends_at
        and user.pk in audience_members(event)
    )


@transaction.atomic
def directory_join(*, event, user, about: str = "", shares_email: bool = False, now=None):
    """List `user` in `event`'s directory, or change their entry; returns it."""
    now = now or timezone.now()
    about = " ".join(str(about or "").split())
    problem = text_problem(about) or (
        f"At most {ABOUT_LIMIT} characters." if len(about) > ABOUT_LIMIT else None
    )
    if problem:
        raise ApplicationError(f"About: {problem}", details={"about": [problem]})
    if not may_join(event, user):
        raise ApplicationError(
            "The directory is for the people who took part, from the end of the event.",
            code="not_allowed",
            status=403,
        )
    entry, created = DirectoryEntry.objects.select_for_update(of=("self",)).get_or_create(
        event=event, user=user, defaults={"about": about}
    )
    entry.about = about
    if shares_email and not entry.shares_email:
        entry.email_consent_version, entry.email_consented_at = EMAIL_CONSENT_VERSION, now
    elif not shares_email:
        entry.email_consent_version, entry.email_consented_at = "", None
    entry.shares_email = bool(shares_email)
    entry.full_clean()
    entry.save()
    audit_record(
        actor=user,
        action="directory.joined" if created else "directory.changed",
        target=entry,
        data={"shares_email": entry.shares_email, "consent": entry.email_consent_version},
    )
    return entry


@transaction.atomic
def directory_leave(*, event, user) -> bool:
    """Take `user` off the directory; returns whether they were on it."""
    deleted, _ = DirectoryEntry.objects.filter(event=event, user=user).delete()
    if deleted:
        audit_record(actor=user, action="directory.left", target=event)
    return bool(deleted)


@dataclass(frozen=True)
class Listing:
    name: str
    organisation: str
    about: str
    skills: list[str]
    interests: list[str]
    team: str
    project: str
    email: str  # empty unless they consented to show it


def directory_listings(event) -> list[Listing]:
    """The event's directory, by name, in five queries whatever its size."""
    entries = list(
        DirectoryEntry.objects.filter(event=event, user__is_active=True)
        .select_related("user")
        .prefetch_related(Prefetch("user__skills", queryset=Skill.objects.order_by("name")))
    )
    user_ids = [entry.user_id for entry in entries]
    interests = {
        registration.user_id: [theme.name for theme in registration.theme_interests.all()]
        for registration in Registration.objects.filter(
            event=event, user_id__in=user_ids
        ).prefetch_related(Prefetch("theme_interests", queryset=Theme.objects.order_by("order")))
    }
    teams = {
        user_id: (team_id, name)
        for user_id, team_id, name in TeamMembership.objects.filter(
            event=event, user_id__in=user_ids
        ).values_list("user_id", "team_id", "team__name")
    }
    # A draft's title is the team's own until they hand it in.
    projects = dict(
        Submission.objects.filter(team_id__in=[team_id for team_id, _ in teams.values()])
        .exclude(status=SubmissionStatus.DRAFT)
        .values_list("team_id", "title")
    )
    listings = [
        Listing(
            name=str(entry.user),
            organisation=entry.user.organisation,
            about=entry.about,
            skills=[skill.name for skill in entry.user.skills.all()],
            interests=interests.get(entry.user_id, []),
            team=teams.get(entry.user_id, (None, ""))[1],
            project=projects.get(teams.get(entry.user_id, (None, ""))[0], ""),
            email=entry.user.email if entry.shares_email else "",
        )
        for entry in entries
    ]
    return sorted(listings, key=lambda listing: listing.name.casefold())
