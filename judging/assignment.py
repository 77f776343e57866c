"""Judge assignment: which judges of each room's panel score which of its submissions.

Pure Python (no Django), as `teams.matching` and `judging.results`. The Django side turns
rooms and their panels into `RoomPlan`s, computes the conflicts (declared ones, the
judge's own team, the same organisation) and the pairs already assigned, calls
`assignment_compute` and stores the pairs it returns.

Rules
-----
1. Coverage: each submission gets min(k, available) judges, where `available` counts the
   judges of its own room's panel not in conflict with it: k when the panel allows it,
   else every judge it can have, and a `Shortfall` says where. A judge from another
   room is never used: they sit in their own room while the teams present.
2. Keep: a kept pair (the judge may already have scored the submission) stays, so
   re-running never loses a score, and counts toward the k; when more than k are kept,
   all stay and none are added. A kept pair that no longer holds is dropped and listed
   with its reason: a conflict (conflicts win over scores), a submission no longer
   presenting, or a judge not on its room's panel (rule 1).
3. Balance: within a panel, the loads (submissions per judge, kept ones included) are as
   even as conflicts and kept pairs allow: the largest load is the least possible and
   the smallest the greatest possible, both at once. With no conflict and no kept pair
   in the way, loads differ by at most one.
4. Deterministic: ids are sorted before anything is chosen, so the same rooms,
   conflicts and kept pairs, in any order, give the same assignment.

Method, room by room
--------------------
Greedy fill: the most constrained submissions first (fewest available judges, then id),
each taking the free judges with the lowest loads (then ids) that it still needs. With
no conflict and no kept pair this alone keeps the loads within one: if they are all m or
m + 1 before a submission takes d judges, the d lowest are raised, which lifts some m's
to m + 1, or all m's and some (m + 1)'s to m + 2; either way they are within one again.

Repair: conflicts can mislead the greedy (a submission takes the judge that another one,
with fewer choices, was the only one able to relieve). A chain moves one unit of load
from judge a to judge b and changes no other load: a hands a submission to a judge j1
free for it and not on it, j1 hands another to j2, ..., b takes the last. Only new
pairs move; kept ones never do. The repair searches chains breadth-first from the most
loaded judges and applies one whenever load(a) >= load(b) + 2, until there is none.
Each application lowers the sum of squared loads by at least 2, so it stops.

Why it is then optimal: the new pairs are an integer flow in which each submission sends
its demand, one unit to each judge it takes. Minimising the sum of squared loads is a
convex-cost flow problem, solved exactly when the residual graph has no negative cycle;
those cycles are the chains above, and a chain lowers the cost exactly when
load(a) >= load(b) + 2. The load vectors of such flows form an M-convex set (the integer
points of a base polyhedron), on which the minimiser of the sum of squares also has the
least largest element and the greatest smallest one (A. Frank and K. Murota, Discrete
decreasing minimization, Part I, 2022): rule 3. With no conflict and no kept pair a
chain of a single move exists whenever two loads differ by two (a has a submission b
lacks, and b is free for it), which is the spread-of-one case again.
"""

from collections import Counter, deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

PER_SUBMISSION = 3

Pair = tuple[int, int]  # (judge id, submission id)


@dataclass(frozen=True)
class RoomPlan:
    room_id: int
    judges: tuple[int, ...]  # its panel
    submissions: tuple[int, ...]  # presenting in it


@dataclass(frozen=True)
class Shortfall:
    """Fewer than the wanted judges are free for a submission: it got all of them."""

    room_id: int
    submission_id: int
    assigned: int
    wanted: int
    available: int  # judges of its room's panel not in conflict with it


class DropReason(StrEnum):
    CONFLICT = "conflict"
    NOT_PRESENTING = "not_presenting"
    NOT_ON_PANEL = "not_on_panel"  # the judge is not on the panel of the submission's room


@dataclass(frozen=True)
class Dropped:
    """A kept pair that could not be kept (rule 2)."""

    judge_id: int
    submission_id: int
    reason: DropReason


@dataclass(frozen=True)
class Assignment:
    pairs: frozenset[Pair]  # kept ones included
    loads: dict[int, int]  # every panel judge's number of submissions, by judge id
    shortfalls: tuple[Shortfall, ...]  # by room id, then submission id
    dropped: tuple[Dropped, ...]  # by judge id, then submission id


def assignment_compute(
    *,
    rooms: Sequence[RoomPlan],
    conflicts: Iterable[Pair] = frozenset(),
    keep: Iterable[Pair] = frozenset(),
    per_submission: int = PER_SUBMISSION,
) -> Assignment:
    """Judges for every submission from its room's panel, by the rules above."""
    if per_submission < 1:
        raise ValueError(f"per_submission must be at least 1, not {per_submission}")
    twice = sorted(room_id for room_id, n in Counter(r.room_id for r in rooms).items() if n > 1)
    if twice:
        raise ValueError(f"room {twice[0]} is listed twice: a room has one plan")
    judge_room = _room_of(
        ((judge, room.room_id) for room in rooms for judge in room.judges),
        "judge",
        "a judge sits on at most one panel",
    )
    submission_room = _room_of(
        ((submission, room.room_id) for room in rooms for submission in room.submissions),
        "submission",
        "a submission presents in at most one room",
    )
    conflicts = frozenset(conflicts)
    kept, dropped = _kept(keep, conflicts, judge_room, submission_room)

    pairs: set[Pair] = set(kept)
    loads: dict[int, int] = {}
    shortfalls: list[Shortfall] = []
    for room in sorted(rooms, key=lambda room: room.room_id):
        panel = _Panel(room, conflicts, kept, per_submission)
        panel.fill()
        while (chain := panel.chain()) is not None:
            panel.apply(chain)
        pairs |= {(judge, s) for s, judges in panel.new.items() for judge in judges}
        loads |= panel.load
        shortfalls += panel.shortfalls()
    return Assignment(frozenset(pairs), dict(sorted(loads.items())), tuple(shortfalls), dropped)


# --- Internals ---------------------------------------------------------------------------


def _room_of(placements: Iterable[tuple[int, int]], kind: str, rule: str) -> dict[int, int]:
    """{id: room id} from (id, room id) placements, refusing an id placed twice."""
    rooms_of: dict[int, list[int]] = {}
    for item, room_id in placements:
        rooms_of.setdefault(item, []).append(room_id)
    for item, room_ids in sorted(rooms_of.items()):
        if len(room_ids) > 1:
            where = " and ".join(str(room_id) for room_id in sorted(room_ids))
            raise ValueError(f"{kind} {item} is listed in rooms {where}: {rule}")
    return {item: room_ids[0] for item, room_ids in rooms_of.items()}


def _kept(
    keep: Iterable[Pair],
    conflicts: frozenset[Pair],
    judge_room: dict[int, int],
    submission_room: dict[int, int],
) -> tuple[frozenset[Pair], tuple[Dropped, ...]]:
    """The kept pairs that still hold, and the others with the reason (rule 2)."""
    kept, dropped = set(), []
    for judge, submission in sorted(set(keep)):
        if (judge, submission) in conflicts:
            reason = DropReason.CONFLICT
        elif submission not in submission_room:
            reason = DropReason.NOT_PRESENTING
        elif judge_room.get(judge) != submission_room[submission]:
            reason = DropReason.NOT_ON_PANEL
        else:
            kept.add((judge, submission))
            continue
        dropped.append(Dropped(judge, submission, reason))
    return frozenset(kept), tuple(dropped)


# A move hands a submission from one judge to another: (giver, submission, taker).
_Move = tuple[int, int, int]


class _Panel:
    """One room: its judges' loads and the new pairs, per submission."""

    def __init__(self, room: RoomPlan, conflicts: frozenset[Pair], kept: frozenset[Pair], k: int):
        self.room_id = room.room_id
        self.k = k
        self.judges = sorted(room.judges)
        self.submissions = sorted(room.submissions)
        self.kept = {s: {j for j in self.judges if (j, s) in kept} for s in self.submissions}
        # Judges a submission may still take: on the panel, not in conflict, not kept on it.
        self.free = {
            s: [j for j in self.judges if (j, s) not in conflicts and j not in self.kept[s]]
            for s in self.submissions
        }
        self.available = {s: len(self.kept[s]) + len(self.free[s]) for s in self.submissions}
        self.new: dict[int, set[int]] = {s: set() for s in self.submissions}
        self.load = {j: sum(j in on for on in self.kept.values()) for j in self.judges}

    def fill(self) -> None:
        """The greedy: most constrained first, the least loaded judges (rule 1's count)."""
        for s in sorted(self.submissions, key=lambda s: (self.available[s], s)):
            need = max(0, min(self.k, self.available[s]) - len(self.kept[s]))
            for judge in sorted(self.free[s], key=lambda j: (self.load[j], j))[:need]:
                self.new[s].add(judge)
                self.load[judge] += 1

    def chain(self) -> list[_Move] | None:
        """Moves shifting one unit of load from a judge to one at least two below, or None
        when no such chain exists, which is when the loads are optimal (module docstring)."""
        gives: dict[int, list[int]] = {judge: [] for judge in self.judges}
        for s in self.submissions:
            for judge in sorted(self.new[s]):
                gives[judge].append(s)
        lowest = min(self.load.values(), default=0)
        for start in sorted(self.judges, key=lambda j: (-self.load[j], j)):
            if self.load[start] < lowest + 2:
                return None  # no judge further down is two below this one either
            came_from: dict[int, tuple[int, int] | None] = {start: None}
            queue = deque([start])
            while queue:
                giver = queue.popleft()
                for s in gives[giver]:
                    for taker in self.free[s]:
                        if taker not in came_from and taker not in self.new[s]:
                            came_from[taker] = (giver, s)
                            queue.append(taker)
            reached = [j for j in came_from if self.load[j] <= self.load[start] - 2]
            if reached:
                return self._moves(came_from, min(reached, key=lambda j: (self.load[j], j)))
        return None

    @staticmethod
    def _moves(came_from: dict[int, tuple[int, int] | None], end: int) -> list[_Move]:
        moves = []
        while (step := came_from[end]) is not None:
            giver, s = step
            moves.append((giver, s, end))
            end = giver
        return moves

    def apply(self, chain: list[_Move]) -> None:
        # The search reaches each judge once, so a chain's takers are distinct and none is
        # on the submission it takes: its moves can be applied one by one, in any order.
        for giver, s, taker in chain:
            self.new[s].remove(giver)
            self.new[s].add(taker)
            self.load[giver] -= 1
            self.load[taker] += 1

    def shortfalls(self) -> list[Shortfall]:
        return [
            Shortfall(
                room_id=self.room_id,
                submission_id=s,
                assigned=len(self.kept[s]) + len(self.new[s]),
                wanted=self.k,
                available=self.available[s],
            )
            for s in self.submissions
            if self.available[s] < self.k
        ]
