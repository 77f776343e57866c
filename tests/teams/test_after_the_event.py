"""Once an event is over its teams are its record: nothing changes them, no sweep, no
service, and an account deletion takes only the person's name off their place."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.services import account_delete
from common.exceptions import ApplicationError
from registration import services as registration_services
from registration.enums import RegistrationStatus
from teams import proposals, services
from teams.enums import MemberRole
from teams.models import BoardEntry, JoinRequest, Team, TeamMembership
from tests.factories import EventFactory, UserFactory
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db
HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)


def _move(event, *, starts_at, ends_at):
    """Set the event's dates (everything before it was done while registration was open)."""
    type(event).objects.filter(pk=event.pk).update(
        starts_at=starts_at,
        ends_at=ends_at,
        registration_opens_at=starts_at - 30 * DAY,
        registration_closes_at=starts_at - DAY,
    )
    event.refresh_from_db()


def _finish(event):
    now = timezone.now()
    _move(event, starts_at=now - 8 * HOUR, ends_at=now - 2 * HOUR)


def _state(team):
    """Everything about a team and its requests that a refused change must leave alone."""
    team = Team.objects.get(pk=team.pk)
    return {
        "team": (team.name, team.invite_code, team.disbanded_at),
        "members": sorted(team.memberships.values_list("user_id", "role")),
        "requests": sorted(JoinRequest.objects.values_list("user_id", "status")),
        "teams": Team.objects.count(),
    }


def _lead(team):
    return team.memberships.get(role=MemberRole.LEAD).user


def _members(team):
    return [m.user for m in team.memberships.filter(role=MemberRole.MEMBER)]


def test_no_show_sweep_after_the_event_leaves_a_team_of_three_intact():
    event = EventFactory()
    team = team_with(event, members=2)
    before = _state(team)
    _finish(event)

    marked = registration_services.no_shows_mark(now=event.ends_at + HOUR)

    assert marked == 3
    assert set(event.registrations.values_list("status", flat=True)) == {RegistrationStatus.NO_SHOW}
    assert _state(team) == before
    assert Team.objects.get(pk=team.pk).disbanded_at is None


def test_place_cancelled_once_the_event_runs_leaves_the_team_as_it_is():
    event = EventFactory()
    team = team_with(event, members=1)
    lead = _lead(team)
    before = _state(team)
    now = timezone.now()
    _move(event, starts_at=now - HOUR, ends_at=now + 6 * HOUR)

    registration_services.registration_leave(registration=lead.registrations.get(), actor=lead)

    assert lead.registrations.get().status == RegistrationStatus.CANCELLED
    assert _state(team) == before


@pytest.fixture
def finished():
    """A finished event with a team of two, a pending request, a proposal and people free."""
    event = EventFactory()
    team = team_with(event, members=1)
    free, asking = participant(event), participant(event)
    request = services.join_request_create(team=team, user=asking)
    organiser = UserFactory()
    run = proposals.matching_propose(event=event, actor=organiser, seed=1)
    _finish(event)
    return {
        "event": event,
        "team": team,
        "lead": _lead(team),
        "member": _members(team)[0],
        "free": free,
        "request": request,
        "organiser": organiser,
        "run": run,
    }


CHANGES = {
    "create": lambda w: services.team_create(event=w["event"], user=w["free"], name="Late"),
    "update": lambda w: services.team_update(team=w["team"], actor=w["lead"], name="Renamed"),
    "join": lambda w: services.team_join(
        team=w["team"], user=w["free"], invite_code=w["team"].invite_code
    ),
    "new invite": lambda w: services.invite_code_regenerate(team=w["team"], actor=w["lead"]),
    "ask to join": lambda w: services.join_request_create(team=w["team"], user=w["free"]),
    "approve": lambda w: services.join_request_decide(
        request=w["request"], approve=True, actor=w["lead"]
    ),
    "decline": lambda w: services.join_request_decide(
        request=w["request"], approve=False, actor=w["lead"]
    ),
    "withdraw request": lambda w: services.join_request_withdraw(
        request=w["request"], actor=w["request"].user
    ),
    "leave": lambda w: services.member_leave(team=w["team"], user=w["member"]),
    "remove": lambda w: services.member_remove(team=w["team"], user=w["member"], actor=w["lead"]),
    "lead change": lambda w: services.lead_transfer(
        team=w["team"], to_user=w["member"], actor=w["lead"]
    ),
    "disband": lambda w: services.team_disband(team=w["team"], actor=w["lead"]),
    "withdraw from teams": lambda w: services.participant_withdraw(
        event=w["event"], user=w["member"]
    ),
    "board": lambda w: services.board_entry_set(event=w["event"], user=w["free"], pitch="Maps"),
    "help": lambda w: services.help_request_create(team=w["team"], user=w["lead"], topic="Maps"),
    "propose matching": lambda w: proposals.matching_propose(
        event=w["event"], actor=w["organiser"]
    ),
    "apply matching": lambda w: proposals.matching_apply(run=w["run"], actor=w["organiser"]),
}


@pytest.mark.parametrize("change", CHANGES)
def test_every_team_change_is_refused_after_the_event_and_changes_nothing(finished, change):
    before = _state(finished["team"])

    with pytest.raises(ApplicationError) as raised:
        CHANGES[change](finished)

    assert raised.value.code == "event_finished"
    assert raised.value.status == 409
    assert raised.value.message == "The event has finished, so its teams can no longer change."
    assert _state(finished["team"]) == before


def test_account_deleted_after_the_event_keeps_its_place_in_the_team_unnamed(client):
    event = EventFactory()
    team = team_with(event, members=2)
    lead, (member, _) = _lead(team), _members(team)
    _finish(event)

    account_delete(user=member)
    account_delete(user=lead)

    places = list(TeamMembership.objects.filter(team=team).order_by("joined_at", "id"))
    assert [(m.user, m.role) for m in places[:2]] == [
        (None, MemberRole.LEAD),
        (None, MemberRole.MEMBER),
    ]
    assert places[2].user is not None
    assert Team.objects.get(pk=team.pk).disbanded_at is None
    client.force_login(places[2].user)
    page = client.get(reverse("team_detail", args=[team.pk]))
    assert page.status_code == 200
    assert page.content.decode().count("Erased person") == 2
    api = client.get(f"/api/v1/events/{event.slug}/teams/{team.pk}/")
    assert [(m["id"], m["name"]) for m in api.json()["members"]][:2] == [(None, None), (None, None)]


def test_account_deleted_before_the_event_still_leaves_the_team():
    event = EventFactory()
    team = team_with(event, members=1)
    member = _members(team)[0]
    services.board_entry_set(event=event, user=participant(event), pitch="Maps")

    account_delete(user=member)

    assert list(team.memberships.values_list("user", flat=True)) == [_lead(team).pk]
    assert not TeamMembership.objects.filter(user__isnull=True).exists()
    assert BoardEntry.objects.count() == 1


def test_pages_and_api_answer_a_refusal_after_the_event_not_an_error(client, finished):
    team, lead = finished["team"], finished["lead"]
    client.force_login(lead)

    page = client.post(reverse("team_invite_regenerate", args=[team.pk]), follow=True)
    api = client.post(f"/api/v1/events/{finished['event'].slug}/teams/{team.pk}/disband/")

    assert page.status_code == 200
    assert "its teams can no longer change" in page.content.decode()
    assert api.status_code == 409
    assert api.json()["error"]["code"] == "event_finished"
    assert Team.objects.get(pk=team.pk).invite_code == team.invite_code


def test_team_page_after_the_event_offers_no_change(client, finished):
    team = finished["team"]
    client.force_login(finished["lead"])

    page = client.get(reverse("team_detail", args=[team.pk])).content.decode()

    assert "no longer changes" in page
    for route in ("team_disband", "team_invite_regenerate", "help_raise", "team_edit"):
        assert reverse(route, args=[team.pk]) not in page
    assert reverse("team_request_decide", args=[finished["request"].pk]) not in page
    assert _lead(team).display_name in page  # the team itself is still shown
