import datetime

import icalendar
import pytest
from django.utils import timezone

from events.models import EventRole, ScheduleItem, Theme
from tests.factories import (
    EventFactory,
    EventRoleFactory,
    ScheduleItemFactory,
    SeriesFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def test_home_lists_upcoming_and_past_but_not_drafts(client):
    upcoming = EventFactory(name="Spring hackathon")
    past = EventFactory(
        name="December hackathon",
        starts_at=timezone.now() - datetime.timedelta(days=30),
        registration_opens_at=timezone.now() - datetime.timedelta(days=90),
    )
    EventFactory(name="Secret draft", is_published=False)

    content = client.get("/").content.decode()

    assert content.index(upcoming.name) < content.index("Past events") < content.index(past.name)
    assert "Secret draft" not in content


def test_event_page_shows_sections_from_registry(client):
    item = ScheduleItemFactory(title="Opening conversation")
    ThemeFactory(event=item.event, name="Local strengths")

    response = client.get(item.event.get_absolute_url())

    assert response.status_code == 200
    keys = [s.key for s in response.context["sections"]]
    assert keys.index("themes") < keys.index("schedule")
    assert b"Opening conversation" in response.content
    assert b"Local strengths" in response.content


def test_event_ical_holds_event_and_schedule(client):
    item = ScheduleItemFactory(title="Presentations")

    response = client.get(f"/events/{item.event.slug}/schedule.ics")

    calendar = icalendar.Calendar.from_ical(response.content)
    summaries = [str(c["summary"]) for c in calendar.walk("VEVENT")]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert summaries == [item.event.name, f"Presentations ({item.event.name})"]


def test_console_theme_add_then_visible_on_public_page(client, organiser):
    event = organiser.event

    response = client.post(
        f"/organise/{event.slug}/themes/",
        {"name": "Data integration", "description": "", "order": 0},
    )

    assert response.status_code == 302
    assert client.get(event.get_absolute_url()).content.count(b"Data integration") == 1


def test_console_schedule_outside_event_shows_error_and_saves_nothing(client, organiser):
    event = organiser.event
    early = timezone.localtime(event.starts_at - datetime.timedelta(hours=3))

    response = client.post(
        f"/organise/{event.slug}/schedule/",
        {
            "title": "Too early",
            "kind": "talk",
            "starts_at": early.strftime("%Y-%m-%dT%H:%M"),
            "ends_at": (early + datetime.timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
        },
    )

    assert response.status_code == 200
    assert "A schedule item must fall within the event" in response.content.decode()
    assert not ScheduleItem.objects.filter(event=event).exists()


def test_console_theme_edit_records_change(client, organiser):
    theme = ThemeFactory(event=organiser.event, name="Old name")

    response = client.post(
        f"/organise/{organiser.event.slug}/themes/{theme.pk}/edit/",
        {"name": "Community support", "description": "", "order": 1},
    )

    assert response.status_code == 302
    theme.refresh_from_db()
    assert (theme.name, theme.order) == ("Community support", 1)


def test_console_theme_delete_in_use_keeps_theme(client, organiser):
    from tests.factories import ChallengeFactory

    challenge = ChallengeFactory(theme=ThemeFactory(event=organiser.event))

    response = client.post(
        f"/organise/{organiser.event.slug}/themes/{challenge.theme.pk}/delete/",
        {"confirmed": "yes"},
        follow=True,
    )

    assert "still has challenges" in response.content.decode()
    assert Theme.objects.filter(pk=challenge.theme.pk).exists()


def test_console_invite_duplicate_shows_error(client, organiser):
    url = f"/organise/{organiser.event.slug}/roles/"
    client.post(url, {"email": "judge@example.org", "role": "judge"})

    response = client.post(url, {"email": "judge@example.org", "role": "judge"})

    assert response.status_code == 200
    assert "already invited as judge" in response.content.decode()


def test_console_publish_without_themes_shows_message(client, organiser):
    event = organiser.event
    event.is_published = False
    event.save()

    response = client.post(f"/organise/{event.slug}/publish/", {"publish": "1"}, follow=True)

    assert "Add at least one theme before publishing" in response.content.decode()
    event.refresh_from_db()
    assert event.is_published is False


def test_console_event_create_needs_event_creator(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get("/organise/new/").status_code == 403


def test_console_event_create_by_superuser_makes_draft(client):
    from tests.factories import UserFactory

    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    start = timezone.localtime(timezone.now() + datetime.timedelta(days=40))
    fmt = "%Y-%m-%dT%H:%M"

    response = client.post(
        "/organise/new/",
        {
            "name": "Autumn Data Hackathon",
            "venue_name": "Municipal Hotel",
            "capacity": 70,
            "starts_at": start.strftime(fmt),
            "ends_at": (start + datetime.timedelta(hours=8)).strftime(fmt),
            "registration_opens_at": timezone.localtime().strftime(fmt),
            "registration_closes_at": (start - datetime.timedelta(days=2)).strftime(fmt),
        },
    )

    assert response.status_code == 302
    assert response["Location"] == "/organise/autumn-data-hackathon/"


def test_console_event_create_open_to_event_creators_group(client):
    from django.contrib.auth.models import Group

    from tests.factories import UserFactory

    creator = UserFactory()
    creator.groups.add(Group.objects.get(name="Event creators"))
    client.force_login(creator)

    assert client.get("/organise/new/").status_code == 200


def test_event_page_links_published_previous_event_only(client):
    earlier = EventFactory(name="December hackathon")
    secret = EventFactory(name="Secret draft", is_published=False)
    follow_up = EventFactory(series=SeriesFactory(), previous_event=earlier)
    hidden = EventFactory(series=follow_up.series, previous_event=secret)

    assert earlier.get_absolute_url() in client.get(follow_up.get_absolute_url()).content.decode()
    assert "Secret draft" not in client.get(hidden.get_absolute_url()).content.decode()


def test_console_delete_asks_first_and_deletes_only_when_confirmed(client, organiser):
    theme = ThemeFactory(event=organiser.event, name="Housing")
    url = f"/organise/{organiser.event.slug}/themes/{theme.pk}/delete/"

    asked = client.get(url)
    unconfirmed = client.post(url)

    for response in (asked, unconfirmed):
        assert response.status_code == 200
        assert response.templates[0].name == "confirm.html"
        assert response.context["title"] == "Delete the theme “Housing”?"
        assert response.context["button"] == "Yes, delete this theme"
    assert Theme.objects.filter(pk=theme.pk).exists()

    confirmed = client.post(url, {"confirmed": "yes"})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/organise/{organiser.event.slug}/themes/"
    assert not Theme.objects.filter(pk=theme.pk).exists()


def test_console_back_to_draft_asks_first_and_says_what_happens(client, organiser):
    event = organiser.event
    url = f"/organise/{event.slug}/publish/"

    asked = client.post(url, {"publish": "0"})

    assert asked.status_code == 200
    assert asked.context["title"] == f"Take {event.name} back to draft?"
    page = asked.content.decode()
    assert "hidden from the public" in page
    assert "registrations, answers and everything set up are kept" in page
    assert '<input type="hidden" name="publish" value="0">' in page
    event.refresh_from_db()
    assert event.is_published is True

    confirmed = client.post(url, {"publish": "0", "confirmed": "yes"})

    assert confirmed.status_code == 302
    event.refresh_from_db()
    assert event.is_published is False


def test_console_publish_does_not_ask(client, organiser):
    event = organiser.event
    ThemeFactory(event=event)
    event.is_published = False
    event.save()

    response = client.post(f"/organise/{event.slug}/publish/", {"publish": "1"})

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.is_published is True


def test_console_add_with_errors_shows_the_form_alone_errors_first(client, organiser):
    ThemeFactory(event=organiser.event, name="Existing theme")

    response = client.post(
        f"/organise/{organiser.event.slug}/themes/", {"name": "", "order": "first"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "<title>Error: Add a theme" in page
    summary = page.index("There is a problem")
    assert page.index('<h1 class="govuk-heading-l">Add a theme</h1>') < summary
    assert summary < page.index('<a href="#id_name">This field is required.</a>')
    assert '<a href="#id_order">Enter a whole number.</a>' in page
    # Not the list below which the errors used to be out of view.
    assert "Existing theme" not in page
    assert not Theme.objects.filter(event=organiser.event, name="").exists()


def test_console_move_up_returns_to_the_moved_row(client, organiser):
    event = organiser.event
    ThemeFactory(event=event, name="Air", order=0)
    buses = ThemeFactory(event=event, name="Buses", order=1)

    response = client.post(
        f"/organise/{event.slug}/themes/{buses.pk}/move/", {"direction": "up"}, follow=True
    )

    assert response.redirect_chain == [(f"/organise/{event.slug}/themes/#themes-{buses.pk}", 302)]
    assert [str(m) for m in response.context["messages"]] == ["“Buses” moved up."]
    assert list(event.themes.values_list("name", flat=True)) == ["Buses", "Air"]
    page = response.content.decode()
    assert page.index(f'id="themes-{buses.pk}"') < page.index("Air</td>")


def test_console_move_first_up_is_refused_with_a_message(client, organiser):
    event = organiser.event
    air = ThemeFactory(event=event, name="Air", order=0)
    ThemeFactory(event=event, name="Buses", order=1)

    response = client.post(
        f"/organise/{event.slug}/themes/{air.pk}/move/", {"direction": "up"}, follow=True
    )

    assert [str(m) for m in response.context["messages"]] == ["“Air” is already first."]
    assert list(event.themes.values_list("name", "order")) == [("Air", 0), ("Buses", 1)]


def test_console_list_offers_moves_only_where_there_is_room(client, organiser):
    event = organiser.event
    air = ThemeFactory(event=event, name="Air", order=0)
    buses = ThemeFactory(event=event, name="Buses", order=1)

    page = client.get(f"/organise/{event.slug}/themes/").content.decode()

    up = 'value="up"><button type="submit" class="civichack-link-button">Move up'
    down = 'value="down"><button type="submit" class="civichack-link-button">Move down'
    assert page.count(up) == 1 and page.count(down) == 1
    air_row, buses_row = page.index(f'id="themes-{air.pk}"'), page.index(f'id="themes-{buses.pk}"')
    assert air_row < page.index(down) < buses_row < page.index(up)


def test_console_schedule_has_no_moves(client, organiser):
    ScheduleItemFactory(event=organiser.event)

    page = client.get(f"/organise/{organiser.event.slug}/schedule/").content.decode()

    assert "Move up" not in page and "Move down" not in page


def test_console_role_removal_asks_first_naming_the_person(client, organiser):
    mentor = EventRoleFactory(
        event=organiser.event, role="mentor", user=UserFactory(display_name="Megan Price")
    )
    invited = EventRoleFactory(event=organiser.event, role="judge", user=None)
    url = f"/organise/{organiser.event.slug}/roles/"

    asked = client.post(f"{url}{mentor.pk}/revoke/")
    asked_invite = client.get(f"{url}{invited.pk}/revoke/")
    removed = client.post(f"{url}{mentor.pk}/revoke/", {"confirmed": "yes"}, follow=True)

    question = asked.content.decode()
    assert "Remove Megan Price as mentor of" in question
    assert mentor.email not in question
    assert "Withdraw the invitation to invitee@example.org as judge?" in (
        asked_invite.content.decode()
    )
    assert removed.redirect_chain[-1][0] == url
    assert not EventRole.objects.filter(pk=mentor.pk).exists()
    assert EventRole.objects.filter(pk=invited.pk).exists()
