"""Pieces every benchmark reuses: a fresh PostgreSQL database, manage.py, gunicorn and wrk.

Benchmarks run the real stack (gunicorn, PostgreSQL, the full middleware) on the machine
they measure, so each helper cleans up after itself even when the run fails. Progress goes
to stderr; stdout is kept for the BENCH line.
"""

import bisect
import contextlib
import http.client
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from pathlib import Path
from urllib.parse import urlsplit

REPO_ROOT = Path(__file__).resolve().parent.parent
LOCAL_POSTGRES = "postgres://postgres@127.0.0.1:5432/"
WRK_FALLBACK = "/usr/bin/wrk"


class BenchError(RuntimeError):
    """A benchmark could not run; `python -m bench` prints the message and exits 1."""


def log(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def env_number(name: str, default: float) -> float:
    """A numeric knob from the environment (BENCH_DURATION and the like)."""
    raw = os.environ.get(name, "")
    try:
        return float(raw) if raw else default
    except ValueError:
        raise BenchError(f"{name} must be a number, not {raw!r}") from None


# --- Database ---------------------------------------------------------------------------


def database_url(default_name: str) -> str:
    """BENCH_DATABASE_URL if set, else database `default_name` on the local server."""
    return os.environ.get("BENCH_DATABASE_URL") or LOCAL_POSTGRES + default_name


def fresh_database(url: str) -> str:
    """Drop and recreate the database named in `url`; returns `url`.

    Only names containing "bench" are accepted, so a BENCH_DATABASE_URL copied from
    DATABASE_URL by mistake cannot wipe a development or CI database.
    """
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict

    name = str(conninfo_to_dict(url).get("dbname") or "")
    if "bench" not in name:
        raise BenchError(
            f"refusing to drop database {name!r}: benchmark databases must have 'bench' "
            "in their name (see BENCH_DATABASE_URL)"
        )
    log(f"recreating database {name}")
    try:
        # DROP/CREATE DATABASE cannot run in a transaction, hence autocommit; FORCE ends
        # sessions a previous, interrupted run may have left behind.
        with psycopg.connect(url, dbname="postgres", autocommit=True) as conn:
            conn.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        raise BenchError(f"cannot reach PostgreSQL at {url}: {error}") from error
    return url


# --- Django -----------------------------------------------------------------------------


def server_env(db_url: str, **extra: str) -> dict[str, str]:
    """The environment for manage.py and gunicorn: the bench database, DEBUG off.

    DJANGO_ENV is removed because production forces HTTPS redirects, which a plain-HTTP
    load generator would measure instead of the views. API throttling is lifted out of
    reach: one load generator on one address sends far more than any person would.
    """
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_ENV"}
    env.update(
        DATABASE_URL=db_url,
        DEBUG="0",
        BENCHMARK_VIEWS="1",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        DJANGO_SETTINGS_MODULE="hackathon.settings",
        API_THROTTLE_ANON="1000000/s",
        API_THROTTLE_USER="1000000/s",
        API_THROTTLE_BURST="1000000/s",
        CKAN_THROTTLE_RATE="1000000/s",
        EXPORT_THROTTLE_RATE="1000000/s",
        **extra,
    )
    return env


def manage(env: Mapping[str, str], *args: str) -> str:
    """Run `manage.py *args` with the same interpreter; returns its output."""
    log("manage.py " + " ".join(args))
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=REPO_ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BenchError(
            f"manage.py {' '.join(args)} failed ({result.returncode}):\n"
            + _tail(result.stdout + result.stderr)
        )
    return result.stdout


def setup_django(env: Mapping[str, str]) -> None:
    """Set up Django in this process against the same database and settings as the server.

    The environment must be in place before settings are imported, and settings are
    read once per process, so a second call with another database is an error.
    """
    import django
    from django.conf import settings

    if settings.configured:
        if os.environ.get("DATABASE_URL") != env.get("DATABASE_URL"):
            raise BenchError("Django is already set up against another database")
        return
    os.environ.update(env)
    os.environ.pop("DJANGO_ENV", None)
    if str(REPO_ROOT) not in sys.path:
        sys.path.insert(0, str(REPO_ROOT))
    # WhiteNoise warns that STATIC_ROOT is missing until collectstatic has run; the
    # benchmarks never serve static files, so the warning would only be noise.
    warnings.filterwarnings("ignore", message=r"No directory at: .*staticfiles")
    django.setup()


def analyze_database() -> None:
    """Refresh the planner's statistics after seeding (needs setup_django). PostgreSQL here
    may run without autovacuum, and a plan chosen on an empty table's statistics would be
    measured instead of the code."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    log("ANALYZE done")


# --- HTTP server ------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def http_get(url: str, headers: Mapping[str, str] | None = None, timeout: float = 5.0):
    """(status, content type, body) of one GET, redirects not followed: a redirect to a
    login page or to HTTPS must show up as such, not as the page it leads to."""
    parts = urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        conn.request("GET", path or "/", headers=dict(headers or {}))
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type", ""), response.read()
    finally:
        conn.close()


@contextlib.contextmanager
def start_gunicorn(
    env: Mapping[str, str],
    *,
    workers: int = 2,
    app: str = "hackathon.wsgi:application",
    ready_path: str = "/healthz",
    timeout: float = 60.0,
    log_path: Path | None = None,
) -> Iterator[str]:
    """Run gunicorn on a free local port; yields its base URL once `ready_path` answers 200.

    The server is stopped on the way out whatever happened: SIGTERM first so workers
    close their database connections, then SIGKILL to its process group if it hangs.
    Its output goes to `log_path` when given (to read after the load), else to a
    temporary file shown only if it fails to start.
    """
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}",
        "--log-level", "warning",
    ]  # fmt: skip
    with (
        open(log_path, "w+")
        if log_path
        else tempfile.TemporaryFile(mode="w+", prefix="bench-gunicorn-")
    ) as server_log:
        log(f"starting gunicorn ({workers} workers) on {base_url}")
        # A session of its own, so the kill below reaches the workers and nothing else.
        process = subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=dict(env),
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            _wait_until_ready(base_url + ready_path, process, server_log, timeout)
            yield base_url
        finally:
            _stop(process)
            log("gunicorn stopped")


def _wait_until_ready(url, process, server_log, timeout):
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError(
                f"gunicorn exited with {process.returncode}:\n{_read_tail(server_log)}"
            )
        try:
            status, _, _ = http_get(url, timeout=2)
            if status == 200:
                return
            last = f"status {status}"
        except OSError as error:
            last = str(error)
        time.sleep(0.2)
    raise BenchError(
        f"gunicorn did not answer 200 on {url} within {timeout:.0f}s ({last}):\n"
        + _read_tail(server_log)
    )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return  # already gone; orphaned gunicorn workers exit when their master does
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        # The master is still there (unreaped), so its pid still names our group.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def _read_tail(server_log) -> str:
    server_log.flush()
    server_log.seek(0)
    return _tail(server_log.read())


def _tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.strip().splitlines()[-lines:])


# --- Load generator ---------------------------------------------------------------------

# wrk --latency prints the 50/75/90/99th percentiles only. Its `done` hook can read any
# percentile from the full histogram, so the script prints the totals and every 0.1th
# percentile (with min and max): enough for p95 and to merge several runs' latencies.
WRK_SCRIPT = """\
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKSUMMARY requests=%.0f duration_us=%.0f bytes=%.0f mean_us=%.1f "
    .. "connect=%.0f read=%.0f write=%.0f status=%.0f timeout=%.0f\\n",
    summary.requests, summary.duration, summary.bytes, latency.mean,
    e.connect, e.read, e.write, e.status, e.timeout))
  local q = {string.format("%.0f", latency.min)}
  for k = 1, 999 do q[#q + 1] = string.format("%.0f", latency:percentile(k / 10)) end
  q[#q + 1] = string.format("%.0f", latency.max)
  io.write("WRKQUANTILES ", table.concat(q, ","), "\\n")
end
"""
WRK_ERRORS = ("connect", "read", "write", "status", "timeout")


def require_wrk() -> str:
    """The wrk executable, or a BenchError saying how to install it."""
    found = shutil.which("wrk") or (WRK_FALLBACK if os.access(WRK_FALLBACK, os.X_OK) else None)
    if not found:
        raise BenchError("wrk is not installed; install it with: apt-get install wrk")
    return found


def run_wrk(
    url: str,
    headers: Mapping[str, str] | None = None,
    duration: float = 10,
    connections: int = 32,
    *,
    threads: int = 2,
    timeout: float = 5,
    script: str = "",
    script_args: Sequence[str] = (),
    stop_when: Callable[[], bool] | None = None,
) -> dict:
    """Load `url` with wrk for `duration` seconds; returns rps, latencies (ms) and errors.

    `errors` adds up socket errors (connect, read, write, timeout) and responses with a
    status of 400 or more, which is what wrk counts; check 3xx with `http_get` first.

    `script` is Lua appended to the harness's own (it may wrap `done`, which it defines),
    `script_args` reach its `init(args)` as args[1], args[2], ...; the lines it prints
    starting with "WRK" come back in `script_lines`, keyed by their first word. When
    `stop_when()` turns true wrk is stopped early (SIGINT), and its duration is then
    the time it actually ran.
    """
    command = [require_wrk(), f"-t{threads}", f"-c{connections}", f"-d{max(1, round(duration))}s"]
    command.append(f"--timeout={max(1, round(timeout))}s")
    for name, value in (headers or {}).items():
        command += ["-H", f"{name}: {value}"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", prefix="bench-wrk-") as lua:
        lua.write(WRK_SCRIPT + script)
        lua.flush()
        command += ["-s", lua.name, url]
        if script_args:
            command += ["--", *script_args]
        returncode, stdout, stderr = _run_until(command, duration + 60, stop_when)
    lines = dict(line.split(" ", 1) for line in stdout.splitlines() if " " in line)
    if returncode != 0 or not {"WRKSUMMARY", "WRKQUANTILES"} <= lines.keys():
        raise BenchError(f"wrk failed ({returncode}) on {url}:\n{_tail(stdout + stderr)}")
    raw = {
        key: float(value) for key, value in (f.split("=", 1) for f in lines["WRKSUMMARY"].split())
    }
    errors = {kind: int(raw[kind]) for kind in WRK_ERRORS}
    return {
        **_summarise(
            url=url,
            requests=int(raw["requests"]),
            duration_s=raw["duration_us"] / 1e6,
            errors_by_kind=errors,
            quantiles_ms=[int(v) / 1000 for v in lines["WRKQUANTILES"].split(",")],
        ),
        "script_lines": {
            key: value
            for key, value in lines.items()
            if key.startswith("WRK") and key not in ("WRKSUMMARY", "WRKQUANTILES")
        },
    }


def _run_until(command, timeout, stop_when, poll_s=0.02):
    """Run wrk; (returncode, stdout, stderr). SIGINT ends wrk's run early, as its timer
    would (it still reports). It is sent once: `stop_when` only holds after requests have
    been answered, so wrk's threads are up and its handler is set; a second signal could
    reach a process that is already exiting and kill it instead of letting it report."""
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + timeout
    interrupted = False
    try:
        while True:
            wait_s = poll_s if stop_when is not None and not interrupted else timeout
            try:
                stdout, stderr = process.communicate(timeout=wait_s)
                return process.returncode, stdout, stderr
            except subprocess.TimeoutExpired:
                if time.monotonic() > deadline:
                    raise BenchError(f"wrk did not finish within {timeout:.0f}s") from None
                if not interrupted and stop_when is not None and stop_when():
                    process.send_signal(signal.SIGINT)
                    interrupted = True
    finally:
        # Interrupted (a timeout, SIGTERM): wrk must not go on loading the server.
        if process.poll() is None:
            process.kill()
            process.communicate()


def merge_runs(runs: list[dict]) -> dict:
    """One result for several runs of the same target: total requests over total time,
    and percentiles of all their requests together (not an average of percentiles)."""
    return _summarise(
        url=runs[0]["url"],
        requests=sum(run["requests"] for run in runs),
        duration_s=sum(run["duration_s"] for run in runs),
        errors_by_kind={
            kind: sum(run["errors_by_kind"][kind] for run in runs) for kind in WRK_ERRORS
        },
        runs=runs,
    )


def _summarise(*, url, requests, duration_s, errors_by_kind, quantiles_ms=None, runs=None):
    parts = runs or [{"requests": requests, "quantiles_ms": quantiles_ms}]
    return {
        "url": url,
        "requests": requests,
        "duration_s": duration_s,
        "rps": requests / duration_s if duration_s else 0.0,
        "p50_ms": _percentile(parts, 50),
        "p95_ms": _percentile(parts, 95),
        "p99_ms": _percentile(parts, 99),
        "errors": sum(errors_by_kind.values()),
        "errors_by_kind": errors_by_kind,
        **({"quantiles_ms": quantiles_ms} if quantiles_ms is not None else {}),
        **({"runs": runs} if runs is not None else {}),
    }


def _percentile(runs: list[dict], percent: float) -> float:
    """The `percent`th percentile of the requests of all `runs` together.

    Each run brings 1001 quantiles (min, every 0.1th percentile, max), that is its
    latency distribution to 0.1 %; the mixture weights each run by its requests. For a
    single run this is wrk's own percentile.
    """
    runs = [run for run in runs if run["requests"]]
    total = sum(run["requests"] for run in runs)
    if not total:
        return 0.0

    def share_at_most(latency):  # fraction of all requests answered within `latency`
        return (
            sum(
                run["requests"]
                * (bisect.bisect_right(run["quantiles_ms"], latency) - 1)
                / (len(run["quantiles_ms"]) - 1)
                for run in runs
            )
            / total
        )

    candidates = sorted({value for run in runs for value in run["quantiles_ms"]})
    index = bisect.bisect_left(candidates, percent / 100 - 1e-9, key=share_at_most)
    return candidates[min(index, len(candidates) - 1)]


# --- Reporting --------------------------------------------------------------------------


def abba(keys: list[str], rounds: int) -> list[list[str]]:
    """Orders per round, alternating (A B, B A, A B, ...): on a shared machine the load
    drifts, and alternating gives both targets the same share of each stretch of it."""
    return [keys if number % 2 == 0 else keys[::-1] for number in range(rounds)]


def median_of(
    targets: Mapping[str, Callable[[], object]],
    rounds: int,
    before: Mapping[str, Callable[[], object]] | None = None,
) -> dict[str, dict]:
    """Time each target once per round, in alternating order (`abba`); per target, the
    median seconds and every round's seconds: {"median_s": …, "runs_s": [...]}.
    `before[key]`, if given, runs untimed ahead of each timing of `key` (putting back
    the state the target starts from).

    For work that takes seconds in one process (no server): the median shrugs off the
    round another process took the cores, the alternation shares the drift of the load.
    """
    runs: dict[str, list[float]] = {key: [] for key in targets}
    for order in abba(list(targets), rounds):
        for key in order:
            if before and key in before:
                before[key]()
            started = time.perf_counter()
            targets[key]()
            runs[key].append(time.perf_counter() - started)
    return {key: {"median_s": statistics.median(times), "runs_s": times}
            for key, times in runs.items()}  # fmt: skip


# Appended to the code `peak_rss_mb` runs: the process's own high-water mark of resident
# memory. VmHWM belongs to the memory map, which exec replaces; ru_maxrss would also count
# the forked copy of the (large) benchmark process that existed until exec. Then the
# largest ru_maxrss of the children it waited for (0 without any).
_REPORT_PEAK = """
import resource as _resource
for _line in open("/proc/self/status"):
    if _line.startswith("VmHWM:"):
        print("PEAK_RSS_KB=" + _line.split()[1])
print("CHILDREN_PEAK_RSS_KB=" + str(_resource.getrusage(_resource.RUSAGE_CHILDREN).ru_maxrss))
"""


def peak_rss_mb(code: str, *args: str) -> float:
    """Run Python `code` in a fresh interpreter (in the repository, `sys.argv[1:]` =
    `args`); the peak resident memory of that process, in MiB. Linux only."""
    return peak_rss_with_children_mb(code, *args)[0]


def peak_rss_with_children_mb(code: str, *args: str) -> tuple[float, float]:
    """As `peak_rss_mb`, with the peak of the processes `code` started and waited for:
    (its own, its children's largest), in MiB. A child's ru_maxrss also counts the
    memory map it had until exec: the parent's, when started by vfork (subprocess does),
    so the second figure is at least the parent's peak at that moment."""
    result = subprocess.run(
        [sys.executable, "-c", code + _REPORT_PEAK, *args],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    reported = dict(
        line.split("=", 1) for line in result.stdout.splitlines() if "PEAK_RSS_KB=" in line
    )
    if result.returncode != 0 or not {"PEAK_RSS_KB", "CHILDREN_PEAK_RSS_KB"} <= reported.keys():
        raise BenchError(
            f"the measured process failed ({result.returncode}):\n"
            + _tail(result.stdout + result.stderr)
        )
    return int(reported["PEAK_RSS_KB"]) / 1024, int(reported["CHILDREN_PEAK_RSS_KB"]) / 1024


def describe(result: dict) -> str:
    """One line for the progress log: rate, percentiles and errors of a wrk run."""
    return (
        f"{result['requests']} requests in {result['duration_s']:.1f}s: "
        f"{result['rps']:.1f} req/s, p50 {result['p50_ms']:.2f} ms, "
        f"p95 {result['p95_ms']:.2f} ms, p99 {result['p99_ms']:.2f} ms, "
        f"errors {result['errors_by_kind']}"
    )


def load_average() -> str:
    try:
        return " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        return "unknown"
