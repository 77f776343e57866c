import datetime
import re

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import Skill
from events.enums import RoleKind
from registration.enums import RegistrationStatus
from registration.models import Registration
from teams import services
from teams.console import teams_summary
from teams.models import BoardEntry, HelpRequest, PartnerPreference, Team
from teams.selectors import board_entries
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    EventRoleFactory,
    ThemeFactory,
    UserFactory,
)
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db


def test_create_team_page_then_join_by_invite_link(client):
    event = EventFactory()
    theme = ThemeFactory(event=event)
    challenge = ChallengeFactory(event=event, theme=theme)
    lead, joiner = participant(event), participant(event)
    client.force_login(lead)

    created = client.post(
        f"/events/{event.slug}/teams/new/",
        {"name": "Mersey Movers", "challenge": challenge.pk, "accepts_requests": "on"},
    )
    team = Team.objects.get(event=event)
    client.force_login(joiner)
    invite = client.get(f"/teams/join/{team.invite_code}/")
    joined = client.post(f"/teams/join/{team.invite_code}/")

    assert created["Location"] == f"/teams/{team.pk}/"
    assert "Join Mersey Movers" in invite.content.decode()
    assert joined["Location"] == f"/teams/{team.pk}/"
    assert team.memberships.count() == 2


def test_create_with_challenge_and_theme_names_the_problem(client):
    event = EventFactory()
    theme = ThemeFactory(event=event)
    challenge = ChallengeFactory(event=event, theme=theme)
    client.force_login(participant(event))

    response = client.post(
        f"/events/{event.slug}/teams/new/",
        {"name": "Both", "challenge": challenge.pk, "theme": theme.pk},
    )

    assert response.status_code == 400
    assert "Choose a challenge or a theme, not both" in response.content.decode()
    assert not Team.objects.exists()


def test_join_full_team_by_link_says_full(client):
    event = EventFactory()
    team = team_with(event, members=4)
    client.force_login(participant(event))

    response = client.post(f"/teams/join/{team.invite_code}/")

    assert response.status_code == 409
    assert "is full" in response.content.decode()
    assert team.memberships.count() == 5


def test_unknown_invite_code_is_404(client):
    client.force_login(participant(EventFactory()))

    assert client.get("/teams/join/not-a-code/").status_code == 404


def test_board_filters_teams_and_people_by_skill_and_theme(client):
    event = EventFactory()
    walking = ThemeFactory(event=event, name="Active travel", slug="active-travel")
    coding = Skill.objects.get(slug="coding")
    wanted = team_with(event, name="Coders", theme=walking, wanted_skills=[coding])
    team_with(event, name="Others")
    looker = participant(event, display_name="Ada Jones")
    looker.skills.set([coding])
    services.board_entry_set(event=event, user=looker, pitch="Python and maps")
    client.force_login(looker)

    response = client.get(f"/events/{event.slug}/teams/", {"skill": "coding"})
    by_theme = client.get(f"/events/{event.slug}/teams/", {"theme": "active-travel"})

    assert [t.name for t in response.context["teams"]] == [wanted.name]
    assert [e.user.display_name for e in response.context["entries"]] == ["Ada Jones"]
    assert [t.name for t in by_theme.context["teams"]] == ["Coders"]


def test_board_queries_flat(client):
    event = EventFactory(capacity=500)
    viewer = participant(event)
    client.force_login(viewer)

    def add(k):
        for _ in range(k):
            team_with(event, members=1)
            services.board_entry_set(event=event, user=participant(event), pitch="Maps")

    def fetch():
        response = client.get(f"/events/{event.slug}/teams/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: Team.objects.filter(event=event).values_list("name", flat=True),
    )


def test_team_page_queries_flat(client):
    event = EventFactory(capacity=200)
    team = team_with(event)
    client.force_login(team.memberships.get().user)

    def add(k):
        for _ in range(k):
            asking = participant(event)
            services.join_request_create(team=team, user=asking)
            services.help_request_create(team=team, user=None, topic=f"Joins {asking.pk}")

    def fetch():
        response = client.get(f"/teams/{team.pk}/")
        assert response.status_code == 200
        assert "Requests to join" in response.content.decode()
        return response

    def shown():
        asking = [str(r.user) for r in team.join_requests.select_related("user")]
        return asking + list(team.help_requests.values_list("topic", flat=True))

    assert_flat_queries(fetch=fetch, add_items=add, shown=shown)


def test_mentor_claims_from_queue_and_team_sees_who_is_coming(client):
    event = EventFactory()
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    team = team_with(event)
    member = team.memberships.get().user
    help_request = services.help_request_create(team=team, user=member, topic="Joining data")
    client.force_login(mentor)

    queue = client.get(f"/events/{event.slug}/help/")
    claimed = client.post(f"/help/{help_request.pk}/claim/")
    client.force_login(member)
    team_page = client.get(f"/teams/{team.pk}/")

    assert "Joining data" in queue.content.decode()
    assert claimed["Location"] == f"/events/{event.slug}/help/"
    assert f"{mentor} is coming" in team_page.content.decode()


def test_claiming_twice_says_already_claimed(client):
    event = EventFactory()
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    team = team_with(event)
    help_request = services.help_request_create(team=team, user=None, topic="Maps")
    services.help_request_move(help_request=help_request, step="claim", actor=None)
    client.force_login(mentor)

    response = client.post(f"/help/{help_request.pk}/claim/", follow=True)

    assert "cannot be claimed now" in response.content.decode()
    assert HelpRequest.objects.get(pk=help_request.pk).claimed_by is None


def test_help_queue_queries_flat(client):
    event = EventFactory(capacity=200)
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user
    client.force_login(organiser)

    def add(k):
        for _ in range(k):
            team = team_with(event)
            services.help_request_create(team=team, user=None, topic=f"Maps {team.pk}")

    def fetch():
        response = client.get(f"/events/{event.slug}/help/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: HelpRequest.objects.values_list("topic", flat=True),
    )


def test_event_page_shows_teams_to_participants_only(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs")
    client.force_login(team.memberships.get().user)
    member_view = client.get(event.get_absolute_url()).content.decode()
    client.force_login(participant(EventFactory()))
    outsider_view = client.get(event.get_absolute_url()).content.decode()

    assert "Your team: <a" in member_view and "Data Dogs" in member_view
    assert f"/events/{event.slug}/teams/" not in outsider_view


def test_ask_to_join_from_the_board(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs")
    asker = participant(event)
    client.force_login(asker)

    board = client.get(f"/events/{event.slug}/teams/").content.decode()
    client.post(f"/teams/{team.pk}/request/")
    after = client.get(f"/events/{event.slug}/teams/").content.decode()

    assert 'Ask to join<span class="govuk-visually-hidden"> Data Dogs' in board
    assert "You have asked to join." in after
    assert team.join_requests.filter(user=asker).exists()


def test_team_page_lists_mentors_with_their_skills(client):
    event = EventFactory()
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    mentor.skills.set([Skill.objects.get(slug="coding")])
    team = team_with(event)
    client.force_login(team.memberships.get().user)

    response = client.get(f"/teams/{team.pk}/")

    assert f"{mentor} (Coding)" in response.content.decode()


def test_teams_summary_counts_help_requests_open_claimed_and_waiting_long():
    event = EventFactory()
    team = team_with(event)
    lead = team.memberships.get().user
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    old = timezone.now() - datetime.timedelta(minutes=settings.TEAMS_HELP_STALE_MINUTES + 5)
    waiting_long, _fresh, claimed = (
        services.help_request_create(team=team, user=lead, topic=topic)
        for topic in ("Joining datasets", "Charts", "Maps")
    )
    HelpRequest.objects.filter(pk__in=[waiting_long.pk, claimed.pk]).update(created_at=old)
    services.help_request_move(help_request=claimed, step="claim", actor=mentor)

    summary = teams_summary(event, services.team_policy(event))

    assert (summary["open"], summary["claimed"], summary["stale"]) == (2, 1, 1)


def test_board_leaves_out_someone_whose_place_here_is_gone_though_taking_part_elsewhere():
    event, elsewhere = EventFactory(), EventFactory()
    staying, gone = participant(event), participant(event)
    register(elsewhere, gone)
    for person in (staying, gone):
        BoardEntry.objects.create(event=event, user=person, pitch="Maps and stories")
    # Their place here went without the usual clean-up of the board.
    Registration.objects.filter(event=event, user=gone).update(status=RegistrationStatus.CANCELLED)

    assert [entry.user for entry in board_entries(event)] == [staying]


def test_naming_a_partner_answers_the_same_whoever_has_the_address(client):
    """Whether the address has a place, an account without one, or no account at all,
    the answer and the page after it are the same but for the address typed."""
    event = EventFactory()
    person = participant(event)
    with_place = participant(event)
    without_place = UserFactory()
    client.force_login(person)
    url = f"/events/{event.slug}/teams/looking/"

    answers = []
    for address in (with_place.email, without_place.email, "nobody@example.org"):
        response = client.post(url, {"action": "partner", "partner_email": address})
        page = client.get(url).content.decode().replace(address, "@")
        # Tokens and the new preference's id differ from one request to the next.
        page = re.sub(r'csrfmiddlewaretoken" value="\w+"|partners/\d+/', "", page)
        answers.append((response.status_code, response["Location"], page))
        PartnerPreference.objects.all().delete()

    assert answers[0] == answers[1] == answers[2]
    assert answers[0][:2] == (302, url)
    assert "if they name you too" in answers[0][2]
