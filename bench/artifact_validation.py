"""Validating a 1,000,000-row CSV artifact against reading it with pandas and frictionless.

The generated active-travel dataset (datasets.generator) is written at 1,000,000 rows into
a temporary directory. In this warm process, alternating rounds time the validation
(`validate`: the validation runner's every check, the SHA-256 among them, and the
report's JSON, from the file on disk to what would be stored) and
`pandas.read_csv(engine="pyarrow")` of the same file; the medians are compared.
frictionless validating every row, the peer, is timed once. Peak memory is measured in a
separate process that only validates.
Knobs: BENCH_SEED (generator seed, default 2024), BENCH_ROUNDS (3), BENCH_DIR (where the
file goes; a temporary directory by default).
"""

import json
import os
import tempfile
import time
from pathlib import Path

from bench.harness import env_number, load_average, log, median_of, peak_rss_mb

NAME = "artifact_validation"
ROWS = 1_000_000
MIB = 1024 * 1024
# The child measured for peak memory validates one file and exits.
CHILD = "import sys; from bench.artifact_validation import validate; validate(sys.argv[1])"


def validate(path: str) -> str:
    """What the validation task's child process does with an artifact on disk, short of
    the database: every check (`validate_path`: integrity with the SHA-256, then the
    table checks) and the report's JSON."""
    from submissions.validation import Limits
    from submissions.validation.runner import validate_path

    with tempfile.TemporaryDirectory(prefix="bench-validate-") as workdir:
        report = validate_path(path, filename="active-travel.csv", limits=Limits(), workdir=workdir)
    return json.dumps(report.to_json(), allow_nan=False)


def read_with_pandas(path: str) -> int:
    import pandas

    return len(pandas.read_csv(path, engine="pyarrow"))


def validate_with_frictionless(path: str) -> dict:
    """frictionless checking every row of the file: its stats (rows, errors)."""
    import frictionless

    # frictionless reads only paths under its base path (an absolute one is "not safe").
    resource = frictionless.Resource(Path(path).name, basepath=str(Path(path).parent))
    return resource.validate().task.stats


def run() -> dict[str, object]:
    from datasets.generator import GENERATED_DATASETS

    seed = int(env_number("BENCH_SEED", 2024))
    rounds = int(env_number("BENCH_ROUNDS", 3))
    log(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory(
        prefix="bench-artifact-validation-", dir=os.environ.get("BENCH_DIR") or None
    ) as workdir:
        path = str(Path(workdir) / "active-travel.csv")
        started = time.perf_counter()
        GENERATED_DATASETS["active-travel-counts"].write(path, rows=ROWS, seed=seed)
        size = os.path.getsize(path) / MIB
        log(f"wrote {ROWS:,} rows, {size:.1f} MiB, in {time.perf_counter() - started:.1f}s")

        # Warm: imports done (frictionless among them), the file in the page cache,
        # pyarrow's pools started.
        validate(path)
        read_with_pandas(path)
        timings = median_of(
            {"validate": lambda: validate(path), "read": lambda: read_with_pandas(path)}, rounds
        )
        for key, timing in timings.items():
            runs = ", ".join(f"{seconds:.3f}" for seconds in timing["runs_s"])
            log(f"{key}: median {timing['median_s']:.3f}s (rounds {runs})")

        started = time.perf_counter()
        stats = validate_with_frictionless(path)
        frictionless_s = time.perf_counter() - started
        log(f"frictionless: {frictionless_s:.1f}s, {stats.get('rows'):,} rows, "
            f"{stats.get('errors')} errors")  # fmt: skip

        rss = peak_rss_mb(CHILD, path)
        log(f"peak RSS of a process that only validates: {rss:.1f} MiB")
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
        "peak_rss_mb": f"{rss:.1f}",
    }
