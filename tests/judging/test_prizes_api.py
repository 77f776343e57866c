"""The API's list of an event's prizes: winners and the people's choice count only once
results are published; the same queries for 1 and 20 prizes."""

import pytest
from django.utils import timezone

from judging.models import Prize
from judging.services.prizes import vote_cast
from tests.factories import EventFactory
from tests.judging.prizes_helpers import checked_in_participant, handed_in, peoples_choice
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def event():
    event = EventFactory()
    entry = handed_in(event, title="Green routes", team_name="Team Green")
    prize = peoples_choice(event, name="Crowd favourite")
    vote_cast(actor=checked_in_participant(event), event=event, submission=entry)
    prize.winner = entry
    prize.save()
    Prize.objects.create(event=event, name="Best overall", kind="overall", order=1, winner=entry)
    Prize.objects.create(event=EventFactory(), name="Elsewhere", kind="special")
    return event


def _list(client, event):
    response = client.get(f"/api/v1/events/{event.slug}/prizes/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    return response.json()


def test_before_publication_the_prizes_are_listed_without_winners_or_counts(client, event):
    listed = _list(client, event)

    assert [(p["name"], p["kind"], p["winner"], p["votes"]) for p in listed] == [
        ("Crowd favourite", "peoples_choice", None, None),
        ("Best overall", "overall", None, None),
    ]


def test_after_publication_each_prize_names_its_winner_and_the_peoples_choice_its_votes(
    client, event
):
    event.results_published_at = timezone.now()
    event.save(update_fields=["results_published_at"])
    entry = Prize.objects.get(name="Best overall").winner

    listed = _list(client, event)

    winner = {"submission": entry.pk, "title": "Green routes", "team": "Team Green"}
    assert [(p["name"], p["winner"], p["votes"]) for p in listed] == [
        ("Crowd favourite", winner, 1),
        ("Best overall", winner, None),
    ]


def test_the_list_costs_the_same_queries_for_1_and_20_prizes(client):
    event = EventFactory(results_published_at=timezone.now())
    names = []

    def add(count):
        for _ in range(count):
            entry = handed_in(event)
            names.append(
                Prize.objects.create(
                    event=event, name=f"Prize {len(names)}", kind="special", winner=entry
                ).name
            )

    def fetch():
        response = client.get(
            f"/api/v1/events/{event.slug}/prizes/", HTTP_ACCEPT="application/json"
        )
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add, shown=lambda: names)
