"""The lifecycles of join requests and matching runs: one service each, a table of who
may make each move, an audit entry for every move, and one proposal per event."""

import pathlib
import re

import pytest
from django.conf import settings
from django.db import IntegrityError, connection

from common.exceptions import ApplicationError
from common.models import AuditEntry
from teams import proposals, services, transitions
from teams.enums import (
    JOIN_REQUEST_MOVES,
    MATCHING_RUN_MOVES,
    JoinRequestStatus,
    MatchingStatus,
    TeamActor,
)
from teams.models import JoinRequest, MatchingRun
from tests.factories import EventFactory
from tests.teams.helpers import participant, team_with

pytestmark = pytest.mark.django_db
R, M = JoinRequestStatus, MatchingStatus


def _audits(target, action):
    return list(
        AuditEntry.objects.filter(target_id=str(target.pk), action=action).values_list(
            "data", flat=True
        )
    )


def _request():
    event = EventFactory()
    team = team_with(event)
    return services.join_request_create(team=team, user=participant(event)), team


def test_every_join_request_move_is_audited_with_who_made_it():
    done = set()
    for (start, to), actors in JOIN_REQUEST_MOVES.items():
        for by in actors:
            request, _ = _request()
            assert request.status == start
            transitions.join_request_move(request=request, to=to, by=by)
            assert JoinRequest.objects.get(pk=request.pk).status == to
            assert [data["by"] for data in _audits(request, f"team.request_{to}")] == [by]
            done.add((start, to))
    assert done == set(JOIN_REQUEST_MOVES)


def test_a_request_closed_by_joining_another_team_is_audited():
    event = EventFactory()
    elsewhere, mine = team_with(event), team_with(event)
    person = participant(event)
    request = services.join_request_create(team=elsewhere, user=person)

    services.team_join(team=mine, user=person, invite_code=mine.invite_code)

    assert JoinRequest.objects.get(pk=request.pk).status == R.CLOSED
    assert _audits(request, "team.request_closed") == [
        {"by": "system", "reason": "joined_another_team"}
    ]


def test_requests_to_a_disbanded_team_close_with_an_audit_entry():
    request, team = _request()

    services.team_disband(team=team, actor=team.memberships.get().user)

    assert _audits(request, "team.request_closed") == [{"by": "system", "reason": "team_ended"}]


def test_join_request_move_by_the_wrong_actor_is_refused_naming_it():
    request, _ = _request()

    with pytest.raises(ApplicationError) as raised:
        transitions.join_request_move(request=request, to=R.WITHDRAWN, by=TeamActor.LEAD)

    assert raised.value.code == "invalid_transition"
    assert raised.value.message == (
        "The team's lead cannot move a request to join from waiting for the team lead to "
        "withdrawn; only the person who asked can."
    )
    assert JoinRequest.objects.get(pk=request.pk).status == R.PENDING


def test_withdrawing_a_declined_request_is_refused():
    request, team = _request()
    services.join_request_decide(request=request, approve=False, actor=team.memberships.get().user)

    with pytest.raises(ApplicationError) as raised:
        services.join_request_withdraw(request=request, actor=request.user)

    assert raised.value.code == "already_decided"
    assert JoinRequest.objects.get(pk=request.pk).status == R.DECLINED


def _free_people(event, count=3):
    return [participant(event) for _ in range(count)]


def test_every_matching_run_move_is_audited():
    for (start, to), actors in MATCHING_RUN_MOVES.items():
        for by in actors:
            event = EventFactory()
            _free_people(event)
            run = proposals.matching_propose(event=event, actor=None, seed=1)
            assert run.status == start
            transitions.matching_run_move(run=run, to=to, by=by)
            assert [data["by"] for data in _audits(run, f"matching.{to}")] == [by]


def test_apply_and_discard_are_audited_through_the_services():
    event = EventFactory()
    _free_people(event)
    applied = proposals.matching_propose(event=event, actor=None, seed=1)
    proposals.matching_apply(run=applied, actor=None)
    _free_people(event)
    discarded = proposals.matching_propose(event=event, actor=None, seed=1)
    proposals.matching_discard(run=discarded, actor=None)

    assert _audits(applied, "matching.applied")[0]["by"] == "organiser"
    assert _audits(discarded, "matching.discarded") == [{"by": "organiser"}]


def test_proposing_again_supersedes_the_open_proposal_with_an_audit_entry():
    event = EventFactory()
    _free_people(event)
    first = proposals.matching_propose(event=event, actor=None, seed=1)

    second = proposals.matching_propose(event=event, actor=None, seed=2)

    assert MatchingRun.objects.get(pk=first.pk).status == M.DISCARDED
    assert list(MatchingRun.objects.filter(event=event, status=M.PROPOSED)) == [second]
    assert _audits(first, "matching.discarded") == [{"by": "organiser", "superseded": True}]


def test_the_database_holds_one_proposal_per_event():
    event = EventFactory()
    MatchingRun.objects.create(event=event, seed=1)
    MatchingRun.objects.create(event=event, seed=2, status=M.DISCARDED)  # past ones are fine

    with pytest.raises(IntegrityError):
        MatchingRun.objects.create(event=event, seed=3)


def test_a_matching_run_move_by_the_wrong_actor_is_refused():
    event = EventFactory()
    _free_people(event)
    run = proposals.matching_propose(event=event, actor=None, seed=1)

    with pytest.raises(ApplicationError) as raised:
        transitions.matching_run_move(run=run, to=M.APPLIED, by=TeamActor.LEAD)

    assert raised.value.message == (
        "The team's lead cannot move a matching proposal from proposed to applied; only "
        "organisers can."
    )


# Where the status of a join request, a matching run, a registration, a submission or an
# artifact's validation may be written.
TRANSITION_MODULES = {
    "registration/services.py",
    "teams/transitions.py",
    "submissions/services/lifecycle.py",
    "submissions/services/validation_moves.py",
}
STATUS_WRITE = re.compile(r"\.status\s*=[^=]|\.update\([^)]*\bstatus\s*=", re.DOTALL)


def test_only_the_transition_services_write_a_status():
    root = pathlib.Path(settings.BASE_DIR)
    writers = {
        str(path.relative_to(root))
        for app in ("registration", "teams", "submissions")
        for path in (root / app).rglob("*.py")
        if "migrations" not in path.parts and STATUS_WRITE.search(path.read_text())
    }
    assert writers <= TRANSITION_MODULES


def test_matching_page_says_a_new_proposal_replaces_the_open_one(client, organiser):
    event = organiser.event
    _free_people(event)
    url = f"/organise/{event.slug}/matching/"
    before = client.get(url).content.decode()

    client.post(url, {"seed": "1"})
    again = client.post(url, {"seed": "2"}, follow=True).content.decode()

    assert "a new one replaces the proposal below" not in before
    assert "a new one replaces the proposal below" in again
    assert MatchingRun.objects.filter(event=event, status=M.PROPOSED).get().seed == 2


def test_closing_requests_passes_over_one_decided_since_it_was_read():
    event = EventFactory()
    person = participant(event)
    first = services.join_request_create(team=team_with(event), user=person)
    second = services.join_request_create(team=team_with(event), user=person)
    listed = []

    def withdraw_first_once_listed(execute, sql, params, many, context):
        # Once the pending requests are listed, and before the first is locked in its own
        # savepoint, it is withdrawn, as by the person at that moment.
        if "teams_joinrequest" in sql:
            listed.append(sql)
        elif sql.startswith("SAVEPOINT") and len(listed) == 1:
            JoinRequest.objects.filter(pk=first.pk).update(status=R.WITHDRAWN)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(withdraw_first_once_listed):
        transitions.join_requests_close(
            JoinRequest.objects.filter(user=person), reason="not_taking_part"
        )

    assert JoinRequest.objects.get(pk=first.pk).status == R.WITHDRAWN
    assert JoinRequest.objects.get(pk=second.pk).status == R.CLOSED
