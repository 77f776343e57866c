import pytest
from django.core.management import call_command

from common.models import OutboxMessage
from registration.enums import RegistrationStatus
from registration.models import Registration, RegistrationPolicy, SegmentMessage

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
    # One gave up their place (the first waiting holds its offer), then two chairs more
    # were offered to the next two waiting.
    assert _statuses("community-data-hackathon-2") == {
        S.CONFIRMED: 39,
        S.CANCELLED: 1,
        S.OFFERED: 3,
        S.WAITLISTED: 3,
    }
    follow_up_policy = RegistrationPolicy.objects.get(event__slug="community-data-hackathon-2")
    assert follow_up_policy.seats_held == 42
    assert follow_up_policy.event.capacity == 42


def test_seed_demo_registrations_twice_changes_nothing():
    call_command("seed_demo")
    before = list(Registration.objects.values_list("pk", "status", "updated_at"))

    call_command("seed_demo")

    assert list(Registration.objects.values_list("pk", "status", "updated_at")) == before


def test_seed_demo_walk_ins_and_messages(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo")

    december = Registration.objects.filter(event__slug="community-data-hackathon-2024")
    walk_ins = december.filter(walk_in=True)
    thank_you = SegmentMessage.objects.get(event__slug="community-data-hackathon-2024")
    waiting_note = SegmentMessage.objects.get(event__slug="community-data-hackathon-2")
    assert walk_ins.count() == 3 and set(walk_ins.values_list("status", flat=True)) == {
        S.CHECKED_IN
    }
    assert (
        thank_you.recipient_count
        == december.filter(status=S.CHECKED_IN, user__isnull=False).count()
    )
    assert waiting_note.recipient_count == 3
    assert OutboxMessage.objects.filter(purpose="segment_message").count() == 3
