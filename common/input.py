"""Checks on what a request carries, before any of it reaches a form, serializer or
database: text PostgreSQL cannot store or JSON cannot encode, and JSON nested deeper than
any of our inputs is. common.middleware applies them to paths, query strings and form
bodies, CheckedJSONParser (the API's JSON parser) to JSON bodies, so every view gets them
without asking."""

import math

from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

NUL = "Null characters are not allowed."  # Django's own wording for form fields
SURROGATE = "Text must be valid Unicode (a lone surrogate)."
NOT_FINITE = "Numbers must be finite."
# Our deepest input is an answer list inside `answers`; this leaves ample room.
MAX_JSON_DEPTH = 32


def text_problem(text: str) -> str | None:
    """Why `text` cannot be stored (NUL, which PostgreSQL rejects; a lone surrogate,
    which cannot be encoded as UTF-8), or None."""
    if "\x00" in text:
        return NUL
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return SURROGATE
    return None


def query_problems(params) -> dict[str, list[str]]:
    """{parameter: [problem]} for a QueryDict's names and values."""
    problems = {}
    for name, values in params.lists():
        for text in (name, *values):
            problem = text_problem(text)
            if problem:
                problems.setdefault(_printable(name), [problem])
    return problems


def json_problems(data) -> dict[str, list[str]]:
    """{dotted path: [problem]} for the text and numbers in parsed JSON ("answers.12";
    a bad key is reported at the object holding it). Raises ParseError past
    MAX_JSON_DEPTH. Iterative, so depth alone cannot exhaust the stack."""
    problems = {}
    pending = [("", data, 0)]
    while pending:
        path, value, depth = pending.pop()
        if depth > MAX_JSON_DEPTH:
            raise ParseError(f"JSON is nested more than {MAX_JSON_DEPTH} levels deep.")
        if isinstance(value, str):
            problem = text_problem(value)
        elif isinstance(value, float):
            # json reads a number too large for a float (1e400) as infinity.
            problem = None if math.isfinite(value) else NOT_FINITE
        else:
            problem = None
        if problem:
            problems.setdefault(path or "non_field_errors", [problem])
        if isinstance(value, dict):
            for key, item in value.items():
                key_problem = text_problem(key)
                if key_problem:
                    problems.setdefault(path or "non_field_errors", [key_problem])
                else:
                    pending.append((_join(path, key), item, depth + 1))
        elif isinstance(value, list):
            pending.extend((_join(path, str(n)), item, depth + 1) for n, item in enumerate(value))
    return dict(sorted(problems.items()))


def _join(path, key) -> str:
    return f"{path}.{key}" if path else key


def _printable(name: str) -> str:
    # A name is echoed in the error; it must itself be encodable.
    return name.encode("utf-8", "replace").decode().replace("\x00", "\\x00")


class CheckedJSONParser(JSONParser):
    """DRF's JSON parser, answering 400 instead of 500 for input nested too deeply
    (json's recursion limit) and naming each field whose text cannot be stored."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(f"JSON is nested more than {MAX_JSON_DEPTH} levels deep.") from None
        problems = json_problems(data)
        if problems:
            raise ValidationError(problems)
        return data
