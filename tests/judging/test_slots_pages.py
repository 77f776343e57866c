"""The organisers' "Presentations" page (no JavaScript: every form posts and comes back),
the public event page's "Team presentations" and the iCalendar feed's presentations."""

import datetime

import icalendar
import pytest
from django.utils import timezone

from events.enums import RoleKind, ScheduleKind
from judging.models import PresentationSlot, Room
from submissions.enums import SubmissionStatus
from tests.factories import EventRoleFactory, ScheduleItemFactory, SubmissionFactory
from tests.query_budget import assert_flat_queries
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db

MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def organised(client):
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client.force_login(role.user)
    event = role.event
    starts = event.starts_at + datetime.timedelta(hours=6)
    window = ScheduleItemFactory(
        event=event,
        title="Team presentations",
        kind=ScheduleKind.PRESENTATIONS,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=2),
    )
    hall = Room.objects.create(event=event, name="Main hall")
    return client, event, window, hall


def _url(event, tail=""):
    return f"/organise/{event.slug}/judging/slots/{tail}"


def _entry(event, title, status=SubmissionStatus.SUBMITTED):
    team = team_with(event, name=f"Team {title}")
    return SubmissionFactory(team=team, title=title, status=status)


def _slot(room, starts, submission=None, minutes=10):
    return PresentationSlot.objects.create(
        room=room, starts_at=starts, ends_at=starts + minutes * MINUTE, submission=submission
    )


def _clock(moment):
    return f"{timezone.localtime(moment):%H:%M}"


def _form_time(moment):
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def _state():
    return sorted(PresentationSlot.objects.values_list("room_id", "starts_at", "submission_id"))


def test_the_page_lists_each_rooms_slots_in_time_order_with_entry_or_free(organised):
    client, event, window, hall = organised
    start = window.starts_at
    _slot(hall, start + 10 * MINUTE, submission=_entry(event, "Parks and jobs"))
    _slot(hall, start)

    page = client.get(_url(event)).content.decode()

    assert page.index(_clock(start)) < page.index(_clock(start + 10 * MINUTE))
    assert "Parks and jobs" in page and "Team Parks and jobs" in page
    assert "Free" in page
    assert 'action="' + _url(event, "fill/") + '"' not in page  # every entry has a slot


def test_making_slots_then_filling_them_places_every_entry(organised):
    client, event, _window, hall = organised
    parks, buses = _entry(event, "Parks"), _entry(event, "Buses")

    made = client.post(
        _url(event, "generate/"), {"generate-room": hall.pk, "generate-length_minutes": "30"}
    )
    filled = client.post(_url(event, "fill/"), follow=True)

    assert made.status_code == 302 and made.url == _url(event)
    assert PresentationSlot.objects.filter(room=hall).count() == 4
    by_time = list(PresentationSlot.objects.order_by("starts_at").values_list("submission_id"))
    assert by_time == [(parks.pk,), (buses.pk,), (None,), (None,)]
    assert "Free slots filled: 2 entries given a slot." in filled.content.decode()


def test_filling_names_the_entries_left_without_a_slot(organised):
    client, event, window, hall = organised
    _slot(hall, window.starts_at)
    _entry(event, "Parks"), _entry(event, "Buses")

    page = client.post(_url(event, "fill/"), follow=True).content.decode()

    assert "No free slot left for 1 entries: “Buses” (Team Buses)." in page


def test_adding_one_slot(organised):
    client, event, window, hall = organised
    start = window.starts_at + 15 * MINUTE

    response = client.post(
        _url(event, "add/"),
        {
            "add-room": hall.pk,
            "add-starts_at": _form_time(start),
            "add-ends_at": _form_time(start + 7 * MINUTE),
        },
    )

    assert response.status_code == 302
    assert _state() == [(hall.pk, start, None)]


def test_a_slot_overlapping_another_is_refused_on_the_page(organised):
    client, event, window, hall = organised
    _slot(hall, window.starts_at)
    before = _state()
    start = window.starts_at + 5 * MINUTE

    response = client.post(
        _url(event, "add/"),
        {
            "add-room": hall.pk,
            "add-starts_at": _form_time(start),
            "add-ends_at": _form_time(start + 10 * MINUTE),
        },
    )

    assert response.status_code == 400
    assert "slots in one room must not overlap" in response.content.decode()
    assert _state() == before


def test_placing_clearing_and_deleting_a_slot(organised):
    client, event, window, hall = organised
    free = _slot(hall, window.starts_at)
    parks = _entry(event, "Parks")

    placed = client.post(
        _url(event, f"{free.pk}/place/"), {f"slot-{free.pk}-submission": parks.pk}, follow=True
    )
    free.refresh_from_db()
    assert free.submission == parks
    assert f"“Parks” presents in Main hall at {_clock(free.starts_at)}." in placed.content.decode()

    cleared = client.post(_url(event, f"{free.pk}/clear/"), follow=True)
    free.refresh_from_db()
    assert free.submission is None
    assert "Slot cleared: it is free now." in cleared.content.decode()

    deleted = client.post(_url(event, f"{free.pk}/delete/"), follow=True)
    assert not PresentationSlot.objects.exists()
    assert "Slot deleted." in deleted.content.decode()


def test_moving_a_slot_takes_its_entry_along(organised):
    client, event, window, hall = organised
    taken = _slot(hall, window.starts_at, submission=_entry(event, "Parks"))
    later = window.starts_at + 30 * MINUTE

    form = client.get(_url(event, f"{taken.pk}/edit/"))
    moved = client.post(
        _url(event, f"{taken.pk}/edit/"),
        {"starts_at": _form_time(later), "ends_at": _form_time(later + 5 * MINUTE)},
    )

    assert form.status_code == 200
    assert f'value="{_form_time(window.starts_at)}"' in form.content.decode()
    assert "“Parks” (Team Parks) presents in it and moves with it." in form.content.decode()
    assert moved.status_code == 302 and moved.url == _url(event)
    taken.refresh_from_db()
    assert (taken.starts_at, taken.ends_at) == (later, later + 5 * MINUTE)
    assert taken.submission.title == "Parks"


@pytest.mark.parametrize(
    ("starts", "ends", "message"),
    [
        (0, 10, "slots in one room must not overlap"),
        (-30, -20, "A slot must lie within the presentations"),
        (40, 30, "A slot must end after it starts."),
        ("soon", 10, "Enter a valid date/time."),
    ],
)
def test_moving_a_slot_where_it_cannot_go_answers_400(organised, starts, ends, message):
    client, event, window, hall = organised
    _slot(hall, window.starts_at)
    moving = _slot(hall, window.starts_at + 60 * MINUTE)
    before = _state()

    def when(offset):
        return offset if isinstance(offset, str) else _form_time(window.starts_at + offset * MINUTE)

    response = client.post(
        _url(event, f"{moving.pk}/edit/"), {"starts_at": when(starts), "ends_at": when(ends)}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_deleting_a_slot_with_an_entry_is_refused_with_a_message(organised):
    client, event, window, hall = organised
    taken = _slot(hall, window.starts_at, submission=_entry(event, "Parks"))

    page = client.post(_url(event, f"{taken.pk}/delete/"), follow=True).content.decode()

    assert "“Parks” presents in this slot; clear it first." in page
    assert PresentationSlot.objects.filter(pk=taken.pk, submission__isnull=False).exists()


def test_making_slots_without_presentations_in_the_schedule_says_so(organised):
    client, event, window, hall = organised
    window.delete()

    response = client.post(
        _url(event, "generate/"), {"generate-room": hall.pk, "generate-length_minutes": "10"}
    )

    assert response.status_code == 400
    assert "The schedule has no “Presentations” item yet" in response.content.decode()
    assert not PresentationSlot.objects.exists()


@pytest.mark.parametrize(
    ("minutes", "message"),
    [
        ("ten", "Enter a whole number."),
        ("99999999999999999999999", "Ensure this value is less than or equal to 240."),
        ("0", "Ensure this value is greater than or equal to 1."),
        ("", "This field is required."),
    ],
)
def test_bad_lengths_answer_400_with_a_message_and_change_nothing(organised, minutes, message):
    client, event, _window, hall = organised

    response = client.post(
        _url(event, "generate/"), {"generate-room": hall.pk, "generate-length_minutes": minutes}
    )

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PresentationSlot.objects.exists()


@pytest.mark.parametrize("room", ["abc", "99999999999999999999999", "-1", "other-event"])
def test_a_room_that_is_not_this_events_answers_400(organised, room):
    client, event, _window, _hall = organised
    if room == "other-event":
        room = Room.objects.create(event=EventRoleFactory().event, name="Elsewhere").pk

    response = client.post(
        _url(event, "generate/"), {"generate-room": room, "generate-length_minutes": "10"}
    )

    assert response.status_code == 400
    assert "Select a valid choice." in response.content.decode()
    assert not PresentationSlot.objects.exists()


@pytest.mark.parametrize("field", ["add-starts_at", "add-ends_at"])
@pytest.mark.parametrize("value", ["tomorrow", "99999-01-01T10:00", "2026-13-45T25:61"])
def test_bad_times_answer_400_with_a_message(organised, field, value):
    client, event, window, hall = organised
    start = window.starts_at
    data = {"add-room": hall.pk, "add-starts_at": _form_time(start),
            "add-ends_at": _form_time(start + 5 * MINUTE), field: value}  # fmt: skip

    response = client.post(_url(event, "add/"), data)

    assert response.status_code == 400
    assert "Enter a valid date/time." in response.content.decode()
    assert not PresentationSlot.objects.exists()


def test_text_with_a_nul_byte_is_refused_before_the_form(organised):
    client, event, _window, hall = organised

    response = client.post(
        _url(event, "generate/"), {"generate-room": hall.pk, "generate-length_minutes": "1\x000"}
    )

    assert response.status_code == 400
    assert "Null characters are not allowed." in response.content.decode()
    assert not PresentationSlot.objects.exists()


@pytest.mark.parametrize("choice", ["abc", "99999999999999999999999", "draft", "elsewhere", ""])
def test_placing_anything_but_an_entry_handed_in_answers_400(organised, choice):
    client, event, window, hall = organised
    free = _slot(hall, window.starts_at)
    chosen = {
        "draft": lambda: _entry(event, "Sketch", SubmissionStatus.DRAFT).pk,
        "elsewhere": lambda: _entry(EventRoleFactory().event, "Elsewhere").pk,
    }.get(choice, lambda: choice)()

    response = client.post(_url(event, f"{free.pk}/place/"), {f"slot-{free.pk}-submission": chosen})

    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page
    assert "Select a valid choice" in page or "This field is required." in page
    free.refresh_from_db()
    assert free.submission is None


def test_another_events_slot_answers_404(organised):
    client, event, _window, _hall = organised
    theirs = EventRoleFactory().event
    their_slot = _slot(
        Room.objects.create(event=theirs, name="Theirs"),
        theirs.starts_at,
        submission=_entry(theirs, "Theirs"),
    )

    for action in ("clear", "delete", "place", "edit"):
        assert client.post(_url(event, f"{their_slot.pk}/{action}/")).status_code == 404
    assert client.get(_url(event, f"{their_slot.pk}/edit/")).status_code == 404
    assert client.post(_url(event, "99999999999999999999999/clear/")).status_code == 404

    assert PresentationSlot.objects.filter(pk=their_slot.pk, submission__isnull=False).exists()


def test_the_page_costs_the_same_queries_for_1_and_20_slots(organised):
    client, event, window, hall = organised
    side = Room.objects.create(event=event, name="Side room", order=1)
    made = []

    def add(k):
        for _ in range(k):
            n = len(made)
            room = (hall, side)[n % 2]
            entry = _entry(event, f"Entry {n}") if n % 3 else None  # some slots stay free
            made.append(_slot(room, window.starts_at + 5 * n * MINUTE, submission=entry, minutes=5))
        _entry(event, f"Waiting {len(made)}")  # entries without a slot, in every select

    def fetch():
        response = client.get(_url(event))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: [s.submission.title for s in made if s.submission_id],
    )


# The public schedule


def _public(event, window):
    hall = Room.objects.create(event=event, name="Main hall", order=0)
    side = Room.objects.create(event=event, name="Side room", order=1)
    parks = _slot(side, window.starts_at, submission=_entry(event, "Parks and jobs"))
    buses = _slot(hall, window.starts_at + 10 * MINUTE, submission=_entry(event, "Bus routes"))
    _slot(hall, window.starts_at)  # free: not shown
    return parks, buses


@pytest.fixture
def public_event():
    event = EventRoleFactory(role=RoleKind.ORGANISER).event
    starts = event.starts_at + datetime.timedelta(hours=6)
    window = ScheduleItemFactory(
        event=event,
        title="Team presentations",
        kind=ScheduleKind.PRESENTATIONS,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
    )
    return event, window


def test_the_event_page_shows_who_presents_when_and_where(client, public_event):
    event, window = public_event
    parks, _buses = _public(event, window)

    page = client.get(event.get_absolute_url()).content.decode()

    section = page[page.index('id="section-presentations"') :]
    assert section.index("Parks and jobs") < section.index("Bus routes")
    for text in ("Team Parks and jobs", "Side room", "Team Bus routes", "Main hall",
                 f"{_clock(parks.starts_at)}–{_clock(parks.ends_at)}"):  # fmt: skip
        assert text in section


def test_an_entry_taken_back_to_draft_leaves_the_public_schedule(client, public_event):
    event, window = public_event
    parks, _buses = _public(event, window)
    parks.submission.status = SubmissionStatus.DRAFT
    parks.submission.save(update_fields=["status"])

    page = client.get(event.get_absolute_url()).content.decode()
    feed = client.get(f"/events/{event.slug}/schedule.ics").content.decode()

    assert "Parks and jobs" not in page and "Bus routes" in page
    assert "Parks and jobs" not in feed and "Bus routes" in feed


def test_no_section_before_any_team_has_a_slot(client, public_event):
    event, window = public_event
    _slot(Room.objects.create(event=event, name="Main hall"), window.starts_at)

    page = client.get(event.get_absolute_url()).content.decode()

    assert 'id="section-presentations"' not in page
    assert "When each team presents." not in page


def test_the_feed_has_one_entry_per_team_presenting(client, public_event):
    event, window = public_event
    parks, buses = _public(event, window)

    response = client.get(f"/events/{event.slug}/schedule.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    items = {str(c["uid"]): c for c in calendar.walk("VEVENT")}
    presentations = {uid: c for uid, c in items.items() if uid.startswith("presentation-slot-")}
    assert set(presentations) == {
        f"presentation-slot-{parks.pk}@civichack", f"presentation-slot-{buses.pk}@civichack",
    }  # fmt: skip
    item = presentations[f"presentation-slot-{parks.pk}@civichack"]
    assert str(item["summary"]) == "Team Parks and jobs: Parks and jobs"
    assert str(item["location"]) == "Side room"
    assert item.decoded("dtstart") == parks.starts_at
    assert item.decoded("dtend") == parks.ends_at


def test_the_feed_costs_the_same_queries_for_1_and_20_presentations(client, public_event):
    event, window = public_event
    hall = Room.objects.create(event=event, name="Main hall")
    made = []

    def add(k):
        for _ in range(k):
            n = len(made)
            entry = _entry(event, f"Entry {n}")
            made.append(_slot(hall, window.starts_at + 2 * n * MINUTE, submission=entry, minutes=2))

    def fetch():
        response = client.get(f"/events/{event.slug}/schedule.ics")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: [f"presentation-slot-{s.pk}@civichack" for s in made],
    )
