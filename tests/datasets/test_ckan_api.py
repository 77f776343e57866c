"""The CKAN Action API subset: envelopes, each action's shape, errors as CKAN answers
them, bad input, query counts, and a real CKAN client (ckanapi) against the live server."""

import json

import ckanapi
import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasets.interop import ckan_api
from datasets.interop.ckan_api import ORGANIZATIONS_WITH_FIELDS_MAX as ORGANIZATIONS_SHOWN
from datasets.interop.ckan_params import Invalid
from datasets.interop.ckan_search import FIELDS, parse_fq, parse_fq_terms
from datasets.interop.links import resource_download_url
from datasets.models import DatasetTheme, Keyword, Publisher
from tests.datasets.interop_helpers import LINK, make_catalogue
from tests.factories import DatasetFactory, PublisherFactory, ResourceFactory, UserFactory
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    return make_catalogue()


def call(client, action, *, prefix="api/3/action", REMOTE_ADDR="127.0.0.1", **params):
    return client.get(f"/{prefix}/{action}", params, REMOTE_ADDR=REMOTE_ADDR)


def post(client, name, body, *, content_type="application/json"):
    return client.post(f"/api/3/action/{name}", body, content_type=content_type)


def result(response):
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    return body["result"]


def help_for(name):
    return f"http://testserver/api/3/action/help_show?name={name}"


# --- Envelope and routes ---------------------------------------------------------------


def test_package_list_answers_ckan_envelope_with_help_url(client, catalogue):
    response = call(client, "package_list")

    assert response.status_code == 200
    assert response.json() == {
        "help": help_for("package_list"),
        "success": True,
        "result": ["claimants", "vacancies"],
    }


def test_action_answers_at_both_ckan_prefixes(client, catalogue):
    assert result(call(client, "package_list", prefix="api/action")) == ["claimants", "vacancies"]
    assert reverse("ckan:action", kwargs={"name": "package_list"}) == "/api/action/package_list"
    assert reverse("ckan:action_v3", kwargs={"name": "x"}) == "/api/3/action/x"


def test_action_accepts_json_post_without_csrf_token(catalogue):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(
        "/api/action/package_show", {"id": "claimants"}, content_type="application/json"
    )

    assert result(response)["name"] == "claimants"


def test_action_accepts_form_post(client, catalogue):
    response = client.post("/api/3/action/package_show", {"id": "claimants"})

    assert result(response)["name"] == "claimants"


def test_action_answers_the_same_to_a_signed_in_catalogue_editor(client, catalogue):
    editor = UserFactory(is_superuser=True)
    client.force_login(editor)

    assert result(call(client, "package_list")) == ["claimants", "vacancies"]
    assert call(client, "package_show", id="draft-data").status_code == 404


def test_unknown_action_answers_ckan_bad_request(client):
    response = call(client, "package_create")

    assert response.status_code == 400
    assert response.json() == "Bad request - Action name not known: package_create"


def test_put_is_not_allowed(client):
    assert client.put("/api/3/action/package_list").status_code == 405


def test_unknown_path_under_ckan_prefix_answers_not_found_shape(client):
    for path in ("/api/3/action/package_list/", "/api/3/nothing", "/api/action/"):
        response = client.get(path)

        assert response.status_code == 404, path
        assert response.json() == {
            "help": help_for(""),
            "success": False,
            "error": {"__type": "Not Found Error", "message": "Not found"},
        }


def test_unknown_path_under_api_v1_keeps_its_own_error_shape(client):
    response = client.get("/api/v1/nothing/")

    assert response.status_code == 404
    assert list(response.json()) == ["error"]


def test_help_show_returns_the_action_docstring(client):
    text = result(call(client, "help_show", name="package_search"))

    assert text.startswith("Search for datasets.")


def test_help_show_of_an_unknown_action_is_not_found(client):
    response = call(client, "help_show", name="package_create")

    assert response.status_code == 404
    assert response.json()["error"]["__type"] == "Not Found Error"


def test_package_list_pages_with_limit_and_offset(client, catalogue):
    assert result(call(client, "package_list", limit=1)) == ["claimants"]
    assert result(call(client, "package_list", limit=1, offset=1)) == ["vacancies"]
    assert call(client, "package_list", limit=1001).status_code == 409


def test_package_list_without_limit_returns_every_name(client, catalogue, monkeypatch):
    monkeypatch.setattr(ckan_api, "LIST_MAX", 1)  # the ceiling on `limit`, not on the list

    assert result(call(client, "package_list")) == ["claimants", "vacancies"]
    assert result(call(client, "package_list", offset=1)) == ["vacancies"]
    assert call(client, "package_list", limit=2).status_code == 409


# --- package_show and resource_show ------------------------------------------------------


def test_package_show_by_slug_returns_ckan_package_dict(client, catalogue):
    package = result(call(client, "package_show", id="claimants"))

    expected_extras = {
        "access_level": "open",
        "frequency": "MONTHLY",
        "geography_coverage": "Liverpool City Region",
        "geography_level": "local_authority",
        "issued": "2025-01-15",
        "modified": "2026-01-15",
        "provenance": "Illustrative figures generated for the hackathon.",
        "temporal_end": "2025-12-31",
        "temporal_start": "2020-01-01",
        "theme": '["ECON", "SOCI"]',
    }
    assert package["id"] == str(catalogue.open.pk)
    assert package["name"] == "claimants"
    assert package["title"] == "Claimant count"
    assert package["notes"] == catalogue.open.description
    assert package["url"] == "https://data.example.org/claimants"
    assert package["version"] == "2.1"
    assert (package["license_id"], package["license_title"], package["isopen"]) == (
        "uk-ogl",
        "UK Open Government Licence (OGL)",
        True,
    )
    assert package["license_url"].startswith("https://www.nationalarchives.gov.uk/")
    assert package["organization"]["name"] == "city-region-data"
    assert package["organization"]["title"] == "City Region Data"
    assert package["owner_org"] == str(catalogue.publisher.pk)
    assert (package["author"], package["author_email"]) == (
        "Claimant statistics",
        "claimants@city-region.example.org",
    )
    assert (package["maintainer"], package["maintainer_email"]) == (
        "Claimant statistics",
        "claimants@city-region.example.org",
    )
    assert sorted(tag["name"] for tag in package["tags"]) == ["benefits", "employment"]
    assert package["num_tags"] == 2
    assert (package["state"], package["type"], package["private"]) == ("active", "dataset", False)
    assert package["groups"] == []
    assert package["num_resources"] == 2
    assert {item["key"]: item["value"] for item in package["extras"]} == expected_extras
    assert package["metadata_created"] == catalogue.open.created_at.replace(tzinfo=None).isoformat()


def test_package_show_by_uuid_returns_the_same_package(client, catalogue):
    by_id = result(call(client, "package_show", id=str(catalogue.open.pk)))

    assert by_id["name"] == "claimants"


def test_package_show_resources_point_at_download_page_or_open_link(client, catalogue):
    resources = result(call(client, "package_show", id="claimants"))["resources"]

    csv, link = resources
    assert csv == {
        "id": str(catalogue.csv.pk),
        "package_id": str(catalogue.open.pk),
        "name": "Claimants CSV",
        "description": "",
        "url": resource_download_url(catalogue.csv, _request()),
        "format": "CSV",
        "mimetype": "text/csv",
        "size": catalogue.csv.size,
        "hash": f"sha256:{catalogue.csv.sha256}",
        "created": catalogue.csv.created_at.replace(tzinfo=None).isoformat(),
        "last_modified": catalogue.csv.updated_at.replace(tzinfo=None).isoformat(),
        "metadata_modified": catalogue.csv.updated_at.replace(tzinfo=None).isoformat(),
        "position": 0,
        "state": "active",
    }
    assert csv["url"].startswith("http://testserver/datasets/claimants/")
    assert str(catalogue.csv.pk) in csv["url"]
    assert (link["url"], link["position"], link["hash"]) == (LINK, 1, "")


def test_restricted_package_shows_metadata_with_download_page_url(client, catalogue):
    package = result(call(client, "package_show", id="vacancies"))

    (resource,) = package["resources"]
    assert resource["name"] == "Vacancies CSV"
    assert resource["url"] == resource_download_url(catalogue.restricted_csv, _request())
    assert catalogue.restricted_csv.file.name not in json.dumps(package)


def test_restricted_link_resource_points_at_download_page(client, catalogue):
    catalogue.restricted_csv.delete()
    link = catalogue.link
    link.dataset = catalogue.restricted
    link.save()

    (resource,) = result(call(client, "package_show", id="vacancies"))["resources"]

    assert resource["url"] == resource_download_url(link, _request())
    assert LINK not in json.dumps(resource)


def test_package_show_of_draft_is_not_found_shape(client, catalogue):
    for key in ("draft-data", str(catalogue.draft.pk)):
        response = call(client, "package_show", id=key)

        assert response.status_code == 404
        assert response.json() == {
            "help": help_for("package_show"),
            "success": False,
            "error": {"__type": "Not Found Error", "message": "Not found"},
        }


def test_package_show_without_id_is_validation_error(client):
    response = call(client, "package_show")

    assert response.status_code == 409
    assert response.json() == {
        "help": help_for("package_show"),
        "success": False,
        "error": {"id": ["Missing value"], "__type": "Validation Error"},
    }


def test_package_show_never_shows_other_peoples_emails(client, catalogue):
    # An id no other value of the package could equal by chance (a "1" could).
    creator = UserFactory(pk=987_654_321, email="creator@example.org")
    catalogue.open.created_by = creator
    catalogue.open.save()

    text = call(client, "package_show", id="claimants").content.decode()

    assert "creator@example.org" not in text
    assert str(creator.pk) not in json.loads(text)["result"].values()


def test_resource_show_returns_resource_dict(client, catalogue):
    resource = result(call(client, "resource_show", id=str(catalogue.link.pk)))

    assert (resource["id"], resource["name"], resource["url"], resource["position"]) == (
        str(catalogue.link.pk),
        "Claimants 2025 (publisher's copy)",
        LINK,
        1,
    )


def test_resource_show_of_draft_or_unknown_resource_is_not_found(client, catalogue):
    for key in (str(catalogue.draft_csv.pk), "not-a-uuid", "7d1e1c66-0000-4000-8000-000000000000"):
        response = call(client, "resource_show", id=key)

        assert response.status_code == 404, key
        assert response.json()["error"]["__type"] == "Not Found Error"


# --- package_search -------------------------------------------------------------------------


def search(client, **params):
    return result(call(client, "package_search", **params))


def names(found):
    return [package["name"] for package in found["results"]]


def test_package_search_without_parameters_lists_published_datasets(client, catalogue):
    found = search(client)

    assert found["count"] == 2
    assert sorted(names(found)) == ["claimants", "vacancies"]
    assert found["sort"] == "score desc, metadata_modified desc"
    assert (found["facets"], found["search_facets"]) == ({}, {})


def test_package_search_q_matches_title_description_and_keywords(client, catalogue):
    assert names(search(client, q="claimant")) == ["claimants"]
    assert names(search(client, q="SECTOR")) == ["vacancies"]
    assert sorted(names(search(client, q="employment"))) == ["claimants", "vacancies"]
    assert names(search(client, q="employment benefits")) == ["claimants"]
    assert names(search(client, q="draft")) == []


def test_package_search_q_matches_column_names_in_search_text(client, catalogue):
    catalogue.restricted.search_text = "Job vacancies area_code sector_name"
    catalogue.restricted.save()

    assert names(search(client, q="sector_name")) == ["vacancies"]


@pytest.mark.postgres
def test_package_search_score_sort_is_the_search_rank(client):
    DatasetFactory(slug="alpha", title="Alpha", search_text="employment in the region")
    DatasetFactory(slug="zeta", title="Zeta", search_text="employment, employment, employment")

    assert names(search(client, q="employment")) == ["zeta", "alpha"]
    assert names(search(client, q="employment", sort="title_string asc")) == ["alpha", "zeta"]
    assert names(search(client, q="employment", sort="score asc")) == ["alpha", "zeta"]


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("tags:benefits", ["claimants"]),
        ("license_id:other-closed", ["vacancies"]),
        ('organization:"city-region-data"', ["claimants", "vacancies"]),
        ("res_format:xlsx", ["vacancies"]),
        ("theme:SOCI", ["claimants"]),
        ("geography_level:msoa", ["vacancies"]),
        ('geography_coverage:"Liverpool City Region"', ["claimants"]),
        ("tags:employment AND theme:ECON", ["claimants", "vacancies"]),
        ("+tags:employment +license_id:uk-ogl", ["claimants"]),
        ("tags:employment res_format:CSV", ["claimants"]),
        ("tags:nothing", []),
    ],
)
def test_package_search_fq_filters(client, catalogue, fq, expected):
    assert sorted(names(search(client, fq=fq))) == expected


@pytest.mark.parametrize(
    "fq",
    ["author:someone", "tags", "tags:employment OR tags:benefits", 'tags:"unterminated', "*:*x"],
)
def test_package_search_unsupported_fq_is_validation_error(client, catalogue, fq):
    response = call(client, "package_search", fq=fq)

    assert response.status_code == 409
    error = response.json()["error"]
    assert error["__type"] == "Validation Error"
    assert list(error) == ["fq", "__type"]
    assert "field:value" in error["fq"][0]


@pytest.mark.parametrize(
    ("fq", "expected"),
    [
        ("tags:employment tags:benefits", ["claimants"]),
        ("tags:employment tags:employment", ["claimants", "vacancies"]),
        ("res_format:csv res_format:XLSX", []),
        ("theme:econ theme:SOCI", ["claimants"]),
        ("license_id:uk-ogl license_id:other-closed", []),
    ],
)
def test_package_search_repeated_fq_field_needs_every_value(client, catalogue, fq, expected):
    assert sorted(names(search(client, fq=fq))) == expected


def _catalogue_queries(queries) -> list[str]:
    return [query["sql"] for query in queries if "datasets_" in query["sql"]]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"fq": " ".join(f"tags:t{n}" for n in range(21))}, "fq", "Use at most 20 terms."),
        ({"fq": "tags:" + "x" * 996}, "fq", "Must be at most 1000 characters."),
        ({"q": "x" * 1001}, "q", "Must be at most 1000 characters."),
        ({"sort": ", ".join(["name asc"] * 6)}, "sort", "Sort by at most 5 fields."),
    ],
)
def test_package_search_over_a_bound_is_refused_before_any_query(client, params, field, message):
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/api/3/action/package_search", json.dumps(params), content_type="application/json"
        )

    assert response.status_code == 409
    assert response.json()["error"] == {field: [message], "__type": "Validation Error"}
    assert queries.captured_queries == []


def test_package_search_at_the_fq_bounds_runs_one_query_per_field(client, catalogue):
    fq = (
        " ".join(f"tags:t{n}" for n in range(10))
        + " "
        + " ".join(f"res_format:f{n}" for n in range(10))
    )

    with CaptureQueriesContext(connection) as queries:
        assert search(client, fq=fq, rows=0)["count"] == 0

    (count,) = _catalogue_queries(queries.captured_queries)
    assert count.count("datasets_resource") == 1
    assert count.count("datasets_dataset_keywords") == 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"facet.limit": 1001}, "facet.limit"),
        ({"facet.field": '["tags", "author"]'}, "facet.field"),
    ],
)
def test_package_search_facets_are_bounded(client, params, field):
    response = call(client, "package_search", **params)

    assert response.status_code == 409
    assert list(response.json()["error"]) == [field, "__type"]


@override_settings(CKAN_THROTTLE_RATE="2/min")
def test_ckan_api_over_the_rate_answers_429_in_ckan_shape(client):
    for _ in range(2):
        assert call(client, "status_show").status_code == 200

    response = call(client, "package_list")

    assert response.status_code == 429
    assert 1 <= int(response["Retry-After"]) <= 60
    body = response.json()
    assert body["success"] is False
    assert body["help"] == help_for("package_list")
    assert body["error"]["__type"] == "Throttled"
    # another address is counted on its own
    assert call(client, "package_list", REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("title_string asc", ["claimants", "vacancies"]),
        ("title_string desc", ["vacancies", "claimants"]),
        ("name desc", ["vacancies", "claimants"]),
        ("metadata_modified desc", ["vacancies", "claimants"]),
        ("metadata_created asc", ["claimants", "vacancies"]),
        ("score desc, metadata_modified desc", ["vacancies", "claimants"]),
    ],
)
def test_package_search_sorts(client, catalogue, sort, expected):
    assert names(search(client, sort=sort)) == expected


@pytest.mark.parametrize("sort", ["popularity desc", "title_string sideways", "name asc desc", ","])
def test_package_search_unknown_sort_is_validation_error(client, catalogue, sort):
    response = call(client, "package_search", sort=sort)

    assert response.status_code == 409
    assert list(response.json()["error"]) == ["sort", "__type"]


def test_package_search_rows_and_start_page_through_results(client, catalogue):
    first = search(client, sort="name asc", rows=1)
    second = search(client, sort="name asc", rows=1, start=1)
    none = search(client, rows=0)

    assert (first["count"], names(first)) == (2, ["claimants"])
    assert names(second) == ["vacancies"]
    assert (none["count"], names(none)) == (2, [])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("rows", "1001"),
        ("rows", "-1"),
        ("rows", "ten"),
        ("rows", "9" * 5000),
        ("start", "1" + "0" * 30),
        ("start", "-5"),
        ("facet.limit", "1.5"),
    ],
)
def test_package_search_bad_numbers_are_validation_errors(client, catalogue, name, value):
    response = call(client, "package_search", **{name: value})

    assert response.status_code == 409
    assert list(response.json()["error"]) == [name, "__type"]


def test_package_search_facets_count_matches(client, catalogue):
    found = search(
        client,
        **{"facet.field": json.dumps(["tags", "res_format", "organization", "theme"])},
    )

    assert found["facets"] == {
        "tags": {"employment": 2, "benefits": 1},
        "res_format": {"CSV": 1, "XLSX": 1},
        "organization": {"city-region-data": 2},
        "theme": {"ECON": 2, "SOCI": 1},
    }
    assert found["search_facets"]["theme"] == {
        "title": "theme",
        "items": [
            {"name": "ECON", "display_name": "Economy and finance", "count": 2},
            {"name": "SOCI", "display_name": "Population and society", "count": 1},
        ],
    }
    assert found["search_facets"]["organization"]["items"] == [
        {"name": "city-region-data", "display_name": "City Region Data", "count": 2}
    ]


def test_package_search_counts_formats_whatever_their_case(client, catalogue):
    catalogue.restricted_csv.format = "csv"
    catalogue.restricted_csv.save()

    found = search(client, **{"facet.field": '["res_format"]'})

    assert found["facets"] == {"res_format": {"CSV": 2}}


def test_package_search_facets_follow_the_filter_and_limit(client, catalogue):
    found = search(
        client,
        fq="license_id:uk-ogl",
        **{"facet.field": '["license_id", "tags", "geography_level"]', "facet.limit": "1"},
    )

    assert found["facets"] == {
        "license_id": {"uk-ogl": 1},
        "tags": {"benefits": 1},
        "geography_level": {"local_authority": 1},
    }
    assert found["search_facets"]["license_id"]["items"][0]["display_name"] == (
        "UK Open Government Licence (OGL)"
    )


@pytest.mark.parametrize("value", ['["author"]', "tags", '{"tags": 1}', "[" * 5000])
def test_package_search_bad_facet_field_is_validation_error(client, catalogue, value):
    response = call(client, "package_search", **{"facet.field": value})

    assert response.status_code == 409
    assert list(response.json()["error"]) == ["facet.field", "__type"]


def test_package_search_accepts_json_post_with_lists_and_numbers(client, catalogue):
    body = {"fq": "tags:employment", "rows": 1, "sort": "name desc", "facet.field": ["tags"]}

    found = result(post(client, "package_search", body))

    assert (found["count"], names(found)) == (2, ["vacancies"])
    assert found["facets"] == {"tags": {"employment": 2, "benefits": 1}}


def test_package_search_query_count_is_flat(client):
    publisher = PublisherFactory()

    def add(k):
        for _ in range(k):
            dataset = DatasetFactory(publisher=publisher)
            dataset.keywords.add(Keyword.objects.get_or_create(name="budget")[0])
            ResourceFactory(dataset=dataset)
            DatasetTheme.objects.create(dataset=dataset, theme="ECON")

    def fetch():
        response = client.get(
            "/api/3/action/package_search",
            {"rows": 50, "facet.field": '["tags", "res_format", "theme", "organization"]'},
        )
        assert response.status_code == 200
        return response

    def shown():
        return publisher.datasets.values_list("title", flat=True)

    assert_flat_queries(fetch=fetch, add_items=add, shown=shown)


@given(st.text(max_size=60))
def test_parse_fq_reads_or_refuses_any_text(fq):
    try:
        parse_fq(fq)
    except Invalid as error:
        assert list(error.errors) == ["fq"]


@given(
    st.lists(
        st.tuples(st.sampled_from(sorted(FIELDS)), st.text(min_size=1, max_size=20)),
        min_size=1,
        max_size=4,
    )
)
def test_parse_fq_reads_every_quoted_term(terms):
    quoted = [value.replace("\\", "\\\\").replace('"', '\\"') for _, value in terms]
    fq = " AND ".join(f'{name}:"{value}"' for (name, _), value in zip(terms, quoted, strict=True))
    expected = {}
    for name, value in terms:
        if value not in expected.setdefault(name, []):
            expected[name].append(value)

    assert parse_fq_terms(fq) == expected


PARAMETERS = ["q", "fq", "sort", "rows", "start", "facet.field", "facet.limit", "id"]
PRINTABLE = st.text(st.characters(blacklist_categories=["Cs"], blacklist_characters="\x00"))


# The client keeps nothing between requests, so sharing it across examples is safe.
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    st.sampled_from(["package_search", "package_show", "organization_list", "package_list"]),
    st.dictionaries(st.sampled_from(PARAMETERS), PRINTABLE, max_size=4),
)
def test_any_parameters_answer_a_result_or_a_ckan_error(client, name, params):
    response = client.get(f"/api/3/action/{name}", params)

    assert response.status_code in (200, 404, 409), response.content
    body = response.json()
    assert body["success"] is (response.status_code == 200)


# --- The other actions -------------------------------------------------------------------


def test_organization_list_returns_publisher_names_sorted(client, catalogue):
    DatasetFactory(publisher=PublisherFactory(slug="a-first", name="Zed"))

    assert result(call(client, "organization_list")) == ["a-first", "city-region-data"]
    assert result(call(client, "organization_list", sort="title asc")) == [
        "city-region-data",
        "a-first",
    ]


@pytest.mark.parametrize("all_fields", ["false", "true"])
def test_organization_list_leaves_out_publishers_without_published_datasets(
    client, catalogue, all_fields
):
    DatasetFactory(publisher=PublisherFactory(slug="drafts-only"), is_published=False)
    PublisherFactory(slug="no-datasets")

    listed = result(call(client, "organization_list", all_fields=all_fields))

    names = [item["name"] for item in listed] if all_fields == "true" else listed
    assert names == ["city-region-data"]


def test_organization_list_all_fields_counts_published_datasets(client, catalogue):
    (organization,) = result(call(client, "organization_list", all_fields="true"))

    assert organization["name"] == "city-region-data"
    assert organization["title"] == "City Region Data"
    assert organization["package_count"] == 2
    assert organization["is_organization"] is True
    assert "data@city-region.example.org" not in json.dumps(organization)


def test_organization_list_query_count_is_flat(client):
    def fetch():
        response = client.get("/api/3/action/organization_list", {"all_fields": "true"})
        assert response.status_code == 200
        return response

    def add(k):
        for _ in range(k):
            DatasetFactory(publisher=PublisherFactory())

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: Publisher.objects.values_list("name", flat=True),
        many=ORGANIZATIONS_SHOWN,
    )


def test_organization_list_bad_sort_is_validation_error(client):
    response = call(client, "organization_list", sort="members desc")

    assert response.status_code == 409
    assert list(response.json()["error"]) == ["sort", "__type"]


def test_license_list_returns_ckan_licences(client):
    licences = {item["id"]: item for item in result(call(client, "license_list"))}

    assert {"uk-ogl", "cc-by", "odc-odbl", "cc-zero", "other-closed"} <= set(licences)
    assert licences["cc-by"]["title"] == "Creative Commons Attribution"
    assert licences["cc-by"]["od_conformance"] == "approved"
    assert licences["other-closed"]["is_okd_compliant"] is False


def test_status_show_describes_the_site(client):
    status = result(call(client, "status_show"))

    assert status["site_url"] == "http://testserver"
    assert status["ckan_version"] == "2.10.0"
    assert status["site_title"] == "CivicHack"


# --- Bad input ------------------------------------------------------------------------------


def _validation_error(response):
    assert response.status_code == 409, response.content
    body = response.json()
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    return body["error"]


def test_nul_in_query_string_is_ckan_validation_error(client):
    error = _validation_error(client.get("/api/3/action/package_show", {"id": "a\x00b"}))

    assert error == {"id": ["Null characters are not allowed."], "__type": "Validation Error"}


def test_nul_in_form_post_is_ckan_validation_error(client):
    response = client.post(
        "/api/action/package_show", "id=a%00b", content_type="application/x-www-form-urlencoded"
    )

    assert list(_validation_error(response)) == ["id", "__type"]


def test_lone_surrogate_in_json_post_is_ckan_validation_error(client):
    error = _validation_error(post(client, "package_show", b'{"id": "\\udc80"}'))

    assert error["id"] == ["Text must be valid Unicode (a lone surrogate)."]


@pytest.mark.parametrize(
    "body",
    [b"not json", b"[1, 2]", b'"text"', b"{" * 2000, b'{"id": "x\\u0000y"}', b'{"rows": 1e400}'],
)
def test_bad_json_post_is_ckan_validation_error(client, body):
    response = post(client, "package_search", body)

    error = _validation_error(response)
    assert set(error) - {"__type"}


def test_deep_json_post_is_ckan_validation_error(client):
    body = json.dumps({"q": json.loads("[" * 40 + "]" * 40)})

    error = _validation_error(post(client, "package_search", body))

    assert error["body"] == ["JSON is nested more than 32 levels deep."]


def test_json_post_with_wrong_types_is_validation_error(client):
    for body in ({"id": 5}, {"rows": True}, {"rows": [1]}, {"q": {"a": 1}}):
        name = "package_search" if "id" not in body else "package_show"
        error = _validation_error(post(client, name, body))

        assert list(error) == [next(iter(body)), "__type"]


# --- A real CKAN client ---------------------------------------------------------------------


def _request():
    from django.test import RequestFactory

    return RequestFactory().get("/")


@pytest.mark.django_db(transaction=True)
def test_ckanapi_client_reads_the_catalogue(live_server):
    catalogue = make_catalogue()
    # Closing the client ends its kept-alive connection, and so the server thread's
    # database connection, before the test database is dropped.
    with ckanapi.RemoteCKAN(live_server.url) as ckan:
        assert ckan.action.package_list() == ["claimants", "vacancies"]
        package = ckan.action.package_show(id="claimants")
        assert package["organization"]["name"] == "city-region-data"
        found = ckan.action.package_search(
            fq="tags:employment res_format:CSV", **{"facet.field": ["theme"]}
        )
        assert [p["name"] for p in found["results"]] == ["claimants"]
        assert found["facets"] == {"theme": {"ECON": 1, "SOCI": 1}}
        resource = ckan.action.resource_show(id=str(catalogue.csv.pk))
        assert resource["url"].startswith(live_server.url + "/datasets/claimants/")
        assert "uk-ogl" in {licence["id"] for licence in ckan.action.license_list()}
        assert ckan.action.organization_list(all_fields=True)[0]["package_count"] == 2
        assert ckan.action.status_show()["ckan_version"] == "2.10.0"
        with pytest.raises(ckanapi.NotFound):
            ckan.action.package_show(id="draft-data")
        with pytest.raises(ckanapi.ValidationError) as invalid:
            ckan.action.package_search(fq="author:someone")
        assert "fq" in invalid.value.error_dict
    with ckanapi.RemoteCKAN(live_server.url, get_only=True) as get_only:
        assert get_only.action.package_show(id="vacancies")["license_id"] == "other-closed"


def test_body_over_the_request_limit_answers_ckan_bad_request(client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 100

    response = post(client, "package_search", {"q": "x" * 200})

    assert response.status_code == 413
    assert response.json() == "Bad request - The request is too large."


def test_server_error_under_ckan_prefix_answers_ckan_shape(rf):
    from common.views import server_error

    response = server_error(rf.get("/api/3/action/package_show"))

    assert response.status_code == 500
    assert json.loads(response.content) == {
        "help": help_for("package_show"),
        "success": False,
        "error": {"__type": "Internal Server Error", "message": "Internal Server Error"},
    }


def test_validation_error_type_cannot_be_overridden_by_a_parameter_name(client):
    error = _validation_error(post(client, "package_search", b'{"__type": "a\\u0000"}'))

    assert error["__type"] == "Validation Error"
