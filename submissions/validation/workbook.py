"""Checking an XLSX workbook: every worksheet, read with calamine within the workbook's
caps (its size, and its cells over all sheets), its header and first rows with
frictionless, then one pass over its rows in record batches. Findings name the sheet and
the cell ("C12")."""

import itertools
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

import pyarrow as pa
import python_calamine

from datasets.profiling.result import ProfileError
from datasets.profiling.spreadsheet import (
    check_parts,
    inspect_sheet,
    sheet_batches,
    sheet_layout,
    too_many_cells,
)
from submissions.validation.collect import Collector
from submissions.validation.findings import FAIL, Finding, Location
from submissions.validation.limits import MIB, Limits
from submissions.validation.sample import check_sample, sample_size
from submissions.validation.table_pass import TablePass


def check_workbook(
    path: Path,
    size: int,
    label: str,
    schema,
    fields: dict[str, dict],
    limits: Limits,
    collector: Collector,
    facts: dict,
    tell: Callable[[float], None],
) -> None:
    """Add the workbook's findings to `collector` and its facts to `facts`, for
    `submissions.validation.tables.check_table` (`schema`: the declared Table Schema as
    frictionless reads it, or None; `fields`: its fields by name)."""
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
        # calamine reads the shared strings whole when it opens the workbook.
        check_parts(path, limits.zip_bounds)
    except ProfileError as error:
        collector.add(
            Finding("structure", FAIL, _workbook_cap(error.message), Location(file=label))
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
            inspect_sheet(path, name, size=size, max_cells=limits.max_xlsx_cells)
            sheet = workbook.get_sheet_by_name(name)
            cells = sheet.height * max(sheet.width, 1)
            if cells > limits.max_xlsx_cells:
                raise ProfileError(too_many_cells(sheet.height, sheet.width, limits.max_xlsx_cells))
            if cells > budget:
                raise ProfileError(
                    f"The workbook's sheets have more than {limits.max_xlsx_cells:,} cells "
                    "together, the most a workbook may have to be checked. Save its sheets "
                    "as CSV and upload those instead."
                )
            budget -= cells
            layout = sheet_layout(sheet.iter_rows)
        except ProfileError as error:
            if error.message == "The sheet is empty.":
                continue
            collector.add(Finding("structure", FAIL, _workbook_cap(error.message), where))
            return
        checks = _check_sheet(sheet, layout, where, schema, fields, limits, collector)
        sheets.append({"name": name, "rows": layout.rows, "columns": len(layout.names)})
        totals.add(checks.facts())
        tell((number + 1) / len(names))
    if not sheets:
        collector.add(
            Finding("structure", FAIL, "The workbook has no sheet with data.", Location(file=label))
        )
        return
    facts.update(read=True, sheets=sheets, **totals.facts())


def _check_sheet(sheet, layout, where: Location, schema, fields, limits, collector) -> TablePass:
    """The sheet's sample through frictionless, then its rows through one pass."""
    first_column = sheet.start[1] if sheet.start else 0
    # calamine's rows start at the sheet's first row; its columns at the first one used.
    header_row = layout.header_index + 1

    def cell(row: int, column: int) -> str:
        return f"{column_letters(first_column + column)}{header_row + row}"

    def locate_sample(row: int | None, number: int | None) -> Location:
        if not number:
            return replace(where, row=row)
        return replace(
            where, row=row, column=layout.names[number - 1], cell=cell(row or 0, number - 1)
        )

    def locate(row: int, column: int) -> Location:
        return replace(where, row=row, column=layout.names[column], cell=cell(row, column))

    sample_rows = sample_size(limits.sample_rows, len(layout.names))
    header, *data = itertools.islice(
        sheet.iter_rows(), layout.header_index, layout.header_index + 1 + sample_rows
    )
    in_sample = check_sample(
        _sheet_resource(header, data, schema),
        sample_rows,
        columns=len(layout.names),
        declared=schema is not None,
        collector=collector,
        locate=locate_sample,
    )
    checks = None
    for batch in sheet_batches(sheet.iter_rows, layout):
        if checks is None:
            checks = TablePass(batch.schema, fields=fields, limits=limits, locate=locate)
        checks.update(batch)
    if checks is None:  # a header and no rows
        schema_only = pa.schema([(column, pa.null()) for column in layout.names])
        checks = TablePass(schema_only, fields=fields, limits=limits, locate=locate)
    checks.finish(collector, label=where, sample_blank=in_sample["blank-row"])
    return checks


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
