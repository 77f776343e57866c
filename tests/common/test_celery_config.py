import ast
from pathlib import Path

from django.conf import settings

from common.retry import retry_countdown
from hackathon.celery import app

ROOT = Path(__file__).resolve().parents[2]
APP_DIRS = ["common", "accounts", "events", "hackathon"]


def test_celery_delivery_settings_are_at_least_once_and_fair():
    conf = app.conf
    assert conf.task_serializer == "json"
    assert conf.accept_content == ["json"]
    assert conf.task_acks_late is True
    assert conf.task_reject_on_worker_lost is True
    assert conf.worker_prefetch_multiplier == 1
    assert 0 < conf.task_soft_time_limit < conf.task_time_limit
    assert conf.result_backend == "django-db"
    assert conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_visibility_timeout_exceeds_longest_countdown_and_time_limit():
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    longest_retry = max(retry_countdown(n) for n in range(50))

    assert longest_retry == settings.CIVICHACK_MAX_TASK_COUNTDOWN
    assert visibility > longest_retry + app.conf.task_time_limit


def _delay_arguments(tree):
    """(keyword, source) for every countdown= or eta= passed anywhere in the module."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg in ("countdown", "eta"):
                    yield keyword.arg, ast.unparse(keyword.value)


def test_every_task_delay_goes_through_retry_countdown():
    """Countdowns are capped in one place, so the visibility timeout covers them all."""
    found = []
    for app_dir in APP_DIRS:
        for path in (ROOT / app_dir).rglob("*.py"):
            found += [(path.name, *arg) for arg in _delay_arguments(ast.parse(path.read_text()))]

    assert found, "expected at least the outbox retry"
    assert all(
        kind == "countdown" and source.startswith("retry_countdown(") for _, kind, source in found
    ), found


def test_beat_schedule_tasks_are_registered():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)
