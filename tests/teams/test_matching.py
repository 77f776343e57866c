"""The team-matching engine on random populations: its guarantees, and that it optimises.

Pure Python: no database. Hypothesis draws populations, pairs, sizes and existing teams;
every proposal (the optimiser's and both baselines') must keep the same guarantees.
"""

import dataclasses
import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.enums import DEFAULT_SKILLS
from teams.matching import (
    Candidate,
    ExistingTeam,
    greedy_baseline,
    propose_teams,
    random_baseline,
    score_teams,
)

SKILLS = tuple(slug for slug, _ in DEFAULT_SKILLS)
THEMES = ("health", "housing", "transport")
KINDS = ("student", "researcher", "developer", "local_professional", "community_researcher")
KINDS += ("other", "")
EXISTING_IDS_FROM = 10_000  # existing members' ids, apart from the candidates'
METHODS = (propose_teams, greedy_baseline, random_baseline)


# A person's profile drawn as one integer (skills, themes and type as bits and a digit):
# one draw per person keeps generating 80-person populations cheap.
PROFILES = 2 ** len(SKILLS) * 2 ** len(THEMES) * len(KINDS)
profiles = st.integers(0, PROFILES - 1)


def _candidate(candidate_id, profile):
    skill_bits, rest = divmod(profile, 2 ** len(THEMES) * len(KINDS))
    theme_bits, kind = divmod(rest, len(KINDS))
    return Candidate(
        id=candidate_id,
        skills=frozenset(s for i, s in enumerate(SKILLS) if skill_bits >> i & 1),
        interests=frozenset(t for i, t in enumerate(THEMES) if theme_bits >> i & 1),
        kind=KINDS[kind],
    )


@st.composite
def scenarios(draw):
    max_size = draw(st.integers(1, 8))
    min_size = draw(st.integers(1, max_size))
    count = draw(st.integers(0, 80))
    people = draw(st.lists(profiles, min_size=count, max_size=count))
    candidates = [_candidate(i, profile) for i, profile in enumerate(people, start=1)]
    ids = st.integers(1, max(count, 1))  # no pairs are drawn when count is 0
    pair_count = draw(st.integers(0, count))
    pairs = draw(st.lists(st.tuples(ids, ids), min_size=pair_count, max_size=pair_count))
    existing, next_id = [], EXISTING_IDS_FROM
    for team_id, members in enumerate(
        draw(st.lists(st.lists(profiles, min_size=1, max_size=max_size), max_size=3)), start=1
    ):
        team = tuple(_candidate(next_id + i, profile) for i, profile in enumerate(members))
        existing.append(ExistingTeam(id=team_id, members=team))
        next_id += len(members)
    return {
        "candidates": candidates,
        "skill_set": SKILLS,
        "min_size": min_size,
        "max_size": max_size,
        "pairs": pairs,
        "existing_teams": existing,
        "seed": draw(st.integers(0, 2**16)),
    }


def _team_of(proposal):
    return {member: team for team in proposal.teams for member in team.member_ids}


def _arrangement(proposal, scenario):
    everyone = {c.id: c for c in scenario["candidates"]}
    everyone.update({m.id: m for t in scenario["existing_teams"] for m in t.members})
    return [[everyone[member] for member in team.member_ids] for team in proposal.teams]


def _check_valid(proposal, scenario):
    placed = [member for team in proposal.teams for member in team.member_ids]
    unplaced = [item.id for item in proposal.unplaced]
    candidate_ids = {c.id for c in scenario["candidates"]}
    existing_ids = {m.id for t in scenario["existing_teams"] for m in t.members}

    assert len(placed) == len(set(placed)), "someone is placed twice"
    assert len(unplaced) == len(set(unplaced))
    assert not set(placed) & set(unplaced)
    assert set(placed) | set(unplaced) == candidate_ids | existing_ids
    assert set(unplaced) <= candidate_ids
    assert all(item.reason for item in proposal.unplaced)

    by_existing_id = {t.existing_team_id: t for t in proposal.teams if t.existing_team_id}
    for team in scenario["existing_teams"]:
        proposed = by_existing_id[team.id]
        assert {m.id for m in team.members} <= set(proposed.member_ids)
        assert len(proposed.member_ids) <= scenario["max_size"]
    new_sizes = [len(t.member_ids) for t in proposal.teams if t.existing_team_id is None]
    assert all(scenario["min_size"] <= size <= scenario["max_size"] for size in new_sizes)

    team_of = _team_of(proposal)
    for first, second in scenario["pairs"]:
        together = first in team_of and team_of.get(second) is team_of[first]
        assert together or {first, second} <= set(unplaced)


@settings(max_examples=60, deadline=None)
@given(scenarios())
def test_every_method_places_people_once_within_sizes_and_keeps_pairs(scenario):
    for method in METHODS:
        _check_valid(method(**scenario), scenario)


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_same_seed_gives_the_same_proposal_whatever_the_input_order(scenario):
    first = propose_teams(**scenario)

    shuffled = list(scenario["candidates"])
    random.Random(scenario["seed"]).shuffle(shuffled)
    pairs = [(b, a) for a, b in reversed(scenario["pairs"])]
    again = propose_teams(**{**scenario, "candidates": shuffled, "pairs": pairs})

    assert again == first


@settings(max_examples=40, deadline=None)
@given(scenarios())
def test_score_teams_gives_the_proposals_own_scores(scenario):
    proposal = propose_teams(**scenario)

    scores = score_teams(_arrangement(proposal, scenario), skill_set=SKILLS)

    assert scores.total == proposal.total
    assert scores.teams == tuple(team.quality for team in proposal.teams)
    assert scores.fair_share == proposal.fair_share


def _population(count, seed):
    rng = random.Random(seed)
    kinds = ["student"] * 30 + ["researcher"] * 25 + ["developer"] * 15
    kinds += ["local_professional"] * 12 + ["community_researcher"] * 8 + ["other"] * 10
    candidates = [
        Candidate(
            id=candidate_id,
            skills=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
            interests=frozenset(rng.sample(THEMES, rng.randint(1, 2))),
            kind=rng.choice(kinds),
        )
        for candidate_id in range(1, count + 1)
    ]
    ids = [c.id for c in candidates]
    rng.shuffle(ids)
    pairs = [(ids[2 * k], ids[2 * k + 1]) for k in range(count // 40)]
    return {
        "candidates": candidates,
        "skill_set": SKILLS,
        "min_size": 2,
        "max_size": 5,
        "pairs": pairs,
        "existing_teams": [],
        "seed": 7,
    }


def _clustered(proposal):
    """Teams with two or more community researchers while another team has none."""
    counts = [team.quality.spread_group_count for team in proposal.teams]
    return sum(count >= 2 for count in counts) if 0 in counts else 0


def test_optimiser_beats_random_by_a_fifth_and_the_greedy_baseline():
    scenario = _population(200, seed=11)

    optimised = propose_teams(**scenario)
    greedy = greedy_baseline(**scenario)
    random_teams = random_baseline(**scenario)

    assert optimised.total >= 1.2 * random_teams.total
    assert optimised.total > greedy.total > random_teams.total
    assert [len(t.member_ids) for t in optimised.teams] == [5] * 40  # same sizes as the others
    assert [len(t.member_ids) for t in random_teams.teams] == [5] * 40


def test_community_researchers_are_spread_when_numbers_allow():
    scenario = _population(200, seed=11)
    kinds = {c.id: c.kind for c in scenario["candidates"]}
    researchers = sum(kind == "community_researcher" for kind in kinds.values())
    assert 0 < researchers < 40  # fewer than the teams: at most one per team is possible
    # No pair of two of them, which would force a team to hold both.
    assert not any(kinds[a] == kinds[b] == "community_researcher" for a, b in scenario["pairs"])

    proposal = propose_teams(**scenario)

    assert proposal.fair_share == 1
    assert max(team.quality.spread_group_count for team in proposal.teams) == 1
    assert _clustered(proposal) == 0
    assert _clustered(random_baseline(**scenario)) > 0  # the population does not do it alone


def test_optimiser_covers_skills_at_least_as_well_as_the_greedy_baseline():
    scenario = _population(200, seed=11)

    optimised = propose_teams(**scenario)
    greedy = greedy_baseline(**scenario)

    def worst(proposal):
        return min(team.quality.skill_coverage for team in proposal.teams)

    assert worst(optimised) >= worst(greedy)
    assert worst(optimised) == 1.0


def test_no_candidates_gives_an_empty_proposal():
    proposal = propose_teams([], skill_set=SKILLS, min_size=2, max_size=5)

    assert (proposal.teams, proposal.total, proposal.unplaced) == ((), 0, ())


def test_fewer_candidates_than_the_minimum_are_all_unplaced_with_the_reason():
    candidates = [Candidate(i, frozenset({"coding"}), frozenset(), "student") for i in (1, 2)]

    proposal = propose_teams(candidates, skill_set=SKILLS, min_size=3, max_size=5)

    assert proposal.teams == ()
    assert [item.id for item in proposal.unplaced] == [1, 2]
    assert "fewer than the minimum team size of 3" in proposal.unplaced[0].reason


def test_a_pair_group_larger_than_the_maximum_is_unplaced_and_the_rest_placed():
    candidates = [Candidate(i, frozenset({"coding"}), frozenset(), "student") for i in range(1, 9)]
    chain = [(1, 2), (2, 3), (3, 4)]  # one group of four

    proposal = propose_teams(
        candidates, skill_set=SKILLS, min_size=2, max_size=3, pairs=chain, seed=1
    )

    assert [item.id for item in proposal.unplaced] == [1, 2, 3, 4]
    assert "together as 4 people" in proposal.unplaced[0].reason
    assert sorted(m for t in proposal.teams for m in t.member_ids) == [5, 6, 7, 8]
    assert [len(t.member_ids) for t in proposal.teams] == [2, 2]


def test_topping_up_an_existing_team_keeps_its_members_and_fills_it_first():
    existing = ExistingTeam(
        id=42,
        members=(
            Candidate(100, frozenset({"coding"}), frozenset({"health"}), "developer"),
            Candidate(101, frozenset({"design-ux"}), frozenset({"health"}), "student"),
        ),
    )
    newcomers = [
        Candidate(1, frozenset({"data-analysis"}), frozenset({"health"}), "researcher"),
        Candidate(2, frozenset({"storytelling"}), frozenset({"housing"}), "other"),
    ]

    proposal = propose_teams(
        newcomers, skill_set=SKILLS, min_size=3, max_size=4, existing_teams=[existing]
    )

    (team,) = proposal.teams
    assert (team.existing_team_id, team.member_ids) == (42, (1, 2, 100, 101))
    assert team.quality.skill_coverage == pytest.approx(4 / 6)
    assert team.quality.interest_alignment == pytest.approx(3 / 4)
    assert proposal.unplaced == ()


def test_a_full_existing_team_leaves_room_to_new_teams():
    existing = ExistingTeam(
        id=7, members=tuple(Candidate(100 + i, frozenset(), frozenset(), "") for i in range(3))
    )
    newcomers = [Candidate(i, frozenset(), frozenset(), "student") for i in range(1, 8)]

    proposal = propose_teams(
        newcomers, skill_set=SKILLS, min_size=3, max_size=4, existing_teams=[existing]
    )

    sizes = [(t.existing_team_id, len(t.member_ids)) for t in proposal.teams]
    assert sizes == [(7, 4), (None, 3), (None, 3)]


def test_pairs_stay_together_and_a_move_by_the_organiser_is_rescored():
    scenario = _population(40, seed=3)
    scenario["pairs"] = [(1, 2), (3, 4)]
    proposal = propose_teams(**scenario)
    team_of = _team_of(proposal)
    assert team_of[1] is team_of[2] and team_of[3] is team_of[4]

    arrangement = _arrangement(proposal, scenario)
    moved_person = arrangement[0].pop()  # an organiser moves someone to the second team
    arrangement[1].append(moved_person)
    moved = score_teams(arrangement, skill_set=SKILLS)

    before = [team.quality for team in proposal.teams]
    assert moved.teams[2:] == tuple(before[2:])
    assert moved.teams[1].spread_group_count == before[1].spread_group_count + (
        moved_person.kind == "community_researcher"
    )
    assert moved.teams[:2] != tuple(before[:2])
    assert moved.total == sum(team.score for team in moved.teams)


def test_proposal_is_json_serialisable():
    proposal = propose_teams(**_population(30, seed=5))

    data = json.loads(json.dumps(dataclasses.asdict(proposal)))

    assert data["total"] == proposal.total
    assert data["teams"][0]["member_ids"] == list(proposal.teams[0].member_ids)


@pytest.mark.parametrize(("min_size", "max_size"), [(0, 3), (4, 3)])
def test_impossible_sizes_are_refused(min_size, max_size):
    with pytest.raises(ValueError, match="min_size"):
        propose_teams([], skill_set=SKILLS, min_size=min_size, max_size=max_size)


def test_someone_listed_twice_is_refused():
    person = Candidate(1, frozenset(), frozenset(), "")
    with pytest.raises(ValueError, match="twice"):
        propose_teams(
            [person],
            skill_set=SKILLS,
            min_size=1,
            max_size=2,
            existing_teams=[ExistingTeam(9, (person,))],
        )
