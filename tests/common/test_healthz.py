import pytest
from django.db import connection
from django.db.utils import OperationalError


@pytest.mark.django_db
def test_healthz_ok_reports_database_and_broker(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    body = response.json()
    assert body["database"] == "ok"
    assert body["broker"] in ("eager", "ok")


@pytest.mark.django_db
def test_healthz_database_down_is_503(client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("connection refused")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


@pytest.mark.redis
@pytest.mark.django_db
def test_healthz_reports_reachable_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["broker"] == "ok"


@pytest.mark.django_db
def test_healthz_broker_down_still_serves(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens on port 1

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "unreachable"}
