"""The teams pages as people use them: who may join and why not, asking before leaving
or disbanding, where a team sits, the help queue's live part and history, and the
matching page in words."""

import datetime
import re

import pytest
from django.urls import reverse

from accounts.models import Skill, User
from events.enums import RoleKind
from registration.enums import RegistrationStatus
from registration.models import Registration
from teams import proposals, services
from teams.enums import HelpStatus
from teams.help_queue import HISTORY_PAGE_SIZE
from teams.models import HelpRequest, Team
from teams.selectors import join_check
from tests.factories import EventFactory, EventRoleFactory, ThemeFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db


def _waitlisted(event):
    person = UserFactory()
    registration = register(event, person)
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.WAITLISTED)
    return person


# --- Who may join, and why not -------------------------------------------------------


def test_join_check_allows_a_participant_without_a_team_and_counts_places():
    event = EventFactory()
    team = team_with(event, members=1)

    check = join_check(team, participant(event))

    assert (check.allowed, check.places.taken, check.places.left) == (True, 2, 3)


def test_join_check_names_each_reason_with_its_status():
    event = EventFactory()
    team = team_with(event, name="Data Dogs", members=1)
    other = team_with(event, name="Map Makers")
    full = team_with(event, name="Full House", members=4)
    people = {
        "in_this_team": team.memberships.first().user,
        "not_registered": UserFactory(),
        "not_confirmed": _waitlisted(event),
        "in_a_team": other.memberships.get().user,
    }

    checks = {reason: join_check(team, person) for reason, person in people.items()}
    full_check = join_check(full, participant(event))
    after = join_check(team, participant(event), now=event.ends_at + datetime.timedelta(hours=1))

    assert {reason: (c.code, c.status) for reason, c in checks.items()} == {
        "in_this_team": ("in_this_team", 409),
        "not_registered": ("not_registered", 403),
        "not_confirmed": ("not_confirmed", 403),
        "in_a_team": ("in_a_team", 409),
    }
    assert "is not confirmed (your registration is waitlisted)" in checks["not_confirmed"].reason
    assert (
        checks["in_a_team"].reason
        == "You are already in “Map Makers”: leave it first to join another."
    )
    assert (full_check.code, full_check.reason) == (
        "full",
        "“Full House” is full: a team has at most 5 people.",
    )
    assert (after.code, after.status) == ("finished", 409)


def test_invite_page_offers_join_only_to_someone_who_may(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs")
    url = reverse("team_join", args=[team.invite_code])

    client.force_login(participant(event))
    may = client.get(url).content.decode()
    client.force_login(UserFactory())
    may_not = client.get(url).content.decode()

    assert "Join Data Dogs</button>" in may
    assert "Join Data Dogs</button>" not in may_not
    assert f"Only people with a confirmed place at {event.name} can join a team." in may_not
    assert f'href="{reverse("registration_register", args=[event.slug])}"' in may_not


def test_invite_post_refused_by_the_check_changes_nothing(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs")
    waiting = _waitlisted(event)
    client.force_login(waiting)

    response = client.post(reverse("team_join", args=[team.invite_code]))

    assert response.status_code == 403
    assert "is not confirmed" in response.content.decode()
    assert reverse("registration_mine") in response.content.decode()
    assert team.memberships.count() == 1


def test_team_page_shows_places_left_and_why_someone_in_another_team_cannot_join(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs", members=2)
    elsewhere = team_with(event, name="Map Makers")
    client.force_login(elsewhere.memberships.get().user)

    page = client.get(reverse("team_detail", args=[team.pk])).content.decode()

    assert "3 of 5 taken" in page and "2 places left" in page
    assert "You are already in “Map Makers”: leave it first to join another." in page
    assert reverse("team_request", args=[team.pk]) not in page
    assert f'href="{reverse("team_detail", args=[elsewhere.pk])}"' in page


def test_team_page_offers_asking_to_join_to_a_participant_and_says_full_when_full(client):
    event = EventFactory()
    open_team = team_with(event, name="Data Dogs")
    full = team_with(event, name="Full House", members=4)
    client.force_login(participant(event))

    open_page = client.get(reverse("team_detail", args=[open_team.pk])).content.decode()
    full_page = client.get(reverse("team_detail", args=[full.pk])).content.decode()

    assert "Ask to join Data Dogs</button>" in open_page
    assert "“Full House” is full: a team has at most 5 people." in full_page
    assert '<strong class="govuk-tag govuk-tag--red">Full</strong>' in full_page
    assert reverse("team_request", args=[full.pk]) not in full_page


def test_team_page_gives_members_the_invite_link_in_a_readonly_field(client):
    event = EventFactory()
    team = team_with(event)
    client.force_login(team.memberships.get().user)

    page = client.get(reverse("team_detail", args=[team.pk])).content.decode()

    link = f"http://testserver/teams/join/{team.invite_code}/"
    assert re.search(
        rf'<input[^>]*id="invite-link"[^>]*value="{re.escape(link)}"[^>]*readonly', page
    )
    assert 'data-copy-button="Copy the invite link"' in page
    assert "js/copy" in page


# --- Leaving and disbanding ask first ------------------------------------------------


def test_leaving_asks_first_then_leaves(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs", members=1)
    member = team.memberships.get(role="member").user
    client.force_login(member)
    url = reverse("team_leave", args=[team.pk])

    question = client.post(url)
    still_in = team.memberships.filter(user=member).exists()
    done = client.post(url, {"confirmed": "yes"})

    assert question.status_code == 200
    assert "Leave “Data Dogs”?" in question.content.decode()
    assert 'name="confirmed" value="yes"' in question.content.decode()
    assert still_in
    assert done["Location"] == reverse("team_board", args=[event.slug])
    assert not team.memberships.filter(user=member).exists()


def test_disbanding_asks_first_with_a_warning_then_disbands(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs", members=1)
    client.force_login(team.memberships.get(role="lead").user)
    url = reverse("team_disband", args=[team.pk])

    question = client.get(url).content.decode()
    asked_by_post = client.post(url)
    untouched = Team.objects.get(pk=team.pk).disbanded_at is None
    done = client.post(url, {"confirmed": "yes"})

    assert "Disband “Data Dogs”?" in question
    assert "its 2 people are free to join other teams" in question
    assert "This cannot be undone." in question
    assert asked_by_post.status_code == 200 and untouched
    assert done.status_code == 302
    assert Team.objects.get(pk=team.pk).disbanded_at is not None


# --- Where a team sits ---------------------------------------------------------------


def test_any_member_says_where_the_team_sits(client):
    event = EventFactory()
    team = team_with(event, members=1)
    client.force_login(team.memberships.get(role="member").user)

    response = client.post(
        reverse("team_location", args=[team.pk]), {"location": "  Table 7,   main hall "}
    )

    assert response["Location"] == reverse("team_detail", args=[team.pk])
    assert Team.objects.get(pk=team.pk).location == "Table 7, main hall"


def test_a_location_too_long_is_named_on_the_page_and_nothing_changes(client):
    event = EventFactory()
    team = team_with(event)
    services.team_location_set(team=team, actor=None, location="Table 3")
    client.force_login(team.memberships.get().user)

    response = client.post(reverse("team_location", args=[team.pk]), {"location": "x" * 81})

    page = response.content.decode()
    assert response.status_code == 400
    assert "There is a problem" in page
    assert "Ensure this value has at most 80 characters (it has 81)." in page
    assert 'href="#id_location"' in page
    assert Team.objects.get(pk=team.pk).location == "Table 3"


def test_help_form_errors_are_shown_on_the_team_page(client):
    event = EventFactory()
    team = team_with(event)
    client.force_login(team.memberships.get().user)

    response = client.post(reverse("help_raise", args=[team.pk]), {"topic": ""})

    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_topic">This field is required.</a>' in page
    assert not HelpRequest.objects.exists()


# --- The help queue: live part and history -------------------------------------------


def _resolved(team, topic, mentor):
    help_request = services.help_request_create(team=team, user=None, topic=topic)
    services.help_request_move(help_request=help_request, step="claim", actor=mentor)
    return services.help_request_move(help_request=help_request, step="resolve", actor=mentor)


def test_help_queue_page_loads_htmx_and_works_without_it(client):
    event = EventFactory()
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    client.force_login(mentor)

    page = client.get(reverse("help_queue", args=[event.slug])).content.decode()

    live = reverse("help_queue_live", args=[event.slug])
    assert f'hx-get="{live}" hx-trigger="every 15s" hx-swap="outerHTML"' in page
    assert '<script src="/static/vendor/htmx/htmx.min.js"></script>' in page
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false""" in page
    assert (
        f'<a class="govuk-link" href="{reverse("help_queue", args=[event.slug])}">refresh it</a>'
        in page
    )


def test_help_queue_fragment_has_waiting_requests_and_history_with_where_teams_sit(client):
    event = EventFactory()
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    team = team_with(event, name="Data Dogs")
    services.team_location_set(team=team, actor=None, location="Table 3")
    _resolved(team, "Reading a shapefile", mentor)
    services.help_request_create(team=team, user=None, topic="Joining two datasets")
    client.force_login(mentor)

    fragment = client.get(reverse("help_queue_live", args=[event.slug])).content.decode()

    assert fragment.lstrip().startswith('<div id="help-queue-live"')
    assert "<html" not in fragment
    waiting, history = fragment.split('id="history"')
    assert "Joining two datasets" in waiting and "Reading a shapefile" not in waiting
    assert "Reading a shapefile" in history and "Joining two datasets" not in history
    assert waiting.count("Table 3") == history.count("Table 3") == 1
    assert f"{mentor}" in history


def test_help_history_pages_and_a_bad_page_number_shows_a_page(client):
    event = EventFactory()
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    team = team_with(event)
    for n in range(HISTORY_PAGE_SIZE + 1):
        _resolved(team, f"Question {n:02}", mentor)
    client.force_login(mentor)
    url = reverse("help_queue", args=[event.slug])

    first = client.get(url).content.decode()
    second = client.get(url, {"page": "2"}).content.decode()
    nonsense = client.get(url, {"page": "lots"})

    assert "Question 20" in first and "Question 00" not in first
    assert "Page 1 of 2" in first and 'href="?page=2#history"' in first
    assert "Question 00" in second and "Question 20" not in second
    assert f'hx-get="{reverse("help_queue_live", args=[event.slug])}?page=2"' in second
    assert nonsense.status_code == 200 and "Page 1 of 2" in nonsense.content.decode()


def test_help_queue_fragment_queries_flat(client):
    event = EventFactory(capacity=200)
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user
    client.force_login(mentor)

    def add(k):
        for _ in range(k):
            team = team_with(event)
            services.team_location_set(team=team, actor=None, location=f"Table {team.pk}")
            services.help_request_create(team=team, user=None, topic=f"Maps {team.pk}")
            _resolved(team, f"Charts {team.pk}", mentor)

    def fetch():
        response = client.get(reverse("help_queue_live", args=[event.slug]))
        assert response.status_code == 200
        return response

    def shown():
        return [
            *HelpRequest.objects.values_list("topic", flat=True),
            *Team.objects.values_list("location", flat=True),
        ]

    assert_flat_queries(fetch=fetch, add_items=add, shown=shown)


def test_teams_console_shows_where_each_team_sits(client):
    event = EventFactory()
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user
    team = team_with(event, name="Data Dogs")
    services.team_location_set(team=team, actor=None, location="Table 9")
    client.force_login(organiser)

    page = client.get(reverse("teams_console", args=[event.slug])).content.decode()

    assert 'data-label="Where it sits">Table 9</td>' in page


# --- The matching page in words ------------------------------------------------------


def _matching_event():
    event = EventFactory()
    travel = ThemeFactory(event=event, name="Active travel", slug="active-travel")
    coding = Skill.objects.get(slug="coding")
    for n, kind in enumerate(["community_researcher", "student", "developer", "student"]):
        person = UserFactory(display_name=f"Person {n}", participant_type=kind)
        person.skills.set([coding])
        register(event, person, theme_interests=[travel] if n < 3 else [])
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user
    return event, organiser


def test_matching_page_shows_types_skills_and_themes_by_label_and_scores_in_words(client):
    event, organiser = _matching_event()
    run = proposals.matching_propose(event=event, actor=organiser, seed=1)
    client.force_login(organiser)

    page = client.get(reverse("teams_matching", args=[event.slug])).content.decode()

    cell = '<td role="cell" class="govuk-table__cell" data-label='
    assert f'{cell}"Type">Community researcher</td>' in page
    assert f'{cell}"Skills">Coding</td>' in page
    assert f'{cell}"Themes">Active travel</td>' in page
    assert "community_researcher" not in page and "active-travel</td>" not in page
    [team] = run.proposal["teams"]
    assert f"{team['quality']['score']:.1f} of 6 points" in page
    total_skills = Skill.objects.count()
    assert f"Skills: covers 1 of {total_skills}; missing Data analysis," in page
    assert "Theme: 3 of 4 chose Active travel, and 1 chose none, so any theme suits them" in page
    assert (
        "Participant types: 3, Community researcher, Developer and Student (1.0 of 1 point)."
        in page
    )
    assert "Community researchers: 1, within the fair share of 1 per team." in page


def test_a_move_returns_to_the_team_the_person_moved_to(client):
    event, organiser = _matching_event()
    for n in range(4, 8):
        register(event, UserFactory(display_name=f"Person {n}"))
    run = proposals.matching_propose(event=event, actor=organiser, seed=1)
    client.force_login(organiser)
    first, second = run.proposal["teams"][:2]
    mover = first["member_ids"][0]

    response = client.post(
        reverse("teams_matching_move", args=[event.slug, run.pk]),
        {"user": mover, "to": second["key"]},
    )
    page = client.get(response["Location"]).content.decode()

    url = reverse("teams_matching", args=[event.slug])
    assert response["Location"] == f"{url}?moved={mover}#team-{second['key']}"
    section = page.split(f'id="team-{second["key"]}"')[1].split("</section>")[0]
    mover_name = str(User.objects.get(pk=mover))
    assert f"{mover_name} moved here; the scores are updated." in section


def test_a_refused_move_returns_to_the_top_with_the_reason(client):
    event, organiser = _matching_event()
    run = proposals.matching_propose(event=event, actor=organiser, seed=1)
    client.force_login(organiser)

    response = client.post(
        reverse("teams_matching_move", args=[event.slug, run.pk]), {"user": "0", "to": "nowhere"}
    )
    page = reverse("teams_matching", args=[event.slug])
    # Not a person's id: a word, a digit Python's int() refuses, one too long to convert.
    odd = [client.get(page, {"moved": moved}) for moved in ("someone", "²", "1" * 5000)]

    assert response["Location"] == page
    assert [r.status_code for r in odd] == [200, 200, 200]
    assert not any("moved here" in r.content.decode() for r in odd)


# --- The board's filters -------------------------------------------------------------


def test_board_filter_not_offered_is_named_and_left_out(client):
    event = EventFactory()
    team_with(event, name="Data Dogs")
    client.force_login(participant(event))

    response = client.get(reverse("team_board", args=[event.slug]), {"skill": "juggling"})

    page = response.content.decode()
    assert response.status_code == 200
    assert "Select a valid choice. juggling is not one of the available choices." in page
    assert [t.name for t in response.context["teams"]] == ["Data Dogs"]


def test_help_request_states_shown_as_tags_on_the_team_page(client):
    event = EventFactory()
    team = team_with(event)
    services.help_request_create(team=team, user=None, topic="Maps")
    client.force_login(team.memberships.get().user)

    page = client.get(reverse("team_detail", args=[team.pk])).content.decode()

    label = HelpStatus.OPEN.label
    assert f'<strong class="govuk-tag govuk-tag--yellow">{label}</strong>' in page


def test_asking_to_join_is_refused_with_the_same_reason_as_the_page_gives(client):
    event = EventFactory()
    full = team_with(event, name="Full House", members=4)
    client.force_login(participant(event))

    response = client.post(reverse("team_request", args=[full.pk]), follow=True)

    assert "“Full House” is full: a team has at most 5 people." in response.content.decode()
    assert not full.join_requests.exists()


def test_a_note_too_long_is_named_beside_its_field_and_nothing_is_asked(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs")
    client.force_login(participant(event))

    response = client.post(reverse("team_request", args=[team.pk]), {"message": "x" * 301})

    page = response.content.decode()
    assert response.status_code == 400
    assert '<a href="#id_message">Ensure this value has at most 300 characters' in page
    assert not team.join_requests.exists()
