import json

import pytest

from accounts.services import account_delete
from registration import services as registration_services
from teams import services
from teams.enums import JoinRequestStatus, MemberRole
from teams.models import BoardEntry, PartnerPreference, Team
from tests.factories import EventFactory
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db


def _lead(team):
    return team.memberships.get(role=MemberRole.LEAD).user


def test_cancelled_place_leaves_team_and_lead_passes_on():
    event = EventFactory()
    team = team_with(event, members=2)
    lead = _lead(team)
    first_member = team.memberships.filter(role=MemberRole.MEMBER).order_by("joined_at").first()

    registration_services.registration_leave(registration=lead.registrations.get(), actor=lead)

    assert not team.memberships.filter(user=lead).exists()
    assert _lead(team) == first_member.user


def test_last_member_cancelling_disbands_the_team():
    event = EventFactory()
    team = team_with(event)
    lead = _lead(team)

    registration_services.registration_leave(registration=lead.registrations.get(), actor=lead)

    assert Team.objects.get(pk=team.pk).disbanded_at is not None


def test_team_disbanded_by_its_last_member_leaving_closes_requests_to_join_it():
    event = EventFactory()
    team = team_with(event)
    lead = _lead(team)
    asking = services.join_request_create(team=team, user=participant(event))

    registration_services.registration_leave(registration=lead.registrations.get(), actor=lead)

    asking.refresh_from_db()
    assert asking.status == JoinRequestStatus.CLOSED


def test_export_includes_team_data(client):
    event = EventFactory()
    team = team_with(event, name="Data Dogs")
    lead = _lead(team)
    services.help_request_create(team=team, user=lead, topic="Maps")
    client.force_login(lead)

    data = json.loads(client.get("/accounts/my-data/").content)

    assert data["teams"]["memberships"] == [
        {
            "event": event.name,
            "team": "Data Dogs",
            "role": "lead",
            "joined_at": team.memberships.get().joined_at.isoformat(),
        }
    ]
    assert data["teams"]["help_requests_raised"] == [
        {"team": "Data Dogs", "topic": "Maps", "status": "open"}
    ]


def test_account_delete_erases_team_data_and_keeps_team_led():
    event = EventFactory()
    team = team_with(event, members=1)
    lead = _lead(team)
    looker = participant(event)
    services.board_entry_set(event=event, user=looker, pitch="Maps")
    services.partner_add(event=event, user=looker, partner_email=lead.email)

    account_delete(user=lead)
    account_delete(user=looker)

    assert team.memberships.count() == 1
    assert team.memberships.get().role == MemberRole.LEAD
    assert not BoardEntry.objects.exists()
    assert not PartnerPreference.objects.exists()
