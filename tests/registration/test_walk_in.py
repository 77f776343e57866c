import datetime
import re

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from events.enums import RoleKind
from registration import services
from registration.enums import RegistrationStatus
from registration.models import Consent, Registration, RegistrationPolicy
from tests.factories import EventFactory, EventRoleFactory, UserFactory
from tests.registration.days import run_today
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus
DOOR_CONSENTS = {"code_of_conduct", "privacy"}


def _seats_held(event):
    return RegistrationPolicy.objects.get(event=event).seats_held


def test_walk_in_is_checked_in_with_a_seat_and_consents():
    event = EventFactory(capacity=2)
    actor = UserFactory()

    walk_in = services.registration_walk_in(
        event=event, name="  Jo   Bloggs ", consents=DOOR_CONSENTS, actor=actor
    )

    assert walk_in.status == S.CHECKED_IN
    assert walk_in.user is None
    assert walk_in.person_name == "Jo Bloggs"
    assert walk_in.checked_in_at is not None
    assert _seats_held(event) == 1
    assert set(Consent.objects.filter(registration=walk_in).values_list("kind", flat=True)) == (
        DOOR_CONSENTS
    )


def test_walk_in_refused_when_event_is_full():
    event = EventFactory(capacity=1)
    register(event, UserFactory())

    with pytest.raises(ApplicationError) as raised:
        services.registration_walk_in(
            event=event, name="Jo Bloggs", consents=DOOR_CONSENTS, actor=None
        )

    assert raised.value.code == "event_full"
    assert Registration.objects.filter(event=event).count() == 1
    assert _seats_held(event) == 1


@pytest.mark.parametrize(
    "name, consents, code",
    [
        ("   ", DOOR_CONSENTS, "invalid"),
        ("x" * 151, DOOR_CONSENTS, "invalid"),
        ("Jo Bloggs", {"code_of_conduct"}, "consent_required"),
    ],
)
def test_walk_in_bad_input_changes_nothing(name, consents, code):
    event = EventFactory()

    with pytest.raises(ApplicationError) as raised:
        services.registration_walk_in(event=event, name=name, consents=consents, actor=None)

    assert raised.value.code == code
    assert not Registration.objects.filter(event=event).exists()
    assert _seats_held(event) == 0


def test_walk_in_after_the_event_is_refused():
    past = timezone.now() - datetime.timedelta(days=3)
    event = EventFactory(
        starts_at=past,
        ends_at=past + datetime.timedelta(hours=7),
        registration_opens_at=past - datetime.timedelta(days=30),
        registration_closes_at=past - datetime.timedelta(days=2),
    )

    with pytest.raises(ApplicationError) as raised:
        services.registration_walk_in(
            event=event, name="Jo Bloggs", consents=DOOR_CONSENTS, actor=None
        )

    assert raised.value.code == "door_closed"
    assert not Registration.objects.filter(event=event).exists()


def _walk_in_post(name="Jo Bloggs", **extra):
    return {"name": name, "consent_code_of_conduct": "on", "consent_privacy": "on", **extra}


def test_volunteer_adds_walk_in_at_the_door_and_finds_them(client):
    role = EventRoleFactory(role=RoleKind.VOLUNTEER)
    run_today(role.event)
    client.force_login(role.user)
    door = f"/organise/{role.event.slug}/check-in/"

    response = client.post(f"{door}walk-in/", _walk_in_post(), follow=True)
    found = client.get(door, {"q": "bloggs"})

    assert "Jo Bloggs is checked in as a walk-in." in response.content.decode()
    assert response.context["capacity"].checked_in == 1
    assert response.context["capacity"].places_left == role.event.capacity - 1
    assert [r.person_name for r in found.context["matches"]] == ["Jo Bloggs"]
    assert "Jo Bloggs (walk-in)" in found.content.decode()


def test_walk_in_form_names_missing_consent_and_changes_nothing(client, organiser):
    response = client.post(
        f"/organise/{organiser.event.slug}/check-in/walk-in/",
        {"name": "Jo Bloggs", "consent_privacy": "on"},
    )

    assert response.status_code == 400
    assert "consent_code_of_conduct" in response.context["walk_in_form"].errors
    assert not Registration.objects.filter(event=organiser.event).exists()


def test_full_event_door_offers_no_walk_in_form(client, organiser):
    event = organiser.event
    event.capacity = 1
    event.save()
    register(event, UserFactory())
    run_today(event)

    page = client.get(f"/organise/{event.slug}/check-in/")
    refused = client.post(f"/organise/{event.slug}/check-in/walk-in/", _walk_in_post())

    assert "there is no seat for a walk-in" in page.content.decode()
    assert page.context["capacity"].places_left == 0
    assert refused.status_code == 400
    assert "there is no seat for a walk-in" in refused.content.decode()
    assert Registration.objects.filter(event=event).count() == 1


def test_walk_ins_show_in_registrations_table_and_csv(client, organiser):
    services.registration_walk_in(
        event=organiser.event, name="Jo Bloggs", consents=DOOR_CONSENTS, actor=None
    )

    table = client.get(f"/organise/{organiser.event.slug}/registrations/", {"q": "Bloggs"})
    csv_body = b"".join(
        client.get(f"/organise/{organiser.event.slug}/registrations.csv").streaming_content
    ).decode()

    assert "Jo Bloggs</a> (walk-in)" in table.content.decode()
    assert "Jo Bloggs," in csv_body


def test_walk_in_errors_open_at_the_walk_in_form(client, organiser):
    door = f"/organise/{organiser.event.slug}/check-in/"

    response = client.post(f"{door}walk-in/", {"name": "", "consent_privacy": "on"})

    html = response.content.decode()
    assert response.status_code == 400
    # The form posts to its own #fragment, so the re-rendered page opens at it...
    assert f'action="{door}walk-in/#walk-in"' in html
    assert '<section id="walk-in">' in html
    # ...where its error summary comes first, linking to each field.
    walk_in = html[html.index('<section id="walk-in"') :]
    summary = walk_in[walk_in.index('class="govuk-error-summary"') : walk_in.index("</ul>")]
    assert re.findall(r'<a href="#([\w-]+)">([^<]+)</a>', summary) == [
        ("id_name", "This field is required."),
        (
            "id_consent_code_of_conduct",
            "Tick to confirm they agree to follow the code of conduct.",
        ),
    ]
    assert walk_in.index("govuk-error-summary") < walk_in.index('name="name"')
    # No other box takes focus from it.
    assert "autofocus" not in html


def test_walk_in_off_the_day_asks_then_adds(client, organiser):
    door = f"/organise/{organiser.event.slug}/check-in/"

    asked = client.post(f"{door}walk-in/", _walk_in_post(consent_photography="on"))
    nobody = Registration.objects.filter(event=organiser.event).exists()
    added = client.post(f"{door}walk-in/", {**asked.context["fields"], "confirmed": "yes"})

    assert asked.status_code == 200
    assert asked.context["title"] == "Check in Jo Bloggs today?"
    assert asked.context["fields"] == {
        "name": "Jo Bloggs",
        "consent_code_of_conduct": "on",
        "consent_privacy": "on",
        "consent_photography": "on",
    }
    assert asked.context["back"] == f"{door}#walk-in"
    assert nobody is False
    assert added["Location"] == f"{door}#main-content"
    walk_in = Registration.objects.get(event=organiser.event)
    assert (walk_in.walk_in_name, walk_in.status) == ("Jo Bloggs", S.CHECKED_IN)
    assert set(Consent.objects.filter(registration=walk_in).values_list("kind", flat=True)) == (
        DOOR_CONSENTS | {"photography"}
    )


def test_walk_in_on_the_day_adds_without_asking(client, organiser):
    run_today(organiser.event)
    door = f"/organise/{organiser.event.slug}/check-in/"

    response = client.post(f"{door}walk-in/", _walk_in_post())

    assert response["Location"] == f"{door}#main-content"
    assert Registration.objects.get(event=organiser.event).walk_in_name == "Jo Bloggs"
