"""Judging's part of the next event (events.extensions.event_copiers).

Copied: the rubric, in place of the default one (a criterion scoped to a theme or a
challenge is scoped to the new event's copy of it); the prizes, without winners (a
people's choice keeps its voting window as long after the start as before); and the
presentation rooms when the next event is at the same venue, since rooms belong to a
building. Not copied: judges, their panels and conflicts, slots, sheets and scores,
which are about the people and entries of the source event.
"""

from events.copying import copy_of, counted, remapped
from events.extensions import event_copiers
from judging.models import Criterion, Prize, Room

CRITERION_COPIED = ("name", "description", "levels", "weight", "scale_min", "scale_max", "order")
PRIZE_COPIED = ("name", "description", "kind", "order")


def _moved(value, copy):
    return None if value is None else value + copy.shift


@event_copiers.register("judging", order=60)
def copy_judging(source, target, copy) -> str:
    criteria = list(Criterion.objects.filter(event=source))
    Criterion.objects.filter(event=target).delete()  # the default rubric
    Criterion.objects.bulk_create(
        copy_of(
            criterion,
            CRITERION_COPIED,
            event=target,
            theme=remapped(copy.themes, criterion.theme_id),
            challenge=remapped(copy.challenges, criterion.challenge_id),
        )
        for criterion in criteria
    )
    prizes = list(Prize.objects.filter(event=source))
    Prize.objects.bulk_create(
        copy_of(
            prize,
            PRIZE_COPIED,
            event=target,
            theme=remapped(copy.themes, prize.theme_id),
            challenge=remapped(copy.challenges, prize.challenge_id),
            voting_opens_at=_moved(prize.voting_opens_at, copy),
            voting_closes_at=_moved(prize.voting_closes_at, copy),
        )
        for prize in prizes
    )
    words = [f"the rubric ({counted(len(criteria), 'criterion', 'criteria')})"]
    if prizes:
        words.append(f"{counted(len(prizes), 'prize')}, without winners")
    if target.venue_name == source.venue_name:
        rooms = list(Room.objects.filter(event=source))
        Room.objects.bulk_create(copy_of(room, ("name", "order"), event=target) for room in rooms)
        if rooms:
            words.append(counted(len(rooms), "presentation room"))
    return ", ".join(words)
