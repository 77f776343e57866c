"""Production settings: refuse to start half-configured, and pass Django's deploy checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "k8#Zq2!vR7pL0wX4nB6yT1uM3sD9fG5hJ-production-like-test-key",
    "ALLOWED_HOSTS": "hackathon.example.org",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/civichack",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
}


def _manage(*args, env):
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k not in ("DEBUG", "REQUIRE_SERVICES")
    }
    return subprocess.run(  # noqa: S603 — our own manage.py with fixed arguments
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=clean | env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_check_deploy_passes_at_warning_level():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr + result.stdout


def test_production_without_required_variables_refuses_to_start():
    env = dict(PRODUCTION_ENV)
    del env["SECRET_KEY"], env["CELERY_BROKER_URL"]

    result = _manage("check", env=env)

    assert result.returncode != 0
    assert "SECRET_KEY, CELERY_BROKER_URL" in result.stderr


def test_production_cache_defaults_to_shared_redis():
    code = "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])"

    result = _manage("shell", "-c", code, env=PRODUCTION_ENV)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "django.core.cache.backends.redis.RedisCache"


def _setting(expression, env):
    code = f"from django.conf import settings; print({expression})"
    result = _manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_site_url_follows_the_demo_host_and_port():
    assert _setting("settings.SITE_URL", {"HOST": "127.0.0.2", "PORT": "8123"}) == (
        "http://127.0.0.2:8123"
    )
    assert _setting("settings.SITE_URL", {"PORT": "8123", "SITE_URL": "https://x.org/"}) == (
        "https://x.org"
    )
    wildcard = {"HOST": "0.0.0.0", "PORT": "8080"}  # noqa: S104 (an environment value)
    assert _setting("settings.SITE_URL", wildcard) == ("http://127.0.0.1:8080")


def test_benchmark_urls_are_chosen_only_when_asked():
    assert _setting("settings.ROOT_URLCONF", {}) == "hackathon.urls"
    assert _setting("settings.ROOT_URLCONF", {"BENCHMARK_VIEWS": "1"}) == "hackathon.bench_urls"


def test_django_records_reach_one_console_handler():
    code = (
        "import logging; logger = logging.getLogger('django.request'); n = 0\n"
        "while logger:\n"
        "    n += len(logger.handlers)\n"
        "    logger = logger.parent if logger.propagate else None\n"
        "print(n)"
    )
    result = _manage("shell", "-c", code, env={"DEBUG": "1"})

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "1"
