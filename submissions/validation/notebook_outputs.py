"""Tables a notebook displays, read back from its saved outputs without running it.

A small count or a postcode printed in a displayed DataFrame is disclosed as surely as
one in a CSV, so displayed tables are scanned like tables (notebooks.py hands them to
tables.check_rows). pandas saves a DataFrame as an HTML <table> (text/html), read here
with html.parser within bounds (characters read, rows kept, columns, characters per
cell); a text/csv output is read with csv. Other outputs, images above all, are not
touched: their base64 is never decoded.
"""

import csv
import io
import re
from html.parser import HTMLParser

MAX_OUTPUT_CHARS = 2 * 1024 * 1024
MAX_COLUMNS = 1000
MAX_CELL_CHARS = 1000
# Tables read per output: a report of each of thousands of tiny tables helps nobody.
MAX_TABLES_PER_OUTPUT = 20
DISPLAYED = {"execute_result", "display_data"}
# Declarations, comments, CDATA and processing instructions: html.parser searches the rest
# of the text for the end of each (quadratic when thousands are left open) and asserts
# on some it cannot read ("<![<!["). None is part of a table. Each is cut only up to the
# next "<" or ">", so the removal itself stays linear.
MARKUP_DECLARATION = re.compile(r"<[!?][^<>]*>?")


def multiline_text(value) -> str | None:
    """nbformat's multiline string (a string or a list of strings) as one string."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(isinstance(part, str) for part in value):
        return "".join(value)
    return None


def output_tables(outputs, *, max_rows: int) -> list[tuple[list[str], list[list[str]]]]:
    """(header, rows) for each table a code cell's outputs display, rows as strings,
    at most `max_rows` of them per table and MAX_TABLES_PER_OUTPUT tables per output;
    outputs that are not dicts are skipped."""
    tables = []
    for output in outputs if isinstance(outputs, list) else []:
        if not isinstance(output, dict) or output.get("output_type") not in DISPLAYED:
            continue
        data = output.get("data")
        if not isinstance(data, dict):
            continue
        html = multiline_text(data.get("text/html"))
        if html:
            tables.extend(html_tables(html[:MAX_OUTPUT_CHARS], max_rows=max_rows))
        text = multiline_text(data.get("text/csv"))
        if text:
            tables.extend(csv_tables(text[:MAX_OUTPUT_CHARS], max_rows=max_rows))
    return tables


def html_tables(html: str, *, max_rows: int) -> list[tuple[list[str], list[list[str]]]]:
    """The outermost <table>s of an HTML fragment as (header, rows).

    The header merges the <thead> rows column by column, the last non-empty label
    winning: pandas puts a named index on a second header row. Without a <thead>, the
    first row is the header. Rows are cut or padded to the header's width.
    """
    reader = _TableReader(max_rows)
    try:
        reader.feed(_table_markup(html))
        reader.close()
    except (AssertionError, _EnoughTables):  # AssertionError: html.parser's own checks
        pass
    tables = []
    for head, body in reader.tables:
        if not head and body:
            head, body = body[:1], body[1:]
        width = max((len(row) for row in head), default=0)
        header = [""] * width
        for row in head:
            for index, label in enumerate(row):
                header[index] = label or header[index]
        if header and body:
            rows = [(row + [""] * width)[:width] for row in body]
            tables.append((header, rows))
    return tables


def _table_markup(html: str) -> str:
    """`html` from its first <table> on, without markup declarations."""
    start = html.lower().find("<table")
    return "" if start < 0 else MARKUP_DECLARATION.sub("", html[start:])


def csv_tables(text: str, *, max_rows: int) -> list[tuple[list[str], list[list[str]]]]:
    try:
        rows = []
        for row in csv.reader(io.StringIO(text)):
            rows.append(row[:MAX_COLUMNS])
            if len(rows) > max_rows:
                break
    except csv.Error:  # a field past csv's size limit, a NUL: not a table to read
        return []
    if len(rows) < 2:
        return []
    return [(rows[0], rows[1:])]


class _TableReader(HTMLParser):
    """Collects the rows of the outermost tables: [(head rows, body rows)], each row a
    list of cell texts (a cell spanning columns repeated for each)."""

    def __init__(self, max_rows: int):
        super().__init__(convert_charrefs=True)
        self.max_rows = max_rows
        self.tables: list[tuple[list, list]] = []
        self.depth = 0  # tables open; tags inside a nested table are ignored
        self.in_head = False
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.cell_chars = 0
        self.span = 1

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.depth += 1
            if self.depth == 1 and len(self.tables) == MAX_TABLES_PER_OUTPUT:
                raise _EnoughTables
            if self.depth == 1:
                self.tables.append(([], []))
        elif self.depth != 1:
            return
        elif tag == "thead":
            self.in_head = True
        elif tag == "tbody":
            self.in_head = False
        elif tag == "tr":
            self._end_row()
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self._end_cell()
            self.cell, self.cell_chars = [], 0
            self.span = _span(dict(attrs).get("colspan"))

    def handle_endtag(self, tag):
        if tag == "table" and self.depth:
            if self.depth == 1:
                self._end_row()
            self.depth -= 1
        elif self.depth != 1:
            return
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag == "thead":
            self._end_row()
            self.in_head = False

    def close(self):
        super().close()
        if self.depth:  # markup cut short: keep the row it was in
            self._end_row()

    def handle_data(self, data):
        if self.depth == 1 and self.cell is not None and self.cell_chars < MAX_CELL_CHARS:
            self.cell.append(data)
            self.cell_chars += len(data)

    def _end_cell(self):
        if self.cell is None or self.row is None:
            return
        text = " ".join("".join(self.cell).split())[:MAX_CELL_CHARS]
        room = MAX_COLUMNS - len(self.row)
        self.row.extend([text] * min(self.span, room))
        self.cell = None

    def _end_row(self):
        self._end_cell()
        if self.row is None:
            return
        head, body = self.tables[-1]
        rows = head if self.in_head else body
        if self.row and len(rows) < self.max_rows:
            rows.append(self.row)
        self.row = None


class _EnoughTables(Exception):
    """MAX_TABLES_PER_OUTPUT tables are read: the rest of the output is not parsed."""


def _span(value) -> int:
    try:
        return max(1, min(int(value), MAX_COLUMNS))
    except (TypeError, ValueError):
        return 1
