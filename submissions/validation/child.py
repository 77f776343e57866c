"""The validation engine in a process of its own: `python -m submissions.validation.child`.

The pipeline (submissions.services.engine) starts one for each validation, so a file that
exhausts memory, or crashes a reader, ends this process and not the Celery worker.

It reads one JSON request on stdin: {"path", "filename", "table_schema", "limits",
"workdir", "parent", "hold_seconds"}, and writes JSON lines on stdout: {"progress": 0.35}
as the checks advance, then {"report": FileReport.to_json()}. Exit status 0 follows a
report; MEMORY_EXIT means the memory limit was reached.

Before anything heavy is imported, the process caps its data segment (RLIMIT_DATA) at
limits.memory_limit_mb and asks the kernel to kill it when its parent dies (a worker's
pool child killed mid-validation leaves no orphan reading on). RLIMIT_DATA, not
RLIMIT_AS: measured here, under an address-space limit OpenBLAS and pyarrow's allocator
fail on the space they reserve but never touch (OpenBLAS gives up at import, pyarrow may
abort), while a data-segment limit makes a real allocation fail as a MemoryError.
"""

import ctypes
import json
import os
import resource
import signal
import sys
import threading
import time

MEMORY_EXIT = 3
PARENT_GONE_EXIT = 4
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
MIB = 1024 * 1024
THREAD_STACK_BYTES = 1 * MIB


def limit_memory(megabytes: int) -> None:
    size = int(megabytes) * MIB
    resource.setrlimit(resource.RLIMIT_DATA, (size, size))


def die_with_parent(parent_pid: int) -> None:
    """SIGKILL this process when its parent ends (Linux), and stop now if it already has."""
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent ended before the request was read
        os._exit(PARENT_GONE_EXIT)


def serve(request: dict, out) -> None:
    """Validate the file `request` names, writing progress lines and the report to `out`."""
    # Imported after the limits are set: the engine loads pandas, pyarrow and frictionless.
    from submissions.validation.limits import Limits
    from submissions.validation.runner import validate_path

    told = [-1]

    def progress(fraction: float) -> None:
        percent = int(fraction * 100)
        if percent > told[0]:  # the parent stores steps of a few percent; send each once
            told[0] = percent
            _send(out, {"progress": fraction})

    report = validate_path(
        request["path"],
        filename=request["filename"],
        table_schema=request.get("table_schema"),
        limits=Limits.from_json(request.get("limits", {})),
        progress=progress,
        workdir=request["workdir"],
    )
    _send(out, {"report": report.to_json()})


def _send(out, message: dict) -> None:
    out.write(json.dumps(message) + "\n")
    out.flush()


def main() -> None:
    request = json.load(sys.stdin)
    die_with_parent(request["parent"])
    limit_memory(request["limits"]["memory_limit_mb"])
    # A thread's stack counts against the limit whole (8 MiB by default), touched or not;
    # the engine's read-ahead thread needs little of it.
    threading.stack_size(THREAD_STACK_BYTES)
    # Test-only: keeps a validation running so tests can kill its worker meanwhile.
    time.sleep(float(request.get("hold_seconds") or 0))
    try:
        serve(request, sys.stdout)
    except MemoryError:
        # Nothing more is allocated: the exit status is the whole message.
        os._exit(MEMORY_EXIT)


if __name__ == "__main__":
    main()
