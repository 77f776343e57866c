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
    assert set(create_theme) == {"201", "400", "401", "403", "404", "413", "429"}
    error_ref = create_theme["400"]["content"]["application/json"]["schema"]["$ref"]
    assert error_ref == "#/components/schemas/Error"
    assert set(schema["components"]["schemas"]["ErrorDetail"]["properties"]) == {
        "code",
        "message",
        "details",
    }


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    import yaml

    target = tmp_path_factory.mktemp("schema") / "schema.yml"
    call_command("spectacular", "--file", str(target))
    return yaml.safe_load(target.read_text())


def _responses(schema, method, path):
    return set(schema["paths"][path][method]["responses"])


def test_openapi_documents_conflict_and_busy_where_they_happen(schema):
    register = _responses(schema, "post", "/api/v1/events/{event_slug}/register/")
    join = _responses(schema, "post", "/api/v1/events/{event_slug}/teams/{id}/join/")
    ask = _responses(schema, "post", "/api/v1/events/{event_slug}/teams/{id}/ask/")
    create_theme = _responses(schema, "post", "/api/v1/events/{event_slug}/themes/")

    assert {"409", "503", "413"} <= register
    assert {"409", "503"} <= join
    assert "409" in ask and "503" not in ask
    assert not {"409", "503"} & create_theme


def test_openapi_documents_the_pagination_404_and_filter_400(schema):
    events = schema["paths"]["/api/v1/events/"]["get"]["responses"]
    registrations = _responses(schema, "get", "/api/v1/events/{event_slug}/registrations/")

    assert events["404"]["description"].startswith("No such page of results")
    assert {"400", "404"} <= registrations
    assert "400" not in _responses(schema, "get", "/api/v1/events/{event_slug}/questions/")


def test_openapi_documents_public_operations_as_needing_no_authentication(schema):
    def security(method, path):
        return schema["paths"][path][method].get("security", [])

    for path in (
        "/api/v1/events/",
        "/api/v1/events/{slug}/",
        "/api/v1/events/{event_slug}/themes/",
        "/api/v1/events/{event_slug}/questions/",
        "/api/v1/skills/",
    ):
        assert {} in security("get", path), path
    assert {} not in security("get", "/api/v1/me/")
    assert {} not in security("patch", "/api/v1/events/{slug}/")
    assert {} not in security("get", "/api/v1/events/{event_slug}/registrations/")
