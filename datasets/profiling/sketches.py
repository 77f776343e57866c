"""Bounded summaries of a column, fed one batch at a time: memory does not grow with rows.

`KMinValues` estimates the number of distinct values from the k smallest 64-bit hashes
seen (Bar-Yossef et al., 2002; Beyer et al., 2007): with h_k the k-th smallest hash
scaled to (0, 1], (k - 1) / h_k is an unbiased estimate with a relative standard error
of about 1 / sqrt(k - 2), 1.6 % for k = 4096. Below k distinct values it keeps every
hash, so the count is exact (barring a 64-bit collision).

`HeavyHitters` is the Misra-Gries summary in its mergeable form (Agarwal et al., 2012):
after adding a batch's counts, if more than `capacity` values are held, the
(capacity + 1)-th largest count is subtracted from all and those left at zero or less
are dropped. A value's kept count is a lower bound, short of the truth by at most
`error_bound` (total decremented), which is at most n / (capacity + 1); so every value
occurring more than n / (capacity + 1) times is kept.
"""

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

DEFAULT_K = 4096
DEFAULT_CAPACITY = 1000
_MIX_1 = np.uint64(0xFF51AFD7ED558CCD)
_MIX_2 = np.uint64(0xC4CEB9FE1A85EC53)
_SHIFT = np.uint64(33)
_TWO_64 = float(2**64)


def numbers_of(array: pa.Array, dtype) -> np.ndarray:
    """The values of a null-free fixed-width array as numpy (a view of its buffer).

    `Array.to_numpy` would do, but it imports pandas (50 MB resident) on first use, and
    this package does not otherwise need it.
    """
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks()
    return np.frombuffer(array.buffers()[1], dtype=dtype)[array.offset : array.offset + len(array)]


def arrow_int64(values: np.ndarray) -> pa.Array:
    """A numpy int64 array as an Arrow array over the same memory (`pa.array` would import
    pandas to check for pandas types)."""
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def hash_uint64(values: np.ndarray) -> np.ndarray:
    """MurmurHash3's 64-bit finaliser over 8-byte values (a bijection that spreads bits).

    The input is any 8-byte numpy array (int64, float64, datetime64); it is copied, never
    changed. Integers, floats and timestamps hash by their bits, so callers normalise
    first (-0.0 to 0.0) where equal values can have different bits.
    """
    hashed = np.array(values, dtype=values.dtype, copy=True).view(np.uint64)
    hashed ^= hashed >> _SHIFT
    hashed *= _MIX_1
    hashed ^= hashed >> _SHIFT
    hashed *= _MIX_2
    hashed ^= hashed >> _SHIFT
    return hashed


def hash_strings(values: pa.Array) -> np.ndarray:
    """64-bit hashes of the strings of `values` (no nulls), vectorised over their bytes.

    Each string's UTF-8 bytes b_0..b_{n-1} give sum((b_i + 1) * P^(n-1-i)) mod 2^64 (a
    polynomial hash, one `reduceat` per batch), mixed with the length and finalised by
    `hash_uint64`. Strings are taken a slice at a time, so the per-byte work arrays stay
    small whatever the batch.
    """
    values = values.cast(pa.large_string())
    parts = [
        _hash_string_slice(values.slice(start, _STRING_SLICE))
        for start in range(0, len(values), _STRING_SLICE)
    ]
    return np.concatenate(parts) if parts else np.empty(0, dtype=np.uint64)


_STRING_SLICE = 8192
_POLYNOMIAL = np.uint64(0x100000001B3)  # FNV's 64-bit prime
_LENGTH_MIX = np.uint64(0x9E3779B97F4A7C15)


def _hash_string_slice(values: pa.Array) -> np.ndarray:
    offsets = np.frombuffer(values.buffers()[1], dtype=np.int64)[
        values.offset : values.offset + len(values) + 1
    ]
    data = values.buffers()[2]
    lengths = np.diff(offsets)
    hashes = np.zeros(len(values), dtype=np.uint64)
    total = int(offsets[-1] - offsets[0])
    if total:
        raw = np.frombuffer(data, dtype=np.uint8)[offsets[0] : offsets[-1]].astype(np.uint64)
        # Each byte's power of P: its distance from the end of its string.
        ends = np.repeat(offsets[1:] - offsets[0], lengths)
        exponents = ends - 1 - np.arange(total)
        powers = np.cumprod(np.full(int(lengths.max()), _POLYNOMIAL, dtype=np.uint64))
        powers = np.concatenate([np.ones(1, dtype=np.uint64), powers[:-1]])
        terms = (raw + np.uint64(1)) * powers[exponents]
        present = lengths > 0
        # Empty strings own no bytes, so the starts of the others delimit their bytes.
        hashes[present] = np.add.reduceat(terms, (offsets[:-1] - offsets[0])[present])
    return hash_uint64(hashes ^ (lengths.astype(np.uint64) * _LENGTH_MIX))


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """Sorted distinct values; numpy 2's hash-based `np.unique` is several times slower
    on the few thousand 64-bit values a sketch handles at a time."""
    ordered = np.sort(values)
    if len(ordered) < 2:
        return ordered
    keep = np.empty(len(ordered), dtype=bool)
    keep[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=keep[1:])
    return ordered[keep]


class KMinValues:
    """Distinct count from the `k` smallest distinct 64-bit hashes."""

    def __init__(self, k: int = DEFAULT_K):
        if k < 2:
            raise ValueError("k must be at least 2")
        self.k = k
        self._kept = np.empty(0, dtype=np.uint64)

    def add_hashes(self, hashes: np.ndarray, *, distinct: bool = False) -> None:
        """Add a batch of hashes; `distinct=True` promises they hold no repeats."""
        if self.is_full:
            # Almost every hash of a long column is above the k-th smallest: drop them
            # before sorting anything.
            hashes = hashes[hashes < self._kept[-1]]
        if len(hashes) > 2 * self.k:
            if distinct:
                hashes = np.partition(hashes, self.k - 1)[: self.k]
            else:
                # The 2k smallest hashes (with repeats) hold the k smallest distinct ones
                # if they hold k distinct values at all; else the batch is mostly repeats.
                smallest = _sorted_unique(np.partition(hashes, 2 * self.k - 1)[: 2 * self.k])
                hashes, distinct = (smallest, True) if len(smallest) >= self.k else (hashes, False)
        if not len(hashes):
            return
        if not distinct:
            hashes = _sorted_unique(hashes)
        # Those already kept are dropped by a binary search in the sorted kept hashes,
        # cheaper than a set union of the two.
        kept = self._kept
        if len(kept):
            position = np.minimum(np.searchsorted(kept, hashes), len(kept) - 1)
            hashes = hashes[kept[position] != hashes]
            if not len(hashes):
                return
        merged = np.concatenate([kept, hashes])
        merged.sort()
        self._kept = merged[: self.k]

    def merge(self, other: "KMinValues") -> None:
        if other.k != self.k:
            raise ValueError("only sketches with the same k can be merged")
        self.add_hashes(other._kept)

    @property
    def is_full(self) -> bool:
        return len(self._kept) >= self.k

    @property
    def is_exact(self) -> bool:
        return not self.is_full

    def estimate(self) -> int:
        if not self.is_full:
            return len(self._kept)
        # The k-th smallest hash as a fraction of the hash space, (0, 1].
        fraction = (float(self._kept[-1]) + 1.0) / _TWO_64
        return round((self.k - 1) / fraction)


class HeavyHitters:
    """Misra-Gries summary of string values: the frequent ones with lower-bound counts."""

    def __init__(self, capacity: int = DEFAULT_CAPACITY):
        if capacity < 1:
            raise ValueError("capacity must be at least 1")
        self.capacity = capacity
        self._values = pa.nulls(0, type=pa.string())
        self._counts = np.empty(0, dtype=np.int64)
        self.error_bound = 0  # the most any kept count can be short of the truth

    def add(self, values) -> None:
        """Count a batch of values (a pyarrow array or a list); nulls are ignored."""
        array = values if isinstance(values, pa.Array) else pa.array(list(values), pa.string())
        counts = pc.value_counts(array)
        self.add_counts(counts.field("values"), counts.field("counts"))

    def add_counts(self, values: pa.Array, counts: pa.Array) -> None:
        """Add precomputed (value, count) pairs, as `pyarrow.compute.value_counts` gives."""
        present = pc.is_valid(values)
        values = pc.filter(values, present).cast(pa.string())
        counts = numbers_of(pc.filter(counts, present).cast(pa.int64()), np.int64)
        if not len(values):
            return
        if len(self._values):
            # Sum the counts per value: dictionary-encode both lists together and add up
            # by index (Table.group_by would load pyarrow's query engine, and pandas).
            encoded = pc.dictionary_encode(pa.concat_arrays([self._values, values]))
            indices = numbers_of(encoded.indices, np.int32)
            weights = np.concatenate([self._counts, counts]).astype(np.float64)
            values = encoded.dictionary
            counts = np.bincount(indices, weights=weights, minlength=len(values)).astype(np.int64)
        if len(values) > self.capacity:
            # Subtract the (capacity + 1)-th largest count: at most `capacity` stay positive.
            cut = int(np.partition(counts, len(counts) - self.capacity - 1)[-self.capacity - 1])
            keep = pc.greater(arrow_int64(counts), cut)
            values = pc.filter(values, keep)
            counts = numbers_of(pc.filter(arrow_int64(counts), keep), np.int64) - cut
            self.error_bound += cut
        self._values, self._counts = values, np.asarray(counts, dtype=np.int64)

    @property
    def is_exact(self) -> bool:
        return self.error_bound == 0

    def top(self, n: int) -> list[tuple[str, int]]:
        """The `n` values with the largest kept counts, largest first (ties by value)."""
        pairs = zip(self._values.to_pylist(), self._counts.tolist(), strict=True)
        return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))[:n]
