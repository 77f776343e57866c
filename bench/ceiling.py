"""Event-detail API throughput as a share of the no-op view's, through the same stack.

Both targets go through gunicorn, the full middleware, token authentication and the
permission rules; the no-op view (/api/v1/ceiling/) stops there, so the ratio is the
share of the ceiling the event-detail API keeps. Knobs: BENCH_DATABASE_URL,
BENCH_DURATION (s measured per target, default 10), BENCH_ROUNDS (4), BENCH_WARMUP
(s, default 3), BENCH_CONNECTIONS (32).
"""

import json
import math
import os
import time

from bench.harness import (
    BenchError,
    abba,
    analyze_database,
    database_url,
    describe,
    env_number,
    fresh_database,
    http_get,
    load_average,
    log,
    manage,
    merge_runs,
    require_wrk,
    run_wrk,
    server_env,
    setup_django,
    start_gunicorn,
)

NAME = "ceiling"
DATABASE_NAME = "civichack_bench"
EVENT_SLUG = "community-data-hackathon-2024"  # published by seed_demo
NOOP_PATH = "/api/v1/ceiling/"
EVENT_PATH = f"/api/v1/events/{EVENT_SLUG}/"
BENCH_USER_EMAIL = "bench@civichack.test"
THREADS = 2  # one wrk thread per core of the 2-core machines this runs on


def run() -> dict[str, object]:
    started = time.monotonic()
    require_wrk()  # fail before the slow database setup, not after it
    duration = env_number("BENCH_DURATION", 10)
    warmup = env_number("BENCH_WARMUP", 3)
    connections = int(env_number("BENCH_CONNECTIONS", 32))
    rounds = max(1, int(env_number("BENCH_ROUNDS", 4)))
    # Whole seconds (wrk's resolution), never less than `duration` in total per target.
    round_s = math.ceil(duration / rounds)
    log(f"load average before: {load_average()} on {os.cpu_count()} cores")

    env = server_env(fresh_database(database_url(DATABASE_NAME)))
    manage(env, "migrate", "--noinput")
    manage(env, "seed_demo")
    setup_django(env)
    analyze_database()
    token = create_token()
    event_api_queries = count_event_api_queries(token)

    headers = {"Authorization": f"Token {token}", "Accept": "application/json"}
    runs = {"noop": [], "event_api": []}
    with start_gunicorn(env, workers=2) as base_url:
        targets = {"noop": base_url + NOOP_PATH, "event_api": base_url + EVENT_PATH}
        for url in targets.values():
            check_answers_json(url, headers)
        # Warm both before measuring either: first requests pay for imports, URL
        # resolver caches and new database connections in each worker.
        for url in targets.values():
            log(f"warming up {url} for {warmup:.0f}s")
            run_wrk(url, headers, warmup, connections, threads=THREADS)
        log(f"measuring {rounds} rounds of {round_s}s per target at {connections} connections")
        for number, order in enumerate(abba(list(targets), rounds), start=1):
            for key in order:
                run = run_wrk(targets[key], headers, round_s, connections, threads=THREADS)
                runs[key].append(run)
                log(f"round {number} {key}: {describe(run)}")
    results = {key: merge_runs(key_runs) for key, key_runs in runs.items()}
    # The spread of per-round ratios shows how much the machine's load moved meanwhile.
    pairs = zip(runs["noop"], runs["event_api"], strict=True)
    log("ratio per round: " + ", ".join(f"{e['rps'] / n['rps']:.2f}" for n, e in pairs if n["rps"]))
    log(f"load average after: {load_average()}")

    noop, event = results["noop"], results["event_api"]
    return {
        "noop_rps": f"{noop['rps']:.1f}",
        "event_api_rps": f"{event['rps']:.1f}",
        "event_api_p95_ms": f"{event['p95_ms']:.2f}",
        "noop_p95_ms": f"{noop['p95_ms']:.2f}",
        "ratio": f"{event['rps'] / noop['rps']:.2f}" if noop["rps"] else "nan",
        "event_api_queries": event_api_queries,
        "errors": noop["errors"] + event["errors"],
        "duration_s": f"{time.monotonic() - started:.1f}",
    }


def create_token() -> str:
    """A plain signed-in user (no role, not a superuser) and their API token's key."""
    from accounts.models import User
    from accounts.services import api_token_create

    user = User.objects.create_user(BENCH_USER_EMAIL, password=None, display_name="Bench")
    return api_token_create(user=user, name="bench", days=7)[1]


def count_event_api_queries(token: str) -> int:
    """SQL queries of one event-detail request, in-process against the bench database."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_AUTHORIZATION=f"Token {token}",
        HTTP_ACCEPT="application/json",
    )
    counts = []
    # The first request may pay one-off costs (caches filled per process); the second
    # shows what every request under load costs.
    for _ in range(2):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(EVENT_PATH)
        if response.status_code != 200:
            raise BenchError(f"GET {EVENT_PATH} in-process answered {response.status_code}")
        counts.append(len(captured.captured_queries))
    log(f"event-detail API queries: first request {counts[0]}, then {counts[1]}")
    for query in captured.captured_queries:
        log(f"  {query['sql'][:160]}")
    connections.close_all()  # no idle connection of ours alongside the server's
    return counts[-1]


def check_answers_json(url: str, headers) -> None:
    """Fail fast unless `url` answers 200 with JSON: a 401, a redirect or an HTML error
    page is cheap to serve and would be measured as a fast view."""
    status, content_type, body = http_get(url, headers)
    if status != 200 or not content_type.startswith("application/json"):
        raise BenchError(f"GET {url} answered {status} {content_type}: {body[:200]!r}")
    json.loads(body)
