import datetime

import pytest

from common.exceptions import ApplicationError
from common.models import OutboxMessage
from registration import services as registration_services
from teams import services
from teams.enums import JoinRequestStatus, MemberRole
from teams.models import BoardEntry, JoinRequest, Team, TeamMembership
from teams.selectors import mutual_partners
from tests.factories import ChallengeFactory, EventFactory, ThemeFactory, UserFactory
from tests.registration.helpers import register
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db


def _members(team):
    return sorted(team.memberships.values_list("user_id", flat=True))


def test_create_team_makes_creator_lead():
    event = EventFactory()
    challenge = ChallengeFactory(event=event, theme=ThemeFactory(event=event))
    lead = participant(event)

    team = services.team_create(
        event=event, user=lead, name="  Mersey   Movers ", challenge=challenge
    )

    assert team.name == "Mersey Movers"
    assert team.focus_theme == challenge.theme
    assert TeamMembership.objects.get(team=team).role == MemberRole.LEAD


@pytest.mark.parametrize("status", ["waitlisted", "none"])
def test_only_people_taking_part_can_create_or_join(status):
    event = EventFactory(capacity=1)
    team = team_with(event)
    person = UserFactory()
    if status == "waitlisted":
        register(event, person)

    with pytest.raises(ApplicationError) as raised:
        services.team_join(team=team, user=person, invite_code=team.invite_code)

    assert raised.value.code == "not_taking_part"
    assert len(_members(team)) == 1


def test_second_team_in_same_event_is_refused():
    event = EventFactory()
    first = team_with(event)
    lead = first.memberships.get().user

    with pytest.raises(ApplicationError) as raised:
        services.team_create(event=event, user=lead, name="Another")

    assert raised.value.code == "already_in_team"
    assert Team.objects.filter(event=event).count() == 1


def test_duplicate_name_in_event_is_refused_case_insensitively():
    event = EventFactory()
    team_with(event, name="Data Dogs")

    with pytest.raises(ApplicationError) as raised:
        services.team_create(event=event, user=participant(event), name="data dogs")

    assert raised.value.message == "A team of this event already has this name."
    assert Team.objects.filter(event=event).count() == 1


def test_join_full_team_is_refused():
    event = EventFactory()
    team = team_with(event, members=4)  # five: the default maximum

    with pytest.raises(ApplicationError) as raised:
        services.team_join(team=team, user=participant(event), invite_code=team.invite_code)

    assert raised.value.code == "team_full"
    assert len(_members(team)) == 5


def test_join_with_old_invite_code_is_refused():
    event = EventFactory()
    team = team_with(event)
    old = team.invite_code
    services.invite_code_regenerate(team=team, actor=None)

    with pytest.raises(ApplicationError) as raised:
        services.team_join(team=team, user=participant(event), invite_code=old)

    assert raised.value.code == "invalid_invite"


def test_join_team_of_another_event_is_refused():
    team = team_with(EventFactory())
    outsider = participant(EventFactory())

    with pytest.raises(ApplicationError) as raised:
        services.team_join(team=team, user=outsider, invite_code=team.invite_code)

    assert raised.value.code == "not_taking_part"


def test_join_after_event_finished_is_refused():
    event = EventFactory()
    team = team_with(event)
    person = participant(event)

    with pytest.raises(ApplicationError) as raised:
        services.team_join(
            team=team,
            user=person,
            invite_code=team.invite_code,
            now=event.ends_at + datetime.timedelta(hours=1),
        )

    assert raised.value.code == "event_finished"


def test_joining_closes_other_requests_and_board_entry():
    event = EventFactory()
    wanted, other = team_with(event), team_with(event)
    person = participant(event)
    services.board_entry_set(event=event, user=person, pitch="Python and maps")
    pending = services.join_request_create(team=other, user=person)

    services.team_join(team=wanted, user=person, invite_code=wanted.invite_code)

    assert JoinRequest.objects.get(pk=pending.pk).status == JoinRequestStatus.CLOSED
    assert not BoardEntry.objects.filter(user=person).exists()


def test_request_approved_joins_and_emails_both(django_capture_on_commit_callbacks):
    event = EventFactory()
    team = team_with(event)
    lead = team.memberships.get().user
    person = participant(event)

    with django_capture_on_commit_callbacks(execute=True):
        request = services.join_request_create(team=team, user=person, message="I do R")
        services.join_request_decide(request=request, approve=True, actor=lead)

    assert person.pk in _members(team)
    assert set(OutboxMessage.objects.values_list("recipient", "purpose")) >= {
        (lead.email, "team_request_received"),
        (person.email, "team_request_approved"),
    }


def test_approving_twice_is_refused_and_changes_nothing():
    event = EventFactory()
    team = team_with(event)
    lead = team.memberships.get().user
    request = services.join_request_create(team=team, user=participant(event))
    services.join_request_decide(request=request, approve=False, actor=lead)

    with pytest.raises(ApplicationError) as raised:
        services.join_request_decide(request=request, approve=True, actor=lead)

    assert raised.value.code == "already_decided"
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.DECLINED
    assert len(_members(team)) == 1


def test_asking_twice_is_refused():
    event = EventFactory()
    team = team_with(event)
    person = participant(event)
    services.join_request_create(team=team, user=person)

    with pytest.raises(ApplicationError) as raised:
        services.join_request_create(team=team, user=person)

    assert raised.value.code == "already_requested"
    assert JoinRequest.objects.filter(team=team).count() == 1


def test_approving_when_team_filled_meanwhile_is_refused():
    event = EventFactory()
    team = team_with(event, members=3)
    lead = team.memberships.get(role=MemberRole.LEAD).user
    request = services.join_request_create(team=team, user=participant(event))
    services.team_join(team=team, user=participant(event), invite_code=team.invite_code)

    with pytest.raises(ApplicationError) as raised:
        services.join_request_decide(request=request, approve=True, actor=lead)

    assert raised.value.code == "team_full"
    assert JoinRequest.objects.get(pk=request.pk).status == JoinRequestStatus.PENDING


def test_lead_leaving_without_successor_is_refused():
    event = EventFactory()
    team = team_with(event, members=1)
    lead = team.memberships.get(role=MemberRole.LEAD).user

    with pytest.raises(ApplicationError) as raised:
        services.member_leave(team=team, user=lead)

    assert raised.value.code == "lead_cannot_leave"
    assert len(_members(team)) == 2


def test_transfer_then_former_lead_leaves():
    event = EventFactory()
    team = team_with(event, members=1)
    lead = team.memberships.get(role=MemberRole.LEAD).user
    member = team.memberships.get(role=MemberRole.MEMBER).user

    services.lead_transfer(team=team, to_user=member, actor=lead)
    services.member_leave(team=team, user=lead)

    assert list(team.memberships.values_list("user_id", "role")) == [(member.pk, "lead")]


def test_disband_frees_everyone_and_name():
    event = EventFactory()
    team = team_with(event, members=2, name="Data Dogs")
    lead = team.memberships.get(role=MemberRole.LEAD).user

    services.team_disband(team=team, actor=lead)
    again = services.team_create(event=event, user=lead, name="Data Dogs")

    assert _members(team) == []
    assert again.pk != team.pk


def test_join_disbanded_team_is_refused():
    event = EventFactory()
    team = team_with(event)
    services.team_disband(team=team, actor=None)

    with pytest.raises(ApplicationError) as raised:
        services.team_join(team=team, user=participant(event), invite_code=team.invite_code)

    assert raised.value.code == "team_disbanded"


def test_board_entry_needs_pitch_and_no_team():
    event = EventFactory()
    team = team_with(event)
    lead = team.memberships.get().user

    with pytest.raises(ApplicationError) as no_pitch:
        services.board_entry_set(event=event, user=participant(event), pitch="  ")
    with pytest.raises(ApplicationError) as has_team:
        services.board_entry_set(event=event, user=lead, pitch="Hi")

    assert "pitch" in no_pitch.value.details
    assert has_team.value.code == "already_in_team"
    assert not BoardEntry.objects.exists()


def test_partner_pairs_only_people_who_named_each_other():
    event = EventFactory()
    carol, sam, priya = participant(event), participant(event), participant(event)
    services.partner_add(event=event, user=carol, partner_email=f" {sam.email.upper()} ")
    services.partner_add(event=event, user=sam, partner_email=carol.email)
    services.partner_add(event=event, user=priya, partner_email=carol.email)

    assert mutual_partners(event) == [(carol.pk, sam.pk)]


def test_partner_cannot_be_yourself():
    event = EventFactory()
    person = participant(event)

    with pytest.raises(ApplicationError) as raised:
        services.partner_add(event=event, user=person, partner_email=person.email.upper())

    assert raised.value.details == {"partner_email": ["This is your own address."]}


def test_cancelled_registration_cannot_join():
    event = EventFactory()
    team = team_with(event)
    person = participant(event)
    registration = person.registrations.get()
    registration_services.registration_leave(registration=registration, actor=person)

    with pytest.raises(ApplicationError):
        services.team_join(team=team, user=person, invite_code=team.invite_code)

    assert len(_members(team)) == 1
