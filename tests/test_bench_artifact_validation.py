"""The pieces of `python -m bench artifact_validation`, on small inputs."""

import hashlib
import json

from bench import BENCHMARKS
from bench.artifact_validation import (
    CHILD,
    read_with_pandas,
    validate,
    validate_with_frictionless,
)
from bench.harness import peak_rss_mb
from datasets.generator import GENERATED_DATASETS


def test_artifact_validation_is_listed():
    assert BENCHMARKS["artifact_validation"] == "bench.artifact_validation"


def test_validate_reports_every_check_with_the_sha256_and_agrees_with_pandas(tmp_path):
    path = tmp_path / "travel.csv"
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=5_000, seed=1)

    stored = json.loads(validate(str(path)))

    assert stored["facts"]["rows"] == 5_000 == read_with_pandas(str(path))
    assert stored["facts"]["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    checks = {finding["check"] for finding in stored["findings"]}
    assert checks == {"integrity", "encoding", "structure", "types", "disclosure", "personal_data"}


def test_frictionless_reads_every_row(tmp_path):
    path = tmp_path / "travel.csv"
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=300, seed=1)

    assert validate_with_frictionless(str(path))["rows"] == 300


def test_child_validates_a_file_in_its_own_process(tmp_path):
    path = tmp_path / "travel.csv"
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=1_000, seed=1)

    assert peak_rss_mb(CHILD, str(path)) > 10
