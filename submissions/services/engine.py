"""Running the validation engine in a process of its own, never in the worker's.

`engine_run` hands the file to the engine process (submissions.validation.child), which
checks it in a run forked for it (which caps its memory and dies with its parent), relays
the run's progress and returns its report. A run that reaches the memory limit, is killed
by a signal, runs past the time limit or says something unreadable becomes a report with
one failed "resources" finding: a clean result for the team, not an exception that would
have the task delivered again.

Each thread that validates (a Celery pool child, seed_demo) starts one engine process on
its first validation and keeps it, so later validations skip the 1.5 s of importing the
engine. An engine process left in an unknown state (a run past its time limit, an answer
unreadable) is killed, its run with it, and the next validation starts a new one.

Each validation has a temporary directory of its own (zip members, the run's error output,
any temporary file a reader makes), always removed. The engine process gets no secrets:
its environment is a short list, without the database's or Django's settings.
"""

import contextlib
import json
import logging
import os
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from submissions.validation.child import LENGTH, MEMORY_EXIT
from submissions.validation.findings import FAIL, FileReport, Finding
from submissions.validation.limits import Limits

logger = logging.getLogger(__name__)

CHILD_MODULE = "submissions.validation.child"
# The engine process's environment, whole. Each run inherits the engine's memory map
# and its memory limit counts it, so nothing may reserve more than it uses: one malloc
# arena per thread would count for nothing; OpenBLAS's per-thread buffers too (numpy's
# algebra is unused); and pyarrow's allocator, mimalloc, reserves 1 GiB at its first
# allocation unless told a smaller step (measured here: 1.2 GB of data segment after
# the warm-up with the default, 0.25 GB with 32 MiB).
CHILD_ENVIRONMENT = {
    "LANG": "C.UTF-8",
    "MALLOC_ARENA_MAX": "2",
    "OPENBLAS_NUM_THREADS": "1",
    "MIMALLOC_ARENA_RESERVE": "32MiB",
}
# Taken from the parent: the interpreter's search path, and coverage's switches.
PASSED_THROUGH = ("PATH", "COVERAGE_PROCESS_START", "COVERAGE_PROCESS_CONFIG")
# A report is a few hundred kilobytes at most (findings are capped per check).
MAX_OUTPUT_BYTES = 64 * 1024 * 1024
READ_BYTES = 64 * 1024
ENDING_SECONDS = 10
MIN_WAIT_SECONDS = 0.001
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


class _EngineEnded(_ChildFailed):
    """The engine process closed its socket: it has ended."""


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
    process of its own; `progress(fraction)` is called as it advances. Always a report."""
    limits = validation_limits()
    root = tempfile.mkdtemp(prefix="validation-", dir=settings.SUBMISSIONS_VALIDATION_WORKDIR)
    try:
        workdir = os.path.join(root, "work")
        os.mkdir(workdir)
        request = {
            "path": path, "filename": filename, "table_schema": table_schema,
            "limits": limits.to_json(), "workdir": workdir, "tmpdir": root,
            "hold_seconds": settings.SUBMISSIONS_VALIDATION_HOLD_SECONDS,
        }  # fmt: skip
        with open(os.path.join(root, "errors.log"), "w+b") as errors:
            try:
                return _validated(request, errors, progress)
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


def engine_stop() -> None:
    """End this thread's engine process, waiting for it (the benchmark measures its
    memory once it has ended; a worker's ends with the worker)."""
    _end_engine(kill=False)


def _child_environment() -> dict:
    passed = {name: os.environ[name] for name in PASSED_THROUGH if name in os.environ}
    # The warm-up's files go where validations' do (each run gets its own directory).
    tmpdir = settings.SUBMISSIONS_VALIDATION_WORKDIR or tempfile.gettempdir()
    return {**passed, **CHILD_ENVIRONMENT, "TMPDIR": tmpdir}


class _EngineProcess:
    """The engine process of one thread, and its end of their socket."""

    def __init__(self):
        ours, theirs = socket.socketpair()
        with theirs:
            self.process = subprocess.Popen(  # noqa: S603 — our own module, fixed arguments
                [sys.executable, "-m", CHILD_MODULE, str(os.getpid())],
                stdin=theirs,
                stdout=subprocess.DEVNULL,
                cwd=settings.BASE_DIR,
                env=_child_environment(),
            )
        self.control = ours
        self.owner = os.getpid()
        self.answers = bytearray()
        self.run = None  # a pidfd of the run in progress

    def usable(self) -> bool:
        # A process forked from the owner (a pool child of a worker that validated) must
        # start its own: the kernel would kill this one with the thread that started it.
        return self.owner == os.getpid() and self.process.poll() is None

    def send(self, request: dict, descriptors: list[int], deadline: float, seconds: int) -> None:
        body = json.dumps(request).encode()
        # A large request waits for the engine process to read it: no longer than allowed.
        self.control.settimeout(max(deadline - time.monotonic(), MIN_WAIT_SECONDS))
        try:
            socket.send_fds(self.control, [LENGTH.pack(len(body))], descriptors)
            self.control.sendall(body)
        except TimeoutError:
            raise _ChildFailed(TIMEOUT.format(seconds=seconds)) from None
        except OSError:
            raise _EngineEnded(self.ended()) from None
        finally:
            self.control.settimeout(None)

    def ended(self) -> str:
        """Why the engine process, whose socket has closed, ended. Its last threads may
        take a moment to go; one that has not gone by then is killed."""
        try:
            code = self.process.wait(timeout=ENDING_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            code = self.process.wait()
        return _exit_message(code, None)

    def answer(self, key: str, deadline: float, seconds: int) -> int:
        """The number in the engine process's next answer, which must be `key`'s."""
        while b"\n" not in self.answers:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _ChildFailed(TIMEOUT.format(seconds=seconds))
            if not _readable(self.control.fileno(), left):
                continue
            try:
                chunk = self.control.recv(READ_BYTES)
            except ConnectionResetError:  # it ended with a request unread
                chunk = b""
            if not chunk:  # the engine process ended, and its run with it
                raise _EngineEnded(self.ended())
            self.answers += chunk
            if len(self.answers) > READ_BYTES:
                raise _ChildFailed(UNREADABLE)
        line, _, rest = bytes(self.answers).partition(b"\n")
        self.answers = bytearray(rest)
        try:
            value = json.loads(line)[key]
        except (ValueError, KeyError, TypeError):
            raise _ChildFailed(UNREADABLE) from None
        if not isinstance(value, int):
            raise _ChildFailed(UNREADABLE)
        return value

    def stop(self, *, kill: bool) -> None:
        """End it, by closing the socket or by SIGKILL, and wait for it and for its run,
        if one was running (the run dies with it): only then may the run's directory be
        removed. In a process forked from the owner, only the inherited socket closes."""
        if self.owner != os.getpid():
            self.control.close()
            return
        with contextlib.suppress(OSError):
            self.control.shutdown(socket.SHUT_RDWR)  # EOF even if a forked copy holds it
        self.control.close()
        if kill and self.process.poll() is None:
            self.process.kill()
        try:
            self.process.wait(timeout=ENDING_SECONDS)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.run_ended()

    def run_started(self, pid: int) -> None:
        try:
            self.run = os.pidfd_open(pid)
        except ProcessLookupError:  # already ended and reaped
            self.run = None

    def run_ended(self) -> None:
        """Make sure the run is gone: killed if need be, then waited for."""
        if self.run is None:
            return
        with contextlib.suppress(ProcessLookupError):
            signal.pidfd_send_signal(self.run, signal.SIGKILL)
        _readable(self.run, ENDING_SECONDS)  # a pidfd reads ready once its process ended
        os.close(self.run)
        self.run = None


_local = threading.local()


@contextlib.contextmanager
def _uninterrupted():
    """Hold back Celery's soft time limit (SIGUSR1, raised as an exception wherever the
    code is) while an engine process is started or ended, so none is left untracked."""
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGUSR1})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGUSR1})


def _engine() -> _EngineProcess:
    engine = getattr(_local, "engine", None)
    if engine is None or not engine.usable():
        _forget_engine()
        with _uninterrupted():
            engine = _local.engine = _EngineProcess()
    return engine


def _forget_engine() -> None:
    """Kill this thread's engine process and its run, if any, and wait for both."""
    _end_engine(kill=True)


def _end_engine(*, kill: bool) -> None:
    with _uninterrupted():
        engine = getattr(_local, "engine", None)
        if engine is not None:
            engine.stop(kill=kill)
        _local.engine = None


def _validated(request: dict, errors, progress) -> FileReport:
    """The run's report; the engine process is kept only when the run ended as the
    protocol says, whatever the run's own outcome."""
    seconds = settings.SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT
    deadline = time.monotonic() + seconds
    completed = False
    try:
        engine, output = _run_started(request, errors, deadline, seconds)
        with output:
            report = _read_report(output.fileno(), progress, deadline, seconds)
            code = engine.answer("exit", deadline, seconds)
        engine.run_ended()  # reaped by the engine process: only its pidfd to close
        completed = True
    finally:
        if not completed:
            _forget_engine()
    if code == 0 and report is not None:
        return report
    raise _ChildFailed(_exit_message(code, report))


def _run_started(request: dict, errors, deadline: float, seconds: int):
    """This thread's engine process, and the output of the run it forked for `request`.
    Once more with a new engine process if the first ended before forking: one killed
    between validations still looks alive until its last thread has gone."""
    try:
        return _run_forked(request, errors, deadline, seconds)
    except _EngineEnded:
        _forget_engine()
        return _run_forked(request, errors, deadline, seconds)


def _run_forked(request: dict, errors, deadline: float, seconds: int):
    engine = _engine()
    with _uninterrupted():
        reading, writing = os.pipe()
        output = open(reading, "rb", buffering=0)  # noqa: SIM115 — returned open, or closed below
    try:
        try:
            engine.send(request, [writing, errors.fileno()], deadline, seconds)
        finally:
            os.close(writing)  # the run holds the only writing end: its end is EOF
        engine.run_started(engine.answer("run", deadline, seconds))
    except BaseException:
        output.close()
        raise
    return engine, output


def _readable(descriptor: int, seconds: float) -> bool:
    """True once `descriptor` is readable, False if `seconds` pass first."""
    with selectors.DefaultSelector() as selector:
        selector.register(descriptor, selectors.EVENT_READ)
        return bool(selector.select(seconds))


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


def _read_report(descriptor: int, progress, deadline: float, seconds: int) -> FileReport | None:
    """Relay the run's progress lines until it closes its output; its report, if it sent
    one. Stops at the deadline (SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT from the start)."""
    pending, total, report = bytearray(), 0, None
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            raise _ChildFailed(TIMEOUT.format(seconds=seconds))
        if not _readable(descriptor, left):
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
