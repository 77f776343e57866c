"""The engine process each validating thread keeps: reused while it answers as its
protocol says, replaced when it cannot be trusted or has gone, never shared with a
process forked from its owner."""

import json
import os
import signal
import threading

import pytest

from submissions.services import engine
from tests.worker import engine_processes, process_gone, wait_for

CSV = b"area,walkers\nHalton,120\nWidnes,340\n"


@pytest.fixture
def table(tmp_path):
    path = tmp_path / "walking.csv"
    path.write_bytes(CSV)
    return path


@pytest.fixture
def fresh_engine():
    """Each test starts without an engine process and leaves none behind."""
    engine.engine_stop()
    yield
    engine.engine_stop()


def _validate(path) -> str:
    return engine.engine_run(
        path=str(path), filename="walking.csv", table_schema=None, progress=lambda _: None
    ).outcome


def _own_engines() -> set[int]:
    """This process's engine processes (their runs have an engine process as parent)."""
    return {pid for pid, parent in engine_processes() if parent == os.getpid()}


def _run_of(engine_pid: int) -> int | None:
    runs = [pid for pid, parent in engine_processes() if parent == engine_pid]
    return runs[0] if runs else None


def test_validations_in_turn_share_one_engine_process(fresh_engine, table):
    assert _validate(table) == "pass"
    (first,) = _own_engines()

    assert [_validate(table) for _ in range(3)] == ["pass"] * 3

    assert _own_engines() == {first}


def test_a_run_ended_by_a_signal_fails_the_file_and_the_engine_process_stays(
    fresh_engine, table, settings
):
    """A run killed mid-check (as the kernel's OOM killer would) is the run's failure,
    not the engine process's: the protocol still holds."""
    assert _validate(table) == "pass"
    (engine_pid,) = _own_engines()
    settings.SUBMISSIONS_VALIDATION_HOLD_SECONDS = 30
    killed = []

    def killer():
        wait_for(lambda: _run_of(engine_pid) is not None, timeout=30, what="the run to start")
        run = _run_of(engine_pid)
        killed.append(run)
        os.kill(run, signal.SIGKILL)

    thread = threading.Thread(target=killer)
    thread.start()
    report = engine.engine_run(
        path=str(table), filename="walking.csv", table_schema=None, progress=lambda _: None
    )
    thread.join()

    assert [(f.check, f.outcome, f.message) for f in report.findings] == [
        ("resources", "fail", engine.KILLED.format(signal="SIGKILL"))
    ]
    assert process_gone(killed[0])
    settings.SUBMISSIONS_VALIDATION_HOLD_SECONDS = 0
    assert _validate(table) == "pass"
    assert _own_engines() == {engine_pid}


def test_a_run_past_the_time_limit_is_killed_with_its_engine_process_and_the_next_starts_anew(
    fresh_engine, table, settings
):
    assert _validate(table) == "pass"
    (stale,) = _own_engines()
    settings.SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT = 1
    settings.SUBMISSIONS_VALIDATION_HOLD_SECONDS = 30
    runs = []
    watcher = threading.Thread(
        target=lambda: wait_for(
            lambda: runs.append(_run_of(stale)) or runs[-1] is not None,
            timeout=30,
            what="the run to start",
        )
    )
    watcher.start()

    report = engine.engine_run(
        path=str(table), filename="walking.csv", table_schema=None, progress=lambda _: None
    )
    watcher.join()

    assert [f.message for f in report.findings] == [engine.TIMEOUT.format(seconds=1)]
    # Both are gone by the time engine_run returns, and with them any writer to the
    # validation's directory.
    assert process_gone(stale)
    assert process_gone(runs[-1])
    settings.SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT = 60
    settings.SUBMISSIONS_VALIDATION_HOLD_SECONDS = 0
    assert _validate(table) == "pass"
    assert len(_own_engines() - {stale}) == 1


def test_an_engine_process_gone_between_validations_is_replaced(fresh_engine, table):
    assert _validate(table) == "pass"
    (gone,) = _own_engines()
    os.kill(gone, signal.SIGKILL)
    wait_for(lambda: process_gone(gone), timeout=10, what="the engine process to end")

    assert _validate(table) == "pass"

    assert len(_own_engines() - {gone}) == 1


def test_a_request_sent_to_an_engine_process_that_has_ended_goes_to_a_new_one(
    fresh_engine, table, monkeypatch
):
    """An engine process killed between validations can look alive until its last
    thread has gone: the request sent to it is sent again, to a new one."""
    assert _validate(table) == "pass"
    (gone,) = _own_engines()
    os.kill(gone, signal.SIGKILL)
    wait_for(lambda: process_gone(gone), timeout=10, what="the engine process to end")
    monkeypatch.setattr(engine._EngineProcess, "usable", lambda self: True)

    assert _validate(table) == "pass"

    assert len(_own_engines() - {gone}) == 1


def test_a_process_forked_from_the_owner_starts_its_own_and_leaves_the_owners_alone(
    fresh_engine, table
):
    assert _validate(table) == "pass"
    (owners,) = _own_engines()
    reading, writing = os.pipe()

    forked = os.fork()
    if forked == 0:  # the forked process: a pool child of a worker that had validated
        status = 1
        try:
            mine = _validate(table)
            theirs_alive = not process_gone(owners)
            os.write(writing, json.dumps([mine, theirs_alive, sorted(_own_engines())]).encode())
            engine.engine_stop()
            status = 0
        finally:
            os._exit(status)
    os.close(writing)
    with os.fdopen(reading) as answer:
        mine, theirs_alive, its_engines = json.loads(answer.read())
    _pid, status = os.waitpid(forked, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert (mine, theirs_alive) == ("pass", True)
    assert len(its_engines) == 1 and its_engines != [owners]
    assert _validate(table) == "pass"
    assert _own_engines() == {owners}
