"""Disclosure control: UK statistical output checking's rules of thumb on a table's counts.

- In a count-like column, a cell from 1 to `threshold - 1` (9 by default) could let
  someone pick out the people it counts: a warning per cell.
- A zero can disclose too (nobody in a group has a condition): flagged for review.
- A rate or percentage on a row whose count is under the threshold ("small denominator")
  gives the small count away: a warning per cell.

Which columns count people:
- declared: a Table Schema field with `"civichack:count": true` (or `false`, to say a
  column the name rule would pick is not a count);
- else by name: one of COUNT_WORDS as a word of the name (snake_case, camelCase, spaces
  and hyphens all split words: `claimant_count`, `numberOfPeople`, `Total persons`), and
  none of NOT_COUNT_WORDS (an identifier, a code, an amount or measure is not a count),
  nor an age or time (TIME_WORDS) but in a band or period ("aged_65_plus",
  "per_year"), nor "per" anything else (a density).
A count column holds whole numbers (floats with whole values too, as pandas writes a
column with a missing value); one read as text (counts already suppressed as "c"
or "<10" among them) has its whole-number cells checked. A rate column's name says
percent, pct, %, rate, share, proportion or ratio; its values may be text ("12.5%").

Every rule is a pyarrow.compute kernel over each batch; only the cells listed in the
report (at most `max_findings_per_check`) are looked at one by one.
"""

import itertools
import re
from collections import Counter
from collections.abc import Callable

import pyarrow as pa
import pyarrow.compute as pc

from submissions.validation.collect import Collector
from submissions.validation.findings import PASS, WARNING, Finding, Location

CHECK = "disclosure"
DECLARED = "civichack:count"

COUNT_WORDS = frozenset((
    "count", "counts", "n", "num", "total", "totals", "frequency", "freq", "people",
    "persons", "individuals", "respondents", "claimants", "cases", "population",
    "households", "patients", "residents", "pupils", "students", "children", "adults",
    "deaths", "births", "admissions", "referrals", "applicants", "users", "visitors",
    "members", "customers", "employees", "participants", "attendees"
))  # fmt: skip
NOT_COUNT_WORDS = frozenset((
    "id", "ids", "identifier", "code", "codes", "ref", "reference", "phone", "telephone",
    "tel", "mobile", "postcode", "zip", "rank", "index", "lat", "latitude", "lon", "lng",
    "longitude",
    # Amounts and measures: "total_spend_gbp", "total_distance_km", "population_density".
    "spend", "spending", "cost", "costs", "income", "amount", "value", "price", "revenue",
    "salary", "pay", "budget", "gbp", "eur", "usd", "pounds", "distance", "km", "miles",
    "kg", "tonnes", "weight", "height", "length", "area", "density", "hours", "minutes",
    "duration", "score"
))  # fmt: skip
# Ages and times: a column about one ("age_count", "year") is not a count, but a count
# in an age band ("people_aged_65_plus") or over a period ("deaths_per_year") is.
TIME_WORDS = frozenset((
    "year", "years", "yr", "age", "ages", "aged", "date", "dates", "day", "days", "month",
    "months", "week", "weeks", "quarter", "time", "timestamp"
))  # fmt: skip
PERIOD_WORDS = frozenset(("per", "this", "last", "next", "each", "a", "by", "in"))
RATE_WORDS = frozenset((
    "percent", "percentage", "pct", "perc", "rate", "rates", "share", "proportion",
    "ratio"
))  # fmt: skip
_WORD = re.compile(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|%")
_WHOLE_NUMBER = r"^\s*\d+\s*$"
# A rate written as text: "12.5%", "0.3".
_RATE_TEXT = r"^\s*[-+]?(?:\d+(?:\.\d*)?|\.\d+)\s*%?\s*$"

SMALL, ZERO, DENOMINATOR = "small", "zero", "denominator"


def name_words(name: str) -> list[str]:
    """The words of a column name, lower case: `numberOfPeople` -> number, of, people."""
    return [word.lower() for word in _WORD.findall(name)]


def is_count_name(name: str) -> bool:
    words = name_words(name)
    if NOT_COUNT_WORDS.intersection(words) or RATE_WORDS.intersection(words) or "%" in words:
        return False
    for index, word in enumerate(words):
        before = words[index - 1] if index else ""
        after = words[index + 1] if index + 1 < len(words) else ""
        band = after.isdigit() or before in PERIOD_WORDS
        if word in TIME_WORDS and not band:
            return False
        # "persons_per_hectare": per anything but a period is a density or a rate.
        if word == "per" and after not in TIME_WORDS:
            return False
    # "number" alone is as often an identifier ("case number"): a count only as
    # "number of ..." or the whole name.
    number_of = words == ["number"] or any(
        word == "number" and after == "of" for word, after in itertools.pairwise(words)
    )
    return number_of or bool(COUNT_WORDS.intersection(words))


def is_rate_name(name: str) -> bool:
    words = name_words(name)
    return "%" in name or bool(RATE_WORDS.intersection(words))


def count_columns(schema: pa.Schema, declared: dict[str, dict]) -> list[int]:
    """Indexes of the count-like columns: whole numbers (or text that may hold them),
    declared as counts or named so."""
    chosen = []
    for index, field in enumerate(schema):
        # pandas writes a column of whole numbers with a missing value as floats (3.0).
        if not (
            pa.types.is_integer(field.type)
            or pa.types.is_floating(field.type)
            or pa.types.is_string(field.type)
        ):
            continue
        flag = declared.get(field.name, {}).get(DECLARED)
        if flag is True or (flag is None and is_count_name(field.name)):
            chosen.append(index)
    return chosen


def rate_columns(schema: pa.Schema, counts: list[int]) -> list[int]:
    return [
        index
        for index, field in enumerate(schema)
        if index not in counts
        and (
            pa.types.is_integer(field.type)
            or pa.types.is_floating(field.type)
            or pa.types.is_string(field.type)
        )
        and is_rate_name(field.name)
    ]


def _as_counts(array: pa.Array) -> pa.Array:
    """A count column's values as integers; text cells that are not whole numbers
    (suppression marks such as "c" or "<10") become missing."""
    if pa.types.is_integer(array.type):
        return array
    if pa.types.is_floating(array.type):
        # Whole values within sixty-four bits; the rest (3.5, NaN, 1e300) are no counts.
        whole = pc.and_(pc.equal(pc.floor(array), array), pc.less(pc.abs(array), 9.0e18))
        return pc.cast(pc.if_else(whole, array, pa.scalar(None, array.type)), pa.int64())
    whole = pc.fill_null(pc.match_substring_regex(array, _WHOLE_NUMBER), False)
    digits = pc.if_else(whole, pc.utf8_trim_whitespace(array), pa.scalar(None, pa.string()))
    # Sixty-four bits hold up to 19 digits; a longer run of digits is no count anyone
    # publishes, and is left out rather than overflow.
    digits = pc.if_else(pc.less_equal(pc.utf8_length(digits), 18), digits, None)
    return pc.cast(digits, pa.int64())


class DisclosureScan:
    """The disclosure check of one table, fed a batch at a time.

    `locate(row, column_index)` says where a cell is; rows count data rows from 1.
    """

    def __init__(
        self,
        schema: pa.Schema,
        *,
        declared: dict[str, dict],
        threshold: int,
        collector: Collector,
        locate: Callable[[int, int], Location],
    ):
        self.names = schema.names
        self.counts = count_columns(schema, declared)
        self.rates = rate_columns(schema, self.counts)
        self.threshold = threshold
        self.collector = collector
        self.locate = locate
        self.cells: Counter = Counter()  # (rule, column index) -> cells
        self.listed: Counter = Counter()
        self.first_row: dict[tuple[str, int], int] = {}

    def update(self, batch: pa.RecordBatch, first_row: int) -> None:
        if not self.counts:
            return
        counts = {index: _as_counts(batch.column(index)) for index in self.counts}
        below = None
        for index, values in counts.items():
            small = pc.and_(pc.greater_equal(values, 1), pc.less(values, self.threshold))
            self._flag(SMALL, index, small, values, first_row)
            under = pc.and_(pc.greater_equal(values, 0), pc.less(values, self.threshold))
            under = pc.fill_null(under, False)
            below = under if below is None else pc.or_(below, under)
        if self.rates and pc.any(below).as_py():
            # A negative value (a change, an adjustment) is no denominator.
            smallest = pc.min_element_wise(
                *(
                    pc.if_else(pc.less(values, 0), pa.scalar(None, pa.int64()), values)
                    for values in counts.values()
                )
            )
            for index in self.rates:
                rate = batch.column(index)
                present = pc.is_valid(rate)
                if pa.types.is_string(rate.type):
                    present = pc.fill_null(pc.match_substring_regex(rate, _RATE_TEXT), False)
                if pa.types.is_floating(rate.type):
                    present = pc.and_(present, pc.invert(pc.fill_null(pc.is_nan(rate), True)))
                self._flag(DENOMINATOR, index, pc.and_(below, present), smallest, first_row)
        for index, values in counts.items():
            self._flag(ZERO, index, pc.equal(values, 0), values, first_row)

    def _flag(self, rule, column, mask, values, first_row) -> None:
        mask = pc.fill_null(mask, False)
        total = pc.sum(mask).as_py() or 0
        if not total:
            return
        key = (rule, column)
        self.cells[key] += total
        # Each rule lists at most a third of the check's cells, so a file full of small
        # counts still shows its zeros.
        share = -(-self.collector.limit // 3)
        listed = sum(count for (kind, _), count in self.listed.items() if kind == rule)
        room = min(self.collector.room(CHECK), max(share - listed, 0))
        positions = pc.indices_nonzero(mask)
        self.first_row.setdefault(key, first_row + positions[0].as_py())
        shown = positions.slice(0, room)
        for position, value in zip(shown.to_pylist(), values.take(shown).to_pylist(), strict=True):
            self.collector.add(
                Finding(
                    CHECK,
                    WARNING,
                    self._message(rule, value),
                    self.locate(first_row + position, column),
                )
            )
        self.listed[key] += len(shown)
        self.collector.skip(CHECK, total - len(shown))

    def _message(self, rule: str, value: int) -> str:
        limit = self.threshold
        if rule == SMALL:
            return (
                f"A count of {value} is under {limit}: suppress it (write “<{limit}”), "
                "round it, or combine categories."
            )
        if rule == ZERO:
            return (
                "A zero count: check that it does not tell readers something about a "
                "group (that nobody in it has a condition, say); suppress or combine if so."
            )
        return (
            f"A rate or percentage on a count of {value}, under {limit}: it gives the "
            "count away; suppress it with the count, or combine categories."
        )

    def summaries(self) -> list[Finding]:
        """One finding per rule and column whose cells were not all listed."""
        limit = self.threshold
        wording = {
            SMALL: f"counts from 1 to {limit - 1}",
            ZERO: "zero counts",
            DENOMINATOR: f"rates or percentages on counts under {limit}",
        }
        found = []
        for (rule, column), cells in sorted(self.cells.items(), key=lambda item: item[0][1]):
            listed = self.listed[rule, column]
            if cells > listed:
                found.append(
                    Finding(
                        CHECK,
                        WARNING,
                        f"{cells:,} cells of column {self.names[column]} hold {wording[rule]}.",
                        self.locate(self.first_row[rule, column], column),
                    )
                )
        return found

    def found(self) -> dict[str, int]:
        """Cells flagged per rule, for the report's facts."""
        totals: Counter = Counter()
        for (rule, _), cells in self.cells.items():
            totals[rule] += cells
        return dict(totals)


def pass_finding(counts: list[str], rates: list[str], threshold: int) -> Finding:
    """The PASS of a table with nothing to flag: which columns were checked."""
    if not counts:
        return Finding(
            CHECK,
            PASS,
            "No count-like column (whole numbers in a column named count, total, people, "
            "…, or declared as a count): no disclosure rule applies.",
        )
    rated = f"; rates and percentages: {', '.join(rates)}" if rates else ""
    return Finding(
        CHECK,
        PASS,
        f"Count-like columns checked ({', '.join(counts)}{rated}): no count from 1 to "
        f"{threshold - 1}, no zero, no rate or percentage on a small count.",
    )
