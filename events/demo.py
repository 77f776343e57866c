"""Demo data for the events app: the first Community Data Hackathon and its follow-up.

Facts about the December 2024 event come from the organisers' own write-up. Everything
is created with get_or_create on natural keys, so running the seed again changes nothing;
the follow-up's dates are fixed on the first run (a few weeks ahead of that day).
"""

import datetime
from zoneinfo import ZoneInfo

from allauth.account.models import EmailAddress
from django.utils import timezone

from accounts.enums import DEFAULT_SKILLS
from accounts.models import Skill, User
from events.enums import RoleKind, ScheduleKind
from events.extensions import demo_seeders
from events.models import Challenge, Event, EventRole, ScheduleItem, Series, Theme

LONDON = ZoneInfo("Europe/London")
DEMO_PASSWORD = "civichack-demo"  # noqa: S105 — printed for the demo; never a real account

# (key, email, display name, participant type, organisation, skills)
PEOPLE = [
    (
        "organiser",
        "organiser@civichack.test",
        "Olivia Okafor",
        "local_professional",
        "Civic Data Cooperative",
        ["project-management", "storytelling"],
    ),
    (
        "judge",
        "judge@civichack.test",
        "Jamal Hughes",
        "researcher",
        "University of Liverpool",
        ["data-analysis", "domain-knowledge"],
    ),
    (
        "mentor",
        "mentor@civichack.test",
        "Megan Price",
        "developer",
        "Liverpool City Region CA",
        ["coding", "data-analysis"],
    ),
    (
        "student",
        "student@civichack.test",
        "Sam Patel",
        "student",
        "Liverpool John Moores University",
        ["data-analysis", "coding"],
    ),
    (
        "researcher",
        "researcher@civichack.test",
        "Rhiannon Doyle",
        "researcher",
        "University of Liverpool",
        ["data-analysis", "storytelling"],
    ),
    (
        "developer",
        "developer@civichack.test",
        "Dev Kowalski",
        "developer",
        "Freelance",
        ["coding", "design-ux"],
    ),
    (
        "professional",
        "professional@civichack.test",
        "Priya Shah",
        "local_professional",
        "Halton Borough Council",
        ["domain-knowledge", "project-management"],
    ),
    (
        "community",
        "community@civichack.test",
        "Carol Byrne",
        "community_researcher",
        "Round 'Ere, Widnes",
        ["domain-knowledge", "storytelling"],
    ),
    (
        "volunteer",
        "volunteer@civichack.test",
        "Viv Adeyemi",
        "student",
        "Liverpool John Moores University",
        ["project-management"],
    ),
]

THEMES = [
    (
        "community-support",
        "Community support",
        "How data can help people find and shape the support around them.",
    ),
    (
        "data-integration",
        "Data integration",
        "Joining datasets that are rarely seen together to answer local questions.",
    ),
    (
        "local-strengths",
        "Local strengths",
        "Starting from what neighbourhoods have, not only from what they lack.",
    ),
]

# (slug, theme slug, title, brief, partner)
CHALLENGES = [
    (
        "access-to-services-widnes",
        "community-support",
        "Access to services in Widnes",
        "Make public services in neighbourhoods like Widnes easier to understand and navigate, "
        "drawing on what community researchers heard from residents.",
        "Round 'Ere community researchers",
    ),
    (
        "jobs-and-green-space",
        "data-integration",
        "Jobs and green space",
        "Bring unemployment, job opportunity and green space data together so people can see "
        "them side by side for their area.",
        "",
    ),
    (
        "active-travel-and-deprivation",
        "local-strengths",
        "Active travel and deprivation",
        "Explore how walking and cycling trends intersect with deprivation and population "
        "change across the Liverpool City Region.",
        "",
    ),
]

# (hour, minute, minutes, kind, title, description)
DECEMBER_SCHEDULE = [
    (9, 30, 30, ScheduleKind.ARRIVAL, "Arrival, coffee and registration", ""),
    (
        10,
        0,
        45,
        ScheduleKind.TALK,
        "Opening conversation: Round 'Ere",
        "Community researchers from Widnes on how lived experience and local knowledge "
        "can shape meaningful data tools.",
    ),
    (
        10,
        45,
        30,
        ScheduleKind.TEAM_WORK,
        "Forming teams and meeting the datasets",
        "Unemployment, population change and active travel data for the city region.",
    ),
    (11, 15, 75, ScheduleKind.TEAM_WORK, "Team work", ""),
    (12, 30, 45, ScheduleKind.BREAK, "Lunch", ""),
    (13, 15, 135, ScheduleKind.TEAM_WORK, "Team work continues", ""),
    (
        15,
        30,
        60,
        ScheduleKind.PRESENTATIONS,
        "Team presentations",
        "Each team presents its ideas to the room and the judges.",
    ),
    (16, 30, 30, ScheduleKind.CLOSING, "Judges' feedback and close", ""),
]


def _at(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LONDON)


def demo_account(demo, *, key: str, email: str, label: str, **fields):
    """The demo account `key`: made once with `fields`, signing in with DEMO_PASSWORD at
    a verified address, and listed among the printed logins as `label`. Returns
    (user, created)."""
    user, created = User.objects.get_or_create(email=email, defaults=fields)
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.get_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    demo["users"][key] = user
    demo["logins"].append((email, DEMO_PASSWORD, label))
    return user, created


def seed_people(demo):
    # A migration adds these; asking again keeps the demo whole on a flushed database.
    skills = {
        slug: Skill.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        for slug, name in DEFAULT_SKILLS
    }
    for key, email, name, participant_type, organisation, skill_slugs in PEOPLE:
        user, created = demo_account(
            demo, key=key, email=email, label=f"{name} ({key})", display_name=name,
            participant_type=participant_type, organisation=organisation,
        )  # fmt: skip
        if created:
            user.skills.set([skills[slug] for slug in skill_slugs])
    demo_account(
        demo, key="admin", email="admin@civichack.test",
        label="superuser (Django admin at /admin/)", display_name="Site administrator",
        is_staff=True, is_superuser=True,
    )  # fmt: skip


def _programme(event, schedule_day=None):
    themes = {}
    for order, (slug, name, description) in enumerate(THEMES):
        themes[slug], _ = Theme.objects.get_or_create(
            event=event,
            slug=slug,
            defaults={"name": name, "description": description, "order": order},
        )
    for order, (slug, theme_slug, title, brief, partner) in enumerate(CHALLENGES):
        Challenge.objects.get_or_create(
            event=event,
            slug=slug,
            defaults={
                "theme": themes[theme_slug],
                "title": title,
                "brief": brief,
                "partner_organisation": partner,
                "order": order,
            },
        )
    day = schedule_day or timezone.localtime(event.starts_at, LONDON).date()
    for hour, minute, minutes, kind, title, description in DECEMBER_SCHEDULE:
        starts_at = _at(day, hour, minute)
        ScheduleItem.objects.get_or_create(
            event=event,
            title=title,
            defaults={
                "kind": kind,
                "starts_at": starts_at,
                "ends_at": starts_at + datetime.timedelta(minutes=minutes),
                "description": description,
            },
        )


def demo_role(event, user, role):
    EventRole.objects.get_or_create(
        event=event,
        role=role,
        email=user.email,
        defaults={"user": user, "accepted_at": timezone.now()},
    )


def seed_events(demo):
    series, _ = Series.objects.get_or_create(
        slug="community-data-hackathons",
        defaults={
            "name": "Community Data Hackathons",
            "description": "The Greater Data Programme's hackathons, each shaped by the "
            "feedback from the one before.",
        },
    )
    december_day = datetime.date(2024, 12, 6)
    december, _ = Event.objects.get_or_create(
        slug="community-data-hackathon-2024",
        defaults={
            "series": series,
            "name": "Community Data Hackathon",
            "tagline": "Community through data: turning information into action.",
            "description": (
                "Our first Community Data Hackathon brought together people from across the "
                "Liverpool City Region (students, researchers, developers and local "
                "professionals) to explore how data could be used to make life better for "
                "communities.\n\nTeams worked with real datasets covering unemployment, "
                "population change and active travel, and presented their ideas at the end "
                "of the day."
            ),
            "venue_name": "Municipal Hotel",
            "venue_address": "Dale Street, Liverpool City Centre, L2 2PF",
            "starts_at": _at(december_day, 9, 30),
            "ends_at": _at(december_day, 17, 0),
            "capacity": 60,
            "registration_opens_at": _at(datetime.date(2024, 10, 21), 9),
            "registration_closes_at": _at(datetime.date(2024, 12, 4), 23, 59),
            "submission_deadline": _at(december_day, 15, 15),
            "is_published": True,
        },
    )
    _programme(december)

    first_run = timezone.localdate()
    next_day = first_run + datetime.timedelta(weeks=6)
    follow_up, _ = Event.objects.get_or_create(
        slug="community-data-hackathon-2",
        defaults={
            "series": series,
            "previous_event": december,
            "name": "Community Data Hackathon: the second",
            "tagline": "Announced for spring/summer, shaped by what we learned in December.",
            "description": (
                "Our second Community Data Hackathon builds on the feedback, ideas and "
                "connections from the first, and on the outcomes of the Greater Data "
                "Programme. Registration is open."
            ),
            "venue_name": "Municipal Hotel",
            "venue_address": "Dale Street, Liverpool City Centre, L2 2PF",
            "starts_at": _at(next_day, 9, 30),
            "ends_at": _at(next_day, 17, 0),
            "capacity": 40,
            "registration_opens_at": _at(first_run - datetime.timedelta(days=1), 9),
            "registration_closes_at": _at(next_day - datetime.timedelta(days=2), 23, 59),
            "submission_deadline": _at(next_day, 15, 15),
            "is_published": True,
        },
    )
    _programme(follow_up)

    users = demo["users"]
    for event in (december, follow_up):
        demo_role(event, users["organiser"], RoleKind.ORGANISER)
        demo_role(event, users["mentor"], RoleKind.MENTOR)
    demo_role(december, users["judge"], RoleKind.JUDGE)
    demo_role(follow_up, users["volunteer"], RoleKind.VOLUNTEER)
    demo["events"].update(december=december, follow_up=follow_up)


demo_seeders.register("people", seed_people, order=0)
demo_seeders.register("events", seed_events, order=10)
