"""The pieces of `python -m bench artifact_validation`, on small inputs."""

import hashlib

import pytest

from bench import BENCHMARKS
from bench.artifact_validation import (
    read_with_pandas,
    requeue,
    seed_artifact,
    stored_facts,
    validate_stored,
    validate_with_frictionless,
)
from bench.harness import BenchError, peak_rss_with_children_mb
from datasets.generator import GENERATED_DATASETS
from submissions.enums import ValidationStatus
from submissions.models import Artifact, ValidationReport


def test_artifact_validation_is_listed():
    assert BENCHMARKS["artifact_validation"] == "bench.artifact_validation"


@pytest.mark.django_db
def test_each_round_validates_the_requeued_artifact_to_one_stored_report(settings, tmp_path):
    settings.SUBMISSIONS_VALIDATION_WORKDIR = str(tmp_path)
    artifact_id = seed_artifact(rows=5_000, seed=1)
    path = Artifact.objects.get(pk=artifact_id).file.path

    first = validate_stored(artifact_id)
    first_report = ValidationReport.objects.get(artifact_id=artifact_id).pk
    requeue(artifact_id)
    second = validate_stored(artifact_id)

    assert first == second == ValidationStatus.WARNINGS
    assert ValidationReport.objects.get(artifact_id=artifact_id).pk != first_report
    artifact = Artifact.objects.get(pk=artifact_id)
    assert (artifact.status, artifact.tries, artifact.attempt) == (second, 1, 2)
    facts = stored_facts(artifact_id)
    assert facts["rows"] == 5_000 == read_with_pandas(path)
    with open(path, "rb") as stored:
        assert facts["sha256"] == hashlib.sha256(stored.read()).hexdigest() == artifact.sha256
    assert facts["checks"] == [
        "disclosure", "encoding", "integrity", "personal_data", "structure", "types"
    ]  # fmt: skip
    assert list(tmp_path.iterdir()) == []  # each run's temporary directory went


@pytest.mark.django_db
def test_an_artifact_not_queued_is_not_timed_as_a_validation(settings, tmp_path):
    settings.SUBMISSIONS_VALIDATION_WORKDIR = str(tmp_path)
    artifact_id = seed_artifact(rows=100, seed=1)
    validate_stored(artifact_id)

    with pytest.raises(BenchError, match="was not queued"):
        validate_stored(artifact_id)


def test_frictionless_reads_every_row_of_a_stored_upload(tmp_path):
    path = tmp_path / "5f0c2d9e"  # storage's names have no extension
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=300, seed=1)

    assert validate_with_frictionless(str(path))["rows"] == 300


def test_the_peak_of_a_child_is_measured_apart_from_its_parents():
    touches_96_mib = "block = b'x' * (96 * 1024 * 1024)"
    own, child = peak_rss_with_children_mb(
        "import subprocess, sys\n"
        f"subprocess.run([sys.executable, '-c', {touches_96_mib!r}], check=True)\n"
    )
    alone, none = peak_rss_with_children_mb("pass")

    assert child > 96 > own
    assert none == 0 and alone < 96
