"""Shared test set-up: service markers, the Celery mode, and the clients of each role.

Tests marked postgres, redis, worker or browser need that service. Without it they are
skipped with the reason, unless REQUIRE_SERVICES=1 (as in CI), which makes them fail.
"""

import io
import os
import shutil
from contextlib import contextmanager
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from events.enums import RoleKind
from hackathon.celery import app as celery_app
from tests.factories import EventRoleFactory

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _postgres_missing():
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "DATABASE_URL does not point at PostgreSQL"
    return None


def _redis_missing():
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis"):
        return "CELERY_BROKER_URL does not point at Redis"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1).ping()
    except redis.RedisError as error:
        return f"Redis at {url} does not answer: {error}"
    return None


def _browser_missing():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401 — only checking that it is installed
    except ImportError:
        return "the playwright package is not installed"
    return None


def _worker_missing():
    return _postgres_missing() or _redis_missing()


SERVICE_CHECKS = {
    "postgres": _postgres_missing,
    "redis": _redis_missing,
    "worker": _worker_missing,
    "browser": _browser_missing,
}


def pytest_runtest_setup(item):
    for marker, missing in SERVICE_CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = missing()
        if reason is None:
            continue
        if REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but {marker} is unavailable: {reason}")
        pytest.skip(f"{marker} unavailable: {reason}")


@pytest.fixture(autouse=True)
def _celery_eager_unless_worker(request):
    """Tasks run in-process in tests; only `worker` tests publish to a real broker."""
    eager = request.node.get_closest_marker("worker") is None
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = eager
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture(autouse=True, scope="session")
def _broker_of_this_xdist_worker():
    """Each xdist worker's real-worker tests use a Redis database of their own (the
    configured one plus the worker's number): two Celery workers started at once on one
    database would take each other's messages, and a task for the other test's database
    finds nothing to do. The Celery workers the tests start inherit it (os.environ)."""
    from django.test import override_settings

    url = settings.CELERY_BROKER_URL
    number = os.environ.get("PYTEST_XDIST_WORKER", "").removeprefix("gw")
    if not url.startswith("redis") or not number.isdigit():
        yield
        return
    parts = urlsplit(url)
    own = urlunsplit(parts._replace(path=f"/{int(parts.path.strip('/') or 0) + int(number)}"))
    os.environ["CELERY_BROKER_URL"] = celery_app.conf.broker_url = own
    with override_settings(CELERY_BROKER_URL=own):
        yield
    os.environ["CELERY_BROKER_URL"] = celery_app.conf.broker_url = url


@pytest.fixture(autouse=True, scope="session")
def _media_in_temporary_directory(tmp_path_factory):
    """Uploads made by tests (the authorization matrix's world included) land in a
    temporary directory, never in the checkout's media/."""
    from django.test import override_settings

    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


def _is_transactional(request) -> bool:
    marker = request.node.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def _rows_of_data_migrations(request):
    """A transactional test empties the database when it ends, the rows data migrations
    made included; the next one on the same worker would miss them. Each transactional
    test starts with the rows the catalogue relies on (its editors' group, CKAN's
    licences), as a migrated database has them."""
    if not _is_transactional(request):
        return
    request.getfixturevalue("transactional_db")
    from django.contrib.auth.models import Group

    from datasets.licences import licences_ensure
    from datasets.rules import CATALOGUE_EDITORS

    Group.objects.get_or_create(name=CATALOGUE_EDITORS)
    licences_ensure()


@pytest.fixture(autouse=True)
def _fresh_cache():
    """allauth counts login attempts in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield


FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 at its production cost would dominate a suite that creates many accounts.

    Checking a password still works (sign-in, account deletion), only cheaply.
    """
    settings.PASSWORD_HASHERS = FAST_PASSWORD_HASHERS


@contextmanager
def kept_for_the_module(django_db_blocker):
    """Data made once for a test module (and xdist worker), inside a transaction that
    stays open while the module's tests run: each test's own transaction nests in it as
    a savepoint and is rolled back, so every test sees the data as made. The outer
    transaction is rolled back at the end, so nothing of it reaches other modules. Its
    on-commit work never runs, as in any test that does not capture it."""
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_PASSWORD_HASHERS):
        outer = transaction.atomic()
        outer.__enter__()
        try:
            yield
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            celery_app.conf.task_always_eager = eager


@pytest.fixture(scope="module")
def _demo_of_the_module(django_db_setup, django_db_blocker):
    with kept_for_the_module(django_db_blocker):
        call_command("seed_demo", stdout=io.StringIO())
        yield


@pytest.fixture
def demo_seeded(_demo_of_the_module, db):
    """The demo as `manage.py seed_demo` makes it, seeded once for the module's tests
    (seeding takes seconds): each test changes it only within its own transaction."""


@pytest.fixture
def celery_worker(transactional_db, tmp_path):
    """Starts real Celery workers (tests/worker.py: prefork, both queues) on this test's
    database: `celery_worker(NAME=value, ...)` adds environment variables and returns the
    worker. Each is stopped when the test ends, and the broker emptied before and after."""
    from django.db import connection

    from tests.worker import clear_broker, start_worker

    clear_broker()
    started = []

    def start(**env):
        started.append(start_worker(tmp_path, env=env))
        return started[-1]

    yield start
    for worker in started:
        worker.stop()
    clear_broker()
    connection.close()


@pytest.fixture
def organiser(client, db):
    """An organiser's role in a published event, with `client` signed in as them."""
    role = EventRoleFactory(role=RoleKind.ORGANISER)
    client.force_login(role.user)
    return role
