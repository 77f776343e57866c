"""The texts people accept exist, are linked wherever acceptance is asked, and each
consent names the version of the text that was shown."""

import pytest
from django.conf import settings
from django.template.loader import get_template

from registration.enums import REQUIRED_CONSENTS, ConsentKind
from registration.legal import PAGES, text_template, text_url
from registration.models import Consent
from tests.factories import EventFactory, UserFactory
from tests.registration.helpers import register

pytestmark = pytest.mark.django_db
CURRENT = settings.REGISTRATION_CONSENT_VERSIONS


def test_every_consent_kind_has_a_current_version_with_its_text():
    assert set(CURRENT) == set(ConsentKind.values) == set(PAGES)
    for kind, version in CURRENT.items():
        get_template(text_template(kind, version))  # raises when the text is missing


@pytest.mark.parametrize("kind", ConsentKind.values)
def test_each_text_is_public_at_its_page_and_its_version(client, kind):
    current = client.get(f"/{PAGES[kind]}/")
    exact = client.get(text_url(kind))

    for response in (current, exact):
        assert response.status_code == 200
        assert f"Version {CURRENT[kind]}." in response.content.decode()
    assert exact.content == current.content


def test_a_version_never_published_is_404(client):
    assert client.get("/code-of-conduct/1999-01/").status_code == 404
    assert client.get("/privacy/../settings/").status_code == 404


def test_an_earlier_version_says_so_and_links_the_current_one(client, settings, tmp_path):
    # An earlier text stays readable after the current version moves on.
    old = CURRENT["privacy"]
    settings.REGISTRATION_CONSENT_VERSIONS = {**CURRENT, "privacy": "2099-01"}
    later = tmp_path / "legal" / "privacy" / "2099-01.html"
    later.parent.mkdir(parents=True)
    later.write_text("<p>A later notice.</p>")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [tmp_path, *settings.TEMPLATES[0]["DIRS"]]}
    ]

    earlier = client.get(f"/privacy/{old}/").content.decode()
    latest = client.get("/privacy/").content.decode()

    assert "This is an earlier version" in earlier
    assert 'href="/privacy/">Read the current version (2099-01)' in earlier
    assert "A later notice." in latest and "earlier version" not in latest


def test_register_page_links_each_text_at_its_current_version(client):
    event = EventFactory()
    client.force_login(UserFactory())

    content = client.get(f"/events/{event.slug}/register/").content.decode()

    for kind in ConsentKind.values:
        assert f'href="/{PAGES[kind]}/{CURRENT[kind]}/"' in content


def test_edit_page_links_the_texts(client):
    person = UserFactory()
    registration = register(EventFactory(), person)
    client.force_login(person)

    content = client.get(f"/registrations/{registration.pk}/edit/").content.decode()

    assert f'href="{text_url(ConsentKind.CODE_OF_CONDUCT)}"' in content


def test_door_walk_in_form_links_the_texts(client, organiser):
    content = client.get(f"/organise/{organiser.event.slug}/check-in/").content.decode()

    assert f'href="{text_url(ConsentKind.PRIVACY)}"' in content


def test_consents_store_the_version_whose_text_was_linked(client):
    event = EventFactory()
    person = UserFactory()

    registration = register(event, person, consents=REQUIRED_CONSENTS)

    for consent in Consent.objects.filter(registration=registration):
        assert consent.version == CURRENT[consent.kind]
        assert client.get(text_url(consent.kind, consent.version)).status_code == 200


def test_every_page_footer_links_the_code_of_conduct_and_privacy_notice(client):
    content = client.get("/").content.decode()

    assert 'href="/code-of-conduct/">Code of conduct</a>' in content
    assert 'href="/privacy/">Privacy</a>' in content
