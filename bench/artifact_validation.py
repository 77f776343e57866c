"""Validating a 1,000,000-row CSV artifact through the validation service, against reading
it with pandas and frictionless.

The generated active-travel dataset (datasets.generator) is written at 1,000,000 rows
into the media directory of a fresh benchmark database (migrated once, before anything
is timed), as the file of an artifact of one team's submission. In this warm process,
alternating rounds time the validation service on that artifact, queued again before
each round (`artifact_validate`: the claim, the engine in a process forked for it with
the memory limit, every check with the SHA-256, and the report stored with its findings and
the catalogue linkage), and `pandas.read_csv(engine="pyarrow")` of the same file; the
medians are compared. frictionless validating every row, the peer, is timed once. Peak
memory is measured in a separate process that only runs the service once (starting its
engine process, which ends before the measure): the larger of that process's and its
validation processes'.
Knobs: BENCH_DATABASE_URL, BENCH_SEED (generator seed, default 2024), BENCH_ROUNDS (3),
BENCH_DIR (where the media directory and file go; a temporary directory by default).
"""

import os
import tempfile
import time
from pathlib import Path

from bench.harness import (
    BenchError,
    database_url,
    env_number,
    fresh_database,
    load_average,
    log,
    manage,
    median_of,
    peak_rss_with_children_mb,
    server_env,
    setup_django,
)

NAME = "artifact_validation"
DATABASE_NAME = "civichack_bench_artifact_validation"
EVENT_SLUG = "artifact-validation"
FILENAME = "active-travel.csv"
ROWS = 1_000_000
MIB = 1024 * 1024
# The process measured for peak memory runs the service once on the artifact and exits;
# it inherits the benchmark's environment (database, media directory).
ONLY_VALIDATES = (
    "import os, sys\n"
    "from bench.harness import setup_django\n"
    "setup_django(dict(os.environ))\n"
    "from bench.artifact_validation import requeue, validate_stored\n"
    "requeue(int(sys.argv[1]))\n"
    "validate_stored(int(sys.argv[1]))\n"
    "from submissions.services.engine import engine_stop\n"
    "engine_stop()\n"
)


def seed_artifact(*, rows: int, seed: int) -> int:
    """The generated dataset at `rows` rows, written in the media directory as the file
    of a new artifact (queued, as an upload is) of a team's submission; its id. Needs
    setup_django."""
    from django.conf import settings

    from bench.registration_burst import create_event
    from common.files import generated_upload_name, sha256_of
    from datasets.generator import GENERATED_DATASETS
    from submissions.models import Artifact, Submission
    from teams.models import Team

    event = create_event(EVENT_SLUG, 100)
    team = Team.objects.create(event=event, name="Active travel")
    submission = Submission.objects.create(
        event=event, team=team, title="Walking and cycling counts", summary="Benchmark."
    )
    artifact = Artifact(
        submission=submission, original_filename=FILENAME, kind="table", format="CSV",
        media_type="text/csv",
    )  # fmt: skip
    # Written where storage keeps uploads, under a generated name, without a copy.
    artifact.file.name = generated_upload_name(artifact, FILENAME)
    path = Path(settings.MEDIA_ROOT) / artifact.file.name
    path.parent.mkdir(parents=True, exist_ok=True)
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=rows, seed=seed)
    artifact.size = path.stat().st_size
    with open(path, "rb") as stored:
        artifact.sha256 = sha256_of(stored)
    artifact.save()
    return artifact.pk


def requeue(artifact_id: int) -> None:
    """Put the artifact back as a new upload waits: QUEUED, no report, no tries. Set
    directly: the rerun service would also publish the task, and no broker is used."""
    from submissions.enums import ValidationStatus
    from submissions.models import Artifact, ValidationReport

    ValidationReport.objects.filter(artifact_id=artifact_id).delete()
    Artifact.objects.filter(pk=artifact_id).update(
        status=ValidationStatus.QUEUED, progress=0, tries=0, error="", started_at=None,
        finished_at=None,
    )  # fmt: skip


def validate_stored(artifact_id: int) -> str:
    """What the validation task does with a queued artifact, from its file on disk to its
    stored report (submissions.services.validation.artifact_validate); the final status."""
    from submissions.services.validation import artifact_validate

    status = artifact_validate(artifact_id=artifact_id)
    if not status:
        raise BenchError(f"artifact {artifact_id} was not queued: nothing was validated")
    return status


def stored_facts(artifact_id: int) -> dict:
    """The stored report's facts and the checks of its findings."""
    from submissions.models import ValidationReport

    report = ValidationReport.objects.get(artifact_id=artifact_id)
    checks = sorted(set(report.findings.values_list("check_kind", flat=True)))
    return {**report.facts, "outcome": report.outcome, "checks": checks}


def read_with_pandas(path: str) -> int:
    import pandas

    return len(pandas.read_csv(path, engine="pyarrow"))


def validate_with_frictionless(path: str) -> dict:
    """frictionless checking every row of the CSV file: its stats (rows, errors)."""
    import frictionless

    # frictionless reads only paths under its base path (an absolute one is "not safe"),
    # and is told the format: a stored upload's name has no extension.
    resource = frictionless.Resource(Path(path).name, basepath=str(Path(path).parent), format="csv")
    return resource.validate().task.stats


def run() -> dict[str, object]:
    seed = int(env_number("BENCH_SEED", 2024))
    rounds = int(env_number("BENCH_ROUNDS", 3))
    log(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory(
        prefix="bench-artifact-validation-", dir=os.environ.get("BENCH_DIR") or None
    ) as workdir:
        env = server_env(fresh_database(database_url(DATABASE_NAME)), MEDIA_ROOT=workdir)
        manage(env, "migrate", "--noinput")
        setup_django(env)
        from common.files import sha256_of
        from submissions.models import Artifact

        started = time.perf_counter()
        artifact_id = seed_artifact(rows=ROWS, seed=seed)
        path = Artifact.objects.get(pk=artifact_id).file.path
        size = os.path.getsize(path) / MIB
        log(f"wrote {ROWS:,} rows, {size:.1f} MiB, in {time.perf_counter() - started:.1f}s")

        # Warm: this process's imports and connection, the file in the page cache, the
        # engine process started (each round forks its run, as a worker's pool child does).
        validate_stored(artifact_id)
        facts = stored_facts(artifact_id)
        with open(path, "rb") as stored:
            if facts.get("sha256") != sha256_of(stored):
                raise BenchError(f"the stored report lacks the file's SHA-256: {facts}")
        log(f"stored report: {facts.get('rows'):,} rows, {facts['outcome']}, checks "
            f"{', '.join(facts['checks'])}")  # fmt: skip
        read_with_pandas(path)
        timings = median_of(
            {
                "validate": lambda: validate_stored(artifact_id),
                "read": lambda: read_with_pandas(path),
            },
            rounds,
            before={"validate": lambda: requeue(artifact_id)},
        )
        for key, timing in timings.items():
            runs = ", ".join(f"{seconds:.3f}" for seconds in timing["runs_s"])
            log(f"{key}: median {timing['median_s']:.3f}s (rounds {runs})")

        started = time.perf_counter()
        stats = validate_with_frictionless(path)
        frictionless_s = time.perf_counter() - started
        log(f"frictionless: {frictionless_s:.1f}s, {stats.get('rows'):,} rows, "
            f"{stats.get('errors')} errors")  # fmt: skip

        own, child = peak_rss_with_children_mb(ONLY_VALIDATES, str(artifact_id))
        log(f"peak RSS of a process that only runs the service: {own:.1f} MiB; "
            f"of its engine process and runs: {child:.1f} MiB")  # fmt: skip
        from django.db import connections

        connections.close_all()
    log(f"load average at end: {load_average()}")
    validate_s = timings["validate"]["median_s"]
    read_s = timings["read"]["median_s"]
    return {
        "rows": ROWS,
        "mb": f"{size:.1f}",
        "validate_s": f"{validate_s:.3f}",
        "read_s": f"{read_s:.3f}",
        "ratio": f"{validate_s / read_s:.2f}",
        "frictionless_s": f"{frictionless_s:.3f}",
        "speedup": f"{frictionless_s / validate_s:.1f}",
        "peak_rss_mb": f"{max(own, child):.1f}",
    }
