import ast
import importlib
from pathlib import Path

from celery import Task
from django.apps import apps
from django.conf import settings

from common.retry import retry_countdown
from hackathon.celery import app

ROOT = Path(__file__).resolve().parents[2]


def _our_apps():
    """Every app of this project (not of an installed package), from the app registry,
    so an app added later is covered without anyone remembering to list it."""
    return [
        config
        for config in apps.get_app_configs()
        if Path(config.path).resolve().is_relative_to(ROOT)
        and "site-packages" not in Path(config.path).parts
    ]


def _source_dirs():
    """Our apps' folders and the project package (settings, the Celery app)."""
    return [Path(config.path) for config in _our_apps()] + [ROOT / "hackathon"]


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


def _task_time_limits():
    """Each registered task's hard limit: its own, else the default."""
    app.loader.import_default_modules()
    return {
        name: getattr(task, "time_limit", None) or app.conf.task_time_limit
        for name, task in app.tasks.items()
        if not name.startswith("celery.")
    }


def test_visibility_timeout_exceeds_longest_countdown_plus_every_tasks_time_limit():
    """Redis hands an unacknowledged task to another worker after the visibility timeout:
    every task, waiting out the longest countdown then running to its own hard limit, must
    be acknowledged before that, or it would run twice."""
    visibility = app.conf.broker_transport_options["visibility_timeout"]
    longest_retry = max(retry_countdown(n) for n in range(50))
    limits = _task_time_limits()

    assert longest_retry == settings.CIVICHACK_MAX_TASK_COUNTDOWN
    assert (
        limits["submissions.tasks.validate_artifact"] == settings.SUBMISSIONS_VALIDATION_TIME_LIMIT
    )
    assert limits["datasets.tasks.profile_resource"] == settings.DATASETS_PROFILE_TIME_LIMIT
    too_long = {
        name: limit for name, limit in limits.items() if limit + longest_retry >= visibility
    }
    assert not too_long, too_long


def test_validation_task_limits_and_its_reaper():
    """The soft limit comes first (the task stops its child and reports). The reaper
    takes a validation for lost only after its hard limit plus the longest a message
    waits once a worker holds it (prefetched behind one running task, up to that task's
    hard limit): one still queued there, or running, is not published twice."""
    task = app.tasks["submissions.tasks.validate_artifact"]
    requeue_after = settings.SUBMISSIONS_VALIDATION_REQUEUE_AFTER.total_seconds()

    assert 0 < task.soft_time_limit < task.time_limit
    assert requeue_after > task.time_limit + max(_task_time_limits().values())
    assert app.conf.task_routes["submissions.tasks.validate_artifact"] == {
        "queue": settings.SUBMISSIONS_VALIDATION_QUEUE
    }
    assert app.conf.task_default_queue != settings.SUBMISSIONS_VALIDATION_QUEUE
    beat = settings.CELERY_BEAT_SCHEDULE["submissions-requeue-stuck-validations"]
    assert beat["task"] == "submissions.tasks.requeue_stuck_validations"


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
    for folder in _source_dirs():
        for path in folder.rglob("*.py"):
            found += [(path.name, *arg) for arg in _delay_arguments(ast.parse(path.read_text()))]

    assert found, "expected at least the outbox retry"
    assert all(
        kind == "countdown" and source.startswith("retry_countdown(") for _, kind, source in found
    ), found


def test_beat_schedule_tasks_are_registered():
    app.loader.import_default_modules()
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}

    assert scheduled <= set(app.tasks), scheduled - set(app.tasks)


def test_scans_cover_every_app_of_the_project():
    names = {config.name for config in _our_apps()}

    assert {"common", "accounts", "events", "registration", "teams"} <= names
    assert all(folder.is_dir() for folder in _source_dirs())


def test_every_apps_tasks_are_registered_with_the_celery_app():
    """Autodiscovery finds each app's tasks module, so its tasks can be sent and scheduled."""
    app.loader.import_default_modules()
    defined = {}
    for config in _our_apps():
        if importlib.util.find_spec(f"{config.name}.tasks") is None:
            continue
        module = importlib.import_module(f"{config.name}.tasks")
        defined[config.name] = {
            value.name for value in vars(module).values() if isinstance(value, Task)
        }

    assert {"common", "registration"} <= {name for name, tasks in defined.items() if tasks}
    missing = {task for tasks in defined.values() for task in tasks} - set(app.tasks)
    assert not missing, missing
