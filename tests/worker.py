"""A real Celery worker for the worker tests: a prefork worker process (one pool child)
on Redis, using the running test's PostgreSQL database, listening to every queue.

Tests use committed data (transactional_db) and share one xdist group, so one worker
consumes the queues at a time. `start_worker` starts one in a process group of its own,
so a test can kill the whole worker without touching pytest; `pool_child_running_engine`
finds the pool child that executes a validation (the parent of the engine's process).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import kombu
from django.conf import settings
from django.db import connection

from hackathon.celery import app as celery_app
from submissions.services.engine import CHILD_MODULE

ROOT = Path(__file__).resolve().parents[1]
QUEUES = (settings.CELERY_TASK_DEFAULT_QUEUE, settings.SUBMISSIONS_VALIDATION_QUEUE)
# kombu's Redis transport keeps delivered, unacknowledged messages under these keys.
UNACKED_KEYS = ("unacked", "unacked_index", "unacked_mutex")


def wait_for(condition, *, timeout=30.0, what="condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


@dataclass
class Worker:
    process: subprocess.Popen
    hostname: str
    log: object

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.log.close()

    def kill_whole_worker(self) -> None:
        """SIGKILL the worker's main process, its pool and anything they started."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=15)


def _parent_of(pid: int) -> int | None:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return int(stat.rpartition(")")[2].split()[1])


def engine_processes() -> list[tuple[int, int]]:
    """(pid, parent pid) of every running validation engine process and run."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if CHILD_MODULE.encode() in command:
            parent = _parent_of(int(entry.name))
            if parent is not None:
                found.append((int(entry.name), parent))
    return found


def pool_child_running_engine(worker: Worker) -> tuple[int, int, int] | None:
    """(pool child pid, engine process pid, run pid) while the worker's pool child has
    its engine process check a file (a run is forked from the engine process, and shows
    the same command line)."""
    processes = engine_processes()
    for engine, pool_child in processes:
        if _parent_of(pool_child) != worker.process.pid:
            continue
        for run, parent in processes:
            if parent == engine:
                return pool_child, engine, run
    return None


def process_gone(pid: int) -> bool:
    """True once `pid` has ended (a zombie, not yet reaped by its parent, counts)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]
    except OSError:
        return True
    return state in ("Z", "X")


def clear_broker() -> None:
    """Empty the test queues and kombu's unacknowledged messages: leftovers of an earlier
    run would reach this test's database."""
    with celery_app.connection_for_write() as conn:
        client = conn.default_channel.client
        client.delete(*QUEUES, *UNACKED_KEYS)


def redeliver_unacknowledged() -> None:
    """Give back every delivered, unacknowledged message, as a worker does once the
    visibility timeout has passed (without waiting the 15 minutes).

    kombu skips a restore while a worker holds its restore lock, so this tries again until
    each message has left the unacknowledged index or come back into it with a new time
    (taken again by the worker): never twice for the same message.
    """
    url = celery_app.conf.broker_url
    with kombu.Connection(url, transport_options={"visibility_timeout": 0}) as conn:
        channel = conn.default_channel
        index = channel.unacked_index_key
        before = dict(channel.client.zrange(index, 0, -1, withscores=True))
        for _ in range(100):
            channel.qos.restore_visible(num=1000, interval=1)
            now = dict(channel.client.zrange(index, 0, -1, withscores=True))
            if all(now.get(tag) != when for tag, when in before.items()):
                return
            time.sleep(0.2)
    raise AssertionError("the unacknowledged messages were not given back")


def start_worker(tmp_path: Path, *, env: dict | None = None) -> Worker:
    """A `celery worker` process (prefork, one pool child, both queues) on this test's
    database, started and answering pings. `env` adds environment variables (the
    settings module tests.worker_settings reads its test knobs from there)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    test_database_url = urlunsplit(parts._replace(path="/" + connection.settings_dict["NAME"]))
    name = f"test-{uuid.uuid4().hex[:8]}"
    variables = os.environ | {
        "DATABASE_URL": test_database_url,
        "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "CONN_MAX_AGE": "0",
        **(env or {}),
    }
    log = (tmp_path / f"{name}.log").open("w")
    process = subprocess.Popen(  # noqa: S603 — our own Celery app, fixed arguments
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "hackathon",
            "worker",
            "--pool=prefork",
            "--concurrency=1",
            "-Q",
            ",".join(QUEUES),
            "--loglevel=info",
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=variables,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    worker = Worker(process=process, hostname=f"{name}@{socket.gethostname()}", log=log)
    try:
        # A loaded two-core machine has taken over 30 s to start a worker: wait, not time.
        wait_for(
            lambda: celery_app.control.ping(destination=[worker.hostname], timeout=0.5),
            timeout=120,
            what="the worker to start",
        )
    except BaseException:
        worker.stop()
        raise
    return worker
