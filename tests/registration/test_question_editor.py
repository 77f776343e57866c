import re

import pytest

from registration import services
from registration.forms import RegistrationForm
from registration.models import Question, Registration
from tests.factories import ThemeFactory, UserFactory
from tests.query_budget import assert_flat_queries
from tests.registration.helpers import register
from tests.registration.test_escaping import _assert_escaped, _hostile_question

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
    delete = client.post(
        _url(organiser, f"{dietary.pk}/delete/"), {"confirmed": "yes"}, follow=True
    )

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


def test_move_question_down_changes_the_participants_form(client, organiser):
    event = organiser.event
    first, second = event.questions.order_by("order")[:2]

    response = client.post(_url(organiser, f"{first.pk}/move/"), {"direction": "down"})

    assert response.status_code == 302
    assert response["Location"] == f"{_url(organiser)}#questions-{first.pk}"
    assert list(event.questions.values_list("pk", flat=True)[:2]) == [second.pk, first.pk]
    client.force_login(UserFactory())
    form = client.get(f"/events/{event.slug}/register/").context["form"]
    assert [q.pk for q in form.questions][:2] == [second.pk, first.pk]


def test_preview_renders_the_participants_form_unsaved(client, organiser):
    event = organiser.event
    ThemeFactory(event=event, name="Clean air")
    services.question_create(
        actor=None,
        event=event,
        label="Which borough?",
        kind="single_choice",
        choices=["Halton", "Wirral"],
        order=9,
    )

    response = client.get(_url(organiser, "preview/"))

    assert response.status_code == 200
    form = response.context["form"]
    assert isinstance(form, RegistrationForm) and not form.is_bound
    assert [q.label for q in form.questions] == [
        *event.questions.order_by("order", "id").values_list("label", flat=True)
    ]
    page = response.content.decode()
    labels = [q.label.replace("'", "&#x27;") for q in form.questions]
    positions = [page.index(label) for label in labels]
    assert positions == sorted(positions)
    for text in ("Which borough?", "Halton", "Wirral", "Clean air", "code of conduct"):
        assert text in page
    assert (
        '<button type="submit" class="govuk-button" data-module="govuk-button" disabled '
        'aria-disabled="true">Register</button>' in page
    )
    assert 'method="post"' not in page.split('id="preview-heading"')[1]
    assert not Registration.objects.filter(event=event).exists()


def test_preview_escapes_organiser_text(client, organiser):
    _hostile_question(organiser.event)

    _assert_escaped(client.get(_url(organiser, "preview/")).content.decode())


def test_question_list_links_to_the_preview(client, organiser):
    page = client.get(_url(organiser)).content.decode()

    assert f'href="{_url(organiser, "preview/")}">Preview registration questions</a>' in page


def test_add_question_with_errors_shows_the_form_alone(client, organiser):
    response = client.post(
        _url(organiser), {"label": "Which borough?", "kind": "single_choice", "choices": "One"}
    )

    page = response.content.decode()
    assert response.context["item"] is None
    assert page.index("There is a problem") < page.index('<a href="#id_choices">Give at least')
    assert '<a href="#id_order">This field is required.</a>' in page
    # Kinds are radios, with no blank "---------" choice.
    assert "---------" not in page
    assert re.search(r'type="radio"\s+name="kind"\s+[^>]*id="id_kind_1"\s+value="short_text"', page)
