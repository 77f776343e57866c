"""One vectorised pass over a whole table, a record batch at a time: rows, blank rows,
over-long cells, the kinds of value in each text column, values that do not fit a
declared type, and the disclosure and personal-data checks. Nothing loops over rows in
Python; a text column's kernels run on each batch's distinct values.

Rows are data rows counted from 1, as the pass read them.
"""

from collections import Counter
from dataclasses import replace

import pyarrow as pa
import pyarrow.compute as pc

from datasets.profiling.columns import kind_of
from datasets.profiling.result import clip
from submissions.validation import disclosure, personal
from submissions.validation.collect import Collector
from submissions.validation.findings import FAIL, WARNING, Finding, Location
from submissions.validation.limits import Limits

# The most characters a spreadsheet cell holds (Excel and LibreOffice alike).
MAX_CELL_CHARS = 32_767
# Text values by what they look like (RE2, whole value).
TEXT_CLASSES = {
    "integer": r"^\s*[-+]?\d+\s*$",
    "number": r"^\s*[-+]?(\d+\.\d*|\.\d+|\d+)([eE][-+]?\d+)?\s*$",
    "date": r"^\d{4}-\d{2}-\d{2}$",
    "datetime": r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$",
    # The marks statistical tables put in place of a withheld value ("c", "[x]", "<10",
    # "..", "*"): they belong in a column of numbers.
    "suppressed": r"(?i)^\s*(\[?[a-z]\]?|\*+|\.\.|:|-|<\s*\d+)\s*$",
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


class TablePass:
    """The checks of one pass over a table, fed a record batch at a time."""

    def __init__(self, schema: pa.Schema, *, fields: dict, limits: Limits, locate, collector=None):
        self.schema = schema
        self.names = schema.names
        self.fields = fields
        self.limits = limits
        self.locate = locate
        # A pass may be abandoned (the reader starts again): it gathers on its own, unless
        # the caller gathers several tables' findings in one (a notebook's outputs).
        self.collector = collector or Collector(limits.max_findings_per_check)
        self.rows = 0
        self.blank_rows, self.first_blank = 0, None
        self.text = [i for i, field in enumerate(schema) if pa.types.is_string(field.type)]
        self.whole = [i for i, field in enumerate(schema) if pa.types.is_integer(field.type)]
        self.classes = {i: Counter() for i in self.text}
        self.class_first: dict[int, dict[str, int]] = {i: {} for i in self.text}
        self.long_cells: Counter = Counter()
        self.long_first: dict[int, int] = {}
        # Cells holding a NUL byte: the sniffer sees only the file's head.
        self.nul_cells: Counter = Counter()
        self.nul_first: dict[int, int] = {}
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
            self._nul_cells(index, array, values, tallies, first_row)
            self.personal.update(index, array, values, tallies, first_row)
        for index, tally in self.not_whole.items():
            array = batch.column(index)
            fraction = pc.fill_null(pc.not_equal(array, pc.trunc(array)), False)
            count = pc.sum(fraction).as_py() or 0
            if count and tally[1] is None:
                tally[1] = first_row + pc.index(fraction, True).as_py()
            tally[0] += count
        for index in self.whole:
            self.personal.update_numbers(index, batch.column(index), first_row)
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

    def _nul_cells(self, index, array, values, tallies, first_row) -> None:
        nul = pc.match_substring(values, "\x00")
        count = pc.sum(pc.filter(tallies, nul)).as_py() or 0
        if not count:
            return
        self.nul_cells[index] += count
        if index not in self.nul_first:
            where = pc.is_in(array, value_set=pc.filter(values, nul))
            self.nul_first[index] = first_row + pc.index(where, True).as_py()

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
        for index, count in self.nul_cells.items():
            cells = "1 cell holds" if count == 1 else f"{count:,} cells hold"
            add(
                Finding(
                    "integrity",
                    FAIL,
                    f"{cells} a NUL byte, which text never has: the file may be damaged, "
                    "or not be the table it seems.",
                    self.locate(self.nul_first[index], index),
                )
            )
        for finding in self._type_findings():
            add(finding)
        self.personal.finish()
        for finding in self.collector.findings:
            add(finding)
        for check, count in self.collector.omitted.items():
            collector.skip(check, count)
        for finding in self.disclosure.summaries() + self.personal.summaries():
            collector.lead(finding)

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
                if key != "suppressed":
                    families[FAMILY.get(key, "other")] += count
            main = max(("numbers", "dates"), key=lambda family: families[family])
            odd_count = sum(families.values()) - families[main]
            if families[main] > odd_count > 0:
                odd_first = min(
                    row
                    for key, row in first.items()
                    if FAMILY.get(key, "other") != main and key != "suppressed"
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
            "count_columns": [clip(self.names[i]) for i in self.disclosure.counts],
            "rate_columns": [clip(self.names[i]) for i in self.disclosure.rates],
            "threshold": self.limits.count_threshold,
            "disclosure": self.disclosure.found(),
            "personal_data": self.personal.found(),
        }
