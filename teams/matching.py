"""Automatic team matching: propose teams for participants without one, and score them.

Pure Python (no Django), so organisers' proposals can be computed, stored as JSON,
edited and re-scored anywhere. The Django side turns users into `Candidate`s, calls
`propose_teams`, and after an organiser moved people calls `score_teams` on the edited
arrangement, which computes the same objective.

Objective
---------
For an arrangement of teams t (new teams and topped-up existing teams alike):

    total = Σ_t  3·coverage_t + 2·alignment_t + 1·type_spread_t - 2·max(0, g_t - ⌈G / T⌉)

    coverage_t     skills of the skill set held by at least one member / size of the
                   skill set (0..1; 1 when the skill set is empty)
    alignment_t    (members interested in the team's most popular theme + members who
                   named no theme, as they fit any) / team size (0..1)
    type_spread_t  distinct participant types in the team / min(team size, distinct
                   types among everyone placed) (0..1; "" counts as a type of its own)
    g_t            community researchers in the team; G of them are placed, over T teams,
                   so ⌈G / T⌉ is each team's fair share

Why these weights: a team lacking a skill cannot deliver (each of six missing skills
costs 0.5); a team must settle on one theme (in a team of five, each member outside
the majority theme costs 0.4); a mix of types is good but matters less (1). A community
researcher beyond the fair share costs 2, more than moving one typical member can gain
elsewhere, so clustering is undone whenever the numbers allow it.

The spread group is the community researchers. People with lived experience are those
with the "domain-knowledge" skill, and the coverage term already spreads them: a second
holder adds nothing to a team's coverage, a first one in another team does. Adding them
to the spread group would be worse: they are often a third of a population, which
raises the fair share to two or more per team and stops protecting the scarce
community researchers from being paired up.

Method
------
1. Pairs are joined into groups (union-find) placed as units; a group larger than the
   maximum size is left unplaced with the reason. Pairs naming someone who is not a
   candidate are ignored: the caller resolves those (the partner already has a team).
2. Sizes: existing teams are topped up first (the emptiest first, up to the maximum),
   then the rest go into T = ⌈rest / max_size⌉ new teams of balanced sizes (differing
   by at most one). When that would put a team below the minimum, fewer people go into
   existing teams; when no split fits, the fewest people are left unplaced, with the
   reason. If pair groups make a planned size unreachable, a new team short of the
   minimum takes single people from teams above their bound or is dissolved; what
   cannot go into a team with room forms extra teams if it reaches the minimum, and
   is left unplaced otherwise. Bounds are never violated.
3. Greedy construction: scarce units first (pair groups, largest first; community
   researchers; then people by the rarity of their rarest skill), each into the team
   with room where it raises the objective most, among a seeded sample of teams.
4. Local search: a fixed budget of random swaps between teams (a unit for a unit of
   the same size, or a pair group for as many single people), and moves of a unit from
   a team to one exactly that much smaller (so the team sizes stay as planned), each
   kept only if it raises the objective. Each try is evaluated on per-team counters
   (skills, themes, types, community researchers), touching only the two teams.

The baselines use the same plan and repairs, so their team sizes are the same:
`greedy_baseline` places the most skilled first, each into the team lacking most of
their skills; `random_baseline` places everyone at random.

Everything random comes from `random.Random(seed)` and every iteration over names is
sorted, so the same input and seed give the same proposal in any process.
"""

import math
import random
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

SPREAD_KIND = "community_researcher"
SKILL_WEIGHT = 3.0
INTEREST_WEIGHT = 2.0
TYPE_WEIGHT = 1.0
CLUSTER_PENALTY = 2.0
# Teams a unit is tried against during construction; the local search corrects the rest.
CONSTRUCTION_SAMPLE = 24
# Tries per placed person: about 0.6 s for 1,000 people on the 2-core machines; the
# objective stops improving between 100 and 150.
SEARCH_TRIES_PER_PERSON = 100
IMPROVEMENT = 1e-9  # below this a change is float noise, not a gain


@dataclass(frozen=True)
class Candidate:
    id: int  # a user id
    skills: frozenset[str]
    interests: frozenset[str]  # theme slugs
    kind: str  # participant type, "" when not given


@dataclass(frozen=True)
class ExistingTeam:
    """An under-filled team to top up; its members never move."""

    id: int
    members: tuple[Candidate, ...]


@dataclass(frozen=True)
class TeamScore:
    score: float
    skill_coverage: float
    interest_alignment: float
    type_spread: float
    spread_group_count: int  # community researchers in the team


@dataclass(frozen=True)
class Scores:
    teams: tuple[TeamScore, ...]
    total: float
    fair_share: int  # community researchers per team beyond which clustering costs


@dataclass(frozen=True)
class ProposedTeam:
    existing_team_id: int | None
    member_ids: tuple[int, ...]  # existing members included
    quality: TeamScore


@dataclass(frozen=True)
class Unplaced:
    id: int
    reason: str


@dataclass(frozen=True)
class Proposal:
    teams: tuple[ProposedTeam, ...]
    total: float
    fair_share: int
    unplaced: tuple[Unplaced, ...]


def propose_teams(
    candidates: Sequence[Candidate],
    *,
    skill_set: Iterable[str],
    min_size: int,
    max_size: int,
    pairs: Iterable[tuple[int, int]] = (),
    existing_teams: Sequence[ExistingTeam] = (),
    seed: int = 0,
) -> Proposal:
    """Greedy construction, then local search: the proposal organisers review."""
    rng = random.Random(seed)  # noqa: S311 — seeded for repeatable proposals, not secrets
    matching = _Matching(candidates, skill_set, min_size, max_size, pairs, existing_teams)
    order = sorted(matching.units, key=matching.scarcity)
    matching.fill(order, _best_gain(rng, matching))
    matching.search(rng)
    return matching.proposal()


def greedy_baseline(
    candidates: Sequence[Candidate],
    *,
    skill_set: Iterable[str],
    min_size: int,
    max_size: int,
    pairs: Iterable[tuple[int, int]] = (),
    existing_teams: Sequence[ExistingTeam] = (),
    seed: int = 0,
) -> Proposal:
    """The obvious greedy on skills alone: the most skilled first (pair groups before
    them), each into the team with room that lacks most of their skills, the smallest
    such team on a tie. Blind to themes and types, and never revisits a choice.

    `seed` is unused (the greedy is deterministic); it keeps the signature of the others.
    """
    matching = _Matching(candidates, skill_set, min_size, max_size, pairs, existing_teams)
    order = sorted(matching.units, key=lambda unit: (-unit.size, -unit.skill_count, unit.key))
    matching.fill(order, _most_missing_skills)
    return matching.proposal()


def random_baseline(
    candidates: Sequence[Candidate],
    *,
    skill_set: Iterable[str],
    min_size: int,
    max_size: int,
    pairs: Iterable[tuple[int, int]] = (),
    existing_teams: Sequence[ExistingTeam] = (),
    seed: int = 0,
) -> Proposal:
    """A random partition with the same team sizes, pairs kept."""
    rng = random.Random(seed)  # noqa: S311 — seeded for repeatable proposals, not secrets
    matching = _Matching(candidates, skill_set, min_size, max_size, pairs, existing_teams)
    order = list(matching.units)
    rng.shuffle(order)
    # Larger units first, as in the others, so the same sizes can be packed.
    order.sort(key=lambda unit: -unit.size)
    matching.fill(order, lambda unit, rooms: rng.choice(rooms))
    return matching.proposal()


def score_teams(teams: Sequence[Sequence[Candidate]], *, skill_set: Iterable[str]) -> Scores:
    """The objective of an arrangement, e.g. a proposal after organisers moved people."""
    members = [candidate for team in teams for candidate in team]
    index = _Index(members, skill_set)
    people = {candidate.id: index.person(candidate) for candidate in members}
    arrangement = [[people[candidate.id] for candidate in team] for team in teams]
    scale = _Scale.of(index, arrangement)
    parts = tuple(
        _Team(index, existing_id=None, fixed=team, lower=0).quality(scale) for team in arrangement
    )
    return Scores(parts, total=sum((part.score for part in parts), 0.0), fair_share=scale.fair)


# --- Internals ---------------------------------------------------------------------------


class _Index:
    """Names (skills, themes, types) as small integers, in sorted order."""

    def __init__(self, people: Iterable[Candidate], skill_set: Iterable[str]):
        people = list(people)
        self.skills = {name: i for i, name in enumerate(sorted(set(skill_set)))}
        themes = sorted({theme for person in people for theme in person.interests})
        self.themes = {name: i for i, name in enumerate(themes)}
        self.kinds = {name: i for i, name in enumerate(sorted({p.kind for p in people}))}

    def person(self, candidate: Candidate) -> "_Person":
        skills = tuple(sorted(self.skills[s] for s in candidate.skills if s in self.skills))
        themes = tuple(sorted(self.themes[t] for t in candidate.interests))
        return _Person(
            id=candidate.id,
            skills=skills,
            themes=themes,
            kind=self.kinds[candidate.kind],
            spread=int(candidate.kind == SPREAD_KIND),
            skill_mask=sum(1 << skill for skill in skills),
            theme_mask=sum(1 << theme for theme in themes),
        )


@dataclass(frozen=True)
class _Person:
    id: int
    skills: tuple[int, ...]
    themes: tuple[int, ...]
    kind: int
    spread: int  # 1 for the spread group
    skill_mask: int  # bit i set for skill i, as `skills`
    theme_mask: int


class _Unit:
    """People placed together: one person, or a group joined by pairs."""

    # Plain attributes, not properties: the local search reads them in its inner loop.
    __slots__ = ("key", "members", "size", "skill_count")

    def __init__(self, members: tuple[_Person, ...]):
        self.members = members
        self.key = members[0].id
        self.size = len(members)
        self.skill_count = sum(len(person.skills) for person in members)


@dataclass(frozen=True)
class _Scale:
    """What a team's score depends on beyond its own members."""

    skills: int
    kinds: int  # distinct types among everyone placed
    fair: int  # fair share of the spread group per team

    @classmethod
    def of(cls, index: _Index, teams: Sequence[Sequence[_Person]]) -> "_Scale":
        placed = [person for team in teams for person in team]
        return cls(
            skills=len(index.skills),
            kinds=len({person.kind for person in placed}),
            fair=math.ceil(sum(p.spread for p in placed) / len(teams)) if teams else 0,
        )


class _Team:
    """A team's members and the counters its score is computed from."""

    def __init__(
        self,
        index: _Index,
        *,
        existing_id: int | None,
        fixed: Iterable[_Person],
        lower: int,
        target: int = 0,
    ):
        self.existing_id = existing_id
        self.fixed = list(fixed)  # existing members: never moved
        self.units: list[_Unit] = []
        self.lower = lower  # smallest size it may shrink to
        self.target = target  # planned size
        self.size = 0
        self.skill_counts = [0] * len(index.skills)
        self.covered = 0
        self.theme_counts = [0] * len(index.themes)
        self.open = 0  # members who named no theme
        self.kind_counts = [0] * len(index.kinds)
        self.distinct = 0
        self.spread = 0
        self.score = 0.0
        for person in self.fixed:
            self.count(person, 1)

    def count(self, person: _Person, step: int) -> None:
        self.size += step
        skill_counts = self.skill_counts
        for skill in person.skills:
            before = skill_counts[skill]
            skill_counts[skill] = before + step
            self.covered += (before + step > 0) - (before > 0)
        if person.themes:
            for theme in person.themes:
                self.theme_counts[theme] += step
        else:
            self.open += step
        before = self.kind_counts[person.kind]
        self.kind_counts[person.kind] = before + step
        self.distinct += (before + step > 0) - (before > 0)
        self.spread += person.spread * step

    def parts(self, scale: _Scale) -> tuple[float, float, float, float]:
        """(score, coverage, alignment, type spread) from the counters."""
        aligned = max(self.theme_counts, default=0) + self.open
        return _parts(scale, self.size, self.covered, aligned, self.distinct, self.spread)

    def quality(self, scale: _Scale) -> TeamScore:
        score, coverage, alignment, type_spread = self.parts(scale)
        return TeamScore(score, coverage, alignment, type_spread, self.spread)

    def rescore(self, scale: _Scale) -> None:
        self.score = self.parts(scale)[0]

    def score_after(self, scale: _Scale, leaving, joining) -> float:
        """The score if `leaving` left and `joining` joined; the team is left as it was."""
        for person in leaving:
            self.count(person, -1)
        for person in joining:
            self.count(person, 1)
        score = self.parts(scale)[0]
        for person in joining:
            self.count(person, -1)
        for person in leaving:
            self.count(person, 1)
        return score

    def score_swapped(self, scale: _Scale, leaving: _Person, joining: _Person) -> float:
        """`score_after` for one person out and one in, read off the counters without
        changing them: the local search's most frequent question, asked cheaply."""
        skill_counts = self.skill_counts
        covered = self.covered
        for skill in leaving.skills:
            if skill_counts[skill] == 1 and not joining.skill_mask >> skill & 1:
                covered -= 1
        for skill in joining.skills:
            if not skill_counts[skill]:
                covered += 1
        best_theme = 0
        for theme, count in enumerate(self.theme_counts):
            count += (joining.theme_mask >> theme & 1) - (leaving.theme_mask >> theme & 1)
            if count > best_theme:
                best_theme = count
        aligned = best_theme + self.open - (not leaving.themes) + (not joining.themes)
        distinct = self.distinct
        if leaving.kind != joining.kind:
            distinct += (not self.kind_counts[joining.kind]) - (self.kind_counts[leaving.kind] == 1)
        spread = self.spread - leaving.spread + joining.spread
        return _parts(scale, self.size, covered, aligned, distinct, spread)[0]

    def add(self, unit: _Unit) -> None:
        self.units.append(unit)
        for person in unit.members:
            self.count(person, 1)

    def remove(self, unit: _Unit) -> None:
        self.units.remove(unit)
        for person in unit.members:
            self.count(person, -1)

    def members(self) -> list[_Person]:
        return self.fixed + [person for unit in self.units for person in unit.members]


def _parts(scale: _Scale, size, covered, aligned, distinct, spread):
    """(score, coverage, alignment, type spread) of a team with these counts."""
    if not size:
        return 0.0, 0.0, 0.0, 0.0
    coverage = covered / scale.skills if scale.skills else 1.0
    alignment = aligned / size
    type_spread = distinct / min(size, scale.kinds)
    excess = max(0, spread - scale.fair)
    score = (
        SKILL_WEIGHT * coverage
        + INTEREST_WEIGHT * alignment
        + TYPE_WEIGHT * type_spread
        - CLUSTER_PENALTY * excess
    )
    return score, coverage, alignment, type_spread


_Choice = Callable[[_Unit, list[_Team]], _Team]


class _Matching:
    """One run: the units to place, the planned teams, and what could not be placed."""

    def __init__(self, candidates, skill_set, min_size, max_size, pairs, existing_teams):
        if not 1 <= min_size <= max_size:
            raise ValueError(f"need 1 <= min_size <= max_size, got {min_size} and {max_size}")
        self.min_size, self.max_size = min_size, max_size
        self.skill_set = sorted(set(skill_set))
        self.candidates = {c.id: c for c in candidates}
        self.existing_members = {m.id: m for team in existing_teams for m in team.members}
        everyone = [*candidates, *(m for team in existing_teams for m in team.members)]
        if len({person.id for person in everyone}) != len(everyone):
            raise ValueError("someone appears twice among the candidates and existing teams")
        self.index = _Index(everyone, self.skill_set)
        self.people = {person.id: self.index.person(person) for person in everyone}
        self.unplaced: list[Unplaced] = []
        self.units = self._units(pairs)
        self.skill_frequency = Counter(
            skill for unit in self.units for person in unit.members for skill in person.skills
        )
        self.teams = self._plan(existing_teams)
        # Until the teams are final, the scale is that of everyone over the planned teams.
        spread = sum(person.spread for person in self.people.values())
        self.scale = _Scale(
            skills=len(self.index.skills),
            kinds=len({person.kind for person in self.people.values()}),
            fair=math.ceil(spread / len(self.teams)) if self.teams else 0,
        )

    def _units(self, pairs: Iterable[tuple[int, int]]) -> list[_Unit]:
        """Pair groups (union-find) and single people; oversized groups are unplaced."""
        parent = {person_id: person_id for person_id in sorted(self.candidates)}

        def root(person_id):
            while parent[person_id] != person_id:
                parent[person_id] = parent[parent[person_id]]
                person_id = parent[person_id]
            return person_id

        for first, second in pairs:
            if first in parent and second in parent:
                low, high = sorted((root(first), root(second)))
                parent[high] = low
        groups: dict[int, list[_Person]] = {}
        for person_id in sorted(self.candidates):
            groups.setdefault(root(person_id), []).append(self.people[person_id])
        units = []
        for members in groups.values():
            if len(members) > self.max_size:
                reason = (
                    f"asked to be together as {len(members)} people, "
                    f"more than the maximum team size of {self.max_size}"
                )
                self.unplaced += [Unplaced(person.id, reason) for person in members]
            else:
                units.append(_Unit(tuple(members)))
        return units

    def _plan(self, existing_teams: Sequence[ExistingTeam]) -> list[_Team]:
        """Existing teams topped up first, then balanced new teams (see the docstring)."""
        people = sum(unit.size for unit in self.units)
        rooms = [max(0, self.max_size - len(team.members)) for team in existing_teams]
        best_placed, to_existing, to_new = -1, 0, 0
        for topping_up in range(min(sum(rooms), people), -1, -1):
            rest = people - topping_up
            team_count = math.ceil(rest / self.max_size)
            fits = team_count * self.min_size <= rest
            new_people = rest if fits else (team_count - 1) * self.max_size
            if topping_up + new_people > best_placed:
                best_placed, to_existing, to_new = topping_up + new_people, topping_up, new_people
        sizes = [len(team.members) for team in existing_teams]
        for _ in range(to_existing):
            # Water-filling: the emptiest team with room gets the next place.
            emptiest = min((i for i, room in enumerate(rooms) if room), key=lambda i: sizes[i])
            sizes[emptiest] += 1
            rooms[emptiest] -= 1
        teams = [
            _Team(
                self.index,
                existing_id=team.id,
                fixed=[self.people[member.id] for member in team.members],
                lower=len(team.members),
                target=size,
            )
            for team, size in zip(existing_teams, sizes, strict=True)
        ]
        new_count = math.ceil(to_new / self.max_size)
        for number in range(new_count):
            size = to_new // new_count + (number < to_new % new_count)
            teams.append(self._new_team(size))
        return teams

    def _new_team(self, target: int) -> _Team:
        return _Team(self.index, existing_id=None, fixed=(), lower=self.min_size, target=target)

    def scarcity(self, unit: _Unit) -> tuple:
        """Sort key: pair groups, then the spread group, then the rarest skill first."""
        rarest = min(
            (self.skill_frequency[skill] for p in unit.members for skill in p.skills),
            default=len(self.people),  # no skill: nothing scarce to spread
        )
        return (-unit.size, -max(p.spread for p in unit.members), rarest, unit.key)

    # --- Construction --------------------------------------------------------------------

    def fill(self, order: Sequence[_Unit], choose: _Choice) -> None:
        """Place `order` into the planned teams, repair sizes, then score with the final
        scale (the objective's fair share counts only the teams finally formed)."""
        overflow = []
        for unit in order:
            rooms = [team for team in self.teams if team.target - team.size >= unit.size]
            if not self._place(unit, rooms or self._rooms(unit), choose):
                overflow.append(unit)
        overflow += self._fill_short_teams()
        self._place_overflow(overflow, choose)
        self.scale = _Scale.of(self.index, [team.members() for team in self.teams])
        for team in self.teams:
            team.rescore(self.scale)

    def _rooms(self, unit: _Unit) -> list[_Team]:
        return [team for team in self.teams if self.max_size - team.size >= unit.size]

    def _place(self, unit: _Unit, rooms: list[_Team], choose: _Choice) -> bool:
        if not rooms:
            return False
        team = choose(unit, rooms)
        team.add(unit)
        team.rescore(self.scale)
        return True

    def _fill_short_teams(self) -> list[_Unit]:
        """Pair groups can leave a new team below the minimum: it takes single people from
        teams above their own lower bound, or is dissolved; returns the dissolved units."""
        dissolved = []
        for team in list(self.teams):
            while team.size < team.lower:
                donors = [
                    other
                    for other in self.teams
                    if other is not team
                    and other.size > other.lower
                    and any(unit.size == 1 for unit in other.units)
                ]
                if not donors:
                    break
                donor = max(donors, key=lambda other: other.size - other.lower)
                single = next(unit for unit in reversed(donor.units) if unit.size == 1)
                donor.remove(single)
                donor.rescore(self.scale)
                team.add(single)
                team.rescore(self.scale)
            if team.size < team.lower:
                self.teams.remove(team)
                dissolved += team.units
        return dissolved

    def _place_overflow(self, overflow: list[_Unit], choose: _Choice) -> None:
        """Units no planned team could take: any team with room, else new teams packed
        first-fit decreasing; what still falls short of the minimum stays unplaced."""
        bins: list[list[_Unit]] = []
        for unit in sorted(overflow, key=lambda unit: (-unit.size, unit.key)):
            if self._place(unit, self._rooms(unit), choose):
                continue
            fitting = (b for b in bins if sum(u.size for u in b) + unit.size <= self.max_size)
            chosen = next(fitting, None)
            if chosen is None:
                bins.append([unit])
            else:
                chosen.append(unit)
        people = sum(unit.size for unit in self.units)
        if people < self.min_size:
            reason = (
                f"only {people} eligible people, fewer than the minimum team size "
                f"of {self.min_size}"
            )
        else:
            reason = f"no team had room for them within the sizes {self.min_size}-{self.max_size}"
        for units in bins:
            size = sum(unit.size for unit in units)
            if size >= self.min_size:
                team = self._new_team(size)
                for unit in units:
                    team.add(unit)
                self.teams.append(team)
            else:
                self.unplaced += [Unplaced(p.id, reason) for u in units for p in u.members]

    # --- Local search --------------------------------------------------------------------

    def search(self, rng: random.Random) -> None:
        """Hill climbing by swaps and size-preserving moves, for a fixed number of tries."""
        teams = [team for team in self.teams if team.units]
        if len(teams) < 2:
            return
        tries = SEARCH_TRIES_PER_PERSON * sum(unit.size for t in teams for unit in t.units)
        draw = rng.random
        count = len(teams)
        for _ in range(tries):
            first = teams[int(draw() * count)]
            second = teams[int(draw() * count)]
            if first is second or not first.units or not second.units:
                continue
            unit = first.units[int(draw() * len(first.units))]
            best_gain, best = IMPROVEMENT, None
            for outgoing, incoming in self._changes(first, second, unit, rng):
                gain = self._gain(first, second, outgoing, incoming)
                if gain > best_gain:
                    best_gain, best = gain, (outgoing, incoming)
            if best is not None:
                self._apply(first, second, *best)

    def _changes(self, first: _Team, second: _Team, unit: _Unit, rng: random.Random):
        """Candidate changes moving `unit` from `first` to `second`: (outgoing, incoming)."""
        if first.size - unit.size == second.size and second.size >= first.lower:
            # The two sizes trade places, so the plan's sizes are kept.
            yield (unit,), ()
        other = second.units[int(rng.random() * len(second.units))]
        if other.size == unit.size:
            yield (unit,), (other,)
        elif other.size == 1:
            singles = [u for u in second.units if u.size == 1]
            if len(singles) >= unit.size:
                yield (unit,), tuple(rng.sample(singles, unit.size))
        elif unit.size == 1:
            singles = [u for u in first.units if u.size == 1]
            if len(singles) >= other.size:
                yield tuple(rng.sample(singles, other.size)), (other,)

    def _gain(self, first, second, outgoing, incoming) -> float:
        if len(outgoing) == len(incoming) == 1 and outgoing[0].size == incoming[0].size == 1:
            (leaving,), (joining,) = outgoing[0].members, incoming[0].members
            return (
                first.score_swapped(self.scale, leaving, joining)
                + second.score_swapped(self.scale, joining, leaving)
                - first.score
                - second.score
            )
        leaving = [person for unit in outgoing for person in unit.members]
        joining = [person for unit in incoming for person in unit.members]
        return (
            first.score_after(self.scale, leaving, joining)
            + second.score_after(self.scale, joining, leaving)
            - first.score
            - second.score
        )

    def _apply(self, first, second, outgoing, incoming) -> None:
        for unit in outgoing:
            first.remove(unit)
            second.add(unit)
        for unit in incoming:
            second.remove(unit)
            first.add(unit)
        first.rescore(self.scale)
        second.rescore(self.scale)

    # --- Result --------------------------------------------------------------------------

    def proposal(self) -> Proposal:
        everyone = {**self.candidates, **self.existing_members}
        members = [[everyone[p.id] for p in team.members()] for team in self.teams]
        scores = score_teams(members, skill_set=self.skill_set)
        teams = tuple(
            ProposedTeam(
                existing_team_id=team.existing_id,
                member_ids=tuple(sorted(person.id for person in team.members())),
                quality=quality,
            )
            for team, quality in zip(self.teams, scores.teams, strict=True)
        )
        unplaced = tuple(sorted(self.unplaced, key=lambda item: item.id))
        return Proposal(teams, scores.total, scores.fair_share, unplaced)


def _best_gain(rng: random.Random, matching: _Matching) -> _Choice:
    """The team among a seeded sample of those with room where the unit adds most."""

    def choose(unit: _Unit, rooms: list[_Team]) -> _Team:
        if len(rooms) > CONSTRUCTION_SAMPLE:
            rooms = rng.sample(rooms, CONSTRUCTION_SAMPLE)
        joining = unit.members
        return max(
            rooms, key=lambda team: team.score_after(matching.scale, (), joining) - team.score
        )

    return choose


def _most_missing_skills(unit: _Unit, rooms: list[_Team]) -> _Team:
    skills = {skill for person in unit.members for skill in person.skills}

    def missing(team: _Team) -> tuple[int, int]:
        return sum(not team.skill_counts[skill] for skill in skills), -team.size

    return max(rooms, key=missing)
