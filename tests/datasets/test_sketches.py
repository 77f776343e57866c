"""The bounded summaries behind the profile: k-minimum-values and Misra-Gries."""

from collections import Counter

import numpy as np
import pyarrow as pa
from hypothesis import given, settings
from hypothesis import strategies as st

from datasets.profiling.sketches import HeavyHitters, KMinValues, hash_strings, hash_uint64


def _hashes_of(values) -> np.ndarray:
    return hash_uint64(np.asarray(values, dtype=np.int64))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(-(2**63), 2**63 - 1), max_size=400), st.integers(2, 64))
def test_kmv_counts_exactly_below_k(values, batches):
    sketch = KMinValues(k=512)

    for part in np.array_split(np.asarray(values, dtype=np.int64), batches):
        sketch.add_hashes(hash_uint64(part))

    assert sketch.is_exact
    assert sketch.estimate() == len(set(values))


@settings(max_examples=15, deadline=None)
@given(
    st.integers(2_000, 60_000),
    st.integers(1, 5),
    st.integers(0, 2**32),
    st.sampled_from([1, 7, 50]),
)
def test_kmv_estimate_is_within_bounds_above_k(distinct, repeats, offset, batches):
    k = 256
    values = np.repeat(np.arange(offset, offset + distinct, dtype=np.int64), repeats)
    np.random.default_rng(offset).shuffle(values)
    sketch = KMinValues(k=k)

    for part in np.array_split(values, batches):
        sketch.add_hashes(hash_uint64(part))

    # Relative standard error 1/sqrt(k - 2), about 6.3 % for k = 256: five of them
    # bound the error with overwhelming probability.
    assert not sketch.is_exact
    assert abs(sketch.estimate() - distinct) <= 5 * distinct / np.sqrt(k - 2)


def test_kmv_estimate_of_a_million_distinct_is_within_five_percent():
    sketch = KMinValues()  # k = 4096: relative standard error about 1.6 %

    for start in range(0, 1_000_000, 100_000):
        sketch.add_hashes(_hashes_of(np.arange(start, start + 100_000)))

    assert abs(sketch.estimate() - 1_000_000) < 50_000


def test_kmv_distinct_batches_and_repeats_agree():
    values = np.arange(10_000, dtype=np.int64)
    once, repeated = KMinValues(k=1024), KMinValues(k=1024)

    once.add_hashes(hash_uint64(values), distinct=True)
    repeated.add_hashes(hash_uint64(np.concatenate([values, values[::-1]])))
    repeated.add_hashes(hash_uint64(values[:10]))

    assert once.estimate() == repeated.estimate()


def test_kmv_merge_equals_one_sketch_of_both():
    left, right, both = KMinValues(k=128), KMinValues(k=128), KMinValues(k=128)
    left.add_hashes(_hashes_of(range(0, 3_000)))
    right.add_hashes(_hashes_of(range(2_000, 6_000)))
    both.add_hashes(_hashes_of(range(0, 6_000)))

    left.merge(right)

    assert left.estimate() == both.estimate()


def test_hash_strings_is_deterministic_and_distinguishes_values():
    first = hash_strings(pa.array(["Halton", "Widnes", "halton"]))
    again = hash_strings(pa.array(["Halton", "Widnes", "halton"]))

    assert first.tolist() == again.tolist()
    assert len(set(first.tolist())) == 3


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from([f"v{n}" for n in range(40)]), max_size=600),
    st.integers(1, 10),
    st.integers(1, 30),
)
def test_heavy_hitters_keep_every_value_above_the_bound(values, capacity, batches):
    summary = HeavyHitters(capacity=capacity)
    size = max(1, len(values) // batches)

    for start in range(0, len(values), size):
        summary.add(values[start : start + size])

    truth = Counter(values)
    kept = dict(summary.top(capacity))
    assert len(kept) <= capacity
    assert summary.error_bound <= len(values) / (capacity + 1)
    for value, count in truth.items():
        if count > len(values) / (capacity + 1):
            assert value in kept
    for value, count in kept.items():
        assert truth[value] - summary.error_bound <= count <= truth[value]


def test_heavy_hitters_are_exact_when_few_values():
    summary = HeavyHitters(capacity=5)

    summary.add(["dry", "dry", "fog", None, "dry"])
    summary.add(["fog", "snow"])

    assert summary.is_exact
    assert summary.top(10) == [("dry", 3), ("fog", 2), ("snow", 1)]
