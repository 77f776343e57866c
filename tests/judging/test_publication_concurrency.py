"""Two organisers clicking "Publish results" at once, on PostgreSQL: the first UPDATE
holds the event's row (CAPACITY_RACE_DELAY keeps its transaction open); the second
waits, then finds the results already published. One publication, one audit entry,
one signal."""

import pytest

from common.exceptions import ApplicationError
from common.models import AuditEntry
from events.models import Event
from judging.extensions import results_published
from judging.services.publication import judging_lock, results_publish
from tests.concurrency import in_threads
from tests.factories import EventFactory, UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.xdist_group("registration-concurrency"),
    pytest.mark.no_cover,
]


def test_two_publishes_at_once_publish_once(settings):
    event, organiser = EventFactory(), UserFactory()
    judging_lock(actor=organiser, event=event)
    settings.CAPACITY_RACE_DELAY = 0.5
    settings.CAPACITY_LOCK_TIMEOUT_MS = 20_000
    sent = []
    results_published.connect(
        lambda sender, event, actor, **kwargs: sent.append(event.pk),
        dispatch_uid="test_publication_race", weak=False,
    )  # fmt: skip

    def publish():
        try:
            results_publish(actor=organiser, event=Event.objects.get(pk=event.pk))
        except ApplicationError as error:
            return error.code
        return "published"

    try:
        outcomes = in_threads([publish, publish], workers=2)
    finally:
        results_published.disconnect(dispatch_uid="test_publication_race")

    assert sorted(outcomes) == ["published", "results_published"]
    assert sent == [event.pk]
    assert AuditEntry.objects.filter(action="judging.results_published").count() == 1
