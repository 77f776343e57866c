"""Presentation rooms, a console part: listed, and kept while a team is due to present."""

import datetime

import pytest

from common.exceptions import ApplicationError
from judging.models import PresentationSlot, Room
from judging.services.preparation import room_delete
from tests.factories import EventFactory, EventRoleFactory, SubmissionFactory
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


def test_a_room_where_a_team_is_due_to_present_cannot_be_deleted():
    event = EventFactory()
    room = Room.objects.create(event=event, name="Main hall")
    starts = event.starts_at + datetime.timedelta(hours=6)
    PresentationSlot.objects.create(
        room=room, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=10),
        submission=SubmissionFactory(team=team_with(event)),
    )  # fmt: skip

    with pytest.raises(ApplicationError) as refused:
        room_delete(actor=None, room=room)

    assert refused.value.message == (
        "Teams are due to present in “Main hall”; move them to another room first."
    )
    assert Room.objects.filter(pk=room.pk).exists()


def test_an_empty_slot_does_not_keep_its_room():
    event = EventFactory()
    room = Room.objects.create(event=event, name="Side room")
    starts = event.starts_at + datetime.timedelta(hours=6)
    PresentationSlot.objects.create(
        room=room, starts_at=starts, ends_at=starts + datetime.timedelta(minutes=10)
    )

    room_delete(actor=None, room=room)

    assert not Room.objects.filter(pk=room.pk).exists()
    assert not PresentationSlot.objects.exists()


def test_the_console_lists_the_rooms_in_order(client):
    role = EventRoleFactory(role="organiser")
    Room.objects.create(event=role.event, name="Side room", order=1)
    Room.objects.create(event=role.event, name="Main hall", order=0)
    client.force_login(role.user)

    page = client.get(f"/organise/{role.event.slug}/rooms/").content.decode()

    assert page.index("Main hall") < page.index("Side room")


def test_the_console_list_costs_the_same_queries_for_1_and_20_rooms(client):
    from tests.query_budget import assert_flat_queries

    role = EventRoleFactory(role="organiser")
    client.force_login(role.user)
    names = []

    def add(count):
        for _ in range(count):
            names.append(Room.objects.create(event=role.event, name=f"Room {len(names)}").name)

    def fetch():
        response = client.get(f"/organise/{role.event.slug}/rooms/")
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add, shown=lambda: names)
