import csv
import io

import pytest

from registration import services
from registration.enums import AdmissionMode, RegistrationStatus
from registration.models import Question, Registration, RegistrationPolicy
from tests.factories import UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _url(role, suffix="registrations/"):
    return f"/organise/{role.event.slug}/{suffix}"


def test_table_filters_by_status_type_and_name(client, organiser):
    event = organiser.event
    register(
        event, UserFactory(display_name="Carol Byrne", participant_type="community_researcher")
    )
    register(event, UserFactory(display_name="Sam Patel", participant_type="student"))

    by_type = client.get(_url(organiser), {"type": "community_researcher"})
    by_name = client.get(_url(organiser), {"q": "sam", "status": "confirmed"})

    assert [str(r.user) for r in by_type.context["page"]] == ["Carol Byrne"]
    assert [str(r.user) for r in by_name.context["page"]] == ["Sam Patel"]


def _question(event, label, kind, choices=()):
    return Question.objects.create(event=event, label=label, kind=kind, choices=list(choices))


def test_table_filters_by_answer_of_each_kind(client, organiser):
    event = organiser.event
    heard = event.questions.get(label="How did you hear about the event?")
    tools = _question(event, "Tools you use", "multiple_choice", ["Python", "R", "Excel"])
    laptop = _question(event, "Bringing a laptop?", "yes_no")
    carol, sam = UserFactory(display_name="Carol Byrne"), UserFactory(display_name="Sam Patel")
    register(event, carol, answers={heard.pk: "Social media", tools.pk: ["R"], laptop.pk: True})
    register(event, sam, answers={heard.pk: "Other", tools.pk: ["Python", "R"], laptop.pk: False})

    def names(answer):
        response = client.get(_url(organiser), {"answer": answer})
        return sorted(str(r.user) for r in response.context["page"])

    assert names(f"{heard.pk}:Social media") == ["Carol Byrne"]
    assert names(f"{tools.pk}:R") == ["Carol Byrne", "Sam Patel"]
    assert names(f"{tools.pk}:Python") == ["Sam Patel"]
    assert names(f"{laptop.pk}:no") == ["Sam Patel"]
    for unknown in (f"{laptop.pk}:maybe", "999999:Other"):
        response = client.get(_url(organiser), {"answer": unknown})
        assert response.status_code == 400
        assert list(response.context["page"]) == []


def test_answer_filter_offers_only_questions_with_options(client, organiser):
    laptop = _question(organiser.event, "Bringing a laptop?", "yes_no")

    response = client.get(_url(organiser))

    labels = [label for label, _ in response.context["answer_options"]]
    assert labels == ["How did you hear about the event?", "Bringing a laptop?"]
    assert f'<option value="{laptop.pk}:no">No</option>' in response.content.decode()


def test_bulk_confirm_in_review_mode_stops_at_capacity(client, organiser):
    event = organiser.event
    event.capacity = 1
    event.save()
    RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.REVIEW)
    first, second = register(event, UserFactory()), register(event, UserFactory())

    response = client.post(
        _url(organiser), {"action": "confirm", "registration": [first.pk, second.pk]}, follow=True
    )

    content = response.content.decode()
    assert "1 registration now confirmed." in content
    assert "The event is full." in content
    statuses = sorted(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses == [S.APPLIED, S.CONFIRMED]


def test_bulk_without_selection_says_so(client, organiser):
    response = client.post(_url(organiser), {"action": "confirm"})

    assert response.status_code == 400
    assert "Choose at least one registration." in response.content.decode()


def test_csv_export_has_answers_and_neutralises_formulas(client, organiser):
    event = organiser.event
    dietary = event.questions.get(label="Do you have any dietary needs?")
    register(event, UserFactory(display_name="=HYPERLINK(evil)"), answers={dietary.pk: "Vegan"})

    response = client.get(_url(organiser, "registrations.csv"))

    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    header, (row,) = rows[0], rows[1:]
    assert header[:4] == ["name", "email", "participant type", "status"]
    assert row[0] == "'=HYPERLINK(evil)"
    assert row[header.index("Do you have any dietary needs?")] == "Vegan"


def test_table_queries_flat(client, organiser):
    event = organiser.event

    def fetch():
        response = client.get(_url(organiser))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=lambda k: [register(event, UserFactory()) for _ in range(k)],
        shown=lambda: event.registrations.values_list("user__email", flat=True),
    )


def test_dashboard_funnel_by_participant_type(client, organiser):
    event = organiser.event
    event.capacity = 3
    event.save()
    students = [UserFactory(participant_type="student") for _ in range(3)]
    researcher = UserFactory(participant_type="community_researcher")
    registrations = [register(event, person) for person in [*students, researcher]]
    services.registration_check_in(registration=registrations[0], actor=None)
    services.registration_leave(registration=registrations[1], actor=None)

    response = client.get(f"/organise/{event.slug}/")

    [panel] = [p for p in response.context["panels"] if p.key == "registrations"]
    assert panel.context["funnel"] == [
        {"type": "Student", "applied": 3, "confirmed": 2, "checked_in": 1},
        # Waitlisted first, then offered the seat the cancellation freed.
        {"type": "Community researcher", "applied": 1, "confirmed": 0, "checked_in": 0},
        {"type": "All", "applied": 4, "confirmed": 2, "checked_in": 1},
    ]
    assert "From application to the door, by participant type" in response.content.decode()


def test_table_with_unknown_status_filter_says_so(client, organiser):
    register(organiser.event, UserFactory())

    table = client.get(_url(organiser), {"status": "accepted"})
    export = client.get(_url(organiser, "registrations.csv"), {"status": "accepted"})

    assert table.status_code == 400
    assert "status: Not a registration status" in table.content.decode()
    assert export.status_code == 400
    assert "status: Not a registration status" in export.content.decode()
