"""Reads for prizes and the people's choice: the organisers' awards page, the vote page
and the public winners. Each is a fixed number of queries, whatever the numbers."""

from dataclasses import dataclass

from django.db.models import Count

from judging.enums import PrizeKind
from judging.models import Prize, Vote
from judging.selectors import event_results
from submissions.models import Submission
from submissions.selectors.listing import HANDED_IN
from teams.selectors import team_of

SUGGESTED_BY_SCORES = {PrizeKind.OVERALL, PrizeKind.THEME, PrizeKind.CHALLENGE}


@dataclass(frozen=True)
class PrizeLine:
    prize: Prize
    candidates: list  # the entries it may go to
    suggested: Submission | None  # the judges' (or the voters') top entry, if any


def _prizes(event):
    return list(
        Prize.objects.filter(event=event).select_related("theme", "challenge", "winner__team")
    )


def _handed_in(event) -> list[Submission]:
    return list(
        Submission.objects.filter(event=event, status__in=HANDED_IN)
        .select_related("team")
        .order_by("title", "pk")
    )


def peoples_choice_of(event) -> Prize | None:
    return Prize.objects.filter(event=event, kind=PrizeKind.PEOPLES_CHOICE).first()


def vote_counts(event) -> dict[int, int]:
    """{submission id: votes} for the event's people's choice (one query)."""
    return dict(
        Vote.objects.filter(event=event)
        .values("submission_id")
        .annotate(votes=Count("pk"))
        .values_list("submission_id", "votes")
    )


def _top_by_scores(event, prizes) -> dict[str, int]:
    """{"overall" or a category key: the best-scored submission id}: the top of the
    default ranking, and each theme's or challenge's highest category score (two
    queries; the bootstrap is not needed for a suggestion)."""
    if not any(prize.kind in SUGGESTED_BY_SCORES for prize in prizes):
        return {}
    results = event_results(event, resamples=0)
    top = {"overall": results.submissions[0].submission_id} if results.submissions else {}
    best: dict[str, tuple[float, int]] = {}
    for result in (*results.submissions, *results.unranked):
        for key, score in result.categories.items():
            # Ties go to the better-ranked entry, which comes first.
            if key not in best or score > best[key][0]:
                best[key] = (score, result.submission_id)
    return top | {key: submission for key, (_score, submission) in best.items()}


def _suggestion_key(prize: Prize) -> str | None:
    if prize.kind == PrizeKind.OVERALL:
        return "overall"
    if prize.kind in (PrizeKind.THEME, PrizeKind.CHALLENGE):
        return f"{prize.kind}:{prize.theme_id or prize.challenge_id}"
    return None


def _fits(prize: Prize, entry: Submission) -> bool:
    if prize.kind == PrizeKind.THEME:
        return entry.theme_id == prize.theme_id
    if prize.kind == PrizeKind.CHALLENGE:
        return entry.challenge_id == prize.challenge_id
    return True


def prizes_overview(event) -> dict:
    """The organisers' awards page: each prize with the entries it may go to and the
    suggested winner, and the people's choice votes per entry, most first. Five queries."""
    prizes = _prizes(event)
    entries = _handed_in(event)
    by_pk = {entry.pk: entry for entry in entries}
    counts = vote_counts(event)
    top = _top_by_scores(event, prizes)
    most_voted = max(counts, key=lambda pk: (counts[pk], -pk), default=None)
    lines = []
    for prize in prizes:
        if prize.kind == PrizeKind.PEOPLES_CHOICE:
            suggested = by_pk.get(most_voted)
        else:
            suggested = by_pk.get(top.get(_suggestion_key(prize)))
        lines.append(
            PrizeLine(prize, [entry for entry in entries if _fits(prize, entry)], suggested)
        )
    tally = sorted(
        ((by_pk[pk], votes) for pk, votes in counts.items() if pk in by_pk),
        key=lambda pair: (-pair[1], pair[0].title, pair[0].pk),
    )
    return {"lines": lines, "tally": tally, "votes": sum(counts.values())}


def vote_choices(event, user) -> dict:
    """The vote page: the entries `user` may vote for (handed in, not their own team's),
    by title, and their current vote. Three queries."""
    own = team_of(event, user)
    entries = [entry for entry in _handed_in(event) if own is None or entry.team_id != own.pk]
    current = (
        Vote.objects.filter(event=event, voter=user).values_list("submission_id", flat=True).first()
        if user.is_authenticated
        else None
    )
    return {"entries": entries, "current": current}


def winners(event) -> list[tuple[Prize, int | None]]:
    """The public winners: each prize with its winner, and for the people's choice the
    votes its winner had (None for other prizes). Two queries."""
    prizes = _prizes(event)
    counts = vote_counts(event) if any(p.kind == PrizeKind.PEOPLES_CHOICE for p in prizes) else {}
    return [
        (prize, counts.get(prize.winner_id, 0) if prize.kind == PrizeKind.PEOPLES_CHOICE else None)
        for prize in prizes
    ]
