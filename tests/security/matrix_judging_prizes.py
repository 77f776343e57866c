"""Authorization-matrix rows for prizes and the people's choice (see matrix.py).

Prizes are a console part, and their awards a console page: A's organisers (and
superusers) may, everyone else gets 404, and B's prize under A's address answers 404 to
all. The vote page is open to anyone signed in who can see the event; only someone
checked in at A may vote (the participant, checked in by the row's data), not for their
own team: A1's members are offered no entry, so their post is a bad choice (400), and
everyone else is refused (403).
"""

import datetime

from django.utils import timezone

from judging.models import Prize, Vote
from registration.enums import RegistrationStatus
from registration.models import Registration
from tests.security.matrix import (
    A_API,
    CONFIRMED,
    D_API,
    JUDGES,
    LOGIN,
    MANAGERS,
    NO_ROLE,
    OUTSIDERS,
    UP,
    A,
    D,
    Row,
    console,
    constant,
    draft,
    everyone,
    expect,
    signed_in,
)

PRIZE_FORM = constant(
    {"name": "Matrix prize", "description": "", "scope": "special", "voting_opens_at": "",
     "voting_closes_at": "", "order": "3"}
)  # fmt: skip
# Not checked in, or not A's: everyone but the participant and A1's members.
NOT_VOTERS = f"{NO_ROLE},{JUDGES},volunteer,mentor,other_organiser,{MANAGERS}"


def _prize(w, key: str) -> Prize:
    event = getattr(w, key).event
    Prize.objects.get_or_create(event=event, name="First prize", defaults={"kind": "special"})
    return Prize.objects.get_or_create(
        event=event, name=f"Prize {key}", defaults={"kind": "special", "order": 5}
    )[0]


def _prize_of(key: str, *, under: str | None = None):
    """Console URL kwargs: event `under`'s address, event `key`'s prize "Prize <key>" (second
    of two, so it can move up)."""

    def build(w) -> dict:
        return {"slug": getattr(w, under or key).event.slug, "pk": _prize(w, key).pk}

    return build


def _prize_is(key: str, **values):
    return lambda w: Prize.objects.filter(name=f"Prize {key}", **values).exists()


def _named(key: str):
    """Event `key` has a prize named by PRIZE_FORM."""
    return lambda w: Prize.objects.filter(event=getattr(w, key).event, name="Matrix prize").exists()


def _prize_gone(key: str):
    return lambda w: not Prize.objects.filter(name=f"Prize {key}").exists()


def _award(key: str):
    """The award form of event `key`'s prize, choosing A1's entry."""

    def build(w) -> dict:
        prize = Prize.objects.get(name=f"Prize {key}")
        return {f"prize{prize.pk}-submission": str(w.entries.entry_a.pk)}

    return build


def _won_by_a1(w) -> bool:
    return Prize.objects.filter(name="Prize a", winner=w.entries.entry_a).exists()


def _peoples_choice(key: str):
    """Event `key` with a people's choice open now."""

    def build(w) -> dict:
        event, now = getattr(w, key).event, timezone.now()
        hour = datetime.timedelta(hours=1)
        Prize.objects.get_or_create(
            event=event, kind="peoples_choice",
            defaults={"name": "People's choice", "voting_opens_at": now - hour,
                      "voting_closes_at": now + hour},
        )  # fmt: skip
        return {"slug": event.slug}

    return build


def _check_in_the_participant(w):
    Registration.objects.filter(pk=w.registration.pk).update(
        status=RegistrationStatus.CHECKED_IN, checked_in_at=timezone.now()
    )


def _vote_for(entry: str):
    def build(w) -> dict:
        _check_in_the_participant(w)
        return {"submission": str(getattr(w.entries, entry).pk)}

    return build


def _voted(w) -> bool:
    return Vote.objects.filter(event=w.a.event).exists()


def _participant_voted(w) -> dict:
    _check_in_the_participant(w)
    Vote.objects.create(event=w.a.event, voter=w.people["participant"],
                        submission=w.entries.entry_a)  # fmt: skip
    return {}


def _vote_withdrawn(w) -> bool:
    return not Vote.objects.filter(voter=w.people["participant"]).exists()


# fmt: off
def rows() -> list[Row]:
    edit, delete, move = "organise_prize_edit", "organise_prize_delete", "organise_prize_move"
    own, theirs = _prize_of("a"), _prize_of("b", under="a")
    return [
        Row("organise_prizes", "GET", console(200), A),
        Row("organise_prizes", "GET", console(200), D, label="draft"),
        Row("organise_prizes", "POST", console(302), A, data=PRIZE_FORM, effect=_named("a")),
        Row(edit, "GET", console(200), own),
        Row(edit, "POST", console(302), own, data=PRIZE_FORM, effect=_named("a")),
        Row(edit, "GET", signed_in(404), theirs, label="other-event"),
        Row(edit, "POST", signed_in(404), theirs, data=PRIZE_FORM, label="other-event",
            effect=_named("b")),
        Row(delete, "GET", console(200), own),
        Row(delete, "POST", console(200), own, label="unconfirmed", effect=_prize_gone("a")),
        Row(delete, "POST", console(302), own, data=CONFIRMED, effect=_prize_gone("a")),
        Row(delete, "POST", signed_in(404), theirs, label="other-event", data=CONFIRMED,
            effect=_prize_gone("b")),
        Row(move, "POST", console(302), own, data=UP, effect=_prize_is("a", order=0)),
        Row(move, "POST", signed_in(404), theirs, label="other-event", data=UP,
            effect=_prize_is("b", order=0)),
        Row(move, "GET", signed_in(405), own),
        Row("judging_prizes", "GET", console(200), A),
        Row("judging_prizes", "GET", console(200), D, label="draft"),
        Row("judging_prize_award", "POST", console(302), own, data=_award("a"), effect=_won_by_a1),
        Row("judging_prize_award", "POST", signed_in(404), theirs, label="other-event",
            data=_award("b"), effect=_prize_is("b", winner__isnull=False)),
        Row("judging_prize_award", "GET", signed_in(405), own),
        Row("judging_prize_unaward", "POST", console(302), _award_then(own),
            effect=_prize_is("a", winner__isnull=True)),
        Row("judging_prize_unaward", "POST", signed_in(404), _award_then(theirs, key="b"),
            label="other-event", effect=_prize_is("b", winner__isnull=True)),
        *_vote_rows(),
        Row("api:prize-list", "GET", everyone(200), A_API),
        Row("api:prize-list", "GET", draft(200), D_API, label="draft"),
    ]


def _vote_rows() -> list[Row]:
    a, d = _peoples_choice("a"), _peoples_choice("d")
    return [
        Row("judging_vote", "GET", signed_in(200), a),
        Row("judging_vote", "GET", expect(f"anonymous:{LOGIN} {OUTSIDERS}:404 {MANAGERS}:200"),
            d, label="draft"),
        Row("judging_vote", "POST",
            expect(f"anonymous:{LOGIN} participant:302 team_member,team_lead:400 {NOT_VOTERS}:403"),
            a, data=_vote_for("entry_a"), effect=_voted),
        Row("judging_vote", "POST", signed_in(400), a, label="other-event-entry",
            data=_vote_for("entry_b"), effect=_voted),
        Row("judging_vote_withdraw", "POST",
            expect(f"anonymous:{LOGIN} participant:302 team_member,team_lead,{NOT_VOTERS}:403"),
            a, data=_participant_voted, effect=_vote_withdrawn),
        Row("judging_vote_withdraw", "GET", signed_in(405), a),
    ]
# fmt: on


def _award_then(kwargs, *, key: str = "a"):
    """`kwargs`, once the prize of event `key` is won by that event's entry."""

    def build(w) -> dict:
        built = kwargs(w)
        entry = w.entries.entry_a if key == "a" else w.entries.entry_b
        Prize.objects.filter(pk=built["pk"]).update(winner=entry)
        return built

    return build
