import pytest

from registration.models import Question
from tests.factories import UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db


def _url(role, suffix=""):
    return f"/organise/{role.event.slug}/questions/{suffix}"


def test_add_choice_question_with_options_one_per_line(client, organiser):
    response = client.post(
        _url(organiser),
        {
            "label": "Which borough?",
            "kind": "single_choice",
            "order": 5,
            "choices": "Halton\n\nKnowsley\n  Liverpool  \n",
        },
    )

    assert response.status_code == 302
    question = Question.objects.get(event=organiser.event, label="Which borough?")
    assert question.choices == ["Halton", "Knowsley", "Liverpool"]


def test_add_choice_question_without_options_is_refused(client, organiser):
    response = client.post(
        _url(organiser),
        {"label": "Which borough?", "kind": "single_choice", "order": 5, "choices": "Halton"},
    )

    assert response.status_code == 200
    assert "Give at least two different options." in response.content.decode()
    assert not Question.objects.filter(label="Which borough?").exists()


def test_answered_question_cannot_change_kind_or_be_deleted(client, organiser):
    event = organiser.event
    dietary = event.questions.get(label="Do you have any dietary needs?")
    register(event, UserFactory(), answers={dietary.pk: "Vegan"})

    edit = client.post(
        _url(organiser, f"{dietary.pk}/edit/"),
        {"label": dietary.label, "kind": "number", "order": 2},
    )
    delete = client.post(_url(organiser, f"{dietary.pk}/delete/"), follow=True)

    assert "its kind cannot change" in edit.content.decode()
    assert "cannot be deleted" in delete.content.decode()
    dietary.refresh_from_db()
    assert dietary.kind == "short_text"


def test_question_list_queries_flat(client, organiser):
    event = organiser.event

    def add(k):
        start = event.questions.count()
        for n in range(k):
            Question.objects.create(event=event, label=f"Question {start + n}", kind="short_text")

    def fetch():
        response = client.get(_url(organiser))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch, add_items=add, shown=lambda: event.questions.values_list("label", flat=True)
    )
