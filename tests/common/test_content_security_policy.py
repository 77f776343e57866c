"""The Content-Security-Policy header: on every page, with no inline script or style."""

import pytest

from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db


def _policy(response) -> dict[str, list[str]]:
    directives = (part.split() for part in response["Content-Security-Policy"].split(";"))
    return {name: values for name, *values in directives if name}


def test_pages_carry_a_policy_without_inline_script_or_style(client):
    event = EventFactory()
    client.force_login(UserFactory())

    for url in ("/", f"/events/{event.slug}/", f"/events/{event.slug}/register/", "/nowhere/"):
        policy = _policy(client.get(url))

        assert policy["default-src"] == ["'self'"], url
        assert policy["script-src"] == ["'self'"], url
        assert policy["style-src"] == ["'self'"], url
        assert policy["object-src"] == ["'none'"], url
        assert policy["base-uri"] == ["'self'"], url
        assert policy["frame-ancestors"] == ["'none'"], url
        assert policy["form-action"] == ["'self'"], url


def test_api_docs_load_their_script_from_a_file_under_the_same_policy(client):
    page = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")
    policy = _policy(page)

    assert policy["script-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert b"<script>" not in page.content and b"<style>" not in page.content
    assert script["Content-Type"].startswith("application/javascript")
    assert b"SwaggerUIBundle" in script.content
