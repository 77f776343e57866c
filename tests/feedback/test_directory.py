"""The event's directory: who may join and read it, what it lists, and consent."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Skill
from common.exceptions import ApplicationError
from events.enums import RoleKind
from feedback import connections
from feedback.models import DirectoryEntry
from registration.models import Registration
from submissions.enums import SubmissionStatus
from teams.enums import MemberRole
from teams.models import Team, TeamMembership
from tests.factories import EventRoleFactory, SubmissionFactory, ThemeFactory, UserFactory
from tests.feedback.helpers import DAY, attendee, finished_event
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    return finished_event()


def _in_team(event, person, name, title=None, status=SubmissionStatus.SUBMITTED):
    team = Team.objects.create(event=event, name=name)
    TeamMembership.objects.create(
        team=team, event=event, user=person, role=MemberRole.LEAD, joined_at=timezone.now()
    )
    if title:
        SubmissionFactory(team=team, title=title, status=status)
    return team


def test_a_listing_shows_profile_registration_and_team_but_email_only_with_consent(event):
    theme = ThemeFactory(event=event, name="Active travel")
    person = attendee(event, display_name="Ada Byrne", organisation="Halton CVS")
    person.skills.add(Skill.objects.get(name="Coding"))
    Registration.objects.get(event=event, user=person).theme_interests.add(theme)
    _in_team(event, person, "Cycle counters", title="Where people walk")
    quiet = attendee(event, display_name="Bo Quiet")
    _in_team(event, quiet, "Drafters", title="Unfinished", status=SubmissionStatus.DRAFT)

    connections.directory_join(
        event=event, user=person, about="Open data  for councils", shares_email=True
    )
    connections.directory_join(event=event, user=quiet)

    ada, bo = connections.directory_listings(event)
    assert ada == connections.Listing(
        name="Ada Byrne", organisation="Halton CVS", about="Open data for councils",
        skills=["Coding"], interests=["Active travel"], team="Cycle counters",
        project="Where people walk", email=person.email,
    )  # fmt: skip
    assert (bo.email, bo.team, bo.project) == ("", "Drafters", "")
    entry = DirectoryEntry.objects.get(user=person)
    assert entry.email_consent_version == connections.EMAIL_CONSENT_VERSION
    assert entry.email_consented_at is not None


def test_taking_the_email_off_clears_the_consent(event):
    person = attendee(event)
    connections.directory_join(event=event, user=person, shares_email=True)

    connections.directory_join(event=event, user=person, shares_email=False)

    entry = DirectoryEntry.objects.get()
    assert (entry.shares_email, entry.email_consent_version, entry.email_consented_at) == (
        False, "", None,
    )  # fmt: skip
    assert connections.directory_listings(event)[0].email == ""


def test_only_people_who_took_part_may_join_and_only_after_the_event():
    upcoming = finished_event(ended=-datetime.timedelta(days=2))  # ends in two days
    ended = finished_event()
    registered_only = register(  # never checked in
        ended, UserFactory(), now=ended.registration_opens_at + DAY
    ).user
    mentor = EventRoleFactory(event=ended, role=RoleKind.MENTOR).user

    for event, person in [(upcoming, mentor), (ended, registered_only)]:
        with pytest.raises(ApplicationError) as refused:
            connections.directory_join(event=event, user=person)
        assert refused.value.code == "not_allowed"
    connections.directory_join(event=ended, user=mentor)
    assert DirectoryEntry.objects.get().user == mentor


@pytest.mark.parametrize(
    "about, problem",
    [("x" * 201, "At most 200 characters."), ("a\x00b", "Null characters are not allowed.")],
)
def test_bad_about_text_is_refused_naming_the_field(event, about, problem):
    with pytest.raises(ApplicationError) as refused:
        connections.directory_join(event=event, user=attendee(event), about=about)

    assert refused.value.details == {"about": [problem]}
    assert not DirectoryEntry.objects.exists()


def test_page_lets_an_attendee_join_and_leave_and_a_superuser_only_read(client, event):
    person = attendee(event, display_name="Ada Byrne")
    url = reverse("feedback_directory", args=[event.slug])
    client.force_login(person)

    joined = client.post(url, {"action": "join", "about": "Buses", "shares_email": "on"})
    page = client.get(url).content.decode()
    left = client.post(url, {"action": "leave"})

    assert joined.status_code == 302 and left.status_code == 302
    assert "Ada Byrne" in page and person.email in page and "Buses" in page
    assert not DirectoryEntry.objects.exists()
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url).status_code == 200
    assert client.post(url, {"action": "join"}).status_code == 403
    assert not DirectoryEntry.objects.exists()


def test_page_is_not_found_for_someone_who_did_not_take_part(client, event):
    client.force_login(EventRoleFactory().user)

    assert client.get(reverse("feedback_directory", args=[event.slug])).status_code == 404


def test_directory_query_count_does_not_grow_with_its_size(client, event):
    viewer = attendee(event)
    client.force_login(viewer)
    url = reverse("feedback_directory", args=[event.slug])
    names = []

    def add_items(k):
        for _ in range(k):
            person = attendee(event, display_name=f"Person {len(names)}")
            person.skills.add(*Skill.objects.all()[:2])
            _in_team(event, person, f"Team {len(names)}", title=f"Project {len(names)}")
            connections.directory_join(event=event, user=person, shares_email=True)
            names.append(str(person))

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add_items, shown=lambda: names)
