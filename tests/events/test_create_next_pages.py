"""/organise/<slug>/create-next/: the page that makes the next event from this one, and
its link on the source's dashboard. The copy itself is tested in test_create_next.py."""

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from events.enums import RoleKind
from events.models import Event
from tests.events.next_event_helpers import YEAR, finished_source
from tests.factories import EventRoleFactory

pytestmark = pytest.mark.django_db
FORM_TIME = "%Y-%m-%dT%H:%M"


@pytest.fixture
def source():
    return finished_source().event


def _organiser(client, event, *, creator: bool):
    role = EventRoleFactory(event=event, role=RoleKind.ORGANISER)
    if creator:
        role.user.groups.add(Group.objects.get(name="Event creators"))
    client.force_login(role.user)
    return role.user


def _url(event) -> str:
    return f"/organise/{event.slug}/create-next/"


def _form(source, **overrides) -> dict:
    def local(value):
        return timezone.localtime(value).strftime(FORM_TIME)

    return {
        "name": "Data Hackathon 2026",
        "slug": "",
        "starts_at": local(source.starts_at + YEAR),
        "ends_at": local(source.ends_at + YEAR),
        "venue_name": "Central Library",
        "venue_address": "William Brown Street",
        "capacity": "90",
        "registration_opens_at": "",
        "registration_closes_at": "",
    } | overrides


def test_form_is_prefilled_with_the_place_and_times_a_year_on(client, source):
    _organiser(client, source, creator=True)

    response = client.get(_url(source))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["starts_at"] == source.starts_at + YEAR
    assert form.initial["ends_at"] == source.ends_at + YEAR
    assert (form.initial["venue_name"], form.initial["capacity"]) == (
        source.venue_name,
        source.capacity,
    )
    assert "name" not in form.initial
    assert "Leave blank to keep last time&#x27;s timing: 40 days before the start." in (
        response.content.decode()
    )


def test_post_creates_the_draft_and_names_what_was_copied(client, source):
    user = _organiser(client, source, creator=True)

    response = client.post(_url(source), _form(source), follow=True)

    event = Event.objects.get(slug="data-hackathon-2026")
    assert response.redirect_chain == [("/organise/data-hackathon-2026/", 302)]
    assert (event.previous_event, event.is_published, event.venue_name, event.capacity) == (
        source,
        False,
        "Central Library",
        90,
    )
    assert event.roles.get().user == user
    message = str(next(iter(response.context["messages"])))
    assert message == (
        "Data Hackathon 2026 is created as a draft, following Data Hackathon 2025. Copied: "
        "2 themes, 2 challenges, 2 schedule items; "
        "the registration questionnaire (2 questions) and how people are admitted; "
        "team sizes (3 to 4); 2 featured datasets; the rubric (3 criteria), 2 prizes, "
        "without winners; the feedback survey (3 questions). "
        "Check its details and dates before publishing."
    )


def test_end_before_start_is_shown_on_the_field_and_creates_nothing(client, source):
    _organiser(client, source, creator=True)
    form = _form(source, ends_at=_form(source)["starts_at"])

    response = client.post(_url(source), form)

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "ends_at": ["Ends at: The event must end after it starts."]
    }
    assert "Error: Create the next event" in response.content.decode()
    assert not Event.objects.filter(name="Data Hackathon 2026").exists()


def test_slug_taken_is_shown_on_the_field(client, source):
    _organiser(client, source, creator=True)

    response = client.post(_url(source), _form(source, slug=source.slug))

    assert response.context["form"].errors == {
        "slug": ["Slug: Event with this Slug already exists."]
    }
    assert Event.objects.count() == 1


def test_typed_markup_is_escaped_in_the_success_message(client, source):
    _organiser(client, source, creator=True)

    response = client.post(
        _url(source), _form(source, name="<b>Next</b>", slug="next"), follow=True
    )

    content = response.content.decode()
    assert "&lt;b&gt;Next&lt;/b&gt; is created as a draft" in content
    assert "<b>Next</b>" not in content


def test_organiser_who_may_not_create_events_is_refused(client, source):
    _organiser(client, source, creator=False)

    assert client.get(_url(source)).status_code == 403
    assert client.post(_url(source), _form(source)).status_code == 403
    assert Event.objects.count() == 1


def test_event_creator_who_does_not_run_the_event_gets_404(client, source):
    other = EventRoleFactory(role=RoleKind.ORGANISER)
    other.user.groups.add(Group.objects.get(name="Event creators"))
    client.force_login(other.user)

    assert client.get(_url(source)).status_code == 404
    assert client.post(_url(source), _form(source)).status_code == 404


def test_dashboard_links_the_page_only_for_those_allowed(client, source):
    _organiser(client, source, creator=False)
    refused = client.get(f"/organise/{source.slug}/").content.decode()
    _organiser(client, source, creator=True)
    allowed = client.get(f"/organise/{source.slug}/").content.decode()

    assert _url(source) not in refused
    assert _url(source) in allowed
