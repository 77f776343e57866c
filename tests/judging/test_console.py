"""The organisers' judging page: judges seated on panels by name, assignments made by
one button, only this event's judges and rooms."""

import datetime

import pytest

from events.enums import RoleKind
from judging.models import Assignment, Judge, PresentationSlot, Room
from judging.selectors import panels_overview
from tests.factories import EventRoleFactory, SubmissionFactory, UserFactory
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


@pytest.fixture
def console(client):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client.force_login(role.user)
    event = role.event
    hall = Room.objects.create(event=event, name="Main hall")
    judges = [
        EventRoleFactory(
            event=event, role=RoleKind.JUDGE,
            user=UserFactory(display_name=f"Judge {n}", email=f"judge{n}@example.org"),
        ).user
        for n in range(3)
    ]  # fmt: skip
    return client, event, hall, judges


def _url(event, tail=""):
    return f"/organise/{event.slug}/judging/{tail}"


def test_the_page_names_the_judges_and_never_shows_their_addresses(console):
    client, event, _hall, _judges = console

    page = client.get(_url(event)).content.decode()

    assert "Judge 0" in page and "Judge 2" in page
    assert "judge0@example.org" not in page


def test_seating_judges_then_assigning_gives_each_entry_its_judges(console):
    client, event, hall, judges = console
    entry = SubmissionFactory(team=team_with(event), title="Parks and jobs")
    starts = event.starts_at + datetime.timedelta(hours=6)
    PresentationSlot.objects.create(
        room=hall, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=5),
        submission=entry,
    )  # fmt: skip

    seated = client.post(_url(event), {f"judge_{u.pk}": str(hall.pk) for u in judges})
    assigned = client.post(_url(event, "assign/"), follow=True)

    assert seated.status_code == 302
    assert set(Judge.objects.filter(event=event).values_list("user_id", "room_id")) == {
        (u.pk, hall.pk) for u in judges
    }
    assert Assignment.objects.filter(submission=entry).count() == 3
    page = assigned.content.decode()
    assert "Judges assigned: 3 in all." in page
    assert "Judge 0, Judge 1, Judge 2" in page


def test_another_events_room_or_someone_who_is_not_a_judge_changes_nothing(console):
    client, event, _hall, judges = console
    elsewhere = Room.objects.create(event=EventRoleFactory(role=RoleKind.ORGANISER).event,
                                    name="Elsewhere")  # fmt: skip
    outsider = UserFactory()

    nobody_seated = {f"judge_{u.pk}": "none" for u in judges}
    hall = str(Room.objects.get(event=event).pk)

    foreign_room = client.post(
        _url(event), {**nobody_seated, f"judge_{judges[0].pk}": str(elsewhere.pk)}
    )
    not_a_judge = client.post(_url(event), {**nobody_seated, f"judge_{outsider.pk}": hall})

    assert foreign_room.status_code == 400
    assert not_a_judge.status_code == 302  # a field the form does not have is ignored
    assert not Judge.objects.exists()


def test_the_overview_costs_five_queries_for_3_or_20_judges(console):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _client, event, _hall, _judges = console
    with CaptureQueriesContext(connection) as few:
        panels_overview(event)["judges"]
    for _ in range(17):
        EventRoleFactory(event=event, role=RoleKind.JUDGE, user=UserFactory())
    with CaptureQueriesContext(connection) as many:
        assert len(panels_overview(event)["judges"]) == 20

    assert len(few) == len(many) == 5


def test_the_service_seats_only_this_events_accepted_judges_in_its_rooms(console):
    from common.exceptions import ApplicationError
    from judging.services.preparation import panels_set

    _client, event, hall, judges = console
    mentor = EventRoleFactory(event=event, role=RoleKind.MENTOR, user=UserFactory()).user
    elsewhere = Room.objects.create(event=EventRoleFactory(role=RoleKind.ORGANISER).event,
                                    name="Elsewhere")  # fmt: skip

    for rooms in ({mentor.pk: hall}, {UserFactory().pk: hall}, {judges[0].pk: elsewhere}):
        with pytest.raises(ApplicationError) as refused:
            panels_set(actor=None, event=event, rooms=rooms)
        assert refused.value.code == "not_this_event"
    panels_set(actor=None, event=event, rooms={judges[0].pk: hall, judges[1].pk: None})

    assert list(Judge.objects.values_list("user_id", "room_id")) == [(judges[0].pk, hall.pk)]


def test_organisers_record_a_conflict_and_remove_it_and_scoring_follows(console):
    from judging.models import Conflict

    client, event, hall, judges = console
    judge = Judge.objects.create(event=event, user=judges[0], room=hall)
    team = team_with(event, name="Riverside Rovers")

    added = client.post(
        _url(event, "conflicts/"),
        {"judge": judge.pk, "kind": "team", "team": team.pk, "reason": "My niece is in it"},
        follow=True,
    )

    conflict = Conflict.objects.get()
    assert (conflict.judge, conflict.team, conflict.declared_by) == (
        judge,
        team,
        added.wsgi_request.user,
    )
    page = added.content.decode()
    assert "Team: Riverside Rovers" in page and "My niece is in it" in page
    removed = client.post(_url(event, f"conflicts/{conflict.pk}/remove/"))
    assert removed.status_code == 302
    assert not Conflict.objects.exists()


def test_a_conflict_that_names_nothing_is_refused_on_the_page(console):
    from judging.models import Conflict

    client, event, hall, judges = console
    judge = Judge.objects.create(event=event, user=judges[0], room=hall)

    response = client.post(_url(event, "conflicts/"), {"judge": judge.pk, "kind": "organisation"})

    assert response.status_code == 400
    assert "Name the team, the person or the organisation" in response.content.decode()
    assert not Conflict.objects.exists()
