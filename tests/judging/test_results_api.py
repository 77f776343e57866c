"""GET /api/v1/events/<slug>/results/: organisers any time, whoever may see the event
once the results are published, 404 otherwise; the public ranking, never notes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from events.enums import RoleKind
from events.models import Event
from judging.models import Judge
from tests.factories import EventFactory, EventRoleFactory, SubmissionFactory, UserFactory
from tests.judging.helpers_feedback import sheet
from tests.query_budget import assert_flat_queries
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db


def _sheet(judge, entry, value):
    values = dict.fromkeys(entry.event.criteria.all(), value)
    sheet(judge, entry, values, feedback="Kind", note="Private")


@pytest.fixture
def scored():
    """Two entries of a published event, scored 5s and 2s by one judge (the 1-to-5
    default rubric: totals 100 and 25 points)."""
    event = EventFactory(is_published=True)
    judge = Judge.objects.create(event=event, user=UserFactory())
    best = SubmissionFactory(team=team_with(event, name="Rovers"), title="Bus gaps")
    worst = SubmissionFactory(team=team_with(event, name="Walkers"), title="Park walks")
    _sheet(judge, best, 5)
    _sheet(judge, worst, 2)
    return event, best, worst


def _get(event, user=None):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client.get(f"/api/v1/events/{event.slug}/results/")


def _publish(event):
    Event.objects.filter(pk=event.pk).update(
        judging_locked_at=timezone.now(), results_published_at=timezone.now()
    )


def test_before_publication_only_organisers_read_the_results(scored):
    event, best, _worst = scored
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user

    anonymous, someone = _get(event), _get(event, UserFactory())
    theirs = _get(event, organiser)

    assert anonymous.status_code == someone.status_code == 404
    assert someone.json()["error"]["code"] == "not_found"
    assert theirs.status_code == 200
    assert theirs.json()["published_at"] is None
    assert theirs.json()["ranking"][0]["submission"] == best.pk


def test_after_publication_everyone_reads_the_public_ranking_without_notes(scored):
    event, best, worst = scored
    _publish(event)

    response = _get(event)

    assert response.status_code == 200
    body = response.json()
    assert body["published_at"] is not None
    assert body["ranking"] == [
        {"rank": 1, "submission": best.pk, "title": "Bus gaps", "team": "Rovers",
         "normalised_score": 100.0, "rank_low": 1, "rank_high": 1, "too_close_to_call": False},
        {"rank": 2, "submission": worst.pk, "title": "Park walks", "team": "Walkers",
         "normalised_score": 25.0, "rank_low": 2, "rank_high": 2, "too_close_to_call": False},
    ]  # fmt: skip
    assert "Private" not in response.content.decode()
    assert "Kind" not in response.content.decode()


def test_a_draft_events_published_results_stay_unseen_by_outsiders(scored):
    event, _best, _worst = scored
    Event.objects.filter(pk=event.pk).update(is_published=False)
    _publish(event)

    assert _get(Event.objects.get(pk=event.pk), UserFactory()).status_code == 404


def test_an_unknown_event_answers_404():
    assert APIClient().get("/api/v1/events/no-such-event/results/").status_code == 404


def test_the_results_take_as_many_queries_for_many_entries_as_for_one():
    """Read by an organiser while judging is open: computed on each reading."""
    event = EventFactory(is_published=True)
    organiser = EventRoleFactory(event=event, role=RoleKind.ORGANISER).user
    titles = []

    def add_items(k):
        for _ in range(k):
            entry = SubmissionFactory(team=team_with(event))
            titles.append(entry.title)
            _sheet(Judge.objects.create(event=event, user=UserFactory()), entry, 3)

    def fetch():
        response = _get(event, organiser)
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add_items, shown=lambda: titles)


def test_published_results_are_computed_once_for_many_readers(scored):
    event, _best, _worst = scored
    _publish(event)

    with CaptureQueriesContext(connection) as first:
        ranked = _get(event).json()
    with CaptureQueriesContext(connection) as again:
        assert _get(event).json() == ranked

    sheets_read = [q for q in first if '"judging_scoresheet"' in q["sql"]]
    assert sheets_read and not [q for q in again if '"judging_scoresheet"' in q["sql"]]
