"""Checking a CSV or XLSX table: encoding, structure, column types, disclosure control
and personal data.

Two readings of the file, each doing what it is good at:
- frictionless checks the header and a leading sample (`Limits.sample_rows` rows) cell
  by cell: blank or repeated column names, rows with extra or missing cells, blank rows,
  values that do not fit the column's type (inferred from the sample, or declared by the
  Table Schema given with the file);
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

import itertools
import logging
import re
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc

from datasets.profiling.columns import kind_of, unique_names
from datasets.profiling.delimited import (
    UNCLOSED_QUOTE,
    detect_dialect,
    encoding_label,
    scan_delimited,
)
from datasets.profiling.result import ProfileError, clip
from datasets.profiling.spreadsheet import (
    inspect_sheet,
    sheet_batches,
    sheet_layout,
    too_many_cells,
)
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
from submissions.validation.limits import MIB, Limits

logger = logging.getLogger(__name__)

# The start of a CSV file given to frictionless: room for the sample's rows however wide,
# not so much that a file of a few huge lines is read into memory whole.
SAMPLE_MAX_BYTES = 8 * MIB
# The most characters a spreadsheet cell holds (Excel and LibreOffice alike).
MAX_CELL_CHARS = 32_767
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe"}
# Text values by what they look like (RE2, whole value).
TEXT_CLASSES = {
    "integer": r"^\s*[-+]?\d+\s*$",
    "number": r"^\s*[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?\s*$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "datetime": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$",
}
FAMILY = {"integer": "numbers", "number": "numbers", "date": "dates", "datetime": "dates"}
# Which text classes, and which pyarrow types, fit a type declared in a Table Schema.
DECLARED_CLASSES = {
    "integer": {"integer"},
    "number": {"integer", "number"},
    "date": {"date"},
    "datetime": {"datetime"},
}
DECLARED_TYPES = {
    "integer": pa.types.is_integer,
    "number": lambda arrow_type: (
        pa.types.is_integer(arrow_type) or pa.types.is_floating(arrow_type)
    ),
    "date": pa.types.is_date,
    "datetime": pa.types.is_timestamp,
}
KIND_WORDS = {
    "integer": "whole numbers",
    "number": "numbers",
    "boolean": "true/false",
    "date": "dates",
    "datetime": "dates and times",
    "string": "text",
}
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
            _check_workbook(path, size, label, schema, fields, limits, collector, facts, tell)
        elif file_format == "CSV":
            ran.add("encoding")
            _check_delimited(path, size, label, schema, fields, limits, collector, facts, tell)
        else:
            collector.add(
                Finding("structure", FAIL, "Only CSV and XLSX files are checked as tables.")
            )
    except MemoryError:
        raise
    except Exception as error:
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
    findings = collector.findings
    if facts.get("read"):
        findings += [_pass(check, facts) for check in ran if not _has(findings, check, collector)]
    for key in ("read", "kinds", "text_columns", "threshold"):
        facts.pop(key, None)  # what the passing findings say, not facts of their own
    if collector.omitted:
        facts["omitted"] = dict(collector.omitted)
    order = list(CHECK_LABELS)
    findings.sort(key=lambda finding: order.index(finding.check))
    tell(1.0)
    return FileReport(findings=findings, facts=facts)


def check_rows(
    header: list[str], rows: list[list[str]], *, location: Location, limits: Limits
) -> list[Finding]:
    """The disclosure and personal-data findings of a small table held in memory (a
    notebook's table-like output), each at `location` with its row and column added.
    Only problems are returned (the caller says what it checked); the number left out
    past `Limits.max_findings_per_check` per check is not returned."""
    width = max([len(header), *(len(row) for row in rows)], default=0)
    names = unique_names([str(name) for name in header] + [""] * (width - len(header)))
    columns = [[_cell_text(row, index) for row in rows] for index in range(width)]
    arrays = [_typed(cells) for cells in columns]
    batch = pa.RecordBatch.from_arrays(arrays, names=names)

    def locate(row: int, column: int) -> Location:
        return replace(location, row=row, column=names[column])

    checks = _TableChecks(batch.schema, fields={}, limits=limits, locate=locate)
    if rows:
        checks.update(batch)
    problems = [
        finding
        for finding in checks.collector.findings
        if finding.check in (disclosure.CHECK, personal.CHECK)
    ]
    return problems + checks.disclosure.summaries() + checks.personal.summaries()


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
            self.progress(fraction)


def _has(findings: list[Finding], check: str, collector: Collector) -> bool:
    return collector.omitted[check] > 0 or any(finding.check == check for finding in findings)


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
        collector.add(Finding("encoding", FAIL, error.message, Location(file=label)))
        return
    tell(0.02)
    text, sample_rows = _csv_sample(path, size, encoding, limits.sample_rows)
    in_sample = _check_sample(
        _csv_resource(text, delimiter, schema),
        sample_rows,
        declared=schema is not None,
        collector=collector,
        locate=lambda row, column: Location(file=label, row=row, column=column),
    )
    tell(0.1)
    passes: list[_TableChecks] = []

    def start(arrow_schema: pa.Schema):
        names = arrow_schema.names

        def locate(row: int, column: int) -> Location:
            return Location(file=label, row=row, column=names[column])

        passes.append(_TableChecks(arrow_schema, fields=fields, limits=limits, locate=locate))
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
                    "checks left them out. Each row needs one cell per column.",
                    Location(file=label),
                )
            )
    if scan.unclosed_quote:
        collector.add(Finding("structure", FAIL, UNCLOSED_QUOTE, Location(file=label)))
    checks.finish(collector, label=Location(file=label), sample_blank=in_sample["blank-row"])
    facts.update(checks.facts())


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


# --- The sample, with frictionless ----------------------------------------------------------


def _check_sample(resource, sample_rows: int, *, declared: bool, collector, locate) -> Counter:
    """frictionless's findings on the header and the first `sample_rows` rows; returns
    how many rows it found of each kind (blank-row, extra-cell, missing-cell).

    `locate(row, column_number)` places a finding (row None for the header; column
    numbers from 1). Messages never quote a cell: it may hold personal data.
    """
    if not sample_rows:
        return Counter()
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
        note = clip(getattr(error, "note", "") or "")
        message = f"Row {row:,}, column {name}: the value breaks the Table Schema's {note}."
        return Finding("types", FAIL, message, where)
    # Any other error frictionless reports (a repeated primary key, a wrong row count):
    # its general description, which never holds a cell's value.
    message = f"{error.title}: {error.description}"
    return Finding("structure", FAIL if declared else WARNING, message, where)


def _field_type(error) -> str:
    match = re.search(r'type is "(\w+)', getattr(error, "note", "") or "")
    return match.group(1) if match else "the column"


# --- XLSX -------------------------------------------------------------------------------


def _check_workbook(path, size, label, schema, fields, limits, collector, facts, tell):
    import python_calamine

    if size > limits.max_xlsx_bytes:
        collector.add(
            Finding(
                "structure",
                FAIL,
                f"The workbook is {size / MIB:.1f} MB; workbooks up to "
                f"{limits.max_xlsx_bytes / MIB:.1f} MB are checked. Save its sheets as CSV "
                "and upload those instead.",
                Location(file=label),
            )
        )
        return
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        names = [
            sheet.name
            for sheet in workbook.sheets_metadata
            if sheet.typ == python_calamine.SheetTypeEnum.WorkSheet
        ]
    except Exception:  # calamine raises its own classes and plain ValueErrors
        collector.add(
            Finding(
                "structure",
                FAIL,
                "The file is not a valid XLSX workbook: it is damaged or in another format.",
                Location(file=label),
            )
        )
        return
    budget = limits.max_xlsx_cells
    sheets, totals = [], _Totals()
    for number, name in enumerate(names):
        where = Location(file=label, sheet=name)
        try:
            inspect_sheet(path, name, size=size, max_cells=budget)
            sheet = workbook.get_sheet_by_name(name)
            cells = sheet.height * max(sheet.width, 1)
            if cells > budget:
                raise ProfileError(too_many_cells(sheet.height, sheet.width, budget))
            budget -= cells
            layout = sheet_layout(sheet.iter_rows)
        except ProfileError as error:
            if error.message == "The sheet is empty.":
                continue
            collector.add(Finding("structure", FAIL, _workbook_cap(error.message), where))
            return
        first_column = sheet.start[1] if sheet.start else 0
        header_row = layout.header_index + 1

        def cell(row: int, column: int, first_column=first_column, header_row=header_row):
            return f"{column_letters(first_column + column)}{header_row + row}"

        def locate_sample(row, column_number, name=name, cell=cell, names=layout.names):
            column = names[column_number - 1] if column_number else ""
            reference = cell(row or 0, column_number - 1) if column_number else ""
            return Location(file=label, sheet=name, row=row, column=column, cell=reference)

        header, *data = itertools.islice(
            sheet.iter_rows(), layout.header_index, layout.header_index + 1 + limits.sample_rows
        )
        in_sample = _check_sample(
            _sheet_resource(header, data, schema),
            limits.sample_rows,
            declared=schema is not None,
            collector=collector,
            locate=locate_sample,
        )

        def locate(row: int, column: int, name=name, cell=cell, names=layout.names):
            return Location(
                file=label, sheet=name, row=row, column=names[column], cell=cell(row, column)
            )

        checks = None
        for batch in sheet_batches(sheet.iter_rows, layout):
            if checks is None:
                checks = _TableChecks(batch.schema, fields=fields, limits=limits, locate=locate)
            checks.update(batch)
        if checks is None:  # a header and no rows
            schema_only = pa.schema([(column, pa.null()) for column in layout.names])
            checks = _TableChecks(schema_only, fields=fields, limits=limits, locate=locate)
        checks.finish(
            collector, label=Location(file=label, sheet=name), sample_blank=in_sample["blank-row"]
        )
        sheets.append({"name": name, "rows": layout.rows, "columns": len(layout.names)})
        totals.add(checks.facts())
        tell((number + 1) / len(names))
    if not sheets:
        collector.add(
            Finding("structure", FAIL, "The workbook has no sheet with data.", Location(file=label))
        )
        return
    facts.update(read=True, sheets=sheets, **totals.facts())


def _workbook_cap(message: str) -> str:
    # The profiler's sentences speak of profiling; here the workbook is being checked.
    return message.replace("to be profiled", "to be checked").replace(
        "it cannot be profiled", "it cannot be checked"
    )


def _sheet_resource(header, data, schema):
    from frictionless import Resource

    labels = [_label(cell) for cell in header]
    width = max([len(labels), *(len(row) for row in data)])
    labels += [""] * (width - len(labels))
    rows = [[None if cell == "" else cell for cell in row] for row in data]
    return Resource(data=[labels, *rows], schema=schema)


def _label(cell) -> str:
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    return "" if cell is None else str(cell)


def column_letters(index: int) -> str:
    """A spreadsheet column's letters from its index counted from 0: 0 is A, 26 is AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


class _Totals:
    """A workbook's facts summed over its sheets."""

    def __init__(self):
        self.totals: dict = {}

    def add(self, facts: dict) -> None:
        for key, value in facts.items():
            if key in ("rows", "text_columns"):
                self.totals[key] = self.totals.get(key, 0) + value
            elif key == "columns":
                self.totals[key] = max(self.totals.get(key, 0), value)
            elif key in ("kinds", "count_columns", "rate_columns"):
                self.totals[key] = self.totals.get(key, []) + value
            elif key in ("disclosure", "personal_data"):
                merged = Counter(self.totals.get(key, {}))
                merged.update(value)
                self.totals[key] = dict(merged)
            else:
                self.totals[key] = value

    def facts(self) -> dict:
        return self.totals


# --- The whole-file pass --------------------------------------------------------------------


class _TableChecks:
    """The checks of one pass over a table, fed a record batch at a time."""

    def __init__(self, schema: pa.Schema, *, fields: dict, limits: Limits, locate):
        self.schema = schema
        self.names = schema.names
        self.fields = fields
        self.limits = limits
        self.locate = locate
        # A pass may be abandoned (the reader starts again): it gathers on its own.
        self.collector = Collector(limits.max_findings_per_check)
        self.rows = 0
        self.blank_rows, self.first_blank = 0, None
        self.text = [i for i, field in enumerate(schema) if pa.types.is_string(field.type)]
        self.classes = {i: Counter() for i in self.text}
        self.class_first: dict[int, dict[str, int]] = {i: {} for i in self.text}
        self.long_cells: Counter = Counter()
        self.long_first: dict[int, int] = {}
        # Declared integers read as decimals: cells that are not whole (count, first row).
        self.not_whole = {
            i: [0, None]
            for i, field in enumerate(schema)
            if fields.get(field.name, {}).get("type") == "integer"
            and pa.types.is_floating(field.type)
        }
        self.disclosure = disclosure.DisclosureScan(
            schema,
            declared=fields,
            threshold=limits.count_threshold,
            collector=self.collector,
            locate=locate,
        )
        self.personal = personal.PersonalDataScan(
            self.names, collector=self.collector, locate=locate
        )

    def update(self, batch: pa.RecordBatch) -> None:
        first_row = self.rows + 1
        self.rows += batch.num_rows
        self._blank_rows(batch, first_row)
        for index in self.text:
            array = batch.column(index)
            counts = pc.value_counts(array)
            values, tallies = counts.field("values"), counts.field("counts")
            present = pc.fill_null(pc.not_equal(values, ""), False)
            values, tallies = pc.filter(values, present), pc.filter(tallies, present)
            self._classify(index, array, values, tallies, first_row)
            self._long_cells(index, array, values, tallies, first_row)
            self.personal.update(index, array, values, tallies, first_row)
        for index, tally in self.not_whole.items():
            array = batch.column(index)
            fraction = pc.fill_null(pc.not_equal(array, pc.trunc(array)), False)
            count = pc.sum(fraction).as_py() or 0
            if count and tally[1] is None:
                tally[1] = first_row + pc.index(fraction, True).as_py()
            tally[0] += count
        self.disclosure.update(batch, first_row)

    def _blank_rows(self, batch, first_row) -> None:
        blank = None
        for field, array in zip(batch.schema, batch.columns, strict=True):
            empty = pc.is_null(array)
            if pa.types.is_string(field.type):
                empty = pc.fill_null(pc.equal(array, ""), True)
            blank = empty if blank is None else pc.and_(blank, empty)
            if not pc.any(blank).as_py():
                return
        if blank is None:
            return
        self.blank_rows += pc.sum(blank).as_py()
        if self.first_blank is None:
            self.first_blank = first_row + pc.index(blank, True).as_py()

    def _classify(self, index, array, values, tallies, first_row) -> None:
        """Count the column's text values by what they look like: whole numbers,
        numbers, dates, dates and times, other text; note where each first occurs."""
        known = None
        for name, pattern in TEXT_CLASSES.items():
            matches = pc.match_substring_regex(values, pattern)
            if name == "number":
                matches = pc.and_(matches, pc.invert(known))
            known = matches if known is None else pc.or_(known, matches)
            self._tally(index, name, matches, array, values, tallies, first_row)
        self._tally(index, "other", pc.invert(known), array, values, tallies, first_row)

    def _tally(self, index, name, matches, array, values, tallies, first_row) -> None:
        count = pc.sum(pc.filter(tallies, matches)).as_py() or 0
        if not count:
            return
        self.classes[index][name] += count
        if name not in self.class_first[index]:
            where = pc.is_in(array, value_set=pc.filter(values, matches))
            self.class_first[index][name] = first_row + pc.index(where, True).as_py()

    def _long_cells(self, index, array, values, tallies, first_row) -> None:
        if not len(values) or pc.max(pc.utf8_length(values)).as_py() <= MAX_CELL_CHARS:
            return
        long = pc.greater(pc.utf8_length(values), MAX_CELL_CHARS)
        self.long_cells[index] += pc.sum(pc.filter(tallies, long)).as_py()
        if index not in self.long_first:
            where = pc.is_in(array, value_set=pc.filter(values, long))
            self.long_first[index] = first_row + pc.index(where, True).as_py()

    def finish(self, collector: Collector, *, label: Location, sample_blank: int = 0) -> None:
        """Hand this pass's findings, and those only the whole pass can make, over
        (blank rows only when there are more than the sample's findings named)."""
        add = collector.add
        if not self.rows:
            add(
                Finding("structure", WARNING, "The table has a header row but no data rows.", label)
            )
        if self.blank_rows > sample_blank:
            rows = "1 row is" if self.blank_rows == 1 else f"{self.blank_rows:,} rows are"
            add(
                Finding(
                    "structure",
                    WARNING,
                    f"{rows} blank (every cell empty), the first row {self.first_blank:,}.",
                    replace(self.locate(self.first_blank, 0), column="", cell=""),
                )
            )
        for index, count in self.long_cells.items():
            cells = "1 cell holds" if count == 1 else f"{count:,} cells hold"
            add(
                Finding(
                    "structure",
                    WARNING,
                    f"{cells} more than {MAX_CELL_CHARS:,} characters, more than a "
                    "spreadsheet cell can: check for a missing line break or text pasted by "
                    "mistake.",
                    self.locate(self.long_first[index], index),
                )
            )
        for finding in self._type_findings():
            add(finding)
        for finding in self.collector.findings:
            add(finding)
        for check, count in self.collector.omitted.items():
            collector.skip(check, count)
        for finding in self.disclosure.summaries() + self.personal.summaries():
            # Summaries name what the listed cells leave out: always kept.
            collector.findings.append(finding)

    def _type_findings(self) -> list[Finding]:
        findings = []
        for index in self.text:
            name = self.names[index]
            declared = self.fields.get(name, {}).get("type")
            classes, first = self.classes[index], self.class_first[index]
            if declared in DECLARED_CLASSES:
                fitting = DECLARED_CLASSES[declared]
                odd = {key: count for key, count in classes.items() if key not in fitting}
                if odd:
                    findings.append(self._declared_finding(index, declared, odd, first))
                continue
            families = Counter()
            for key, count in classes.items():
                families[FAMILY.get(key, "other")] += count
            main = max(("numbers", "dates"), key=lambda family: families[family])
            odd_count = sum(families.values()) - families[main]
            if families[main] > odd_count > 0:
                odd_first = min(
                    row for key, row in first.items() if FAMILY.get(key, "other") != main
                )
                values = "value is" if odd_count == 1 else "values are"
                findings.append(
                    Finding(
                        "types",
                        WARNING,
                        f"Column {name} holds {main} ({families[main]:,} values), but "
                        f"{odd_count:,} {values} not (the first in row {odd_first:,}): "
                        "keep one type of value per column, and leave a missing value's "
                        "cell empty rather than writing a note in it.",
                        self.locate(odd_first, index),
                    )
                )
        for index, (count, first_row) in self.not_whole.items():
            if count:
                findings.append(self._declared_finding(index, "integer", {"number": count},
                                                       {"number": first_row}))  # fmt: skip
        for index, field in enumerate(self.schema):
            declared = self.fields.get(field.name, {}).get("type")
            fits = DECLARED_TYPES.get(declared)
            if fits is None or index in self.text or index in self.not_whole:
                continue
            if not (fits(field.type) or pa.types.is_null(field.type)):
                findings.append(
                    Finding(
                        "types",
                        FAIL,
                        f"Column {field.name} is declared as {declared} in the Table Schema, "
                        f"but its values read as {KIND_WORDS[kind_of(field.type)]}.",
                        self.locate(1, index),
                    )
                )
        return findings

    def _declared_finding(self, index, declared, odd: dict, first: dict) -> Finding:
        count = sum(odd.values())
        row = min(first[key] for key in odd)
        values = "1 value is" if count == 1 else f"{count:,} values are"
        return Finding(
            "types",
            FAIL,
            f"Column {self.names[index]} is declared as {declared} in the Table Schema, but "
            f"{values} not (the first in row {row:,}).",
            self.locate(row, index),
        )

    def facts(self) -> dict:
        return {
            "rows": self.rows,
            "columns": len(self.names),
            "kinds": [kind_of(field.type) for field in self.schema],
            "text_columns": len(self.text),
            "count_columns": [self.names[i] for i in self.disclosure.counts],
            "rate_columns": [self.names[i] for i in self.disclosure.rates],
            "threshold": self.limits.count_threshold,
            "disclosure": self.disclosure.found(),
            "personal_data": self.personal.found(),
        }
