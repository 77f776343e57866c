"""Lifecycle tables: for each move (from-status, to-status), who may make it.

Each lifecycle (registration status, join request, matching run, ...) keeps one table
next to its statuses and one transition service that calls `check_move`, so the pages,
the API and the services agree on who may do what.
"""

from common.exceptions import ApplicationError


def check_move(table, *, noun: str, statuses, actors, start, to, by) -> None:
    """Refuse, naming the move, unless `by` may move `noun` (e.g. "a registration") from
    `start` to `to` in `table`. `statuses` and `actors` are the TextChoices whose labels
    name them."""
    allowed = table.get((start, to))
    if allowed and by in allowed:
        return
    before, after = statuses(start).label.lower(), statuses(to).label.lower()
    if allowed:
        who = " or ".join(sorted(actors(actor).label for actor in allowed))
        message = (
            f"{actors(by).label.capitalize()} cannot move {noun} from {before} to {after}; "
            f"only {who} can."
        )
    else:
        message = f"{noun.capitalize()} that is {before} cannot become {after}."
    raise ApplicationError(
        message,
        code="invalid_transition",
        details={"status": [start], "to": [to], "by": [by]},
        status=409,
    )


def moves_for(table, statuses, actor, start=None) -> list[str]:
    """The statuses `actor` may move something to, from `start` (or from any), in the
    order `statuses` (a TextChoices) lists them."""
    targets = {
        to
        for (before, to), allowed in table.items()
        if actor in allowed and start in (None, before)
    }
    return [value for value in statuses.values if value in targets]
