"""The demo's December results: locked and published through the services, once."""

import io

import pytest
from django.core.management import call_command

from common.models import AuditEntry
from events.models import Event

pytestmark = pytest.mark.django_db


def test_december_is_locked_and_published_once_however_often_it_is_seeded():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())

    december = Event.objects.get(slug="community-data-hackathon-2024")
    assert december.judging_locked_at is not None
    assert december.results_published_at is not None
    for action in ("judging.locked", "judging.results_published"):
        assert AuditEntry.objects.filter(action=action, target_id=str(december.pk)).count() == 1
