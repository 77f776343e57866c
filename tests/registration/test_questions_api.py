import pytest
from rest_framework.test import APIClient

from registration.models import Question
from tests.factories import EventFactory, UserFactory
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db


def _url(event):
    return f"/api/v1/events/{event.slug}/questions/"


def test_questionnaire_is_readable_with_the_ids_answers_are_keyed_by():
    event = EventFactory()
    tools = Question.objects.create(
        event=event, label="Tools", kind="multiple_choice", choices=["Python", "R"],
        required=True, order=9,
    )  # fmt: skip

    response = APIClient().get(_url(event))

    assert response.status_code == 200
    questions = response.json()
    assert [q["label"] for q in questions][-1] == "Tools"
    assert questions[-1] == {
        "id": tools.pk,
        "label": "Tools",
        "help_text": "",
        "kind": "multiple_choice",
        "choices": ["Python", "R"],
        "required": True,
        "sensitive": False,
        "order": 9,
    }
    dietary = next(q for q in questions if q["label"] == "Do you have any dietary needs?")
    assert (dietary["kind"], dietary["sensitive"]) == ("short_text", True)


def test_questionnaire_answers_register_through_the_api():
    event = EventFactory()
    api = APIClient()
    api.force_authenticate(UserFactory())
    [heard] = [q for q in api.get(_url(event)).json() if q["kind"] == "single_choice"]

    response = api.post(
        f"/api/v1/events/{event.slug}/register/",
        {"consents": ["code_of_conduct", "privacy"], "answers": {heard["id"]: heard["choices"][0]}},
        format="json",
    )

    assert response.status_code == 201


def test_questionnaire_of_a_draft_is_404():
    draft = EventFactory(is_published=False)

    response = APIClient().get(_url(draft))

    assert response.status_code == 404


def test_questionnaire_queries_flat():
    event = EventFactory()
    api = APIClient()

    def fetch():
        response = api.get(_url(event))
        assert response.status_code == 200
        return response

    def add(k):
        for n in range(k):
            Question.objects.create(event=event, label=f"Q{Question.objects.count()}-{n}",
                                    kind="short_text")  # fmt: skip

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: Question.objects.filter(event=event).values_list("label", flat=True),
    )
