import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry, OutboxMessage
from events import services
from events.enums import Phase, RoleKind
from events.models import Event, EventRole, Theme
from tests.factories import (
    ChallengeFactory,
    EventFactory,
    EventRoleFactory,
    ThemeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _event_fields(**overrides):
    start = timezone.now() + datetime.timedelta(days=30)
    fields = {
        "name": "Spring Data Hackathon",
        "venue_name": "Municipal Hotel",
        "starts_at": start,
        "ends_at": start + datetime.timedelta(hours=8),
        "capacity": 80,
        "registration_opens_at": timezone.now(),
        "registration_closes_at": start - datetime.timedelta(days=1),
    }
    return fields | overrides


def test_event_create_makes_creator_organiser_and_draft():
    actor = UserFactory()

    event = services.event_create(actor=actor, **_event_fields())

    assert event.slug == "spring-data-hackathon"
    assert event.phase() == Phase.DRAFT
    role = EventRole.objects.get(event=event)
    assert (role.user, role.role, role.email) == (actor, RoleKind.ORGANISER, actor.email)
    assert AuditEntry.objects.filter(action="event.created", target_id=str(event.pk)).count() == 1


def test_event_create_with_end_before_start_saves_nothing():
    actor = UserFactory()
    fields = _event_fields()
    fields["ends_at"] = fields["starts_at"] - datetime.timedelta(hours=1)

    with pytest.raises(ValidationError):
        services.event_create(actor=actor, **fields)

    assert Event.objects.count() == 0
    assert EventRole.objects.count() == 0


def test_event_create_with_taken_name_gets_next_free_slug():
    actor = UserFactory()
    services.event_create(actor=actor, **_event_fields())

    second = services.event_create(actor=actor, **_event_fields())

    assert second.slug == "spring-data-hackathon-2"


def test_event_phase_follows_dates():
    event = EventFactory.build()
    opens, closes = event.registration_opens_at, event.registration_closes_at

    assert event.phase(opens - datetime.timedelta(seconds=1)) == Phase.ANNOUNCED
    assert event.phase(opens) == Phase.REGISTRATION_OPEN
    assert event.phase(closes) == Phase.REGISTRATION_CLOSED
    assert event.phase(event.starts_at) == Phase.RUNNING
    assert event.phase(event.ends_at) == Phase.FINISHED


def test_event_update_records_changed_fields_only():
    event = EventFactory()
    actor = UserFactory()

    services.event_update(actor=actor, event=event, capacity=100, name=event.name)

    event.refresh_from_db()
    assert event.capacity == 100
    entry = AuditEntry.objects.get(action="event.updated")
    assert entry.data == {"changed": ["capacity"]}


def test_event_update_unknown_field_is_refused():
    event = EventFactory()

    with pytest.raises(ApplicationError, match="results_published_at"):
        services.event_update(actor=UserFactory(), event=event, results_published_at=timezone.now())

    event.refresh_from_db()
    assert event.results_published_at is None


def test_event_publish_without_themes_is_refused():
    event = EventFactory(is_published=False)

    with pytest.raises(ApplicationError) as raised:
        services.event_set_published(actor=UserFactory(), event=event, published=True)

    assert raised.value.code == "no_themes"
    event.refresh_from_db()
    assert event.is_published is False


def test_event_publish_with_theme_publishes_and_audits():
    event = EventFactory(is_published=False)
    ThemeFactory(event=event)

    services.event_set_published(actor=UserFactory(), event=event, published=True)

    event.refresh_from_db()
    assert event.is_published is True
    assert AuditEntry.objects.filter(action="event.published").count() == 1


def test_theme_create_duplicate_name_in_event_is_refused():
    event = EventFactory()
    services.theme_create(actor=UserFactory(), event=event, name="Local strengths")

    with pytest.raises(ValidationError):
        services.theme_create(actor=UserFactory(), event=event, name="Local strengths")

    assert Theme.objects.filter(event=event).count() == 1


def test_theme_delete_with_challenges_is_refused():
    challenge = ChallengeFactory()

    with pytest.raises(ApplicationError) as raised:
        services.theme_delete(actor=UserFactory(), theme=challenge.theme)

    assert raised.value.code == "theme_in_use"
    assert Theme.objects.filter(pk=challenge.theme.pk).exists()


def test_challenge_create_with_other_events_theme_is_refused():
    event = EventFactory()
    foreign_theme = ThemeFactory()

    with pytest.raises(ValidationError) as raised:
        services.challenge_create(
            actor=UserFactory(),
            event=event,
            theme=foreign_theme,
            title="Jobs and green space",
            brief="Join the data.",
        )

    assert "theme" in raised.value.message_dict
    assert event.challenges.count() == 0


def test_schedule_item_outside_event_is_refused():
    event = EventFactory()

    with pytest.raises(ApplicationError) as raised:
        services.schedule_item_create(
            actor=UserFactory(),
            event=event,
            title="Too early",
            starts_at=event.starts_at - datetime.timedelta(hours=2),
            ends_at=event.starts_at - datetime.timedelta(hours=1),
        )

    assert raised.value.code == "outside_event"
    assert event.schedule_items.count() == 0


def test_role_invite_queues_one_email(django_capture_on_commit_callbacks, mailoutbox):
    event = EventFactory()
    organiser = UserFactory()

    with django_capture_on_commit_callbacks(execute=True):
        invitation = services.role_invite(
            actor=organiser, event=event, email=" Judge@Example.org ", role=RoleKind.JUDGE
        )

    assert invitation.email == "judge@example.org"
    assert invitation.is_pending
    assert OutboxMessage.objects.filter(recipient="judge@example.org").count() == 1
    assert len(mailoutbox) == 1
    assert event.name in mailoutbox[0].subject


def test_role_invite_twice_is_refused():
    event = EventFactory()
    services.role_invite(
        actor=UserFactory(), event=event, email="j@example.org", role=RoleKind.JUDGE
    )

    with pytest.raises(ApplicationError) as raised:
        services.role_invite(
            actor=UserFactory(), event=event, email="J@example.org", role=RoleKind.JUDGE
        )

    assert raised.value.code == "already_invited"
    assert EventRole.objects.filter(event=event).count() == 1


def test_role_invitations_claim_only_for_verified_addresses():
    event = EventFactory()
    verified = UserFactory(email="verified@example.org")
    unverified = UserFactory(email="unverified@example.org", verified=False)
    for email in (verified.email, unverified.email):
        EventRoleFactory(event=event, user=None, email=email, role=RoleKind.MENTOR)

    assert [r.email for r in services.role_invitations_claim(user=verified)] == [verified.email]
    assert services.role_invitations_claim(user=unverified) == []
    assert EventRole.objects.get(email=unverified.email).user is None
    assert EventRole.objects.get(email=verified.email).user == verified


def test_role_revoke_last_organiser_is_refused():
    role = EventRoleFactory(role=RoleKind.ORGANISER)

    with pytest.raises(ApplicationError) as raised:
        services.role_revoke(actor=role.user, role=role)

    assert raised.value.code == "last_organiser"
    assert EventRole.objects.filter(pk=role.pk).exists()


def test_role_revoke_organiser_with_another_organiser_succeeds():
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    EventRoleFactory(event=role.event, role=RoleKind.ORGANISER)

    services.role_revoke(actor=role.user, role=role)

    assert not EventRole.objects.filter(pk=role.pk).exists()


def _names(event):
    return list(Theme.objects.filter(event=event).values_list("name", "order"))


def test_part_move_up_swaps_with_neighbour_and_audits():
    event = EventFactory()
    for name, order in (("Air", 0), ("Buses", 5), ("Care", 9)):
        ThemeFactory(event=event, name=name, order=order)
    care = Theme.objects.get(event=event, name="Care")
    actor = UserFactory()

    services.part_move(actor=actor, part=care, direction="up")

    assert _names(event) == [("Air", 0), ("Care", 1), ("Buses", 2)]
    entry = AuditEntry.objects.get(action="theme.moved")
    assert (entry.actor, entry.target_id, entry.data) == (
        actor,
        str(care.pk),
        {"direction": "up", "position": 2},
    )


def test_part_move_between_equal_orders_still_moves():
    # New parts all start at order 0, listed by name: swapping equal values would do nothing.
    event = EventFactory()
    for name in ("Air", "Buses", "Care"):
        ThemeFactory(event=event, name=name, order=0)

    services.part_move(actor=None, part=Theme.objects.get(name="Air"), direction="down")

    assert _names(event) == [("Buses", 0), ("Air", 1), ("Care", 2)]


def test_part_move_leaves_other_events_parts_alone():
    event, other = EventFactory(), EventFactory()
    first = ThemeFactory(event=event, name="Air", order=3)
    ThemeFactory(event=event, name="Buses", order=4)
    ThemeFactory(event=other, name="Other", order=3)

    services.part_move(actor=None, part=first, direction="down")

    assert _names(event) == [("Buses", 0), ("Air", 1)]
    assert _names(other) == [("Other", 3)]


@pytest.mark.parametrize(
    "name, direction, message",
    [
        ("Air", "up", "“Air” is already first."),
        ("Buses", "down", "“Buses” is already last."),
        ("Air", "sideways", "“sideways” is not a direction: move up or down."),
    ],
)
def test_part_move_past_the_end_or_sideways_is_refused(name, direction, message):
    event = EventFactory()
    ThemeFactory(event=event, name="Air", order=2)
    ThemeFactory(event=event, name="Buses", order=7)

    with pytest.raises(ApplicationError) as refused:
        services.part_move(
            actor=None, part=Theme.objects.get(event=event, name=name), direction=direction
        )

    assert refused.value.message == message
    assert _names(event) == [("Air", 2), ("Buses", 7)]
    assert not AuditEntry.objects.filter(action="theme.moved").exists()
