"""Organisers write the questionnaire; participants and admins read it. Nothing an
organiser writes may reach a reader's browser as HTML."""

import pytest
from django import forms

from registration import services
from tests.factories import EventFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
SCRIPT = "<script>alert(document.cookie)</script>"
IMAGE = '<img src=x onerror="alert(1)">'


def _hostile_question(event):
    return services.question_create(
        actor=None,
        event=event,
        label=f"Dietary needs {IMAGE}",
        help_text=f"Tell us {SCRIPT} and {IMAGE}",
        kind="short_text",
    )


def _assert_escaped(html):
    assert SCRIPT not in html
    assert "<img src=x" not in html
    assert "Tell us &lt;script&gt;alert(document.cookie)&lt;/script&gt;" in html
    assert "Dietary needs &lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in html


def test_register_page_escapes_question_help_text_and_label(client):
    event = EventFactory()
    _hostile_question(event)
    client.force_login(UserFactory())

    response = client.get(f"/events/{event.slug}/register/")

    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_edit_answers_page_escapes_question_help_text_and_label(client):
    event, user = EventFactory(), UserFactory()
    _hostile_question(event)
    registration = register(event, user)
    client.force_login(user)

    response = client.get(f"/registrations/{registration.pk}/edit/")

    assert response.status_code == 200
    _assert_escaped(response.content.decode())


def test_admin_question_and_answer_pages_escape_organiser_text(client):
    event, user = EventFactory(), UserFactory()
    question = _hostile_question(event)
    registration = register(event, user, answers={question.pk: SCRIPT})
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    for url in (
        f"/admin/registration/question/{question.pk}/change/",
        f"/admin/registration/registration/{registration.pk}/change/",
        "/admin/registration/question/",
    ):
        html = client.get(url).content.decode()
        assert SCRIPT not in html, url
        assert "<img src=x" not in html, url


class _Form(forms.Form):
    name = forms.CharField(label=IMAGE, help_text=SCRIPT)
    choice = forms.ChoiceField(choices=[(IMAGE, IMAGE)], help_text=IMAGE)


@pytest.mark.parametrize("render", ["as_div", "as_p", "as_table", "as_ul", "field_group"])
def test_every_form_layout_escapes_help_text_and_labels(render):
    """Django's own templates print help text with |safe; the project's renderer makes
    every layout escape it, whichever template a form uses."""
    form = _Form()
    if render == "field_group":
        html = form["name"].as_field_group() + form["choice"].as_field_group()
    else:
        html = getattr(form, render)()

    assert SCRIPT not in html
    assert "<img" not in html
    assert "&lt;script&gt;" in html


def test_admin_password_page_keeps_djangos_own_warning_markup(client):
    user = UserFactory()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    html = client.get(f"/admin/accounts/user/{user.pk}/password/").content.decode()

    assert '<ul id="id_unusable_warning" class="messagelist">' in html
