"""The pure parts of `python -m bench registration_burst` (no wrk, gunicorn or database)."""

import json
import os
import sys

import pytest
from django.db import connection

from bench.harness import BenchError, _run_until, abba, analyze_database
from bench.registration_burst import (
    all_answered,
    answer_set,
    broker_url,
    registration_body,
    run_errors,
    script_fields,
    split_evenly,
    token_count,
    write_token_files,
)
from registration.enums import REQUIRED_CONSENTS, QuestionKind
from registration.models import Question
from registration.questionnaire import DEFAULT_QUESTIONS, answers_clean
from tests.factories import UserFactory


@pytest.mark.parametrize(("count", "parts"), [(10, 2), (10_000, 4), (7, 3), (2, 4), (0, 2)])
def test_split_evenly_keeps_order_and_balances_sizes(count, parts):
    items = [f"token-{n}" for n in range(count)]

    shares = split_evenly(items, parts)

    assert len(shares) == parts
    assert [item for share in shares for item in share] == items
    assert max(map(len, shares)) - min(map(len, shares)) <= 1


def test_token_files_give_each_thread_its_own_tokens(tmp_path):
    tokens = [f"key{n:04d}" for n in range(101)]

    directory = write_token_files(tmp_path / "round-1", tokens, threads=2)

    first = (directory / "tokens-1.txt").read_text().split()
    second = (directory / "tokens-2.txt").read_text().split()
    assert sorted(first + second) == tokens
    assert not set(first) & set(second)
    assert {len(first), len(second)} == {50, 51}
    assert token_count(directory) == 101


def test_all_answered_needs_every_thread(tmp_path):
    (tmp_path / "answered-1").touch()
    assert not all_answered(tmp_path, 2)

    (tmp_path / "answered-2").touch()
    assert all_answered(tmp_path, 2)


def _questions(specs):
    return [
        Question(pk=pk, label=f"Question {pk}", kind=kind, choices=choices, required=required)
        for pk, (kind, choices, required) in enumerate(specs, start=1)
    ]


def test_answer_set_passes_the_questionnaires_own_checks():
    questions = _questions(
        [
            (QuestionKind.SHORT_TEXT, [], True),
            (QuestionKind.LONG_TEXT, [], False),
            (QuestionKind.SINGLE_CHOICE, ["Tea", "Coffee"], True),
            (QuestionKind.MULTIPLE_CHOICE, ["Python", "R", "SQL"], True),
            (QuestionKind.YES_NO, [], True),
            (QuestionKind.NUMBER, [], True),
        ]
    )

    answers = answer_set(questions)

    cleaned = answers_clean(questions=questions, raw=answers)
    assert [question.pk for question, _ in cleaned] == [1, 2, 3, 4, 5, 6]
    assert answers["3"] == "Tea"
    assert answers["4"] == ["Python", "R"]


def test_answer_set_answers_the_default_questionnaire():
    questions = [
        Question(pk=pk, label=label, kind=kind, required=required, choices=choices)
        for pk, (label, kind, required, _, choices, _) in enumerate(DEFAULT_QUESTIONS, start=10)
    ]

    cleaned = answers_clean(questions=questions, raw=answer_set(questions))

    assert len(cleaned) == len(DEFAULT_QUESTIONS)


def test_answer_set_refuses_a_kind_it_cannot_answer():
    question = Question(pk=1, label="Upload your CV", kind="file", required=True)

    with pytest.raises(BenchError, match="file"):
        answer_set([question])


def test_registration_body_has_answers_one_theme_and_the_required_consents():
    questions = _questions([(QuestionKind.SINGLE_CHOICE, ["Yes", "No"], True)])

    body = json.loads(registration_body(questions, ["transport", "housing"]))

    assert body["answers"] == {"1": "Yes"}
    assert body["theme_interests"] == ["transport"]
    assert set(body["consents"]) >= REQUIRED_CONSENTS


def _run(statuses: str, **socket_errors):
    errors = {"connect": 0, "read": 0, "write": 0, "status": 0, "timeout": 0, **socket_errors}
    return {
        "errors_by_kind": errors,
        "script_lines": {"WRKSTATUS": statuses, "WRKTOKENS": "sent=12"},
    }


def test_script_fields_reads_status_counts_and_tokens():
    run = _run("201=9 200=1 503=2")

    assert script_fields(run, "WRKSTATUS") == {201: 9, 200: 1, 503: 2}
    assert script_fields(run, "WRKTOKENS") == {"sent": 12}
    assert script_fields(run, "WRKMISSING") == {}


def test_run_errors_counts_every_non_2xx_answer_once_and_socket_errors():
    # wrk's own "status" count (4xx and 5xx) is already among the answers by status.
    run = _run("201=9 200=1 302=1 401=2 503=3", status=5, read=1, timeout=2)

    assert run_errors(run) == 1 + 2 + 3 + 1 + 2


def test_run_errors_is_zero_for_a_clean_run():
    assert run_errors(_run("201=2000 200=3")) == 0


def test_broker_url_defaults_to_a_database_of_its_own(monkeypatch):
    monkeypatch.delenv("BENCH_BROKER_URL", raising=False)

    assert broker_url() == "redis://127.0.0.1:6379/9"


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379", "memory://"])
def test_broker_url_refuses_what_it_must_not_flush(monkeypatch, url):
    monkeypatch.setenv("BENCH_BROKER_URL", url)

    with pytest.raises(BenchError, match="other than 0"):
        broker_url()


def test_abba_alternates_the_order_of_the_targets():
    assert abba(["noop", "registration"], 4) == [
        ["noop", "registration"],
        ["registration", "noop"],
        ["noop", "registration"],
        ["registration", "noop"],
    ]


def test_run_until_interrupts_once_stop_when_holds(tmp_path):
    # Like wrk, the child only honours SIGINT once it is ready, then reports and exits 0.
    ready = tmp_path / "ready"
    child = (
        "import signal, sys, time\n"
        "signal.signal(signal.SIGINT, lambda *_: (print('stopped early'), sys.exit(0)))\n"
        f"open({str(ready)!r}, 'w').close()\n"
        "time.sleep(30)\n"
    )

    returncode, stdout, _ = _run_until([sys.executable, "-c", child], 20, ready.exists)

    assert returncode == 0
    assert stdout.strip() == "stopped early"


def test_run_until_gives_up_after_its_timeout():
    with pytest.raises(BenchError, match="did not finish"):
        _run_until([sys.executable, "-c", "import time; time.sleep(30)"], 0.3, None)


def test_run_until_leaves_no_wrk_behind_when_interrupted(tmp_path):
    pid_file = tmp_path / "pid"
    child = (
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(30)\n"
    )

    def interrupted():
        if pid_file.exists() and pid_file.read_text():
            raise KeyboardInterrupt
        return False

    with pytest.raises(KeyboardInterrupt):
        _run_until([sys.executable, "-c", child], 20, interrupted)

    with pytest.raises(ProcessLookupError):
        os.kill(int(pid_file.read_text()), 0)


def test_run_until_sends_sigint_once_and_waits_for_the_report(tmp_path):
    # The child takes a while to report after SIGINT; a second SIGINT would kill it (-2).
    ready = tmp_path / "ready"
    child = (
        "import signal, sys, time\n"
        "def stop(*_):\n"
        "    signal.signal(signal.SIGINT, signal.SIG_DFL)\n"
        "    time.sleep(0.3)\n"
        "    print('stopped early')\n"
        "    sys.exit(0)\n"
        "signal.signal(signal.SIGINT, stop)\n"
        f"open({str(ready)!r}, 'w').close()\n"
        "time.sleep(30)\n"
    )

    returncode, stdout, _ = _run_until([sys.executable, "-c", child], 20, ready.exists)

    assert (returncode, stdout.strip()) == (0, "stopped early")


@pytest.mark.postgres
@pytest.mark.django_db
def test_analyze_database_gives_the_planner_the_seeded_row_counts():
    UserFactory.create_batch(7)

    analyze_database()

    with connection.cursor() as cursor:
        cursor.execute("SELECT reltuples FROM pg_class WHERE relname = 'accounts_user'")
        assert cursor.fetchone()[0] == 7
