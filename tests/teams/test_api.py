import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.enums import RoleKind
from teams import services
from teams.enums import MatchingStatus
from teams.models import BoardEntry, HelpRequest, JoinRequest, MatchingRun, Team
from tests.factories import EventFactory, EventRoleFactory
from tests.query_budget import assert_flat_queries
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _base(event):
    return f"/api/v1/events/{event.slug}"


def test_create_team_then_another_joins_with_invite_code():
    event = EventFactory()
    lead, joiner = participant(event), participant(event)

    created = _api(lead).post(f"{_base(event)}/teams/", {"name": "Data Dogs"}, format="json")
    team_id = created.json()["id"]
    seen_by_joiner = _api(joiner).get(f"{_base(event)}/teams/{team_id}/")
    joined = _api(joiner).post(
        f"{_base(event)}/teams/{team_id}/join/",
        {"invite_code": created.json()["invite_code"]},
        format="json",
    )

    assert created.status_code == 201
    assert seen_by_joiner.json()["invite_code"] is None
    assert joined.status_code == 200
    assert [m["role"] for m in joined.json()["members"]] == ["lead", "member"]


def test_join_with_wrong_code_is_404_and_changes_nothing():
    event = EventFactory()
    team = team_with(event)

    response = _api(participant(event)).post(
        f"{_base(event)}/teams/{team.pk}/join/", {"invite_code": "nope"}, format="json"
    )

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "invalid_invite"
    assert team.memberships.count() == 1


def test_ask_then_lead_decides_twice():
    event = EventFactory()
    team = team_with(event)
    lead = team.memberships.get().user
    asker = participant(event)
    asked = _api(asker).post(f"{_base(event)}/teams/{team.pk}/ask/", {"message": "I do R"})
    request_id = asked.json()["id"]

    listed = _api(lead).get("/api/v1/team-requests/")
    first = _api(lead).post(f"/api/v1/team-requests/{request_id}/decide/", {"approve": True})
    second = _api(lead).post(f"/api/v1/team-requests/{request_id}/decide/", {"approve": True})

    assert [r["id"] for r in listed.json()["results"]] == [request_id]
    assert first.json()["status"] == "approved"
    assert second.status_code == 409
    assert team.memberships.count() == 2


def test_board_me_and_filtered_list():
    event = EventFactory()
    looker = participant(event, display_name="Ada Jones")

    put = _api(looker).put(f"{_base(event)}/board/me/", {"pitch": "Maps"}, format="json")
    listed = _api(looker).get(f"{_base(event)}/board/")

    assert put.json()["pitch"] == "Maps"
    assert [e["name"] for e in listed.json()["results"]] == ["Ada Jones"]


def test_help_request_raised_claimed_resolved():
    event = EventFactory()
    team = team_with(event)
    member = team.memberships.get().user
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR).user

    raised = _api(member).post(
        f"{_base(event)}/help-requests/", {"team": team.pk, "topic": "Joins"}, format="json"
    )
    url = f"{_base(event)}/help-requests/{raised.json()['id']}"
    claimed = _api(mentor).post(f"{url}/claim/")
    resolved = _api(member).post(f"{url}/resolve/")

    assert raised.status_code == 201
    assert claimed.json()["claimed_by"] == str(mentor)
    assert resolved.json()["status"] == "resolved"


def test_matching_through_api_propose_move_apply():
    event = EventFactory()
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user
    for _ in range(6):
        participant(event)
    api = _api(organiser)

    proposed = api.post(f"{_base(event)}/matching-runs/", {"seed": 4}, format="json")
    run = proposed.json()
    person = run["proposal"]["teams"][0]["member_ids"][0]
    moved = api.post(
        f"{_base(event)}/matching-runs/{run['id']}/move/",
        {"user": person, "to": run["proposal"]["teams"][-1]["key"]},
        format="json",
    )
    applied = api.post(f"{_base(event)}/matching-runs/{run['id']}/apply/")

    assert proposed.status_code == 201
    assert moved.status_code == 200
    assert applied.json()["status"] == "applied"
    assert Team.objects.filter(event=event, formed_by_matching=True).count() >= 1


@pytest.mark.parametrize("kind", ["teams", "board", "help-requests", "matching-runs"])
def test_lists_queries_flat(kind):
    event = EventFactory(capacity=1000)
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user
    api = _api(organiser)

    def add(k):
        for _ in range(k):
            team = team_with(event, members=1)
            services.board_entry_set(event=event, user=participant(event), pitch="Maps")
            services.help_request_create(team=team, user=None, topic=f"Joins {team.pk}")
            # Past runs: an event has at most one proposed at a time.
            MatchingRun.objects.create(
                event=event, seed=1, status=MatchingStatus.DISCARDED, created_at=timezone.now()
            )

    shown = {
        "teams": lambda: Team.objects.filter(event=event).values_list("name", flat=True),
        "board": lambda: [
            str(e.user) for e in BoardEntry.objects.filter(event=event).select_related("user")
        ],
        "help-requests": lambda: HelpRequest.objects.values_list("topic", flat=True),
        "matching-runs": lambda: [
            f'"id":{pk},' for pk in MatchingRun.objects.values_list("pk", flat=True)
        ],
    }

    def fetch():
        response = api.get(f"{_base(event)}/{kind}/")
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add, shown=shown[kind])


def test_team_requests_list_queries_flat():
    event = EventFactory(capacity=1000)
    team = team_with(event)
    api = _api(team.memberships.get().user)

    def add(k):
        for _ in range(k):
            services.join_request_create(team=team, user=participant(event))

    def fetch():
        response = api.get("/api/v1/team-requests/")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: [str(r.user) for r in JoinRequest.objects.select_related("user")],
    )
