"""Running the validation engine in a child process, never in the worker's own.

`engine_run` starts `python -m submissions.validation.child` (which caps its memory and
dies with its parent), hands it the file, relays its progress and returns its report. A
child that reaches the memory limit, is killed by a signal, runs past the time limit or
says something unreadable becomes a report with one failed "resources" finding: a clean
result for the team, not an exception that would have the task delivered again.

Each run has a temporary directory of its own (zip members, the child's error output,
any temporary file a reader makes), always removed. The child gets no secrets: its
environment is a short list, without the database's or Django's settings.
"""

import json
import logging
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from submissions.validation.child import MEMORY_EXIT
from submissions.validation.findings import FAIL, FileReport, Finding
from submissions.validation.limits import Limits

logger = logging.getLogger(__name__)

CHILD_MODULE = "submissions.validation.child"
# The child's environment, whole: one malloc arena per thread would count against the
# memory limit for nothing; OpenBLAS's per-thread buffers too (numpy's algebra is unused).
CHILD_ENVIRONMENT = {"LANG": "C.UTF-8", "MALLOC_ARENA_MAX": "2", "OPENBLAS_NUM_THREADS": "1"}
# Taken from the parent: the interpreter's search path, and coverage's switches so the
# test suite measures the child too.
PASSED_THROUGH = ("PATH", "COVERAGE_PROCESS_START", "COVERAGE_PROCESS_CONFIG")
# A report is a few hundred kilobytes at most (findings are capped per check).
MAX_OUTPUT_BYTES = 64 * 1024 * 1024
READ_BYTES = 64 * 1024
ERROR_TAIL_BYTES = 4000

MEMORY = (
    "The checks needed more than the {mb:,} MB of memory they may use, so they stopped "
    "before the end. Split the file into smaller ones and upload them again."
)
TIMEOUT = (
    "The checks took longer than {seconds:,} seconds, so they stopped before the end. "
    "Split the file into smaller ones and upload them again."
)
KILLED = (
    "The checks stopped before the end: their process was ended by {signal}, most often "
    "the sign of a file needing more memory than the checks may use."
)
CRASHED = "The checks stopped unexpectedly before the end (exit status {code})."
UNREADABLE = "The checks stopped unexpectedly before the end (their answer was unreadable)."


class _ChildFailed(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def validation_limits() -> Limits:
    """The engine's bounds: SUBMISSIONS_VALIDATION_LIMITS over the defaults, and the
    child's memory limit from SUBMISSIONS_VALIDATION_MEMORY_MB."""
    return Limits.from_json(
        {
            **settings.SUBMISSIONS_VALIDATION_LIMITS,
            "memory_limit_mb": settings.SUBMISSIONS_VALIDATION_MEMORY_MB,
        }
    )


def resources_failed(message: str) -> FileReport:
    return FileReport(findings=[Finding("resources", FAIL, message)])


def engine_run(
    *, path: str, filename: str, table_schema, progress: Callable[[float], None]
) -> FileReport:
    """The engine's report on the file at `path` (uploaded as `filename`), made in a
    child process; `progress(fraction)` is called as it advances. Always a report."""
    limits = validation_limits()
    root = tempfile.mkdtemp(prefix="validation-", dir=settings.SUBMISSIONS_VALIDATION_WORKDIR)
    try:
        workdir = os.path.join(root, "work")
        os.mkdir(workdir)
        request = {
            "path": path, "filename": filename, "table_schema": table_schema,
            "limits": limits.to_json(), "workdir": workdir, "parent": os.getpid(),
            "hold_seconds": settings.SUBMISSIONS_VALIDATION_HOLD_SECONDS,
        }  # fmt: skip
        with open(os.path.join(root, "errors.log"), "w+b") as errors:
            try:
                return _run_child(request, root, errors, progress)
            except _ChildFailed as failure:
                errors.seek(max(0, errors.seek(0, os.SEEK_END) - ERROR_TAIL_BYTES))
                tail = errors.read().decode("utf-8", "replace")
                logger.warning("Validating %s stopped: %s\n%s", filename, failure.message, tail)
                return resources_failed(failure.message)
    except SoftTimeLimitExceeded:
        seconds = settings.SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT
        return resources_failed(TIMEOUT.format(seconds=seconds))
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _child_environment(root: str) -> dict:
    passed = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    # Any temporary file a library makes lands in this run's directory, and goes with it.
    return {**passed, **CHILD_ENVIRONMENT, "TMPDIR": root}


def _run_child(request, root, errors, progress) -> FileReport:
    child = subprocess.Popen(  # noqa: S603 — our own module, fixed arguments, no shell
        [sys.executable, "-m", CHILD_MODULE],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=errors,
        cwd=settings.BASE_DIR,
        env=_child_environment(root),
    )
    try:
        try:
            child.stdin.write(json.dumps(request).encode())
            child.stdin.close()
        except BrokenPipeError:
            pass  # it ended at once; its exit status says why
        report = _read_report(child, progress)
        code = child.wait()
    finally:
        if child.poll() is None:
            child.kill()
        child.wait()
        child.stdout.close()
    if code == 0 and report is not None:
        return report
    raise _ChildFailed(_exit_message(code, report))


def _exit_message(code: int, report) -> str:
    if code == MEMORY_EXIT:
        return MEMORY.format(mb=settings.SUBMISSIONS_VALIDATION_MEMORY_MB)
    if code < 0:
        try:
            name = signal.Signals(-code).name
        except ValueError:
            name = f"signal {-code}"
        return KILLED.format(signal=name)
    if code == 0:  # it ended without its report
        return UNREADABLE
    return CRASHED.format(code=code)


def _read_report(child, progress) -> FileReport | None:
    """Relay the child's progress lines until it closes its output; its report, if it
    sent one. Stops it at SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT."""
    seconds = settings.SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT
    deadline = time.monotonic() + seconds
    descriptor = child.stdout.fileno()
    pending, total, report = bytearray(), 0, None
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _ChildFailed(TIMEOUT.format(seconds=seconds))
            if not selector.select(left):
                continue
            chunk = os.read(descriptor, READ_BYTES)
            if not chunk:
                return report
            total += len(chunk)
            if total > MAX_OUTPUT_BYTES:
                raise _ChildFailed(UNREADABLE)
            pending += chunk
            *lines, rest = pending.split(b"\n")
            pending = bytearray(rest)
            for line in lines:
                report = _message(line, progress) or report


def _message(line: bytes, progress) -> FileReport | None:
    try:
        message = json.loads(line)
        if "progress" in message:
            progress(min(1.0, max(0.0, float(message["progress"]))))
            return None
        return FileReport.from_json(message["report"])
    except (ValueError, KeyError, TypeError, AttributeError):
        raise _ChildFailed(UNREADABLE) from None
