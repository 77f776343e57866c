"""The catalogue's DRF API: /api/v1/datasets/ and a dataset's resources."""

import pytest
from rest_framework.test import APIClient

from datasets.models import DatasetTheme
from tests.datasets.pages_helpers import catalogue_editor, dataset_with, profile_for
from tests.factories import (
    DatasetFactory,
    DatasetTermsFactory,
    PublisherFactory,
    ResourceFactory,
    UserFactory,
)
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db
LIST = "/api/v1/datasets/"


@pytest.fixture
def api():
    return APIClient()


def slugs(response) -> list[str]:
    return [dataset["slug"] for dataset in response.json()["results"]]


@pytest.fixture
def catalogue():
    city = PublisherFactory(slug="city", name="City Data")
    dataset_with(slug="jobs", title="Job vacancies", publisher=city, themes=["ECON"])
    dataset_with(
        slug="travel",
        title="Active travel",
        publisher=city,
        themes=["TRAN"],
        columns=["cycle_count"],
    )
    dataset_with(
        slug="gps",
        title="GP surgeries",
        themes=["HEAL"],
        formats=("PDF",),
        access_level="restricted",
    )
    dataset_with(slug="draft", title="Draft", is_published=False)


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("", ["travel", "gps", "jobs"]),
        ("?q=cycle_count", ["travel"]),
        ("?publisher=city", ["travel", "jobs"]),
        ("?publisher=city&theme=TRAN", ["travel"]),
        ("?theme=TRAN&theme=HEAL", ["travel", "gps"]),
        ("?res_format=pdf", ["gps"]),
        ("?access=restricted", ["gps"]),
        ("?q=vacancies&theme=TRAN", []),
    ],
)
def test_list_searches_and_filters_as_the_page_does(api, catalogue, query, found):
    response = api.get(LIST + query)

    assert response.status_code == 200
    assert slugs(response) == found


def test_list_describes_each_dataset(api, catalogue):
    jobs = next(d for d in api.get(LIST).json()["results"] if d["slug"] == "jobs")

    assert jobs == {
        "slug": "jobs",
        "title": "Job vacancies",
        "description": "Claimant count by local authority and month (illustrative).",
        "publisher": {"slug": "city", "name": "City Data", "url": "https://data.example.org/"},
        "licence": {
            "id": "uk-ogl",
            "title": "UK Open Government Licence (OGL)",
            "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
            "is_open": True,
        },
        "themes": ["ECON"],
        "formats": ["CSV"],
        "geography_level": "",
        "access_level": "open",
        "is_published": True,
        "modified": None,
        "url": "http://testserver/datasets/jobs/",
    }


def test_list_includes_unpublished_datasets_for_catalogue_editors(api, catalogue):
    api.force_authenticate(catalogue_editor())

    assert "draft" in slugs(api.get(LIST))


@pytest.mark.parametrize(
    "query", ["?theme=NOPE", "?access=secret", "?geography=moon", "?q=" + "x" * 300]
)
def test_list_refuses_a_filter_value_that_cannot_be(api, catalogue, query):
    response = api.get(LIST + query)

    assert response.status_code == 400
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize("page", ["999999999999", "-1", "0"])
def test_list_answers_a_page_past_the_end_with_404(api, catalogue, page):
    response = api.get(f"{LIST}?page={page}")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_list_query_count_is_flat(api):
    made = []

    def add_items(count):
        for _ in range(count):
            dataset = DatasetFactory()
            DatasetTheme.objects.create(dataset=dataset, theme="ECON")
            ResourceFactory(dataset=dataset)
            made.append(dataset)

    def fetch():
        response = api.get(f"{LIST}?theme=ECON&res_format=CSV", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add_items, shown=lambda: [d.slug for d in made])


def test_detail_has_resources_profiles_and_preview_for_open_data(api):
    dataset = dataset_with(slug="claimants", keywords=["jobs"], columns=["area_name"])

    body = api.get(f"{LIST}claimants/").json()

    assert body["keywords"] == ["jobs"]
    assert body["may_download"] is True
    (resource,) = body["resources"]
    assert resource["download_url"] == (
        f"http://testserver/datasets/claimants/resources/{resource['id']}/download/"
    )
    assert resource["profile"]["preview"] == [["Halton", "3120"]]
    assert resource["profile"]["fields"][0]["top_values"] == [["Halton", 1]]
    assert dataset.slug == body["slug"]


def test_detail_hides_preview_and_top_values_from_those_not_allowed(api):
    dataset = dataset_with(slug="vacancies", columns=["area_name"], access_level="restricted")
    DatasetTermsFactory(dataset=dataset, version=3)
    api.force_authenticate(UserFactory())

    body = api.get(f"{LIST}vacancies/").json()

    assert body["may_download"] is False
    assert body["terms_version"] == 3
    profile = body["resources"][0]["profile"]
    assert profile["preview"] is None
    assert profile["fields"][0]["name"] == "area_name"
    assert "top_values" not in profile["fields"][0]


def test_detail_of_an_unpublished_dataset_is_for_catalogue_editors(api):
    dataset_with(slug="draft", is_published=False)

    assert api.get(f"{LIST}draft/").status_code == 404
    api.force_authenticate(catalogue_editor())
    assert api.get(f"{LIST}draft/").status_code == 200


def test_resources_of_a_dataset_are_listed_with_their_profiles(api):
    dataset = DatasetFactory(slug="claimants", access_level="signed_in")
    profile_for(ResourceFactory(dataset=dataset, name="Claimants CSV"))

    body = api.get(f"{LIST}claimants/resources/").json()

    assert [resource["name"] for resource in body] == ["Claimants CSV"]
    assert body[0]["profile"]["preview"] is None  # signed-in data, asked signed out


def test_resource_of_another_dataset_is_not_found(api):
    resource = ResourceFactory()
    DatasetFactory(slug="other")

    assert api.get(f"{LIST}other/resources/{resource.pk}/").status_code == 404
    assert api.get(f"{LIST}other/resources/not-a-uuid/").status_code == 404


def test_detail_query_count_is_flat_in_resources(api):
    dataset = DatasetFactory(slug="claimants")
    made = []

    def add_items(count):
        for _ in range(count):
            made.append(ResourceFactory(dataset=dataset))
            profile_for(made[-1])

    def fetch():
        response = api.get(f"{LIST}claimants/", HTTP_ACCEPT="application/json")
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add_items, shown=lambda: [r.name for r in made])
