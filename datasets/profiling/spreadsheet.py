"""Profiling XLSX workbooks with python-calamine, after checking their size cheaply.

Before anything is loaded, the ZIP directory and the first bytes of the sheet's XML give
the sheet's uncompressed size and its declared dimensions (`<dimension ref="A1:H100001">`);
a workbook over the caps is refused there. calamine reads the cached values of formula
cells (what the spreadsheet program last calculated); a scan of the sheet XML for `<f>`
elements says whether there were formulas, so the profile can warn.

The sheet's first row is the header. Each column gets one type for the whole sheet
(integer, number, boolean, date, datetime, else string), then the same per-column
statistics as for CSV are computed in batches.
"""

import datetime as dt
import html
import itertools
import posixpath
import re
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path

import pyarrow as pa
import python_calamine

from common.files import MAX_SNIFFED_ENTRIES, ZipBounds, declared_zip_entries
from datasets.profiling.columns import ColumnStats, unique_names
from datasets.profiling.result import ProfileError, TableProfile, clip

DEFAULT_MAX_BYTES = 50 * 1024 * 1024
DEFAULT_MAX_CELLS = 5_000_000
# XML inflates about 5-10 times in a ZIP; far beyond is a compression bomb.
MAX_INFLATION = 40
# Every part of a workbook, before calamine loads any (it reads the shared strings whole):
# a bundle's members' bounds.
PART_BOUNDS = ZipBounds(
    max_member_bytes=200 * 1024 * 1024, max_ratio=100, min_ratio_bytes=1024 * 1024
)
BATCH_ROWS = 65_536
_READ_CHUNK = 1024 * 1024
# XML quotes attribute values with either quote character; both are read.
_DIMENSION = re.compile(rb"<(?:\w+:)?dimension[^>]*\bref=([\"'])([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?\1")
_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
# A row's or a cell's opening tag: its reference when it comes first (as spreadsheet
# programs write it), then the rest of its attributes (a quoted value may hold ">"),
# matched possessively so a tag never closed costs no backtracking.
_ROW_OR_CELL = re.compile(
    rb"<(?:\w+:)?(row|c)(?=[\s>/])(?:\s+r\s*=\s*(?:\"([^\"]*)\"|'([^']*)'))?"
    rb"((?:[^>\"']++|\"[^\"]*+\"|'[^']*+')*+)>"
)
_REFERENCE = re.compile(rb"""\sr\s*=\s*(?:"([^"]*)"|'([^']*)')""")
# Excel's grid ends at XFD1048576: three letters and seven digits at most.
_CELL_NAME = re.compile(rb"([A-Z]{1,3})(\d{1,7})")
_ROW_NUMBER = re.compile(rb"\d{1,7}")
_SHEET = re.compile(rb"<(?:\w+:)?sheet\s[^>]*>")
_RELATIONSHIP = re.compile(rb"<(?:\w+:)?Relationship\s[^>]*>")
_ATTRIBUTE = re.compile(rb"""([\w:]+)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def profile_xlsx(
    path: Path,
    *,
    size: int,
    sheet: str | None,
    progress: Callable[[float], None] | None,
    preview_rows: int,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_cells: int = DEFAULT_MAX_CELLS,
    interruptions: tuple[type[BaseException], ...] = (),
) -> TableProfile:
    if size == 0:
        raise ProfileError("The file is empty.")
    if size > max_bytes:
        raise ProfileError(
            f"The workbook is {_megabytes(size)}; workbooks up to {_megabytes(max_bytes)} "
            "can be profiled. Save the sheet as CSV and upload that instead."
        )
    check_parts(path, PART_BOUNDS)
    sheet_name, has_formulas = inspect_sheet(path, sheet, size=size, max_cells=max_cells)
    if progress is not None:
        progress(0.1)
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
        loaded = workbook.get_sheet_by_name(sheet_name)
        if loaded.height * max(loaded.width, 1) > max_cells:
            raise ProfileError(too_many_cells(loaded.height, loaded.width, max_cells))
        # Rows are taken from calamine's compact copy of the sheet as they are needed,
        # twice (types, then statistics), rather than as one list of Python objects.
        profile = _profile_rows(loaded.iter_rows, preview_rows, sheet_name)
    except (ProfileError, *interruptions):
        raise
    except Exception as error:  # calamine raises its own classes and plain ValueErrors
        raise ProfileError(f"The workbook could not be read: {clip(str(error))}") from None
    warnings = list(profile.warnings)
    if has_formulas:
        warnings.insert(
            0,
            "Formulas found: the values the spreadsheet program last calculated were used "
            "(a formula never calculated shows as empty).",
        )
    if progress is not None:
        progress(1.0)
    return replace(profile, warnings=warnings)


def _megabytes(count: int) -> str:
    return f"{count / (1024 * 1024):.1f} MB"


def too_many_cells(rows: int, columns: int, max_cells: int) -> str:
    return (
        f"The sheet has {rows:,} rows and {columns:,} columns, more than the {max_cells:,} "
        "cells a workbook may have to be profiled. Save it as CSV and upload that instead."
    )


def check_parts(path: Path, bounds: ZipBounds) -> None:
    """A ProfileError unless every part of the workbook at `path` is within `bounds`,
    judged from the zip's directory alone (a directory too large for a workbook is not
    read either)."""
    with open(path, "rb") as handle:
        declared = declared_zip_entries(handle)
    if declared is None:
        raise ProfileError(NOT_A_WORKBOOK)
    if declared > MAX_SNIFFED_ENTRIES:
        raise ProfileError(
            f"The workbook declares {declared:,} parts; a workbook has tens. It cannot be profiled."
        )
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError):
        raise ProfileError(NOT_A_WORKBOOK) from None
    for info in infos:
        excess = bounds.excess(info)
        if excess == "size":
            grows = f"more than the {_megabytes(bounds.max_member_bytes)} a part may hold"
        elif excess == "ratio":
            grows = f"{info.file_size // max(info.compress_size, 1):,} times its packed size"
        else:
            continue
        raise ProfileError(
            f"A part of the workbook ({clip(info.filename)}) expands to "
            f"{_megabytes(info.file_size)}, {grows}: it looks like a compression bomb, so "
            "it cannot be profiled."
        )


NOT_A_WORKBOOK = "The file is not a valid XLSX workbook: it is damaged or in another format."


def inspect_sheet(path: Path, sheet: str | None, *, size: int, max_cells: int) -> tuple[str, bool]:
    """(sheet name, whether it has formulas) of the named (or first) sheet, read from the
    workbook's XML without loading it; a ProfileError for a sheet over the caps."""
    try:
        with zipfile.ZipFile(path) as archive:
            name, member = _sheet_member(archive, sheet)
            info = archive.getinfo(member)
            if info.file_size > max(size, 1024 * 1024) * MAX_INFLATION:
                raise ProfileError(
                    "The workbook's sheet is far larger unpacked than the file itself; "
                    "it cannot be profiled."
                )
            with archive.open(member) as stream:
                head = stream.read(64 * 1024)
                dimension = _DIMENSION.search(head)
                if dimension:
                    rows, columns = _dimension_size(dimension)
                    if rows * columns > max_cells:
                        raise ProfileError(too_many_cells(rows, columns, max_cells))
                # The declared dimension may lie: calamine lays the cells out on a grid
                # as large as the farthest cell, so the cells themselves are measured.
                extent = _scan(head, stream)
            if extent.rows * extent.columns > max_cells or extent.cells > max_cells:
                raise ProfileError(too_many_cells(extent.rows, extent.columns, max_cells))
            has_formulas = extent.formulas
    # zipfile reports a damaged archive in many ways: unsupported compression or version
    # (NotImplementedError), encryption (RuntimeError), bad offsets (OSError, ValueError).
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        KeyError,
        EOFError,
        zlib.error,
        NotImplementedError,
        RuntimeError,
        OSError,
        ValueError,
    ):
        raise ProfileError(NOT_A_WORKBOOK) from None
    return name, has_formulas


def _sheet_member(archive: zipfile.ZipFile, sheet: str | None) -> tuple[str, str]:
    """The name of the wanted (or first) sheet and the path of its XML in the archive.

    Read with regular expressions over at most 1 MB of each part, not an XML parser:
    the file is untrusted, and the standard library's parsers expand entities.
    """
    sheets = [_attributes(tag) for tag in _SHEET.findall(_part(archive, "xl/workbook.xml"))]
    if not sheets:
        raise ProfileError("The workbook has no sheets.")
    if sheet:
        chosen = next((found for found in sheets if found.get("name") == sheet), None)
        if chosen is None:
            raise ProfileError(f"The workbook has no sheet named {clip(sheet)!r}.")
    else:
        chosen = sheets[0]
    relations = _RELATIONSHIP.findall(_part(archive, "xl/_rels/workbook.xml.rels"))
    wanted = chosen.get("r:id") or next(
        (value for key, value in chosen.items() if key.endswith(":id")), None
    )
    target = next(
        (found.get("Target") for found in map(_attributes, relations) if found.get("Id") == wanted),
        None,
    )
    if not target:
        raise ProfileError("The workbook is damaged: its sheet cannot be found.")
    member = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
    return chosen.get("name", ""), posixpath.normpath(member)


def _part(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as stream:
        return stream.read(1024 * 1024)


def _attributes(tag: bytes) -> dict[str, str]:
    return {
        key.decode("utf-8", "replace"): html.unescape((double or single).decode("utf-8", "replace"))
        for key, double, single in _ATTRIBUTE.findall(tag)
    }


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number


def _dimension_size(match: re.Match) -> tuple[int, int]:
    _quote, first_col, first_row, last_col, last_row = match.groups()
    if last_col is None:
        return 1, 1
    rows = int(last_row) - int(first_row) + 1
    columns = _column_number(last_col) - _column_number(first_col) + 1
    return max(rows, 0), max(columns, 0)


@dataclass
class _Extent:
    """How far a sheet's cells reach, how many there are, and whether any has a formula.

    A row or cell without a reference (`r`, optional in the format) follows the one
    before it, as readers place it; a reference outside Excel's grid is refused.
    """

    rows: int = 0
    columns: int = 0
    cells: int = 0
    formulas: bool = False
    row: int = 0  # the current row, counted from 1
    column: int = 0  # the current row's last cell, counted from 1

    def add(self, xml: bytes) -> None:
        self.formulas = self.formulas or bool(_FORMULA.search(xml))
        # Local names: this loop runs once per cell, millions of times.
        row, column, rows, columns, cells = self.row, self.column, self.rows, self.columns, 0
        for kind, double, single, rest in _ROW_OR_CELL.findall(xml):
            reference = double or single
            if not reference and (found := _REFERENCE.search(rest)) is not None:
                reference = found.group(1) or found.group(2)
            if kind == b"c":
                cells += 1
                if reference:
                    letters, number = _valid(_CELL_NAME, reference).groups()
                    column, row = _column_number(letters), int(number)
                else:
                    column += 1
                columns = max(columns, column)
            else:
                column = 0
                row = int(_valid(_ROW_NUMBER, reference)[0]) if reference else row + 1
            rows = max(rows, row)
        self.row, self.column, self.rows, self.columns = row, column, rows, columns
        self.cells += cells


def _valid(pattern: re.Pattern, reference: bytes) -> re.Match:
    match = pattern.fullmatch(reference)
    if match is None:
        raise ProfileError("The workbook is damaged: a cell or row reference is not valid.")
    return match


def _scan(head: bytes, stream) -> _Extent:
    """Read the sheet's XML once, in chunks (memory stays flat), cutting each chunk at
    its last tag so no tag is split or counted twice."""
    extent = _Extent()
    pending = head
    while chunk := stream.read(_READ_CHUNK):
        pending += chunk
        cut = pending.rfind(b"<")
        extent.add(pending[:cut])
        pending = pending[cut:]
    extent.add(pending)
    return extent


def _cell_kind(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float) and float(value).is_integer() and abs(value) < 2**63:
        return "integer"
    if isinstance(value, int):
        return "number"  # beyond 64 bits
    if isinstance(value, float):
        return "number"
    if isinstance(value, dt.datetime):
        return "datetime"
    if isinstance(value, dt.date):
        return "date"
    return "string"


ARROW_TYPES = {
    "integer": pa.int64(),
    "number": pa.float64(),
    "boolean": pa.bool_(),
    "date": pa.date32(),
    "datetime": pa.timestamp("us"),
    "string": pa.string(),
    None: pa.string(),
}
_NUMERIC = {"integer", "number"}


def _column_kind(kinds: set) -> str | None:
    kinds = kinds - {None}
    if not kinds:
        return None
    if len(kinds) == 1:
        return next(iter(kinds))
    if kinds <= _NUMERIC:
        return "number"
    if kinds <= {"date", "datetime"}:
        return "datetime"
    return "string"


def _text(value) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return str(int(value))
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    return str(value)


def _converted(value, kind: str):
    if value is None or value == "":
        return None
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "datetime" and not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time())
    if kind == "string":
        return _text(value)
    return value


def _empty(row) -> bool:
    return all(cell is None or cell == "" for cell in row)


@dataclass(frozen=True)
class SheetLayout:
    """Where a sheet's table is: `rows()` indexes of its header row (the first row with
    a value) and of its last row with a value (trailing empty rows are formatting, not
    data), its column names (unique, none blank) and one type per column."""

    header_index: int
    last_index: int
    names: list[str]
    types: list[str | None]

    @property
    def rows(self) -> int:
        return self.last_index - self.header_index


def sheet_layout(rows) -> SheetLayout:
    """The layout of the sheet whose rows `rows()` iterates (one pass); a ProfileError
    for an empty sheet."""
    header, header_index, width, last, kinds = None, 0, 0, 0, []
    for number, row in enumerate(rows()):
        if header is None:
            if _empty(row):
                continue
            header, header_index, last = list(row), number, number
        elif not _empty(row):
            last = number
        width = max(width, len(row))
        if len(kinds) < width:
            kinds.extend(set() for _ in range(width - len(kinds)))
        if number > header_index:
            for index, cell in enumerate(row):
                kinds[index].add(_cell_kind(cell))
    if header is None:
        raise ProfileError("The sheet is empty.")
    names = unique_names([_text(cell) or "" for cell in header] + [""] * (width - len(header)))
    return SheetLayout(header_index, last, names, [_column_kind(found) for found in kinds])


def sheet_batches(rows, layout: SheetLayout, batch_rows: int = BATCH_ROWS):
    """The sheet's data rows as record batches of `batch_rows` rows (the last shorter),
    each column of its layout's type (a second pass over `rows()`)."""
    width = len(layout.names)
    schema = pa.schema(
        [(name, ARROW_TYPES[kind]) for name, kind in zip(layout.names, layout.types, strict=True)]
    )
    batch: list = []
    for number, row in enumerate(rows()):
        if number <= layout.header_index:
            continue
        if number > layout.last_index:
            break
        batch.append(list(row) + [None] * (width - len(row)))
        if len(batch) == batch_rows:
            yield _record_batch(schema, layout.types, batch)
            batch = []
    if batch:
        yield _record_batch(schema, layout.types, batch)


def _profile_rows(rows, preview_rows: int, sheet_name: str) -> TableProfile:
    """Profile the sheet whose rows `rows()` iterates (each call from the top)."""
    layout = sheet_layout(rows)
    columns = [
        ColumnStats(name, ARROW_TYPES[kind])
        for name, kind in zip(layout.names, layout.types, strict=True)
    ]
    for batch in sheet_batches(rows, layout):
        for stats, array in zip(columns, batch.columns, strict=True):
            stats.update(array)
    preview: list[list[str | None]] = []
    if layout.rows:
        data_rows = itertools.islice(
            rows(),
            layout.header_index + 1,
            layout.header_index + 1 + min(preview_rows, layout.rows),
        )
        for row in data_rows:
            cells = list(row) + [None] * (len(layout.names) - len(row))
            preview.append([None if (text := _text(cell)) is None else clip(text)
                            for cell in cells])  # fmt: skip
    warnings = [] if layout.rows else ["The sheet has a header row but no data rows."]
    return TableProfile(
        rows=layout.rows,
        columns=len(layout.names),
        fields=[stats.as_field() for stats in columns],
        preview_header=layout.names,
        preview=preview,
        warnings=warnings,
        sheet=sheet_name,
    )


def _record_batch(schema: pa.Schema, types, batch) -> pa.RecordBatch:
    arrays = [
        pa.array([_converted(row[index], kind or "string") for row in batch], type=field.type)
        for index, (field, kind) in enumerate(zip(schema, types, strict=True))
    ]
    return pa.RecordBatch.from_arrays(arrays, schema=schema)
