"""The demo's prizes: December's overall, theme, special and people's choice prizes,
awarded, with votes from checked-in participants, none for their own team."""

import io
from collections import Counter

import pytest
from django.core.management import call_command

from events.models import Event
from judging.models import Prize, Vote
from judging.selectors import event_results
from registration.enums import RegistrationStatus
from teams.models import TeamMembership

pytestmark = pytest.mark.django_db


def test_december_has_four_prizes_awarded_and_a_peoples_choice_voted_by_those_there(demo_seeded):
    december = Event.objects.get(slug="community-data-hackathon-2024")

    prizes = {prize.kind: prize for prize in Prize.objects.filter(event=december)}
    votes = list(Vote.objects.filter(event=december).select_related("submission"))

    assert set(prizes) == {"overall", "theme", "special", "peoples_choice"}
    assert all(prize.winner_id for prize in prizes.values())
    ranked = event_results(december, resamples=0).submissions
    assert prizes["overall"].winner_id == ranked[0].submission_id
    assert prizes["theme"].winner.theme_id == prizes["theme"].theme_id
    assert len(votes) > 5
    checked_in = set(
        december.registrations.filter(status=RegistrationStatus.CHECKED_IN).values_list(
            "user_id", flat=True
        )
    )
    assert {vote.voter_id for vote in votes} <= checked_in
    teams = dict(TeamMembership.objects.filter(event=december).values_list("user_id", "team_id"))
    assert all(teams.get(vote.voter_id) != vote.submission.team_id for vote in votes)
    tally = Counter(vote.submission_id for vote in votes)
    assert tally[prizes["peoples_choice"].winner_id] == max(tally.values())


def test_seeding_again_changes_no_prize_nor_vote(demo_seeded):
    before = (
        sorted(Prize.objects.values_list("name", "winner_id")),
        sorted(Vote.objects.values_list("voter_id", "submission_id")),
    )

    call_command("seed_demo", stdout=io.StringIO())

    after = (
        sorted(Prize.objects.values_list("name", "winner_id")),
        sorted(Vote.objects.values_list("voter_id", "submission_id")),
    )
    assert after == before
