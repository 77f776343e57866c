"""A Data Package per published dataset, valid for the frictionless library."""

import frictionless
import pytest

from datasets.models import ResourceProfile
from tests.datasets.interop_helpers import LINK, make_catalogue
from tests.factories import ResourceFactory

pytestmark = pytest.mark.django_db

CLAIMANTS_SCHEMA = {
    "fields": [
        {"name": "area_code", "type": "string"},
        {"name": "claimants", "type": "integer"},
    ],
    "primaryKey": ["area_code"],
}


@pytest.fixture
def catalogue():
    return make_catalogue()


def descriptor_of(client, slug):
    response = client.get(f"/datasets/{slug}/datapackage.json")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    return response.json()


def test_datapackage_describes_dataset_and_resources(client, catalogue):
    catalogue.csv.table_schema = CLAIMANTS_SCHEMA
    catalogue.csv.save()

    descriptor = descriptor_of(client, "claimants")

    assert descriptor["name"] == "claimants"
    assert descriptor["id"] == str(catalogue.open.pk)
    assert descriptor["title"] == "Claimant count"
    assert descriptor["description"] == catalogue.open.description
    assert descriptor["version"] == "2.1"
    assert descriptor["homepage"] == "http://testserver/datasets/claimants/"
    assert descriptor["licenses"] == [
        {
            "name": "uk-ogl",
            "title": "UK Open Government Licence (OGL)",
            "path": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
        }
    ]
    assert sorted(descriptor["keywords"]) == ["benefits", "employment"]
    csv, link = descriptor["resources"]
    assert csv["name"] == "claimants-csv"
    assert csv["path"].startswith("http://testserver/datasets/claimants/")
    assert str(catalogue.csv.pk) in csv["path"]
    assert (csv["format"], csv["mediatype"], csv["bytes"]) == (
        "csv",
        "text/csv",
        catalogue.csv.size,
    )
    assert csv["hash"] == f"sha256:{catalogue.csv.sha256}"
    assert csv["schema"] == CLAIMANTS_SCHEMA
    assert link["path"] == LINK
    assert "schema" not in link


def test_datapackage_schema_comes_from_profile_without_values(client, catalogue):
    ResourceProfile.objects.create(
        resource=catalogue.csv,
        sha256=catalogue.csv.sha256,
        rows=1,
        columns=3,
        fields=[
            {"name": "area_code", "type": "string", "top": [["E06000006", 1]]},
            {"name": "claimants", "type": "integer", "min": 3120, "max": 3120},
            {"name": "odd", "type": "mystery"},
        ],
    )

    (csv, _) = descriptor_of(client, "claimants")["resources"]

    assert csv["schema"] == {
        "fields": [
            {"name": "area_code", "type": "string"},
            {"name": "claimants", "type": "integer"},
            {"name": "odd", "type": "any"},
        ]
    }


def test_datapackage_is_valid_for_frictionless(client, catalogue):
    catalogue.csv.table_schema = CLAIMANTS_SCHEMA
    catalogue.csv.save()

    for slug in ("claimants", "vacancies"):
        descriptor = descriptor_of(client, slug)
        report = frictionless.Package.validate_descriptor(descriptor)
        package = frictionless.Package.from_descriptor(descriptor)

        assert report.valid, report.flatten(["type", "note"])
        assert package.name == slug
        assert len(package.resources) == len(descriptor["resources"])


def test_datapackage_gives_resources_unique_names(client, catalogue):
    ResourceFactory(dataset=catalogue.open, name="Claimants CSV", order=5)
    ResourceFactory(dataset=catalogue.open, name="!!!", order=6)

    names = [entry["name"] for entry in descriptor_of(client, "claimants")["resources"]]

    assert names == [
        "claimants-csv",
        "claimants-2025-publishers-copy",
        "claimants-csv-3",
        "resource-4",
    ]


@pytest.mark.parametrize("slug", ["draft-data", "nothing"])
def test_datapackage_of_unpublished_or_unknown_dataset_is_404(client, catalogue, slug):
    assert client.get(f"/datasets/{slug}/datapackage.json").status_code == 404


def test_datapackage_refuses_post(client, catalogue):
    assert client.post("/datasets/claimants/datapackage.json").status_code == 405
