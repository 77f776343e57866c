"""Per-column statistics over pyarrow arrays, one batch at a time, in bounded memory.

Every statistic is a vectorised pyarrow or numpy kernel per batch (null count, min/max,
sum, value counts, hashes); nothing loops over rows in Python.
"""

import datetime as dt
import math

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from datasets.profiling.sketches import (
    HeavyHitters,
    KMinValues,
    hash_strings,
    hash_uint64,
    numbers_of,
)

TOP_VALUES = 10

# The profile's type names, in the vocabulary of Frictionless Table Schema.
INTEGER, NUMBER, BOOLEAN, DATE, DATETIME, STRING = (
    "integer", "number", "boolean", "date", "datetime", "string",
)  # fmt: skip


# What a column's profile says about it (public with the dataset's metadata), and what
# repeats values from its rows (data: shown only to those allowed to download).
METADATA_KEYS = (
    "name",
    "type",
    "count",
    "nulls",
    "distinct",
    "distinct_is_exact",
    "min",
    "max",
    "mean",
)
DATA_KEYS = ("top_values", "top_values_are_exact")


def kind_of(arrow_type: pa.DataType) -> str:
    if pa.types.is_integer(arrow_type):
        return INTEGER
    if pa.types.is_floating(arrow_type) or pa.types.is_decimal(arrow_type):
        return NUMBER
    if pa.types.is_boolean(arrow_type):
        return BOOLEAN
    if pa.types.is_date(arrow_type):
        return DATE
    if pa.types.is_timestamp(arrow_type):
        return DATETIME
    return STRING


class ColumnStats:
    """Statistics of one column; `update` with each batch's array, then `as_field()`."""

    def __init__(self, name: str, arrow_type: pa.DataType):
        self.name = name
        self.kind = kind_of(arrow_type)
        self.rows = 0
        self.nulls = 0
        self.minimum = None
        self.maximum = None
        self.total = 0.0
        self.distinct = KMinValues()
        self.repeats_rare = False
        self.top_values = HeavyHitters() if self.kind in (STRING, BOOLEAN) else None

    def update(self, array: pa.Array) -> None:
        self.rows += len(array)
        self.nulls += array.null_count
        if self.kind == STRING:
            self._update_text(array)
            return
        present = pc.drop_null(array) if array.null_count else array
        if not len(present):
            return
        if self.kind == BOOLEAN:
            self._update_text(present.cast(pa.string()))
            return
        if self.kind == NUMBER:
            present = present.cast(pa.float64())
            # NaN is a value to pyarrow's min_max (it skips it) but not to a reader of a
            # data dictionary; it is counted with the nulls.
            nan = pc.is_nan(present)
            nan_count = pc.sum(nan).as_py() or 0
            if nan_count:
                self.nulls += nan_count
                present = pc.filter(present, pc.invert(nan))
                if not len(present):
                    return
        bounds = pc.min_max(present)
        low, high = bounds["min"].as_py(), bounds["max"].as_py()
        self.minimum = low if self.minimum is None else min(self.minimum, low)
        self.maximum = high if self.maximum is None else max(self.maximum, high)
        if self.kind in (INTEGER, NUMBER):
            self.total += pc.sum(present.cast(pa.float64())).as_py()
        if self.distinct.is_full and self.repeats_rare:
            # Nearly one distinct value per row (a latitude): deduplicating would cost more
            # than hashing every value, as the sketch drops all but a few hashes unsorted.
            self.distinct.add_hashes(hash_uint64(self._eight_byte_values(present)))
        else:
            # A batch's distinct values (a C++ hash table) are fewer to hash and sort
            # than its rows, and without repeats the sketch needs no sort to find them.
            uniques = pc.unique(present)
            self.repeats_rare = len(uniques) > len(present) // 2
            # Numbers: -0.0 and 0.0 are two uniques but one value once unified, so they
            # are not distinct for the sketch.
            self.distinct.add_hashes(
                hash_uint64(self._eight_byte_values(uniques)), distinct=self.kind != NUMBER
            )

    def _eight_byte_values(self, present: pa.Array) -> np.ndarray:
        if self.kind == NUMBER:
            # -0.0 and 0.0 are one value with two bit patterns; adding 0.0 unifies them.
            return numbers_of(present, np.float64) + 0.0
        if self.kind == DATETIME:
            return numbers_of(present, np.int64)
        if self.kind == DATE:
            return numbers_of(present, np.int32).astype(np.int64)
        return numbers_of(present.cast(pa.int64()), np.int64)

    def _update_text(self, array: pa.Array) -> None:
        if not pa.types.is_string(array.type) and not pa.types.is_large_string(array.type):
            array = array.cast(pa.string())
        counts = pc.value_counts(array)
        values, tallies = counts.field("values"), counts.field("counts")
        # An empty cell is missing. The CSV reader leaves empty text as "" (asking it for
        # nulls costs 8 % of the parse); the value counts say how many there are.
        empty = pc.equal(values, "")
        empties = pc.sum(pc.if_else(empty, tallies, 0)).as_py() or 0
        if values.null_count or empties:
            self.nulls += empties
            present = pc.and_kleene(pc.is_valid(values), pc.invert(empty))
            present = pc.fill_null(present, False)
            values, tallies = pc.filter(values, present), pc.filter(tallies, present)
        if not len(values):
            return
        self.top_values.add_counts(values, tallies)
        self.distinct.add_hashes(hash_strings(values), distinct=True)

    def as_field(self) -> dict:
        """The column's profile: the METADATA_KEYS, which anyone may read, and the
        DATA_KEYS, values from the rows, for those allowed the data."""
        count = self.rows - self.nulls
        mean = None
        if self.kind in (INTEGER, NUMBER) and count:
            mean = self.total / count
            mean = mean if math.isfinite(mean) else None
        top = []
        if self.top_values is not None:
            top = [[value, tally] for value, tally in self.top_values.top(TOP_VALUES)]
        return {
            "name": self.name,
            "type": self.kind,
            "count": count,
            "nulls": self.nulls,
            "distinct": self.distinct.estimate(),
            "distinct_is_exact": self.distinct.is_exact,
            "min": _plain(self.minimum),
            "max": _plain(self.maximum),
            "mean": mean,
            "top_values": top,
            "top_values_are_exact": self.top_values.is_exact if self.top_values else None,
        }


def _plain(value):
    """A JSON-ready min or max: dates as ISO 8601 text, no NaN or infinity."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def unique_names(names: list[str]) -> list[str]:
    """Header names made unique and non-empty, so each column can be told apart."""
    result, seen = [], set()
    for number, name in enumerate(names, start=1):
        base = name.strip() or f"column_{number}"
        candidate, suffix = base, 2
        while candidate in seen:
            candidate, suffix = f"{base}_{suffix}", suffix + 1
        seen.add(candidate)
        result.append(candidate)
    return result
