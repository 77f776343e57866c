"""Computing an event's judging results from its scores, against fetching those scores.

A fresh benchmark database (migrated once, before anything is timed) holds two events,
each with the default rubric (six criteria) and 50 judges: one with 100 submissions, one
with 500, each submission scored on every criterion by 5 judges (its judges chosen in
turn, so loads are equal), values drawn with a fixed seed from a quality per submission
plus a leniency per judge (some lenient, some harsh). In this warm process, alternating
rounds time `judging.selectors.event_results` at 500 submissions without the bootstrap
(nine queries while judging is open: criteria, the sheets' stored totals, the sheets that
count with their conflicts, and absences; then the normalisation and ranking), and
fetching the score rows as tuples (`values_list` of judge, submission, criterion,
value); the medians are compared.
The SQL queries of the results are counted at both sizes. The bootstrap's rank intervals
(1,000 resamples) are timed apart, on the judges-by-submissions matrices of the 500.
Knobs: BENCH_DATABASE_URL, BENCH_SEED (default 2024), BENCH_ROUNDS (3).
"""

import datetime
import time

from bench.harness import (
    database_url,
    env_number,
    fresh_database,
    load_average,
    log,
    manage,
    median_of,
    server_env,
    setup_django,
)

NAME = "leaderboard"
DATABASE_NAME = "civichack_bench_leaderboard"
JUDGES = 50
JUDGES_PER_SUBMISSION = 5
SIZES = (100, 500)


def seed_event(*, submissions: int, seed: int):
    """An event with the default rubric, JUDGES judges and `submissions` submissions,
    each scored by JUDGES_PER_SUBMISSION of them on every criterion. Needs setup_django."""
    import numpy as np
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from events.models import Event
    from judging.models import Assignment, Judge, Score, ScoreSheet
    from judging.services.totals import sheet_totals_refresh
    from submissions.models import Submission
    from teams.models import Team

    starts = timezone.now().replace(microsecond=0) - datetime.timedelta(days=1)
    event = Event.objects.create(
        name=f"Bench {submissions}",
        slug=f"bench-{submissions}",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=8),
        capacity=submissions * 4,
        registration_opens_at=starts - datetime.timedelta(weeks=6),
        registration_closes_at=starts - datetime.timedelta(days=2),
        is_published=True,
    )  # its default rubric comes from Event's post_save signal
    criteria = list(event.criteria.all())
    users = get_user_model().objects.bulk_create(
        get_user_model()(email=f"judge{n}.{submissions}@example.org", display_name=f"Judge {n}")
        for n in range(JUDGES)
    )
    judges = Judge.objects.bulk_create(Judge(event=event, user=user) for user in users)
    teams = Team.objects.bulk_create(
        Team(event=event, name=f"Team {n}", invite_code=f"bench{submissions}x{n}")
        for n in range(submissions)
    )
    entries = Submission.objects.bulk_create(
        Submission(event=event, team=team, title=f"Entry {n}", status="locked")
        for n, team in enumerate(teams)
    )
    rng = np.random.default_rng(seed)
    quality = rng.normal(0, 0.8, len(entries))
    leniency = rng.normal(0, 0.6, JUDGES)
    # Only an assigned judge's sheet counts in the results, so each sheet has its assignment.
    Assignment.objects.bulk_create(
        Assignment(judge=judges[(n * JUDGES_PER_SUBMISSION + k) % JUDGES], submission=entry)
        for n, entry in enumerate(entries)
        for k in range(JUDGES_PER_SUBMISSION)
    )
    sheets = ScoreSheet.objects.bulk_create(
        ScoreSheet(judge=judges[(n * JUDGES_PER_SUBMISSION + k) % JUDGES], submission=entry)
        for n, entry in enumerate(entries)
        for k in range(JUDGES_PER_SUBMISSION)
    )
    scores = []
    for index, sheet in enumerate(sheets):
        entry = index // JUDGES_PER_SUBMISSION
        judge = (entry * JUDGES_PER_SUBMISSION + index % JUDGES_PER_SUBMISSION) % JUDGES
        noise = rng.normal(0, 0.5, len(criteria))
        for criterion, wobble in zip(criteria, noise, strict=True):
            value = 3 + quality[entry] + leniency[judge] + wobble
            bounded = int(np.clip(round(value), criterion.scale_min, criterion.scale_max))
            scores.append(Score(sheet=sheet, criterion=criterion, value=bounded))
    Score.objects.bulk_create(scores, batch_size=5000)
    sheet_totals_refresh(event_id=event.pk)  # as saving each sheet would
    return event


def fetch_scores(event) -> list:
    from judging.models import Score

    return list(
        Score.objects.filter(sheet__judge__event=event).values_list(
            "sheet__judge_id", "sheet__submission_id", "criterion_id", "value"
        )
    )


def results_queries(event) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from judging.selectors import event_results

    with CaptureQueriesContext(connection) as captured:
        event_results(event, resamples=0)
    return len(captured.captured_queries)


def run() -> dict[str, object]:
    seed = int(env_number("BENCH_SEED", 2024))
    rounds = int(env_number("BENCH_ROUNDS", 3))
    log(f"load average at start: {load_average()}")
    env = server_env(fresh_database(database_url(DATABASE_NAME)))
    manage(env, "migrate", "--noinput")
    setup_django(env)
    from judging.results import rank_intervals, sheets_compute
    from judging.selectors import criterion_specs, event_results

    started = time.perf_counter()
    events = {size: seed_event(submissions=size, seed=seed + size) for size in SIZES}
    largest = events[max(SIZES)]
    rows = fetch_scores(largest)
    log(f"seeded {len(SIZES)} events in {time.perf_counter() - started:.1f}s; "
        f"{len(rows):,} scores at {max(SIZES)} submissions")  # fmt: skip

    queries = {size: results_queries(event) for size, event in events.items()}
    results = event_results(largest, resamples=0)
    log(f"ranked {len(results.submissions)} submissions; first "
        f"{results.submissions[0].normalised:.1f} normalised, "
        f"{results.submissions[0].raw:.1f} raw")  # fmt: skip
    timings = median_of(
        {
            "compute": lambda: event_results(largest, resamples=0),
            "fetch": lambda: fetch_scores(largest),
        },
        rounds,
    )
    for key, timing in timings.items():
        runs = ", ".join(f"{seconds:.4f}" for seconds in timing["runs_s"])
        log(f"{key}: median {timing['median_s']:.4f}s (rounds {runs})")

    sheets = sheets_compute(criteria=criterion_specs(largest), scores=rows)
    bootstrap = median_of(
        {"bootstrap": lambda: rank_intervals(totals=sheets.totals, normalised=sheets.normalised)},
        rounds,
    )["bootstrap"]
    log(f"bootstrap: median {bootstrap['median_s']:.4f}s")

    from django.db import connections

    connections.close_all()
    log(f"load average at end: {load_average()}")
    compute_s, fetch_s = timings["compute"]["median_s"], timings["fetch"]["median_s"]
    return {
        "submissions": max(SIZES),
        "scores": len(rows),
        "compute_s": f"{compute_s:.4f}",
        "fetch_s": f"{fetch_s:.4f}",
        "ratio": f"{compute_s / fetch_s:.2f}",
        "queries_100": queries[100],
        "queries_500": queries[500],
        "bootstrap_s": f"{bootstrap['median_s']:.4f}",
    }
