import pytest
from django.core.management import call_command


def test_openapi_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    text = target.read_text()
    assert "/api/v1/events/{event_slug}/themes/" in text
    assert "/api/v1/events/{slug}/publish/" in text


@pytest.mark.django_db
def test_swagger_ui_is_served_from_sidecar(client):
    response = client.get("/api/docs/")

    assert response.status_code == 200
    assert b"drf_spectacular_sidecar/swagger-ui-dist" in response.content


def test_openapi_documents_error_shape_for_writes(tmp_path):
    import yaml

    target = tmp_path / "schema.yml"
    call_command("spectacular", "--file", str(target))
    schema = yaml.safe_load(target.read_text())

    create_theme = schema["paths"]["/api/v1/events/{event_slug}/themes/"]["post"]["responses"]
    assert set(create_theme) == {"201", "400", "401", "403", "404", "429"}
    error_ref = create_theme["400"]["content"]["application/json"]["schema"]["$ref"]
    assert error_ref == "#/components/schemas/Error"
    assert set(schema["components"]["schemas"]["ErrorDetail"]["properties"]) == {
        "code",
        "message",
        "details",
    }
