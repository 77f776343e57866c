"""A resource's optional Frictionless Table Schema, typed by an editor as JSON.

Its size and nesting are bounded before it is parsed, so deeply nested input never
reaches the JSON parser's recursion; what parses is checked by frictionless.
"""

import json

from common.exceptions import ApplicationError

MAX_CHARS = 100_000
MAX_DEPTH = 10


def table_schema_from_text(text: str) -> dict | None:
    """None when blank, else the parsed descriptor (not yet checked as a schema), or an
    ApplicationError saying what is wrong: too long, too deep, not JSON."""
    text = str(text).strip()
    if not text:
        return None
    if len(text) > MAX_CHARS:
        raise _schema_error(f"The table schema is longer than {MAX_CHARS:,} characters.")
    if _nesting_depth(text) > MAX_DEPTH:
        raise _schema_error(f"The table schema nests deeper than {MAX_DEPTH} levels.")
    try:
        return json.loads(text)
    except ValueError as error:
        raise _schema_error(f"The table schema is not valid JSON: {error}.") from error


def check_table_schema(descriptor) -> None:
    """Refuse (ApplicationError) a descriptor that is not a valid Table Schema; None
    (no schema) is fine."""
    if descriptor is None:
        return
    if not isinstance(descriptor, dict):
        raise _schema_error("A table schema is a JSON object with a list of “fields”.")
    text = _storable_json(descriptor)
    if len(text) > MAX_CHARS or _nesting_depth(text) > MAX_DEPTH:
        raise _schema_error("The table schema is too large or nests too deeply.")
    # Imported here: frictionless takes a good part of a second to import, which every
    # process would pay at start-up for a check only editors' saves make.
    from frictionless import Schema

    report = Schema.validate_descriptor(descriptor)
    if not report.valid:
        problems = "; ".join(error.message for error in report.errors[:3])
        raise _schema_error(f"This is not a Frictionless Table Schema: {problems}")


def _storable_json(descriptor) -> str:
    """The descriptor as JSON the database can store: finite numbers only, no NUL
    character and no lone surrogate anywhere (PostgreSQL's JSON refuses them)."""
    try:
        text = json.dumps(descriptor, ensure_ascii=False, allow_nan=False)
        text.encode("utf-8")
    except ValueError as error:  # NaN or infinity; UnicodeEncodeError is a ValueError
        raise _schema_error(
            "The table schema holds a number too large to store, NaN, or broken text."
        ) from error
    if "\\u0000" in text:  # json.dumps writes NUL as this escape
        raise _schema_error("The table schema holds a NUL character.")
    return text


def _nesting_depth(text: str) -> int:
    """How deeply brackets nest in JSON text, brackets inside strings not counted."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _schema_error(message: str) -> ApplicationError:
    return ApplicationError(
        message, code="invalid_table_schema", details={"table_schema": [message]}
    )
