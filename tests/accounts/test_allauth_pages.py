"""allauth's pages in the site's layout and words, and sign-up's errors beside their fields."""

import re

import pytest
from django.contrib.auth.password_validation import password_validators_help_texts
from django.utils.html import escape

from accounts.forms import PASSWORDS_DIFFER
from accounts.models import User
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

TOO_COMMON = "This password is too common."


def _signup(client, **fields):
    data = {
        "display_name": "Carol Byrne",
        "email": "carol@example.org",
        "password1": "a-long-passphrase-42",
        "password2": "a-long-passphrase-42",
        **fields,
    }
    return client.post("/accounts/signup/", data)


def _field_group(html: str, name: str) -> str:
    """The markup of field `name`'s form group: from its wrapper to the next field's or
    the end of the form."""
    start = html.index(f'id="div_id_{name}"')
    ends = [html.find(marker, start + 1) for marker in ('id="div_id_', "</form>")]
    return html[start : min(end for end in ends if end != -1)]


def _summary(html: str) -> str:
    start = html.index('class="govuk-error-summary"')
    return html[start : html.index("</ul>", start)]


def test_signup_too_common_and_mismatched_shows_each_error_beside_its_field(client):
    response = _signup(client, password1="password", password2="passwurd")

    html = response.content.decode()
    assert response.status_code == 200
    assert TOO_COMMON in _field_group(html, "password1")
    assert PASSWORDS_DIFFER not in _field_group(html, "password1")
    assert PASSWORDS_DIFFER in _field_group(html, "password2")
    assert TOO_COMMON not in _field_group(html, "password2")
    assert TOO_COMMON not in _field_group(html, "email")
    summary = _summary(html)
    assert f'<a href="#id_password1">{TOO_COMMON}</a>' in summary
    assert f'<a href="#id_password2">{PASSWORDS_DIFFER}</a>' in summary
    assert not User.objects.filter(email="carol@example.org").exists()


def test_signup_mismatch_alone_is_reported_once_beside_the_second_password(client):
    response = _signup(client, password2="a-different-passphrase-42")

    html = response.content.decode()
    assert html.count(f'<a href="#id_password2">{PASSWORDS_DIFFER}</a>') == 1
    assert _field_group(html, "password2").count(PASSWORDS_DIFFER) == 1
    assert "You must type the same password" not in html
    assert not User.objects.filter(email="carol@example.org").exists()


def test_signup_too_common_alone_names_only_the_first_password(client):
    response = _signup(client, password1="password", password2="password")

    html = response.content.decode()
    assert TOO_COMMON in _field_group(html, "password1")
    assert PASSWORDS_DIFFER not in html


def test_password_change_reports_mismatch_with_a_too_common_password(client):
    user = UserFactory()
    client.force_login(user)

    response = client.post(
        "/accounts/password/change/",
        {"oldpassword": PASSWORD, "password1": "password", "password2": "passwurd"},
    )

    html = response.content.decode()
    assert TOO_COMMON in _field_group(html, "password1")
    assert PASSWORDS_DIFFER in _field_group(html, "password2")
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_sign_in_page_in_the_sites_words(client):
    html = client.get("/accounts/login/").content.decode()

    assert '<h1 class="govuk-heading-l">Sign in</h1>' in html
    assert '<label for="id_login" class="govuk-label">' in html
    assert re.search(r'for="id_remember">\s*Keep me signed in on this device\s*</label>', html)
    assert 'class="govuk-checkboxes__input"' in html
    for wording in ("Sign In", "Remember Me", "placeholder="):
        assert wording not in html


def test_sign_up_page_asks_name_first_in_sentence_case(client):
    html = client.get("/accounts/signup/").content.decode()

    labels = re.findall(r'<label for="id_(\w+)" class="govuk-label">\s*([^<]+?)\s*</label>', html)
    assert labels == [
        ("display_name", "Your name"),
        ("email", "Email address"),
        ("password1", "Create a password"),
        ("password2", "Type the password again"),
    ]
    assert "Sign Up" not in html and "Password (again)" not in html


ANONYMOUS_PAGES = [
    ("/accounts/login/", "Sign in"),
    ("/accounts/signup/", "Sign up"),
    ("/accounts/password/reset/", "Reset your password"),
    ("/accounts/password/reset/done/", "Check your email"),
    ("/accounts/confirm-email/", "Check your email"),
    ("/accounts/confirm-email/not-a-key/", "Confirm your email address"),
    ("/accounts/password/reset/key/1-not-a-key/", "This link is not valid"),
]
SIGNED_IN_PAGES = [
    ("/accounts/email/", "Email addresses"),
    ("/accounts/password/change/", "Change your password"),
    ("/accounts/logout/", "Sign out"),
]


def _assert_site_page(response, heading):
    html = response.content.decode()
    assert response.status_code == 200
    assert f'<h1 class="govuk-heading-l">{heading}</h1>' in html
    assert 'class="govuk-service-navigation"' in html  # the site's header
    assert 'class="govuk-footer"' in html
    assert "<strong>Menu:</strong>" not in html  # allauth's own layout


@pytest.mark.parametrize(("url", "heading"), ANONYMOUS_PAGES)
def test_allauth_page_signed_out_uses_the_site_layout(client, url, heading):
    response = client.get(url, follow=True)

    _assert_site_page(response, heading)


@pytest.mark.parametrize(("url", "heading"), SIGNED_IN_PAGES)
def test_allauth_page_signed_in_uses_the_site_layout(client, url, heading):
    client.force_login(UserFactory())

    _assert_site_page(client.get(url), heading)


def test_email_page_shows_addresses_as_govuk_radios_with_tags(client):
    user = UserFactory(email="carol@example.org")
    client.force_login(user)

    html = client.get("/accounts/email/").content.decode()

    assert 'class="govuk-radios__input" type="radio" name="email"' in html
    assert re.search(
        r"carol@example.org\s*<strong class=\"govuk-tag govuk-tag--green\">Confirmed</strong>", html
    )
    assert '<strong class="govuk-tag govuk-tag--blue">Primary</strong>' in html


def test_new_password_hint_states_every_password_rule_as_text(client):
    html = client.get("/accounts/signup/").content.decode()

    hint = re.search(r'<div id="id_password1_hint" class="govuk-hint">(.*?)</div>', html, re.S)
    rules = [escape(text) for text in password_validators_help_texts()]
    assert len(rules) == 4
    assert hint.group(1).strip() == " ".join(rules)
