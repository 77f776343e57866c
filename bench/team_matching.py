"""Automatic team matching of 1,000 participants: its time, and its objective against
a greedy and a random baseline.

Pure Python, no database or server: `teams.matching.propose_teams` on 1,000 seeded
random candidates (mostly students and researchers, 8 % community researchers, 1-3 of
the 6 default skills, 1-2 of 3 themes, 5 % of them in pairs), teams of 2 to 5, timed
with time.perf_counter. The greedy baseline (most skilled first, each into the team
lacking most of their skills) and the random one run on the same input.
Knobs: BENCH_SEED (population and matching seed, default 2024), BENCH_PEOPLE (1000).
"""

import random
import time

from accounts.enums import DEFAULT_SKILLS
from bench.harness import env_number, log
from teams.matching import Candidate, greedy_baseline, propose_teams, random_baseline

NAME = "team_matching"
SKILLS = tuple(slug for slug, _ in DEFAULT_SKILLS)
THEMES = ("health-and-care", "housing", "transport")
# Participant types and their shares (per cent): a plausible mix, not measured data.
KINDS = {
    "student": 35,
    "researcher": 25,
    "developer": 12,
    "local_professional": 10,
    "community_researcher": 8,
    "other": 5,
    "": 5,
}
PAIRED_SHARE = 0.05
MIN_SIZE, MAX_SIZE = 2, 5
SPREAD_KIND = "community_researcher"


def run() -> dict[str, object]:
    seed = int(env_number("BENCH_SEED", 2024))
    people = int(env_number("BENCH_PEOPLE", 1000))
    candidates, pairs = population(people, seed)
    inputs = {
        "skill_set": SKILLS,
        "min_size": MIN_SIZE,
        "max_size": MAX_SIZE,
        "pairs": pairs,
        "seed": seed,
    }
    log(f"{people} candidates, {len(pairs)} pairs, teams of {MIN_SIZE}-{MAX_SIZE}, seed {seed}")

    started = time.perf_counter()
    proposal = propose_teams(candidates, **inputs)
    seconds = time.perf_counter() - started
    greedy = greedy_baseline(candidates, **inputs)
    random_teams = random_baseline(candidates, **inputs)

    kinds = {candidate.id: candidate.kind for candidate in candidates}
    for label, result in (("matching", proposal), ("greedy", greedy), ("random", random_teams)):
        log(
            f"{label}: objective {result.total:.1f}, {len(result.teams)} teams, "
            f"{len(result.unplaced)} unplaced, mean alignment {_mean_alignment(result):.3f}, "
            f"mean type spread {_mean_type_spread(result):.3f}, "
            f"clustered {clustered_teams(result, kinds)}"
        )
    # A pair of two community researchers must share a team: that clustering is forced.
    forced = sum(kinds[first] == kinds[second] == SPREAD_KIND for first, second in pairs)
    log(f"pairs of two community researchers (each forces a clustered team): {forced}")
    return {
        "seconds": f"{seconds:.3f}",
        "objective": f"{proposal.total:.1f}",
        "objective_random": f"{random_teams.total:.1f}",
        "objective_greedy": f"{greedy.total:.1f}",
        "teams": len(proposal.teams),
        "pairs_broken": pairs_broken(proposal, pairs),
        "min_skill_coverage": f"{min_skill_coverage(proposal):.2f}",
        "clustered_teams": clustered_teams(proposal, kinds),
        "min_skill_coverage_greedy": f"{min_skill_coverage(greedy):.2f}",
    }


def population(count: int, seed: int) -> tuple[list[Candidate], list[tuple[int, int]]]:
    rng = random.Random(seed)
    candidates = [
        Candidate(
            id=candidate_id,
            skills=frozenset(rng.sample(SKILLS, rng.randint(1, 3))),
            interests=frozenset(rng.sample(THEMES, rng.randint(1, 2))),
            kind=rng.choices(list(KINDS), weights=list(KINDS.values()))[0],
        )
        for candidate_id in range(1, count + 1)
    ]
    ids = [candidate.id for candidate in candidates]
    rng.shuffle(ids)
    pair_count = round(count * PAIRED_SHARE / 2)
    pairs = [(ids[2 * k], ids[2 * k + 1]) for k in range(pair_count)]
    return candidates, pairs


def pairs_broken(proposal, pairs) -> int:
    """Pairs whose two people are not in the same proposed team (unplaced ones count)."""
    team_of = {member: number for number, t in enumerate(proposal.teams) for member in t.member_ids}
    return sum(
        first not in team_of or team_of[first] != team_of.get(second) for first, second in pairs
    )


def min_skill_coverage(proposal) -> float:
    """The worst team's share of the skill set."""
    return min((team.quality.skill_coverage for team in proposal.teams), default=0.0)


def clustered_teams(proposal, kinds) -> int:
    """Teams holding two or more community researchers while another team has none."""
    counts = [
        sum(kinds[member] == SPREAD_KIND for member in team.member_ids) for team in proposal.teams
    ]
    return sum(count >= 2 for count in counts) if 0 in counts else 0


def _mean_alignment(proposal) -> float:
    return sum(t.quality.interest_alignment for t in proposal.teams) / len(proposal.teams)


def _mean_type_spread(proposal) -> float:
    return sum(t.quality.type_spread for t in proposal.teams) / len(proposal.teams)
