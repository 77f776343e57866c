"""Reading CKAN action parameters, which arrive as strings (a query string or a form)
or as JSON values, and CKAN's two action errors."""

import json

from common.input import text_problem


class NotFound(Exception):
    """CKAN's "Not Found Error" (404)."""


class Invalid(Exception):
    """CKAN's "Validation Error" (409): `errors` is {field: [messages]}."""

    def __init__(self, errors: dict[str, list[str]]):
        super().__init__(errors)
        self.errors = errors


def text(
    params: dict, name: str, *, default: str = "", required: bool = False, max_length: int = 0
) -> str:
    """A string; with `max_length`, a longer one is refused."""
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise Invalid({name: ["Missing value"]})
        return default
    if not isinstance(value, str):
        raise Invalid({name: ["Must be a string."]})
    if max_length and len(value) > max_length:
        raise Invalid({name: [f"Must be at most {max_length} characters."]})
    problem = text_problem(value)
    if problem:
        raise Invalid({name: [problem]})
    return value


def integer(params: dict, name: str, *, default: int, low: int, high: int) -> int:
    """An integer from `low` to `high`; a bigger or smaller one is refused, not clamped,
    so nobody mistakes a partial answer for the whole."""
    value = params.get(name)
    if value is None or value == "":
        return default
    message = f"Must be a whole number from {low} to {high}."
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        raise Invalid({name: [message]})
    try:
        number = int(value)  # a str of thousands of digits raises ValueError too
    except ValueError:
        raise Invalid({name: [message]}) from None
    if not low <= number <= high:
        raise Invalid({name: [message]})
    return number


TRUE = {"true", "1", "yes", "on"}
FALSE = {"false", "0", "no", "off", ""}


def boolean(params: dict, name: str, *, default: bool) -> bool:
    value = params.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in TRUE | FALSE:
        return value.lower() in TRUE
    raise Invalid({name: ["Must be true or false."]})


def text_list(params: dict, name: str) -> list[str]:
    """A list of strings: a JSON list, or (from a query string) the text of one, as
    ckanapi and CKAN's own pages send `facet.field`."""
    value = params.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except (ValueError, RecursionError):
            raise Invalid({name: ["Must be a JSON list of strings."]}) from None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise Invalid({name: ["Must be a JSON list of strings."]})
    for item in value:
        problem = text_problem(item)
        if problem:
            raise Invalid({name: [problem]})
    return value


SORT_KEYS_MAX = 5


def sort_keys(sort: str, fields: dict[str, str | None]) -> list[str]:
    """Django order_by keys for a CKAN sort string ("title_string asc, name desc"), each
    CKAN field named in `fields` with its column (None: a field that orders nothing
    here); "pk" comes last, so pages do not overlap. At most SORT_KEYS_MAX keys."""
    parts = sort.split(",", SORT_KEYS_MAX)
    if len(parts) > SORT_KEYS_MAX:
        raise Invalid({"sort": [f"Sort by at most {SORT_KEYS_MAX} fields."]})
    keys = []
    for part in parts:
        words = part.split()
        direction = words[1].lower() if len(words) == 2 else "asc"
        if not 1 <= len(words) <= 2 or words[0] not in fields or direction not in ("asc", "desc"):
            raise Invalid(
                {
                    "sort": [
                        "Sort by a comma-separated list of 'field asc' or 'field desc', with "
                        f"fields among {', '.join(fields)}."
                    ]
                }
            )
        if fields[words[0]]:
            keys.append(("-" if direction == "desc" else "") + fields[words[0]])
    return [*keys, "pk"]
