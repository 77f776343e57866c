import pytest
from django.test import override_settings
from django.urls import Resolver404, resolve

pytestmark = pytest.mark.django_db


def test_benchmark_view_is_neither_routed_nor_documented_on_the_site(client):
    with pytest.raises(Resolver404):
        resolve("/api/v1/ceiling/")
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()

    assert not [path for path in schema["paths"] if "ceiling" in path]


@override_settings(ROOT_URLCONF="hackathon.bench_urls")
def test_benchmark_urls_add_the_no_op_view_to_the_site(client, django_user_model):
    client.force_login(django_user_model.objects.create_user(email="b@example.org"))

    assert resolve("/api/v1/ceiling/").url_name == "ceiling"
    assert resolve("/healthz").url_name == "healthz"
    assert client.get("/api/v1/ceiling/").json() == {}
