"""The pieces of `python -m bench dataset_profile` and its harness helpers, on small inputs."""

import json

import pytest

from bench import BENCHMARKS
from bench.dataset_profile import CHILD, profile_and_hash, read_with_pandas
from bench.harness import BenchError, median_of, peak_rss_mb
from datasets.generator import GENERATED_DATASETS


def test_dataset_profile_is_listed():
    assert BENCHMARKS["dataset_profile"] == "bench.dataset_profile"


def test_median_of_alternates_targets_and_takes_the_median():
    calls = []
    results = median_of({"a": lambda: calls.append("a"), "b": lambda: calls.append("b")}, 3)

    assert calls == ["a", "b", "b", "a", "a", "b"]
    assert set(results) == {"a", "b"}
    for timing in results.values():
        assert len(timing["runs_s"]) == 3
        assert timing["median_s"] == sorted(timing["runs_s"])[1]


def test_peak_rss_grows_with_what_the_process_holds():
    small = peak_rss_mb("pass")
    # bytearray() zero-fills, touching every page.
    large = peak_rss_mb("block = bytearray(200 * 1024 * 1024)")

    assert 0 < small < large
    assert large - small > 150


def test_peak_rss_of_a_failing_process_is_an_error():
    with pytest.raises(BenchError, match="the measured process failed"):
        peak_rss_mb("raise SystemExit(3)")


def test_profile_and_hash_and_the_pandas_read_agree_on_rows(tmp_path):
    path = tmp_path / "travel.csv"
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=5_000, seed=1)

    stored = profile_and_hash(str(path))

    assert len(stored[:64]) == 64
    assert json.loads(stored[64:])["rows"] == 5_000 == read_with_pandas(str(path))


def test_child_profiles_a_file_in_its_own_process(tmp_path):
    path = tmp_path / "travel.csv"
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=1_000, seed=1)

    assert peak_rss_mb(CHILD, str(path)) > 10
