"""python -m bench [name]: run one benchmark, or list them all when no name is given."""

import importlib
import signal
import sys

from bench import BENCHMARKS, bench_line
from bench.harness import BenchError


def _summary(module_name: str) -> str:
    doc = importlib.import_module(module_name).__doc__ or ""
    return doc.strip().splitlines()[0] if doc.strip() else ""


def list_benchmarks(stream) -> None:
    print("Benchmarks (run one with: python -m bench <name>):", file=stream)
    for name, module_name in BENCHMARKS.items():
        print(f"  {name:<20} {_summary(module_name)}", file=stream)


def _exit_on_sigterm(signum, frame):
    # Python dies on SIGTERM without unwinding; exiting this way runs the `finally`
    # blocks that stop gunicorn, which lives in a session of its own.
    sys.exit(128 + signum)


def main(argv: list[str]) -> int:
    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    if not argv or argv[0] in ("-h", "--help", "list"):
        list_benchmarks(sys.stdout)
        return 0
    name = argv[0]
    if name not in BENCHMARKS or len(argv) > 1:
        print(f"unknown benchmark or extra arguments: {' '.join(argv)}", file=sys.stderr)
        list_benchmarks(sys.stderr)
        return 2
    try:
        results = importlib.import_module(BENCHMARKS[name]).run()
    except BenchError as error:
        print(f"bench {name}: {error}", file=sys.stderr)
        return 1
    # Last line of the output, on its own, so scripts can `tail -n1` it.
    print(bench_line(name, results), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
