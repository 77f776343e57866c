import datetime
import logging

import pytest
from django.core.management import call_command
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from events.enums import Phase
from events.models import Challenge, Event, EventRole, ScheduleItem, Theme

pytestmark = pytest.mark.django_db

MODELS = [User, Event, Theme, Challenge, ScheduleItem, EventRole]


def _snapshot():
    return {
        model.__name__: (model.objects.count(), model.objects.aggregate(latest=Max("pk"))["latest"])
        for model in MODELS
    } | {"event_dates": list(Event.objects.values_list("slug", "starts_at", "updated_at"))}


def test_seed_demo_creates_december_event_as_written_up(capsys):
    call_command("seed_demo")

    december = Event.objects.get(slug="community-data-hackathon-2024")
    local_start = timezone.localtime(december.starts_at)
    assert local_start.date() == datetime.date(2024, 12, 6)
    assert december.venue_name == "Municipal Hotel"
    assert december.phase() == Phase.FINISHED
    assert list(december.themes.values_list("name", flat=True)) == [
        "Community support",
        "Data integration",
        "Local strengths",
    ]
    assert december.schedule_items.filter(title__contains="Round 'Ere").exists()
    assert "organiser@civichack.test" in capsys.readouterr().out


def test_seed_demo_follow_up_is_open_for_registration():
    call_command("seed_demo")

    follow_up = Event.objects.get(slug="community-data-hackathon-2")
    assert follow_up.previous_event.slug == "community-data-hackathon-2024"
    assert follow_up.series == follow_up.previous_event.series
    assert follow_up.phase() == Phase.REGISTRATION_OPEN
    assert follow_up.starts_at > timezone.now() + datetime.timedelta(weeks=4)


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo")
    first = _snapshot()

    call_command("seed_demo")

    assert _snapshot() == first


# Transactional, so the emails go out when the seeding commits, as on a real run.
@pytest.mark.django_db(transaction=True)
def test_seed_demo_prints_a_count_of_its_emails_not_the_emails(capsys, caplog, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"

    with caplog.at_level(logging.INFO):
        call_command("seed_demo")

    out = capsys.readouterr().out
    assert "Subject:" not in out
    assert "emails (not shown)" in out
    assert out.index("emails (not shown)") < out.index("organiser@civichack.test")
    assert [r for r in caplog.records if r.name == "celery.app.trace"] == []
