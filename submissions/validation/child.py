"""The validation engine in a process of its own: `python -m submissions.validation.child`.

The pipeline (submissions.services.engine) starts one for each thread that validates (a
Celery pool child, a test run, seed_demo) and keeps it. This process imports the engine
once, then for each validation forks a process of its own, a "run", so a file that
exhausts memory, or crashes a reader, ends that run and neither this process nor the
Celery worker. Before its first fork the process checks a small table, notebook and zip
bundle of its own, so every run starts with what the checks load on first use (pandas,
frictionless's plugins, nbformat's schema, IPython's transformer) already in memory:
measured here, a fresh interpreter spent about 1.5 s importing and 0.7 s on the first
files, where a warm run checks a small file in tens of milliseconds. Forking after the
warm-up is safe for the threads it leaves: Arrow starts its thread pools again in a
forked process, and the engine's own read-ahead thread has ended.

Protocol, on the Unix socket that is this process's stdin:
- the parent sends a request, a 4-byte big-endian length then that much JSON: {"path",
  "filename", "table_schema", "limits", "workdir", "tmpdir", "hold_seconds"}, with two
  file descriptors attached: the run's output (a pipe) and its error log (a file);
- this process forks the run and answers {"run": pid}, then, once the run has ended,
  {"exit": status} (as subprocess reports it: the exit code, or minus the signal);
- the run writes JSON lines to its output: {"progress": 0.35} as the checks advance, then
  {"report": FileReport.to_json()}. Exit status 0 follows a report; MEMORY_EXIT means the
  memory limit was reached.
The parent closing the socket ends this process.

Both this process and each run ask the kernel to kill them when their parent dies, so a
worker's pool child killed mid-validation leaves no orphan reading on. A run caps its
data segment (RLIMIT_DATA) at limits.memory_limit_mb: RLIMIT_DATA, not RLIMIT_AS,
because measured here, under an address-space limit OpenBLAS and pyarrow's allocator
fail on the space they reserve but never touch (pyarrow may abort), while a data-segment
limit makes a real allocation fail as a MemoryError. The engine loaded before the fork
counts against the limit, as it did when each run imported it after setting the limit.
"""

import ctypes
import json
import os
import resource
import signal
import socket
import struct
import sys
import tempfile
import threading
import time
import traceback
import zipfile

MEMORY_EXIT = 3
PARENT_GONE_EXIT = 4
CRASH_EXIT = 5
PR_SET_PDEATHSIG = 1  # <linux/prctl.h>
MIB = 1024 * 1024
THREAD_STACK_BYTES = 1 * MIB
LENGTH = struct.Struct(">I")
MAX_REQUEST_BYTES = 16 * MIB
RUN_DESCRIPTORS = 2  # output, error log


def limit_memory(megabytes: int) -> None:
    size = int(megabytes) * MIB
    resource.setrlimit(resource.RLIMIT_DATA, (size, size))


# Loaded once, in the engine process: a forked run must not call the dynamic loader,
# whose lock a thread of the engine process may have held at the fork.
LIBC = ctypes.CDLL(None, use_errno=True)


def die_with_parent(parent_pid: int) -> None:
    """SIGKILL this process when its parent ends (Linux), and stop now if it already has."""
    LIBC.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent_pid:  # the parent ended before this line
        os._exit(PARENT_GONE_EXIT)


def serve(request: dict, out) -> None:
    """Validate the file `request` names, writing progress lines and the report to `out`."""
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


def _receive_exactly(control: socket.socket, size: int) -> bytes | None:
    data = bytearray()
    while len(data) < size:
        chunk = control.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return bytes(data)


def _receive_request(control: socket.socket) -> tuple[dict, list[int]] | None:
    """The next request and its descriptors; None once the parent has closed the socket."""
    header, descriptors, _flags, _address = socket.recv_fds(control, LENGTH.size, RUN_DESCRIPTORS)
    if len(header) < LENGTH.size:
        rest = _receive_exactly(control, LENGTH.size - len(header)) if header else None
        if rest is None:
            for descriptor in descriptors:
                os.close(descriptor)
            return None
        header += rest
    for descriptor in descriptors:
        os.set_inheritable(descriptor, False)  # the run's alone, never a program's
    (size,) = LENGTH.unpack(header)
    body = _receive_exactly(control, size) if size <= MAX_REQUEST_BYTES else None
    if body is None or len(descriptors) != RUN_DESCRIPTORS:
        for descriptor in descriptors:
            os.close(descriptor)
        return None
    return json.loads(body), descriptors


def _answer(control: socket.socket, message: dict) -> None:
    control.sendall((json.dumps(message) + "\n").encode())


def _run(request: dict, output: int, errors: int, server_pid: int) -> int:
    """In the forked run: check the file, return the exit status."""
    die_with_parent(server_pid)
    # Library chatter goes to the error log; the output carries only the protocol.
    os.dup2(errors, 1)
    os.dup2(errors, 2)
    os.close(errors)
    # Temporary files a reader makes land in this validation's directory, and go with it.
    os.environ["TMPDIR"] = tempfile.tempdir = request["tmpdir"]
    limit_memory(request["limits"]["memory_limit_mb"])
    # A thread's stack counts against the limit whole (8 MiB by default), touched or not;
    # the engine's read-ahead thread needs little of it.
    threading.stack_size(THREAD_STACK_BYTES)
    # Test-only: keeps a validation running so tests can kill its worker meanwhile.
    time.sleep(float(request.get("hold_seconds") or 0))
    try:
        with os.fdopen(output, "w") as out:
            serve(request, out)
    except MemoryError:
        return MEMORY_EXIT  # nothing more is allocated: the status is the whole message
    except BaseException:
        traceback.print_exc()
        return CRASH_EXIT
    return 0


def serve_forever(control: socket.socket) -> None:
    """Fork a run for each request until the parent closes the socket."""
    while (received := _receive_request(control)) is not None:
        request, (output, errors) = received
        server = os.getpid()
        run = os.fork()
        if run == 0:
            status = CRASH_EXIT
            try:
                control.close()  # the parent sees this process end, not the run's copy
                status = _run(request, output, errors, server)
            finally:
                os._exit(status)  # never back into this process's loop
        os.close(output)
        os.close(errors)
        _answer(control, {"run": run})
        _pid, wait_status = os.waitpid(run, 0)
        _answer(control, {"exit": os.waitstatus_to_exitcode(wait_status)})


WARM_UP_TABLE = b"area,people,contact\nHalton,12,\nWidnes,4,\n"
WARM_UP_NOTEBOOK = {
    "nbformat": 4,
    "nbformat_minor": 5,
    "metadata": {},
    "cells": [
        {
            "cell_type": "code",
            "id": "read",
            "metadata": {},
            "execution_count": 1,
            "source": "import pandas as pd\n!curl -O https://example.org/a.csv\n"
            "%run helpers.py\ndata = pd.read_csv('areas.csv')\ndata",
            "outputs": [
                {
                    "output_type": "execute_result",
                    "execution_count": 1,
                    "metadata": {},
                    "data": {"text/plain": "     area  people\n0  Halton      12"},
                }
            ],
        }
    ],
}


def warm_up() -> None:
    """Check one small file of each kind in this process, for every run to inherit what
    the checks load on first use."""
    from submissions.validation.limits import Limits
    from submissions.validation.runner import validate_path

    notebook = json.dumps(WARM_UP_NOTEBOOK).encode()
    with tempfile.TemporaryDirectory(prefix="validation-warm-up-") as root:
        bundle = os.path.join(root, "bundle.zip")
        with zipfile.ZipFile(bundle, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("areas.csv", WARM_UP_TABLE)
            archive.writestr("analysis.ipynb", notebook)
        work = os.path.join(root, "work")
        os.mkdir(work)
        validate_path(bundle, filename="bundle.zip", limits=Limits(), workdir=work)


def main() -> None:
    die_with_parent(int(sys.argv[1]))
    # A worker's shutdown (Ctrl-C, or SIGTERM to its whole group) lets the validation in
    # progress finish; these processes end with their parent (PDEATHSIG) or by SIGKILL.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    warm_up()
    serve_forever(socket.socket(fileno=sys.stdin.fileno()))


if __name__ == "__main__":
    main()
