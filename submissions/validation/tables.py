"""Checking a CSV or XLSX table: encoding, structure, column types, disclosure control
and personal data.

Two readings of the file, each doing what it is good at:
- frictionless checks the header and a leading sample (`Limits.sample_rows` rows, fewer
  in a wide table: `sample.sample_size`) cell by cell: blank or repeated column names,
  rows with extra or missing cells, blank rows, values that do not fit the column's type
  (inferred from the sample, or declared by the Table Schema given with the file);
- one vectorised pass over the whole file, with the catalogue profiler's reader
  (`datasets.profiling`: pyarrow's CSV reader in pieces, or calamine for a workbook's
  sheets), counts rows, rows with the wrong number of cells (pyarrow's invalid-row
  handler), blank rows and over-long cells, tells text columns that mostly hold numbers
  or dates from those that mix them, and runs the disclosure and personal-data checks
  batch by batch. Nothing in it loops over rows in Python: frictionless checking every
  row costs about 45 times a pyarrow read of the same file.

Rows are data rows counted from 1, as the pass read them: lines skipped for having the
wrong number of cells, and empty lines, are not counted, so the rows after them carry
smaller numbers than in a text editor (both are reported on their own). A workbook's
findings also name the cell ("C12").
"""

import csv
import io
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyarrow as pa

from datasets.profiling.columns import unique_names
from datasets.profiling.delimited import (
    UNCLOSED_QUOTE,
    TooManyColumns,
    detect_dialect,
    encoding_label,
    scan_delimited,
)
from datasets.profiling.result import ProfileError, clip
from submissions.validation import disclosure, personal
from submissions.validation.collect import Collector
from submissions.validation.findings import (
    CHECK_LABELS,
    FAIL,
    PASS,
    WARNING,
    FileReport,
    Finding,
    Location,
)
from submissions.validation.limits import MIB, Limits, as_resource_error
from submissions.validation.sample import check_sample, sample_size
from submissions.validation.table_pass import KIND_WORDS, TablePass
from submissions.validation.workbook import check_workbook

logger = logging.getLogger(__name__)

# The start of a CSV file given to frictionless: room for the sample's rows however wide,
# not so much that a file of a few huge lines is read into memory whole.
SAMPLE_MAX_BYTES = 8 * MIB
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
TABLE_CHECKS = ("structure", "types", "disclosure", "personal_data")


def check_table(
    path: Path | str,
    *,
    label: str,
    file_format: str,
    table_schema: dict | None,
    limits: Limits,
    progress: Callable[[float], None] | None = None,
) -> FileReport:
    """Check the CSV or XLSX file at `path` (`file_format` as common.files.sniff names
    it). `label` is the file named in each finding's location: a zip member's path, or
    "" for the uploaded file. `table_schema` is a Frictionless Table Schema the team gave
    for the file, or None. `progress(fraction)` is called at most about a hundred times.

    Every problem becomes a finding; no exception escapes, whatever the bytes (a
    MemoryError excepted: the caller's memory limit decides what that means).
    """
    path = Path(path)
    collector = Collector(limits.max_findings_per_check)
    facts: dict = {}
    tell = _Progress(progress)
    ran = set(TABLE_CHECKS)
    try:
        schema, fields = _declared_schema(table_schema, collector, label)
        size = path.stat().st_size
        if file_format == "XLSX":
            check_workbook(path, size, label, schema, fields, limits, collector, facts, tell)
        elif file_format == "CSV":
            ran.add("encoding")
            _check_delimited(path, size, label, schema, fields, limits, collector, facts, tell)
        else:
            collector.add(
                Finding("structure", FAIL, "Only CSV and XLSX files are checked as tables.")
            )
    except MemoryError:
        raise
    except _ProgressFailed as failed:
        raise failed.__cause__ from None
    except Exception as error:
        resource_error = as_resource_error(error)
        if resource_error is not None:
            raise resource_error from error
        # A last guard: the readers turn what they know into sentences; anything else is
        # a gap in them, logged so it gets fixed.
        logger.exception("Checking %s as %s failed unexpectedly", path, file_format)
        collector.add(
            Finding(
                "structure",
                FAIL,
                f"The file could not be checked as a table ({type(error).__name__}); it "
                "may be damaged.",
                Location(file=label),
            )
        )
    if facts.get("read"):
        for check in ran:
            if not collector.has(check):
                collector.add(_pass(check, facts))
    findings = collector.ordered(CHECK_LABELS)
    for key in ("read", "kinds", "text_columns", "threshold"):
        facts.pop(key, None)  # what the passing findings say, not facts of their own
    if collector.omitted:
        facts["omitted"] = dict(collector.omitted)
    tell(1.0)
    return FileReport(findings=findings, facts=facts)


ROWS_CHECKS = (disclosure.CHECK, personal.CHECK)


def check_rows(
    header: list[str], rows: list[list[str]], *, location: Location, limits: Limits
) -> list[Finding]:
    """The disclosure and personal-data findings of a small table held in memory (a
    notebook's table-like output), each at `location` with its row and column added.
    Only problems are returned (the caller says what it checked); the number left out
    past `Limits.max_findings_per_check` per check is not returned."""
    collector = Collector(limits.max_findings_per_check)
    scan_rows(header, rows, location=location, limits=limits, collector=collector)
    return collector.ordered(ROWS_CHECKS)


def scan_rows(
    header: list[str],
    rows: list[list[str]],
    *,
    location: Location,
    limits: Limits,
    collector: Collector,
) -> None:
    """check_rows' checks, gathered in `collector` (one for several tables keeps the
    findings of all within the bound); `collector.ordered(ROWS_CHECKS)` gives them."""
    width = max([len(header), *(len(row) for row in rows)], default=0)
    names = unique_names([str(name) for name in header] + [""] * (width - len(header)))
    columns = [[_cell_text(row, index) for row in rows] for index in range(width)]
    arrays = [_typed(cells) for cells in columns]
    batch = pa.RecordBatch.from_arrays(arrays, names=names)

    def locate(row: int, column: int) -> Location:
        return replace(location, row=row, column=names[column])

    checks = TablePass(batch.schema, fields={}, limits=limits, locate=locate, collector=collector)
    if rows:
        checks.update(batch)
        checks.personal.finish()
    for summary in checks.disclosure.summaries() + checks.personal.summaries():
        collector.lead(summary)


def _cell_text(row, index) -> str | None:
    if index >= len(row) or row[index] is None:
        return None
    return str(row[index])


def _typed(cells: list[str | None]) -> pa.Array:
    """Text cells as whole numbers when every one that is not empty is one."""
    present = [cell.strip() for cell in cells if cell not in (None, "")]
    if present and all(re.fullmatch(r"[-+]?\d{1,18}", cell) for cell in present):
        return pa.array([int(cell) if cell not in (None, "") else None for cell in cells])
    return pa.array(cells, type=pa.string())


class _Progress:
    """Calls `progress` only when the fraction has grown by a hundredth, so at most
    about a hundred times."""

    def __init__(self, progress):
        self.progress = progress
        self.reported = 0.0

    def __call__(self, fraction: float) -> None:
        fraction = min(max(fraction, 0.0), 1.0)
        if self.progress is not None and (
            fraction - self.reported >= 0.01 or (fraction == 1.0 > self.reported)
        ):
            self.reported = fraction
            try:
                self.progress(fraction)
            except Exception as error:
                raise _ProgressFailed from error


class _ProgressFailed(Exception):
    """The caller's progress function raised: its exception is the caller's to handle,
    not a fact about the file."""


def _pass(check: str, facts: dict) -> Finding:
    rows, columns = facts.get("rows", 0), facts.get("columns", 0)
    if check == "encoding":
        delimiter = DELIMITER_NAMES.get(facts["delimiter"], repr(facts["delimiter"]))
        message = f"Read as {encoding_label(facts['encoding'])} text, {delimiter}-separated."
    elif check == "structure":
        where = f" in {len(facts['sheets'])} sheets" if len(facts.get("sheets", [])) > 1 else ""
        message = (
            f"{rows:,} rows and {columns:,} columns read{where}; every row has a cell for "
            "each column, every column has a name of its own, and no row is blank."
        )
    elif check == "types":
        kinds = Counter(facts["kinds"])
        described = ", ".join(f"{count} of {KIND_WORDS[kind]}" for kind, count in kinds.items())
        message = f"Every column holds one type of value ({described or 'no columns'})."
    elif check == "disclosure":
        return disclosure.pass_finding(
            facts["count_columns"], facts["rate_columns"], facts["threshold"]
        )
    elif not facts["text_columns"]:
        message = "The table has no text column: no personal data to look for."
    else:
        text = facts["text_columns"]
        message = (
            "No email address, UK phone number, full UK postcode, NHS number or National "
            f"Insurance number in the {text} text column{'s' if text != 1 else ''}."
        )
    return Finding(check, PASS, message)


# --- Declared schema -----------------------------------------------------------------------


def _declared_schema(table_schema, collector: Collector, label: str):
    """(frictionless Schema or None, the declared fields by name)."""
    if table_schema is None:
        return None, {}
    # Imported here: frictionless takes a good part of a second to import.
    from frictionless import FrictionlessException, Schema

    fields = table_schema.get("fields") if isinstance(table_schema, dict) else None
    try:
        if not isinstance(fields, list):
            raise FrictionlessException("a Table Schema has a list of fields")
        schema = Schema.from_descriptor(table_schema)
    except FrictionlessException as error:
        collector.add(
            Finding(
                "structure",
                FAIL,
                "The Table Schema given for this file is not valid, so the file was checked "
                f"against the types found in it instead: {clip(str(error))}",
                Location(file=label),
            )
        )
        return None, {}
    return schema, {
        field["name"]: field
        for field in fields
        if isinstance(field, dict) and isinstance(field.get("name"), str)
    }


# --- CSV --------------------------------------------------------------------------------


def _check_delimited(path, size, label, schema, fields, limits, collector, facts, tell):
    try:
        encoding, delimiter = detect_dialect(path, size=size)
    except ProfileError as error:
        check = "structure" if isinstance(error, TooManyColumns) else "encoding"
        collector.add(Finding(check, FAIL, error.message, Location(file=label)))
        return
    tell(0.02)
    text, sample_rows = _csv_sample(path, size, encoding, limits.sample_rows)
    header = _header_names(text, delimiter)

    def locate_sample(row: int | None, number: int | None) -> Location:
        column = header[number - 1] if number and number <= len(header) else ""
        return Location(file=label, row=row, column=column or (f"{number}" if number else ""))

    columns = max(len(header), 1)
    in_sample = check_sample(
        _csv_resource(text, delimiter, schema),
        sample_size(sample_rows, columns),
        columns=columns,
        declared=schema is not None,
        collector=collector,
        locate=locate_sample,
    )
    tell(0.1)
    passes: list[TablePass] = []

    def start(arrow_schema: pa.Schema):
        names = arrow_schema.names

        def locate(row: int, column: int) -> Location:
            return Location(file=label, row=row, column=names[column])

        passes.append(TablePass(arrow_schema, fields=fields, limits=limits, locate=locate))
        return passes[-1].update

    try:
        scan = scan_delimited(
            path,
            size=size,
            encoding=encoding,
            delimiter=delimiter,
            start=start,
            progress=lambda fraction: tell(0.1 + 0.88 * fraction),
        )
    except ProfileError as error:
        collector.add(Finding("structure", FAIL, error.message, Location(file=label)))
        return
    checks = passes[-1]
    facts.update(read=True, encoding=scan.encoding, delimiter=scan.delimiter)
    if scan.sha256:
        facts["sha256"] = scan.sha256
    if scan.encoding.startswith("utf-16"):
        collector.add(
            Finding(
                "encoding",
                WARNING,
                "The file is UTF-16 text. It was read, but many programs expect UTF-8: save "
                "it as “CSV UTF-8”.",
                Location(file=label),
            )
        )
    for warning in scan.warnings:
        collector.add(Finding("encoding", WARNING, warning, Location(file=label)))
    ragged = ((scan.more_cells, "more", "extra-cell"), (scan.fewer_cells, "fewer", "missing-cell"))
    for count, more_or_fewer, kind in ragged:
        # Rows the sample's findings all name already need no summary.
        if count > in_sample[kind]:
            rows = "1 row has" if count == 1 else f"{count:,} rows have"
            collector.add(
                Finding(
                    "structure",
                    FAIL,
                    f"{rows} {more_or_fewer} cells than the header names columns; the "
                    "checks left them out, and number the rows after them without them. "
                    "Each row needs one cell per column.",
                    Location(file=label),
                )
            )
    if scan.unclosed_quote:
        collector.add(Finding("structure", FAIL, UNCLOSED_QUOTE, Location(file=label)))
    checks.finish(collector, label=Location(file=label), sample_blank=in_sample["blank-row"])
    facts.update(checks.facts())


def _header_names(text: bytes, delimiter: str) -> list[str]:
    """The sample's header as the whole-file pass names its columns (unique, none blank),
    to name the columns of the sample's findings; empty if it cannot be parsed."""
    reader = csv.reader(io.StringIO(text.decode("utf-8"), newline=""), delimiter=delimiter)
    try:
        return unique_names(next(reader, []))
    except csv.Error:  # a NUL character, or a quote csv cannot pair
        return []


def _csv_sample(path, size: int, encoding: str, sample_rows: int) -> tuple[bytes, int]:
    """The start of the file as UTF-8 (whatever its encoding), cut at a line break, and
    how many of its rows to check: a row the cut may have split is left out."""
    with open(path, "rb") as handle:
        raw = handle.read(SAMPLE_MAX_BYTES)
    text = raw.decode(encoding, errors="replace").lstrip("\ufeff")
    if size > len(raw):
        text = text[: text.rfind("\n") + 1]
        return text.encode("utf-8"), max(min(sample_rows, text.count("\n") - 2), 0)
    return text.encode("utf-8"), sample_rows


def _csv_resource(text: bytes, delimiter: str, schema):
    from frictionless import Dialect, Resource
    from frictionless.formats import CsvControl

    return Resource(
        text,
        format="csv",
        encoding="utf-8",
        dialect=Dialect(controls=[CsvControl(delimiter=delimiter)]),
        schema=schema,
    )
