"""Benchmarks: `python -m bench <name>` runs one; `python -m bench` lists them.

Each benchmark is a module with a `run()` that returns its keys and values; the runner
prints them as the last line of output, `BENCH <name> key=value ...`. Docs and method:
docs/benchmarks.md.
"""

# name -> module; imported only when listed or run, so one benchmark's imports cannot
# break another's.
BENCHMARKS = {
    "artifact_validation": "bench.artifact_validation",
    "ceiling": "bench.ceiling",
    "dataset_profile": "bench.dataset_profile",
    "feedback_report": "bench.feedback_report",
    "leaderboard": "bench.leaderboard",
    "registration_burst": "bench.registration_burst",
    "team_matching": "bench.team_matching",
}


def bench_line(name: str, results: dict[str, object]) -> str:
    return " ".join([f"BENCH {name}", *(f"{key}={value}" for key, value in results.items())])
