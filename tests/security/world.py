"""The data every authorization-matrix row runs against, built fresh for each test.

Three events, so every row can ask "someone else's event" and "a draft" questions:

- A, published: organised by `organiser`, with a pending invitation, and three accepted
  judges: `judge` (no seat), `assigned_judge` (on Room a's panel, assigned A1's entry)
  and `conflicted_judge` (the same, with a declared conflict with team A1);
- B, published: organised by `other_organiser` only;
- D, a draft: organised by `organiser`, so it is theirs but nobody else's business.

`participant` holds a confirmed registration in A; `volunteer` helps at A's door;
`mentor` mentors at A. `team_lead` leads team A1 in A, where `team_member` is a member;
B has a team of its own (B1), and team A1 has an open help request. A1 has submitted
an entry (`world.entries`) and B1 has a draft, each with a CSV output.

Each event has a theme with a challenge, a spare theme without one (so delete rows
delete something, rather than being refused for the challenge), and a schedule item.

The catalogue (`world.catalogue`) is kept by `catalogue_editor` (in the "Catalogue
editors" group, with no role in any event): an open dataset with an uploaded CSV,
featured on A for its challenge; a restricted dataset with terms (version 1) that the
participant accepted, with its own CSV; and an unpublished draft dataset with one.
"""

from dataclasses import dataclass, field

from django.contrib.auth.models import Group

from accounts.models import User
from datasets.models import Dataset, DatasetFeature, DatasetTerms, Resource, TermsAcceptance
from datasets.rules import CATALOGUE_EDITORS
from events.enums import RoleKind
from events.models import Challenge, Event, EventRole, ScheduleItem, Theme
from judging.enums import ConflictKind
from judging.models import Assignment, Conflict, Criterion, Judge, Room
from registration.models import Registration
from submissions.enums import Actor as SubmissionActor
from submissions.enums import SubmissionStatus
from submissions.models import Artifact, DatasetCitation, Submission
from submissions.services.lifecycle import submission_transition
from teams import services as team_services
from teams.models import HelpRequest, JoinRequest, PartnerPreference, Team
from tests.factories import (
    ArtifactFactory,
    ChallengeFactory,
    DatasetFactory,
    DatasetFeatureFactory,
    DatasetTermsFactory,
    EventFactory,
    EventRoleFactory,
    PublisherFactory,
    ResourceFactory,
    ScheduleItemFactory,
    SubmissionFactory,
    ThemeFactory,
    UserFactory,
)
from tests.registration.helpers import register


@dataclass
class EventParts:
    event: Event
    theme: Theme
    spare_theme: Theme
    challenge: Challenge
    schedule_item: ScheduleItem
    organiser_role: EventRole
    criterion: Criterion  # the first of the default rubric
    spare_criterion: Criterion  # the last of it
    room: Room
    spare_room: Room


@dataclass
class Catalogue:
    open_dataset: Dataset  # published, open, featured on A for A's challenge
    open_resource: Resource
    restricted_dataset: Dataset  # published, restricted; the participant accepted v1
    restricted_resource: Resource
    terms: DatasetTerms
    acceptance: TermsAcceptance
    draft_dataset: Dataset  # unpublished
    draft_resource: Resource
    feature: DatasetFeature


@dataclass
class Entries:
    """Team A1's entry (submitted, citing the open dataset, with a CSV output) and team
    B1's (a draft with a CSV output), for the "another event" rows."""

    entry_a: Submission
    artifact_a: Artifact
    citation_a: DatasetCitation
    entry_b: Submission
    artifact_b: Artifact


@dataclass
class World:
    a: EventParts
    b: EventParts
    d: EventParts
    invitation: EventRole  # pending, in A
    registration: Registration  # the participant's confirmed place in A
    team: Team  # A1, in A: led by team_lead, with team_member
    team_b: Team  # B1, in B
    help_request: HelpRequest  # raised by A1, open
    join_request: JoinRequest  # the participant asks to join A1
    partner: PartnerPreference  # the participant wants to be with team_member
    catalogue: Catalogue
    entries: Entries
    # Role holders by role name; roles.py signs them in.
    people: dict[str, User] = field(default_factory=dict)


def _event_parts(*, key: str, organiser: User, published: bool) -> EventParts:
    # Readable slugs (event-a, theme-a, ...) make failing rows easy to follow.
    event = EventFactory(name=f"Event {key.upper()}", slug=f"event-{key}", is_published=published)
    theme = ThemeFactory(event=event, name=f"Theme {key}", slug=f"theme-{key}")
    criteria = list(event.criteria.all())  # the default rubric every new event gets
    return EventParts(
        event=event,
        theme=theme,
        spare_theme=ThemeFactory(
            event=event, name=f"Spare theme {key}", slug=f"spare-theme-{key}", order=9
        ),
        challenge=ChallengeFactory(theme=theme, title=f"Challenge {key}", slug=f"challenge-{key}"),
        schedule_item=ScheduleItemFactory(event=event, title=f"Session {key}"),
        organiser_role=EventRoleFactory(event=event, user=organiser, role=RoleKind.ORGANISER),
        criterion=criteria[0],
        spare_criterion=criteria[-1],
        room=Room.objects.create(event=event, name=f"Room {key}", order=0),
        spare_room=Room.objects.create(event=event, name=f"Spare room {key}", order=9),
    )


def build_world() -> World:
    people = {
        "user": UserFactory(email="user@example.org"),
        "judge": UserFactory(email="judge@example.org"),
        "assigned_judge": UserFactory(email="assigned.judge@example.org"),
        "conflicted_judge": UserFactory(email="conflicted.judge@example.org"),
        "other_organiser": UserFactory(email="other.organiser@example.org"),
        "organiser": UserFactory(email="organiser@example.org"),
        "superuser": UserFactory(email="superuser@example.org", is_superuser=True, is_staff=True),
        "participant": UserFactory(email="participant@example.org"),
        "volunteer": UserFactory(email="volunteer@example.org"),
        "mentor": UserFactory(email="mentor@example.org"),
        "team_lead": UserFactory(email="team.lead@example.org"),
        "team_member": UserFactory(email="team.member@example.org"),
        "catalogue_editor": UserFactory(email="catalogue.editor@example.org"),
    }
    people["catalogue_editor"].groups.add(Group.objects.get(name=CATALOGUE_EDITORS))
    a = _event_parts(key="a", organiser=people["organiser"], published=True)
    b = _event_parts(key="b", organiser=people["other_organiser"], published=True)
    d = _event_parts(key="d", organiser=people["organiser"], published=False)
    for judge in ("judge", "assigned_judge", "conflicted_judge"):
        EventRoleFactory(event=a.event, user=people[judge], role=RoleKind.JUDGE)
    EventRoleFactory(event=a.event, user=people["volunteer"], role=RoleKind.VOLUNTEER)
    invitation = EventRoleFactory(
        event=a.event, user=None, email="invitee@example.org", role=RoleKind.MENTOR
    )
    EventRoleFactory(event=a.event, user=people["mentor"], role=RoleKind.MENTOR)
    registration = register(a.event, people["participant"])
    team = _team(a.event, "A1", people["team_lead"], people["team_member"])
    team_b = _team(b.event, "B1", UserFactory(email="b.lead@example.org"))
    help_request = team_services.help_request_create(
        team=team, user=people["team_member"], topic="Joining two datasets"
    )
    join_request = team_services.join_request_create(team=team, user=people["participant"])
    partner = team_services.partner_add(
        event=a.event, user=people["participant"], partner_email=people["team_member"].email
    )
    catalogue = _catalogue(a, people)
    entries = _entries(team, team_b, catalogue, people)
    _judges_of_a1(a, entries.entry_a, team, people)
    return World(
        a=a,
        b=b,
        d=d,
        invitation=invitation,
        registration=registration,
        team=team,
        team_b=team_b,
        help_request=help_request,
        join_request=join_request,
        partner=partner,
        catalogue=catalogue,
        entries=entries,
        people=people,
    )


def _catalogue(a: EventParts, people: dict[str, User]) -> Catalogue:
    publisher = PublisherFactory(slug="city-region-data", name="City Region Data")
    editor = people["catalogue_editor"]
    open_dataset = DatasetFactory(
        slug="claimants", title="Claimant count", publisher=publisher, created_by=editor
    )
    restricted_dataset = DatasetFactory(
        slug="vacancies",
        title="Job vacancies",
        publisher=publisher,
        access_level="restricted",
        created_by=editor,
    )
    terms = DatasetTermsFactory(dataset=restricted_dataset)
    draft_dataset = DatasetFactory(
        slug="draft-data", title="Draft data", publisher=publisher, is_published=False
    )
    return Catalogue(
        open_dataset=open_dataset,
        open_resource=ResourceFactory(dataset=open_dataset, name="Claimants CSV"),
        restricted_dataset=restricted_dataset,
        restricted_resource=ResourceFactory(dataset=restricted_dataset, name="Vacancies CSV"),
        terms=terms,
        acceptance=TermsAcceptance.objects.create(
            user=people["participant"], dataset=restricted_dataset, version=terms.version
        ),
        draft_dataset=draft_dataset,
        draft_resource=ResourceFactory(dataset=draft_dataset, name="Draft CSV"),
        feature=DatasetFeatureFactory(event=a.event, dataset=open_dataset, challenge=a.challenge),
    )


def _entries(team: Team, team_b: Team, catalogue: Catalogue, people: dict[str, User]) -> Entries:
    lead = people["team_lead"]
    entry_a = SubmissionFactory(team=team, title="Jobs and green space", created_by=lead)
    artifact_a = ArtifactFactory(submission=entry_a, uploaded_by=lead)
    citation_a = DatasetCitation.objects.create(
        submission=entry_a, dataset=catalogue.open_dataset, how_used="Mapped by ward"
    )
    entry_a = submission_transition(
        submission=entry_a, to=SubmissionStatus.SUBMITTED, by=SubmissionActor.MEMBER, actor=lead
    )
    entry_b = SubmissionFactory(team=team_b, title="Walking routes")
    return Entries(
        entry_a=entry_a,
        artifact_a=artifact_a,
        citation_a=citation_a,
        entry_b=entry_b,
        artifact_b=ArtifactFactory(submission=entry_b),
    )


def _judges_of_a1(a: EventParts, entry_a: Submission, team: Team, people: dict[str, User]):
    """Seat the assigned and the conflicted judge on A's room and assign both to A1's
    entry; the conflicted judge then declared a conflict with A1."""
    for name in ("assigned_judge", "conflicted_judge"):
        judge = Judge.objects.create(event=a.event, user=people[name], room=a.room)
        Assignment.objects.create(judge=judge, submission=entry_a)
    Conflict.objects.create(
        judge=judge, kind=ConflictKind.TEAM, team=team, declared_by=people["conflicted_judge"]
    )


def _team(event, name, lead, *members) -> Team:
    for person in (lead, *members):
        register(event, person)
    team = team_services.team_create(event=event, user=lead, name=name)
    for person in members:
        team_services.team_join(team=team, user=person, invite_code=team.invite_code)
    return team
