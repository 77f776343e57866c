"""10,000 people register for one 2,000-seat event: their rate against the no-op view's.

Each pre-created person posts one valid registration (questionnaire answers, a theme,
the required consents) with their own API token, through gunicorn, the full middleware
and the real Redis broker (the emails are published; no worker runs). The no-op view
(/api/v1/ceiling/) is measured in the same run with the same tokens-per-request script,
and the ratio is the share of its rate the registrations keep. Knobs:
BENCH_DATABASE_URL, BENCH_BROKER_URL (a Redis database this benchmark flushes, default
redis://127.0.0.1:6379/9), BENCH_USERS (10000), BENCH_CAPACITY (2000), BENCH_ROUNDS (4),
BENCH_WARMUP (s, default 3), BENCH_CONNECTIONS (50).
"""

import datetime
import itertools
import json
import os
import tempfile
import time
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

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

NAME = "registration_burst"
DATABASE_NAME = "civichack_bench_registration"
DEFAULT_BROKER = "redis://127.0.0.1:6379/9"
EVENT_SLUG = "registration-burst"
WARMUP_SLUG = "registration-burst-warm-up"
PROBE_SLUG = "registration-burst-probe"
NOOP_PATH = "/api/v1/ceiling/"
# One wrk thread (far from its limit at these rates) for both targets. With two, the
# thread done with its share of tokens first leaves connections open without a request;
# gunicorn's sync workers accept connections in arrival order and wait on such a one
# until wrk exits or the worker timeout (30 s) kills them, answering 500: seen as a
# stalled round and 500s. One Lua state runs out only once every request is sent, and the
# requests still waiting are ahead of the idle connections in the accept queue.
THREADS = 1
# Warm-up registrations go to an event of their own, by people of their own, so every
# measured request is somebody's first registration for the measured event.
WARMUP_USERS = 2000
# Well below the ~250 registrations of a 3-s warm-up here: both paths (confirmed and
# waitlisted) warm up.
WARMUP_CAPACITY = 100
# The query count is read from the second request of each path (the first may fill
# per-process caches): two confirmed, then two waitlisted.
PROBE_CAPACITY = 2
PROBE_USERS = 4
CONSENTS = ("code_of_conduct", "privacy")
THEMES = {"transport": "Transport", "housing": "Housing"}  # slug: name, on every event
HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
SOCKET_ERRORS = ("connect", "read", "write", "timeout")

# Appended to harness.WRK_SCRIPT. Each request carries the next token of its thread's
# share (tokens-<thread id>.txt, one per line), so no token is used by two requests.
# init(args): the token directory, the method, a file holding the body ("" for none),
# and "once" (each token once; then the connection idles) or "cycle" (round and round).
# With "once", a thread writes answered-<id> into the directory once every token it
# had has been answered, which is how the harness knows to stop wrk.
REQUEST_SCRIPT = """
local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
  thread:set("id", #threads)
end

local dir, method, body, cycle, headers, tokens, reserved, answered
-- sent, untokened and statuses are globals: done() reads them with thread:get.

local function mark_answered()
  local file = assert(io.open(dir .. "/answered-" .. id, "w"))
  file:close()
end

function init(args)
  dir, method, cycle = args[1], args[2], args[4] == "cycle"
  if args[3] ~= "" then
    local file = assert(io.open(args[3], "rb"))
    body = file:read("*a")
    file:close()
  end
  tokens = {}
  for line in io.lines(dir .. "/tokens-" .. id .. ".txt") do tokens[#tokens + 1] = line end
  headers = {}
  for name, value in pairs(wrk.headers) do headers[name] = value end
  reserved, sent, untokened, answered, statuses = 0, 0, 0, 0, {}
  if #tokens == 0 and not cycle then mark_answered() end
end

-- wrk asks before each request of a connection; reserving the token here means two
-- connections cannot both count on the last one. Without a token left the connection
-- waits (an hour: until wrk stops) instead of sending a request nobody may send.
function delay()
  if cycle or reserved < #tokens then
    reserved = reserved + 1
    return 0
  end
  return 3600000
end

-- Only a reserved request gets a token. wrk calls this once, unsent, to check the
-- script before anything is reserved; any other call without a reservation comes from a
-- connection the server closed without an answer, and its request goes out without a
-- token: answered 401, so counted as an error, and reported as untokened.
function request()
  if sent < reserved then
    sent = sent + 1
    headers["Authorization"] = "Token " .. tokens[(sent - 1) % #tokens + 1]
  else
    if reserved > 0 then untokened = untokened + 1 end
    headers["Authorization"] = nil
  end
  return wrk.format(method, nil, headers, body)
end

function response(status)
  statuses[status] = (statuses[status] or 0) + 1
  answered = answered + 1
  if not cycle and answered == #tokens then mark_answered() end
end

local report_latency = done
done = function(summary, latency, requests)
  report_latency(summary, latency, requests)
  local counts, parts, used, without = {}, {}, 0, 0
  for _, thread in ipairs(threads) do
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
    used = used + thread:get("sent")
    without = without + thread:get("untokened")
  end
  for status, n in pairs(counts) do parts[#parts + 1] = string.format("%d=%d", status, n) end
  io.write(string.format("WRKTOKENS sent=%d untokened=%d\\n", used, without))
  io.write("WRKSTATUS ", table.concat(parts, " "), "\\n")
end
"""


def run() -> dict[str, object]:
    started = time.monotonic()
    require_wrk()  # fail before the slow database setup, not after it
    users = int(env_number("BENCH_USERS", 10000))
    capacity = int(env_number("BENCH_CAPACITY", 2000))
    rounds = max(1, int(env_number("BENCH_ROUNDS", 4)))
    warmup = env_number("BENCH_WARMUP", 3)
    connections = int(env_number("BENCH_CONNECTIONS", 50))
    broker = broker_url()
    log(f"load average before: {load_average()} on {os.cpu_count()} cores")

    broker_flush(broker)
    try:
        env = server_env(fresh_database(database_url(DATABASE_NAME)), CELERY_BROKER_URL=broker)
        manage(env, "migrate", "--noinput")
        setup_django(env)
        seeded = seed(users=users, capacity=capacity)
        analyze_database()
        queries = count_registration_queries(seeded["probe_body"], seeded["probe_tokens"])
        with tempfile.TemporaryDirectory(prefix="bench-registration-") as workdir:
            runs, statuses, sent = measure(
                env, seeded, Path(workdir), rounds=rounds, warmup=warmup, connections=connections
            )
        published = broker_queued(broker)
    finally:
        broker_flush(broker)
    outcome = count_outcome(capacity)
    log(f"load average after: {load_average()}")

    registration, noop = merge_runs(runs["registration"]), merge_runs(runs["noop"])
    errors = sum(run_errors(run) for key_runs in runs.values() for run in key_runs)
    if published != outcome["emails"]:
        log(f"WARNING: {outcome['emails']} emails stored, {published} published")
    if sent != users:
        log(f"WARNING: only {sent} of {users} tokens were sent")
    if registration["duration_s"] < 10:
        log(f"WARNING: the burst took {registration['duration_s']:.1f}s, under 10s")
    return {
        "rps": f"{registration['rps']:.1f}",
        "p50_ms": f"{registration['p50_ms']:.2f}",
        "p95_ms": f"{registration['p95_ms']:.2f}",
        "noop_rps": f"{noop['rps']:.1f}",
        "ratio": f"{registration['rps'] / noop['rps']:.2f}" if noop["rps"] else "nan",
        "confirmed": outcome["confirmed"],
        "waitlisted": outcome["waitlisted"],
        "capacity": capacity,
        "errors": errors,
        "registered": outcome["registered"],
        "repeats": statuses.get(200, 0),
        "queries": queries["confirmed"],
        "queries_waitlisted": queries["waitlisted"],
        "published": published,
        "measured_s": f"{registration['duration_s']:.1f}",
        "noop_p95_ms": f"{noop['p95_ms']:.2f}",
        "duration_s": f"{time.monotonic() - started:.1f}",
    }


def measure(env, seeded, workdir: Path, *, rounds, warmup, connections):
    """Warm up, then alternate registration and no-op rounds; returns the wrk runs, the
    registration answers by status and how many measured tokens were sent."""
    noop_dir = write_token_files(workdir / "noop", seeded["warmup_tokens"], THREADS)
    warmup_dir = write_token_files(workdir / "warm-up", seeded["warmup_tokens"], THREADS)
    round_dirs = [
        write_token_files(workdir / f"round-{number}", chunk, THREADS)
        for number, chunk in enumerate(split_evenly(seeded["tokens"], rounds), start=1)
    ]
    body_file, warmup_body_file = workdir / "body.json", workdir / "warm-up-body.json"
    body_file.write_text(seeded["body"])
    warmup_body_file.write_text(seeded["warmup_body"])

    def load(url, directory, seconds, *, method="GET", body=None, once=False):
        return run_wrk(
            url,
            HEADERS,
            seconds,
            connections,
            threads=THREADS,
            script=REQUEST_SCRIPT,
            script_args=[str(directory), method, str(body or ""), "once" if once else "cycle"],
            stop_when=(lambda: all_answered(directory, THREADS)) if once else None,
        )

    runs = {"noop": [], "registration": []}
    statuses: Counter[int] = Counter()
    sent = 0
    server_log = workdir / "gunicorn.log"
    with start_gunicorn(env, workers=2, log_path=server_log) as base_url:
        check_broker_in_use(base_url)
        noop_url = base_url + NOOP_PATH
        event_url = f"{base_url}/api/v1/events/{EVENT_SLUG}/register/"
        warmup_url = f"{base_url}/api/v1/events/{WARMUP_SLUG}/register/"
        log(f"warming up for {warmup:.0f}s per target")
        load(noop_url, noop_dir, warmup)
        warm = load(warmup_url, warmup_dir, warmup, method="POST", body=warmup_body_file)
        log(f"warm-up registrations: {describe(warm)}, answers {script_fields(warm, 'WRKSTATUS')}")
        if run_errors(warm):
            raise BenchError(f"warm-up registrations failed: {script_fields(warm, 'WRKSTATUS')}")
        # Only bounds a round that would never finish: a registration round ends when its
        # tokens are answered, and every no-op round lasts as long as the registration
        # round before it (registration first: R N, N R, R N, ...).
        rate = max(warm["rps"], 1.0)
        log(f"measuring {rounds} rounds at {connections} connections")
        for number, order in enumerate(abba(["registration", "noop"], rounds), start=1):
            for key in order:
                if key == "noop":
                    last = runs["registration"][-1]
                    run = load(noop_url, noop_dir, max(2, round(last["duration_s"])))
                else:
                    directory = round_dirs[number - 1]
                    limit = max(60.0, 5 * token_count(directory) / rate)
                    run = load(
                        event_url, directory, limit, method="POST", body=body_file, once=True
                    )
                    statuses.update(script_fields(run, "WRKSTATUS"))
                    sent += script_fields(run, "WRKTOKENS")["sent"]
                runs[key].append(run)
                answers, tokens = script_fields(run, "WRKSTATUS"), script_fields(run, "WRKTOKENS")
                log(f"round {number} {key}: {describe(run)}, answers {answers}, tokens {tokens}")
    report_server_errors(server_log)
    pairs = zip(runs["noop"], runs["registration"], strict=True)
    log("ratio per round: " + ", ".join(f"{r['rps'] / n['rps']:.2f}" for n, r in pairs if n["rps"]))
    return runs, statuses, sent


# --- Setting up -------------------------------------------------------------------------


def broker_url() -> str:
    """BENCH_BROKER_URL or the default; a Redis database other than 0, as it is flushed
    (0 is the one the project's README and tests use)."""
    from urllib.parse import urlsplit

    url = os.environ.get("BENCH_BROKER_URL") or DEFAULT_BROKER
    parts = urlsplit(url)
    if parts.scheme != "redis" or parts.path.strip("/") in ("", "0"):
        raise BenchError(
            f"BENCH_BROKER_URL must name a Redis database other than 0 (it is flushed): {url}"
        )
    return url


def seed(*, users: int, capacity: int) -> dict:
    """The three events and their people, created in-process; tokens and request bodies."""
    from django.db import connections

    slugs = {EVENT_SLUG: capacity, WARMUP_SLUG: WARMUP_CAPACITY, PROBE_SLUG: PROBE_CAPACITY}
    events = {slug: create_event(slug, seats) for slug, seats in slugs.items()}
    log(f"creating {users + WARMUP_USERS + PROBE_USERS} people with verified emails and tokens")
    seeded = {
        "tokens": create_people("burst", users),
        "warmup_tokens": create_people("warm-up", WARMUP_USERS),
        "probe_tokens": create_people("probe", PROBE_USERS),
    }
    for key, slug in (
        ("body", EVENT_SLUG),
        ("warmup_body", WARMUP_SLUG),
        ("probe_body", PROBE_SLUG),
    ):
        seeded[key] = registration_body(list(events[slug].questions.all()), list(THEMES))
    connections.close_all()  # no idle connection of ours alongside the server's
    return seeded


def create_event(slug: str, capacity: int):
    """A published event five weeks ahead, registration open, first come first served."""
    from django.utils import timezone

    from events.models import Event, Theme
    from registration.enums import AdmissionMode
    from registration.models import RegistrationPolicy

    now = timezone.now()
    starts = (now + datetime.timedelta(weeks=5)).replace(hour=9, minute=30, second=0)
    event = Event.objects.create(
        name=f"Bench {slug}",
        slug=slug,
        venue_name="Municipal Hotel",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8),
        capacity=capacity,
        registration_opens_at=now - datetime.timedelta(days=1),
        registration_closes_at=starts - datetime.timedelta(days=2),
        is_published=True,
    )
    # The policy row and the default questionnaire come from Event's post_save signal.
    if not RegistrationPolicy.objects.filter(event=event).update(mode=AdmissionMode.FIRST_COME):
        raise BenchError(f"event {slug} has no registration policy; is the signal connected?")
    Theme.objects.bulk_create(
        Theme(event=event, name=name, slug=theme_slug, order=order)
        for order, (theme_slug, name) in enumerate(THEMES.items())
    )
    return event


def create_people(prefix: str, count: int) -> list[str]:
    """`count` people with a verified primary email (registration requires one) and a
    knox API token each, in bulk; returns their token keys."""
    from allauth.account.models import EmailAddress
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from knox.models import AuthToken, get_digest_token
    from knox.settings import CONSTANTS, knox_settings

    from accounts.models import User

    people = User.objects.bulk_create(
        (
            User(
                email=f"{prefix}-{number}@bench.civichack.test",
                display_name=f"{prefix.title()} {number}",
                password=make_password(None),
            )
            for number in range(count)
        ),
        batch_size=1000,
    )
    EmailAddress.objects.bulk_create(
        (EmailAddress(user=p, email=p.email, verified=True, primary=True) for p in people),
        batch_size=1000,
    )
    # As knox's AuthToken.objects.create does, one row at a time, but in bulk.
    expiry = timezone.now() + knox_settings.TOKEN_TTL
    keys, rows = [], []
    for person in people:
        digest, key = get_digest_token()
        keys.append(key)
        rows.append(
            AuthToken(
                digest=digest,
                token_key=key[: CONSTANTS.TOKEN_KEY_LENGTH],
                user=person,
                expiry=expiry,
            )
        )
    AuthToken.objects.bulk_create(rows, batch_size=1000)
    return keys


def answer_set(questions) -> dict[str, object]:
    """A valid answer to every question (required or not), keyed by question id."""
    answers = {}
    for question in questions:
        if question.kind in ("short_text", "long_text"):
            value = "No, thank you."
        elif question.kind == "single_choice":
            value = question.choices[0]
        elif question.kind == "multiple_choice":
            value = list(question.choices[:2])
        elif question.kind == "yes_no":
            value = True
        elif question.kind == "number":
            value = 1
        else:
            raise BenchError(f"no answer for a question of kind {question.kind!r}")
        answers[str(question.pk)] = value
    return answers


def registration_body(questions, theme_slugs: Sequence[str]) -> str:
    """The JSON body of a registration: every question answered, one theme, the consents."""
    return json.dumps(
        {
            "answers": answer_set(questions),
            "theme_interests": list(theme_slugs[:1]),
            "consents": list(CONSENTS),
        }
    )


def count_registration_queries(body: str, tokens: Sequence[str]) -> dict[str, int]:
    """SQL queries of one registration request, in-process against the bench database:
    the probe event has two seats, so its four people go confirmed, confirmed,
    waitlisted, waitlisted; each path's second request is the one counted."""
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    path = f"/api/v1/events/{PROBE_SLUG}/register/"
    client = Client(HTTP_HOST="127.0.0.1", HTTP_ACCEPT="application/json")
    counted = []
    for token in tokens:
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                path, body, content_type="application/json", HTTP_AUTHORIZATION=f"Token {token}"
            )
        if response.status_code != 201:
            raise BenchError(f"POST {path} in-process answered {response.status_code}")
        counted.append((response.json()["status"], captured.captured_queries))
    connections.close_all()
    log("registration queries per request: " + ", ".join(f"{s} {len(q)}" for s, q in counted))
    for query in counted[1][1]:
        log(f"  {query['sql'][:160]}")
    statuses = [status for status, _ in counted]
    if statuses != ["confirmed", "confirmed", "waitlisted", "waitlisted"]:
        raise BenchError(f"probe registrations came out {statuses}")
    return {"confirmed": len(counted[1][1]), "waitlisted": len(counted[3][1])}


def check_broker_in_use(base_url: str) -> None:
    """The server must publish to the broker, not run tasks eagerly in the request:
    /healthz says "eager" when it would, "ok" when the broker answers."""
    status, _, body = http_get(base_url + "/healthz")
    broker = json.loads(body).get("broker") if status == 200 else None
    if broker != "ok":
        raise BenchError(f"/healthz answered {status} with broker {broker!r}, not 'ok'")


def broker_flush(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def broker_queued(url: str) -> int:
    """Messages waiting in the broker (Celery's queues are Redis lists)."""
    import redis

    client = redis.Redis.from_url(url)
    return sum(client.llen(key) for key in client.scan_iter() if client.type(key) == b"list")


# --- Tokens and results -----------------------------------------------------------------


def split_evenly(items: Sequence, parts: int) -> list[list]:
    """`items` cut into `parts` consecutive runs whose sizes differ by at most one."""
    size, extra = divmod(len(items), parts)
    bounds = [number * size + min(number, extra) for number in range(parts + 1)]
    return [list(items[start:end]) for start, end in itertools.pairwise(bounds)]


def write_token_files(directory: Path, tokens: Sequence[str], threads: int) -> Path:
    """tokens-1.txt ... tokens-<threads>.txt in `directory`, one share per wrk thread."""
    directory.mkdir(parents=True, exist_ok=True)
    for number, share in enumerate(split_evenly(tokens, threads), start=1):
        (directory / f"tokens-{number}.txt").write_text("".join(f"{t}\n" for t in share))
    return directory


def token_count(directory: Path) -> int:
    return sum(len(path.read_text().split()) for path in directory.glob("tokens-*.txt"))


def all_answered(directory: Path, threads: int) -> bool:
    return all((directory / f"answered-{number}").exists() for number in range(1, threads + 1))


def script_fields(run: dict, prefix: str) -> dict:
    """The key=value fields of the script's line `prefix`, numeric keys as ints."""
    fields = {}
    for field in run["script_lines"].get(prefix, "").split():
        key, value = field.split("=", 1)
        fields[int(key) if key.isdigit() else key] = int(value)
    return fields


def run_errors(run: dict) -> int:
    """Socket errors and every answer outside 2xx (wrk itself counts only 4xx and 5xx)."""
    statuses = script_fields(run, "WRKSTATUS")
    wrong = sum(n for status, n in statuses.items() if not 200 <= status < 300)
    return wrong + sum(run["errors_by_kind"][kind] for kind in SOCKET_ERRORS)


def report_server_errors(server_log: Path) -> None:
    """Show what the server logged as going wrong: the load generator sees only the
    status of a 500 or of a worker killed for taking too long. Django logs every 4xx and
    5xx answer as "<reason>: <path>"."""
    markers = ("Traceback", "Error", "CRITICAL", "WORKER TIMEOUT", ": /api/")
    lines = server_log.read_text(errors="replace").splitlines()
    problems = [line for line in lines if any(marker in line for marker in markers)]
    log(f"server log: {len(lines)} lines, {len(problems)} naming an error")
    for line in problems[-20:]:
        log(f"  {line[:200]}")


def count_outcome(capacity: int) -> dict[str, int]:
    """Confirmed and waitlisted from the database, checking nobody holds two
    registrations and the seat count matches what was confirmed."""
    from django.db import connections
    from django.db.models import Count, Q

    from common.models import OutboxMessage
    from registration.enums import RegistrationStatus
    from registration.models import Registration, RegistrationPolicy

    counts = Registration.objects.filter(event__slug=EVENT_SLUG).aggregate(
        registered=Count("pk"),
        people=Count("user", distinct=True),
        confirmed=Count("pk", filter=Q(status=RegistrationStatus.CONFIRMED)),
        waitlisted=Count("pk", filter=Q(status=RegistrationStatus.WAITLISTED)),
    )
    seats_held = RegistrationPolicy.objects.get(event__slug=EVENT_SLUG).seats_held
    counts["emails"] = OutboxMessage.objects.count()  # of every event, warm-up included
    connections.close_all()
    log(f"outcome: {counts}, seats held {seats_held}")
    if counts["people"] != counts["registered"]:
        log("WARNING: somebody is registered twice")
    if seats_held != counts["confirmed"] or counts["confirmed"] != capacity:
        confirmed = counts["confirmed"]
        log(f"WARNING: {confirmed} confirmed, {seats_held} seats held, capacity {capacity}")
    return counts
