"""frictionless on a table's header and leading rows: blank or repeated column names,
rows with extra or missing cells, blank rows, and values that do not fit the column's
type (inferred from the sample, or declared by a Table Schema). Its messages never quote
a cell: it may hold personal data."""

import re
from collections import Counter
from dataclasses import replace

from datasets.profiling.result import clip
from submissions.validation.findings import FAIL, WARNING, Finding

# frictionless works cell by cell in Python: measured here, tens of microseconds a cell
# to check it and more to infer its column's type (from the first 100 rows, by default).
# A wide table's sample has fewer rows, so that no sample takes more than about a second
# (a 200-column table of 3,000 rows: 1.0 s on a busy machine).
MAX_SAMPLE_CELLS = 50_000
MAX_INFERRED_CELLS = 5_000
INFERRED_ROWS = 100
# And a few milliseconds a column to set it up, whatever the rows: a wider table's sample
# is not checked (its whole-file checks still run).
MAX_SAMPLE_COLUMNS = 200


def sample_size(rows: int, columns: int) -> int:
    """How many of the first `rows` rows to check in a table `columns` wide."""
    return min(rows, max(MAX_SAMPLE_CELLS // columns, 1))


def check_sample(
    resource, sample_rows: int, *, columns: int, declared: bool, collector, locate
) -> Counter:
    """frictionless's findings on the header and the first `sample_rows` rows of a table
    `columns` wide (see `sample_size`); returns how many rows it found of each kind
    (blank-row, extra-cell, missing-cell).

    `locate(row, column_number)` places a finding (row None for the header; column
    numbers from 1). Messages never quote a cell: it may hold personal data.
    """
    if not sample_rows:
        return Counter()
    if columns > MAX_SAMPLE_COLUMNS:
        message = (
            f"The table has {columns:,} columns: its first rows were not checked cell by "
            f"cell, as tables of up to {MAX_SAMPLE_COLUMNS:,} columns are (the checks of the "
            "whole file ran)."
        )
        collector.add(Finding("structure", WARNING, message, locate(None, None)))
        return Counter()
    from frictionless import Detector

    resource.detector = Detector(
        sample_size=min(INFERRED_ROWS, sample_rows, max(MAX_INFERRED_CELLS // columns, 1))
    )
    report = resource.validate(
        limit_rows=sample_rows, limit_errors=4 * collector.limit + sample_rows
    )
    seen_rows: set[tuple[str, int]] = set()
    for task in report.tasks:
        for error in task.errors:
            finding = _sample_finding(error, declared, locate, seen_rows)
            if finding is not None:
                collector.add(finding)
    return Counter(kind for kind, _ in seen_rows)


def _sample_finding(error, declared: bool, locate, seen_rows) -> Finding | None:
    kind = error.type
    row = getattr(error, "row_number", None)
    row = row - 1 if row else None
    number = getattr(error, "field_number", None)
    name = getattr(error, "field_name", "") or (f"column {number}" if number else "")
    label = getattr(error, "label", "")
    where = locate(row, number)
    if kind in ("extra-cell", "missing-cell"):
        # One finding per row, not per missing cell.
        if (kind, row) in seen_rows:
            return None
        seen_rows.add((kind, row))
        more = "more" if kind == "extra-cell" else "fewer"
        return Finding(
            "structure", FAIL, f"Row {row:,} has {more} cells than the header names columns.",
            replace(where, column=""),
        )  # fmt: skip
    if kind == "blank-label":
        message = f"Column {number} has no name in the header row: give every column a name."
        return Finding("structure", WARNING, message, where)
    if kind == "duplicate-label":
        message = (
            f"Column {number} is named “{clip(label)}”, like an earlier column: give every "
            "column a name of its own."
        )
        return Finding("structure", WARNING, message, where)
    if kind in ("incorrect-label", "missing-label", "extra-label"):
        found = f"“{clip(label)}”" if label else "nothing"
        message = (
            f"The header names column {number} {found}; the Table Schema names it "
            f"“{clip(name)}”." if kind != "extra-label" else
            f"The header has a column {number} (“{clip(label)}”) the Table Schema does not "
            "declare."
        )  # fmt: skip
        return Finding("structure", FAIL, message, where)
    if kind == "blank-row":
        seen_rows.add((kind, row))
        return Finding("structure", WARNING, f"Row {row:,} is blank.", replace(where, column=""))
    if kind == "type-error":
        field_type = _field_type(error)
        if declared:
            message = (
                f"Row {row:,}, column {name}: the value is not of type {field_type}, as the "
                "Table Schema declares."
            )
            return Finding("types", FAIL, message, where)
        message = (
            f"Row {row:,}, column {name}: the value is not of type {field_type}, like the "
            "column's other values in the first rows."
        )
        return Finding("types", WARNING, message, where)
    if kind == "constraint-error":
        # The note names the constraint and its value from the schema, never the cell's.
        match = re.search(r'constraint "(\w+)" is "(.*)"', getattr(error, "note", "") or "")
        broken = (
            f"“{match.group(1)}” constraint ({clip(match.group(2))})" if match else "constraints"
        )
        message = f"Row {row:,}, column {name}: the value breaks the Table Schema's {broken}."
        return Finding("types", FAIL, message, where)
    # Any other error frictionless reports (a repeated primary key, a wrong row count):
    # its general description, which never holds a cell's value.
    message = f"{error.title}: {error.description}"
    return Finding("structure", FAIL if declared else WARNING, message, where)


def _field_type(error) -> str:
    match = re.search(r'type is "(\w+)', getattr(error, "note", "") or "")
    return match.group(1) if match else "the column"
