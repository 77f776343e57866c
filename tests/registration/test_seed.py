import pytest
from django.core.management import call_command

from registration.enums import RegistrationStatus
from registration.models import Registration, RegistrationPolicy

pytestmark = pytest.mark.django_db
S = RegistrationStatus


def _statuses(slug):
    registrations = Registration.objects.filter(event__slug=slug)
    return {
        status: registrations.filter(status=status).count()
        for status in S
        if registrations.filter(status=status).exists()
    }


def test_seed_demo_registrations_december_and_follow_up():
    call_command("seed_demo")

    assert _statuses("community-data-hackathon-2024") == {S.CHECKED_IN: 54, S.NO_SHOW: 6}
    assert _statuses("community-data-hackathon-2") == {S.CONFIRMED: 40, S.WAITLISTED: 6}
    follow_up_policy = RegistrationPolicy.objects.get(event__slug="community-data-hackathon-2")
    assert follow_up_policy.seats_held == 40


def test_seed_demo_registrations_twice_changes_nothing():
    call_command("seed_demo")
    before = list(Registration.objects.values_list("pk", "status", "updated_at"))

    call_command("seed_demo")

    assert list(Registration.objects.values_list("pk", "status", "updated_at")) == before
