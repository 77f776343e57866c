"""Profiling a 1,000,000- and a 4,000,000-row CSV against reading it with pandas.

The generated active-travel dataset (timestamp, site id, local authority, mode, count,
latitude, longitude, weather: text and numbers mixed, a latitude with nearly one
distinct value per row) is written at both sizes into a temporary directory. In this
warm process, alternating rounds time the profile (`profile_file`, the SHA-256 (computed
during the profiling pass when the CSV is read in pieces, else by `sha256_of`) and the
JSON that would be stored) and `pandas.read_csv(engine="pyarrow")` of the same file;
the medians are compared. Peak memory is measured in a separate process per size that
only profiles, so pandas' whole-file frame does not count.
Knobs: BENCH_SEED (generator seed, default 2024), BENCH_ROUNDS (3), BENCH_DIR (where the
files go; a temporary directory by default).
"""

import json
import os
import tempfile
import time
from pathlib import Path

from bench.harness import env_number, load_average, log, median_of, peak_rss_mb

NAME = "dataset_profile"
SIZES = {"1m": 1_000_000, "4m": 4_000_000}
MIB = 1024 * 1024
# The child measured for peak memory profiles one file and exits.
CHILD = (
    "import sys; from bench.dataset_profile import profile_and_hash; profile_and_hash(sys.argv[1])"
)


def profile_and_hash(path: str) -> str:
    """What the profiling service does with a file on disk, short of the database."""
    from datasets.profiling import profile_file, sha256_of

    profile = profile_file(path, file_format="csv")
    digest = profile.sha256 or sha256_of(path)
    return digest + json.dumps(profile.to_json(), allow_nan=False)


def read_with_pandas(path: str) -> int:
    import pandas

    return len(pandas.read_csv(path, engine="pyarrow"))


def run() -> dict[str, object]:
    from datasets.generator import GENERATED_DATASETS

    seed = int(env_number("BENCH_SEED", 2024))
    rounds = int(env_number("BENCH_ROUNDS", 3))
    dataset = GENERATED_DATASETS["active-travel-counts"]
    log(f"load average at start: {load_average()}")
    with tempfile.TemporaryDirectory(
        prefix="bench-dataset-profile-", dir=os.environ.get("BENCH_DIR") or None
    ) as workdir:
        paths = {}
        for label, rows in SIZES.items():
            paths[label] = str(Path(workdir) / f"active-travel-{label}.csv")
            started = time.perf_counter()
            dataset.write(paths[label], rows=rows, seed=seed)
            size = os.path.getsize(paths[label]) / MIB
            log(f"wrote {rows:,} rows, {size:.1f} MiB, in {time.perf_counter() - started:.1f}s")

        results: dict[str, object] = {"mb_4m": f"{os.path.getsize(paths['4m']) / MIB:.1f}"}
        timings = {}
        for label, path in paths.items():
            # Warm: imports done, the file in the page cache, pyarrow's pools started.
            profile_and_hash(path)
            read_with_pandas(path)
            targets = {
                "profile": lambda p=path: profile_and_hash(p),
                "read": lambda p=path: read_with_pandas(p),
            }
            timings[label] = median_of(targets, rounds)
            for key, timing in timings[label].items():
                runs = ", ".join(f"{seconds:.3f}" for seconds in timing["runs_s"])
                log(f"{label} {key}: median {timing['median_s']:.3f}s (rounds {runs})")
        rss = {}
        for label, path in paths.items():
            rss[label] = peak_rss_mb(CHILD, path)
            log(f"{label} peak RSS of a process that only profiles: {rss[label]:.1f} MiB")
    log(f"load average at end: {load_average()}")

    def ratio(label):
        return timings[label]["profile"]["median_s"] / timings[label]["read"]["median_s"]

    results.update(
        profile_s_4m=f"{timings['4m']['profile']['median_s']:.3f}",
        read_s_4m=f"{timings['4m']['read']['median_s']:.3f}",
        ratio_4m=f"{ratio('4m'):.2f}",
        ratio_1m=f"{ratio('1m'):.2f}",
        rss_1m_mb=f"{rss['1m']:.1f}",
        rss_4m_mb=f"{rss['4m']:.1f}",
    )
    log(
        f"1m: profile {timings['1m']['profile']['median_s']:.3f}s, "
        f"read {timings['1m']['read']['median_s']:.3f}s"
    )
    return results
