"""Static checks that docker-compose.yml and the Dockerfile match the repository.

Nothing here starts containers or imports Django: the files are parsed as text/YAML.
"""

import re
from pathlib import Path
from urllib.parse import urlparse

import pytest
import yaml

REPO_ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"

SERVICES = ("postgres", "redis", "web", "worker", "beat")
APP_SERVICES = ("web", "worker", "beat")
BACKING_SERVICES = ("postgres", "redis")
PRODUCTION_ENV = ("DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "CELERY_BROKER_URL")

GUNICORN_TARGET = re.compile(r"\bgunicorn\s+(?:.*?\s)?([A-Za-z_][\w.]*):([A-Za-z_]\w*)")
CELERY_APP = re.compile(r"\bcelery\s+(?:-A|--app)(?:\s+|=)([A-Za-z_][\w.]*)")


def load_services():
    with COMPOSE_FILE.open(encoding="utf-8") as fh:
        compose = yaml.safe_load(fh)
    return compose["services"]


def service_environment(service):
    env = service.get("environment") or {}
    if isinstance(env, list):
        env = dict(item.split("=", 1) if "=" in item else (item, None) for item in env)
    return {key: (None if value is None else str(value)) for key, value in env.items()}


def command_text(service):
    command = service.get("command") or ""
    if isinstance(command, list):
        command = " ".join(str(part) for part in command)
    return command


def healthcheck_text(service):
    test = (service.get("healthcheck") or {}).get("test") or ""
    if isinstance(test, list):
        test = " ".join(str(part) for part in test)
    return test


def module_file(dotted):
    base = REPO_ROOT.joinpath(*dotted.split("."))
    module = base.with_suffix(".py")
    return module if module.is_file() else base / "__init__.py"


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, with backslash continuations joined."""
    instructions = []
    current = ""
    for raw in DOCKERFILE.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            current += line[:-1] + " "
            continue
        current += line
        keyword, _, args = current.partition(" ")
        instructions.append((keyword.upper(), args.strip()))
        current = ""
    return instructions


def test_compose_services_all_defined():
    services = load_services()
    missing = [name for name in SERVICES if name not in services]
    assert not missing, f"services missing from docker-compose.yml: {missing}"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_builds_from_existing_dockerfile(name):
    build = load_services()[name].get("build")
    assert build, f"{name} has no build section"
    if isinstance(build, str):
        build = {"context": build}
    context = (REPO_ROOT / build.get("context", ".")).resolve()
    dockerfile = (context / build.get("dockerfile", "Dockerfile")).resolve()
    assert dockerfile == DOCKERFILE.resolve(), f"{name} builds from {dockerfile}"
    assert dockerfile.is_file()


def test_web_command_gunicorn_target_defined():
    command = command_text(load_services()["web"])
    match = GUNICORN_TARGET.search(command)
    assert match, f"web command does not run gunicorn module:attr: {command!r}"
    module, attr = match.groups()
    assert (module, attr) == ("hackathon.wsgi", "application")
    source = module_file(module)
    assert source.is_file(), f"{source} does not exist"
    definition = re.compile(rf"^(?:{attr}\s*(?::[^=\n]*)?=|def\s+{attr}\b)", re.MULTILINE)
    assert definition.search(source.read_text(encoding="utf-8")), f"{source} lacks {attr}"


def test_web_command_migrates_with_existing_manage_py():
    command = command_text(load_services()["web"])
    assert re.search(r"\bmanage\.py\s+migrate\b", command), command
    assert (REPO_ROOT / "manage.py").is_file()


@pytest.mark.parametrize(("name", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_command_app_module_exists(name, subcommand):
    command = command_text(load_services()[name])
    match = CELERY_APP.search(command)
    assert match, f"{name} command does not run celery -A <app>: {command!r}"
    assert re.search(rf"\s{subcommand}\b", command[match.end() :]), command
    package = REPO_ROOT.joinpath(*match.group(1).split("."))
    assert (package / "celery.py").is_file(), f"{package}/celery.py does not exist"


def test_beat_command_database_scheduler_set():
    command = command_text(load_services()["beat"])
    assert "django_celery_beat.schedulers:DatabaseScheduler" in command, command


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_depends_on_healthy_backing_services(name):
    depends_on = load_services()[name].get("depends_on")
    assert isinstance(depends_on, dict), f"{name} depends_on must use the long form"
    for backing in BACKING_SERVICES:
        assert backing in depends_on, f"{name} does not depend on {backing}"
        assert (depends_on[backing] or {}).get("condition") == "service_healthy"


def test_backing_services_healthchecks_defined():
    services = load_services()
    assert "pg_isready" in healthcheck_text(services["postgres"])
    assert re.search(r"\bredis-cli\s+ping\b", healthcheck_text(services["redis"]))


def test_web_healthcheck_uses_python_urllib():
    check = healthcheck_text(load_services()["web"])
    assert "urllib" in check, check
    assert "/healthz" in check, check
    assert "curl" not in check


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_service_production_env_set(name):
    env = service_environment(load_services()[name])
    unset = [key for key in PRODUCTION_ENV if not env.get(key)]
    assert not unset, f"{name} lacks production settings: {unset}"
    assert env["DJANGO_ENV"] == "production"


@pytest.mark.parametrize("name", APP_SERVICES)
def test_database_url_host_is_postgres_service(name):
    services = load_services()
    url = urlparse(service_environment(services[name])["DATABASE_URL"])
    assert url.scheme in ("postgres", "postgresql"), url.scheme
    assert url.hostname == "postgres", url.hostname
    assert url.hostname in services


@pytest.mark.parametrize("name", APP_SERVICES)
def test_broker_url_host_is_redis_service(name):
    services = load_services()
    url = urlparse(service_environment(services[name])["CELERY_BROKER_URL"])
    assert url.scheme == "redis", url.scheme
    assert url.hostname == "redis", url.hostname
    assert url.hostname in services


def test_dockerfile_base_image_is_python_311():
    froms = [args for keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert froms, "Dockerfile has no FROM"
    image = next(word for word in froms[-1].split() if not word.startswith("--"))
    assert re.fullmatch(r"(?:docker\.io/)?(?:library/)?python:3\.11(?:[.-]\S*)?", image), image


def test_dockerfile_user_is_not_root():
    users = [args for keyword, args in dockerfile_instructions() if keyword == "USER"]
    assert users, "Dockerfile has no USER line"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0"), f"final USER is {users[-1]}"


def test_dockerfile_installs_the_locked_uv_version():
    makefile = (REPO_ROOT / "Makefile").read_text()
    pinned = re.search(r"^UV_VERSION := (\S+)$", makefile, re.MULTILINE).group(1)
    assert f"uv=={pinned} " in DOCKERFILE.read_text()
    assert "--locked" in DOCKERFILE.read_text()


def _settings_string(name: str, source: str) -> str:
    """The string a setting is given in hackathon/settings.py (its default, when read
    from the environment)."""
    match = re.search(rf'^{name} = (?:env\.str\("{name}", default=)?"([^"]+)"', source, re.M)
    assert match, f"{name} is not set to a string in hackathon/settings.py"
    return match.group(1)


def test_worker_listens_to_the_default_and_the_validation_queues():
    source = (REPO_ROOT / "hackathon" / "settings.py").read_text(encoding="utf-8")
    expected = {
        _settings_string("CELERY_TASK_DEFAULT_QUEUE", source),
        _settings_string("SUBMISSIONS_VALIDATION_QUEUE", source),
    }
    command = command_text(load_services()["worker"])
    match = re.search(r"\s(?:-Q|--queues)(?:\s+|=)(\S+)", command)
    assert match, f"the worker names no queues: {command!r}"

    assert set(match.group(1).split(",")) == expected == {"civichack", "validation"}
