"""DCAT-AP export: parsed back with rdflib, the mandatory properties are there, JSON-LD
and Turtle say the same, and only published datasets appear."""

import pytest
from django.test import override_settings
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from datasets.interop import dcat
from tests.datasets.interop_helpers import LINK, make_catalogue
from tests.factories import DatasetFactory, PublisherFactory, ResourceFactory
from tests.query_budget import assert_flat_queries

pytestmark = pytest.mark.django_db

EU = "http://publications.europa.eu/resource/authority"


@pytest.fixture
def catalogue():
    return make_catalogue()


def graph_of(client, url, rdf_format):
    response = client.get(url)
    assert response.status_code == 200, response.content
    expected_type = "application/ld+json" if rdf_format == "json-ld" else "text/turtle"
    assert response["Content-Type"].startswith(expected_type)
    return Graph().parse(data=response.content, format=rdf_format)


def one(graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def assert_dcat_ap_mandatory(graph):
    """DCAT-AP's mandatory properties: Catalog title, description, publisher, dataset
    (when there are datasets); Dataset title, description; Distribution access URL;
    Agent name."""
    for catalog in graph.subjects(ns.RDF.type, ns.DCAT.Catalog):
        one(graph, catalog, ns.DCTERMS.title)
        one(graph, catalog, ns.DCTERMS.description)
        one(graph, catalog, ns.DCTERMS.publisher)
        assert list(graph.objects(catalog, ns.DCAT.dataset))
    datasets = list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    assert datasets
    for dataset in datasets:
        one(graph, dataset, ns.DCTERMS.title)
        one(graph, dataset, ns.DCTERMS.description)
    for distribution in graph.subjects(ns.RDF.type, ns.DCAT.Distribution):
        assert list(graph.objects(distribution, ns.DCAT.accessURL))
    agents = list(graph.subjects(ns.RDF.type, ns.FOAF.Agent))
    assert agents
    for agent in agents:
        one(graph, agent, ns.FOAF.name)


@pytest.mark.parametrize(
    "url",
    ["/catalog.jsonld", "/catalog.ttl", "/datasets/claimants.jsonld", "/datasets/vacancies.ttl"],
)
def test_export_has_dcat_ap_mandatory_properties(client, catalogue, url):
    rdf_format = "json-ld" if url.endswith(".jsonld") else "turtle"

    assert_dcat_ap_mandatory(graph_of(client, url, rdf_format))


@pytest.mark.parametrize("base", ["/catalog", "/datasets/claimants"])
def test_jsonld_and_turtle_give_isomorphic_graphs(client, catalogue, base):
    jsonld = graph_of(client, f"{base}.jsonld", "json-ld")
    turtle = graph_of(client, f"{base}.ttl", "turtle")

    assert len(jsonld) > 20
    # The catalogue's paging node names the format's own address; the rest must agree.
    for graph, suffix in ((jsonld, "jsonld"), (turtle, "ttl")):
        graph.remove((URIRef(f"http://testserver/catalog.{suffix}?page=1"), None, None))
    assert isomorphic(jsonld, turtle)


def test_catalogue_lists_published_datasets_only(client, catalogue):
    graph = graph_of(client, "/catalog.ttl", "turtle")

    catalog = next(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))
    datasets = {
        str(graph.value(node, ns.DCTERMS.identifier))
        for node in graph.objects(catalog, ns.DCAT.dataset)
    }
    assert datasets == {str(catalogue.open.pk), str(catalogue.restricted.pk)}
    assert not list(graph.subjects(ns.DCTERMS.title, Literal("Draft data")))
    assert one(graph, one(graph, catalog, ns.DCTERMS.publisher), ns.FOAF.name) == Literal(
        "CivicHack"
    )


def test_dataset_maps_fields_to_dcat_ap(client, catalogue):
    graph = graph_of(client, "/datasets/claimants.ttl", "turtle")
    node = URIRef("http://testserver/datasets/claimants/")

    assert one(graph, node, ns.DCTERMS.title) == Literal("Claimant count")
    assert one(graph, node, ns.DCTERMS.identifier) == Literal(str(catalogue.open.pk))
    assert one(graph, node, ns.DCTERMS.issued) == Literal("2025-01-15", datatype=ns.XSD.date)
    assert one(graph, node, ns.DCTERMS.modified) == Literal("2026-01-15", datatype=ns.XSD.date)
    assert one(graph, node, ns.OWL.versionInfo) == Literal("2.1")
    assert one(graph, node, ns.DCAT.landingPage) == URIRef("https://data.example.org/claimants")
    assert one(graph, node, ns.DCTERMS.accrualPeriodicity) == URIRef(f"{EU}/frequency/MONTHLY")
    assert one(graph, node, ns.DCTERMS.accessRights) == URIRef(f"{EU}/access-right/PUBLIC")
    assert set(graph.objects(node, ns.DCAT.theme)) == {
        URIRef(f"{EU}/data-theme/ECON"),
        URIRef(f"{EU}/data-theme/SOCI"),
    }
    assert set(graph.objects(node, ns.DCAT.keyword)) == {
        Literal("employment"),
        Literal("benefits"),
    }
    publisher = one(graph, node, ns.DCTERMS.publisher)
    assert one(graph, publisher, ns.FOAF.name) == Literal("City Region Data")
    contact = one(graph, node, ns.DCAT.contactPoint)
    assert one(graph, contact, ns.RDF.type) == dcat.VCARD.Kind
    assert one(graph, contact, dcat.VCARD.fn) == Literal("Claimant statistics")
    assert one(graph, contact, dcat.VCARD.hasEmail) == URIRef(
        "mailto:claimants@city-region.example.org"
    )
    period = one(graph, node, ns.DCTERMS.temporal)
    assert one(graph, period, ns.RDF.type) == ns.DCTERMS.PeriodOfTime
    assert one(graph, period, ns.DCAT.startDate) == Literal("2020-01-01", datatype=ns.XSD.date)
    assert one(graph, period, ns.DCAT.endDate) == Literal("2025-12-31", datatype=ns.XSD.date)
    place = one(graph, node, ns.DCTERMS.spatial)
    assert one(graph, place, ns.SKOS.prefLabel) == Literal("Liverpool City Region")
    assert one(graph, node, ns.DCTERMS.provenance) is not None
    licence = one(graph, node, ns.DCTERMS.license)
    assert str(licence).startswith("https://www.nationalarchives.gov.uk/")


def test_distributions_point_at_download_page_or_open_link(client, catalogue):
    graph = graph_of(client, "/datasets/claimants.jsonld", "json-ld")
    node = URIRef("http://testserver/datasets/claimants/")
    by_title = {
        str(one(graph, d, ns.DCTERMS.title)): d for d in graph.objects(node, ns.DCAT.distribution)
    }

    csv, link = by_title["Claimants CSV"], by_title["Claimants 2025 (publisher's copy)"]
    download = one(graph, csv, ns.DCAT.accessURL)
    assert str(download).startswith("http://testserver/datasets/claimants/")
    assert str(catalogue.csv.pk) in str(download)
    assert one(graph, csv, ns.DCAT.downloadURL) == download
    assert one(graph, csv, ns.DCTERMS["format"]) == URIRef(f"{EU}/file-type/CSV")
    assert one(graph, csv, ns.DCAT.mediaType) == URIRef(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    assert one(graph, csv, ns.DCAT.byteSize).toPython() == catalogue.csv.size
    checksum = one(graph, csv, dcat.SPDX.checksum)
    assert one(graph, checksum, dcat.SPDX.algorithm) == dcat.SPDX.checksumAlgorithm_sha256
    assert str(one(graph, checksum, dcat.SPDX.checksumValue)) == catalogue.csv.sha256
    assert one(graph, csv, ns.DCTERMS.license) == one(graph, node, ns.DCTERMS.license)
    assert one(graph, link, ns.DCAT.accessURL) == URIRef(LINK)
    assert list(graph.objects(link, ns.DCAT.downloadURL)) == []
    assert list(graph.objects(link, ns.DCTERMS.description)) == []  # empty texts say nothing


def test_restricted_dataset_distribution_is_download_page(client, catalogue):
    graph = graph_of(client, "/datasets/vacancies.ttl", "turtle")
    node = URIRef("http://testserver/datasets/vacancies/")

    (distribution,) = graph.objects(node, ns.DCAT.distribution)
    assert str(one(graph, distribution, ns.DCAT.accessURL)).startswith(
        "http://testserver/datasets/"
    )
    assert one(graph, node, ns.DCTERMS.accessRights) == URIRef(f"{EU}/access-right/RESTRICTED")
    assert catalogue.restricted_csv.file.name not in graph.serialize(format="turtle")


@pytest.mark.parametrize("url", ["/datasets/draft-data.ttl", "/datasets/nothing.jsonld"])
def test_unpublished_or_unknown_dataset_is_404(client, catalogue, url):
    assert client.get(url).status_code == 404


def test_catalogue_pages_with_hydra(client, monkeypatch):
    monkeypatch.setattr(dcat, "PAGE_SIZE", 2)
    publisher = PublisherFactory()
    for _ in range(5):
        DatasetFactory(publisher=publisher)

    graph = graph_of(client, "/catalog.ttl?page=2", "turtle")

    page = URIRef("http://testserver/catalog.ttl?page=2")
    assert one(graph, page, ns.RDF.type) == dcat.HYDRA.PagedCollection
    assert one(graph, page, dcat.HYDRA.totalItems).toPython() == 5
    assert one(graph, page, dcat.HYDRA.itemsPerPage).toPython() == 2
    assert str(one(graph, page, dcat.HYDRA.firstPage)) == "http://testserver/catalog.ttl?page=1"
    assert str(one(graph, page, dcat.HYDRA.previousPage)) == "http://testserver/catalog.ttl?page=1"
    assert str(one(graph, page, dcat.HYDRA.nextPage)) == "http://testserver/catalog.ttl?page=3"
    assert str(one(graph, page, dcat.HYDRA.lastPage)) == "http://testserver/catalog.ttl?page=3"
    assert len(list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))) == 2
    last = graph_of(client, "/catalog.ttl?page=3", "turtle")
    assert len(list(last.subjects(ns.RDF.type, ns.DCAT.Dataset))) == 1
    assert (
        list(last.objects(URIRef("http://testserver/catalog.ttl?page=3"), dcat.HYDRA.nextPage))
        == []
    )


@pytest.mark.parametrize("page", ["0", "-1", "two", "1" * 50, "\u0661", "9"])
def test_catalogue_refuses_bad_or_missing_page(client, catalogue, page):
    response = client.get("/catalog.jsonld", {"page": page})

    assert response.status_code == (404 if page == "9" else 400)


def test_empty_catalogue_is_one_page_without_datasets(client):
    graph = graph_of(client, "/catalog.jsonld", "json-ld")

    assert list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset)) == []
    assert len(list(graph.subjects(ns.RDF.type, ns.DCAT.Catalog))) == 1


def test_catalogue_query_count_is_flat(client):
    publisher = PublisherFactory()

    def add(k):
        for _ in range(k):
            ResourceFactory(dataset=DatasetFactory(publisher=publisher))

    def fetch():
        response = client.get("/catalog.ttl")
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: publisher.datasets.values_list("title", flat=True),
    )


@pytest.mark.parametrize("url", ["/datasets/budget.ttl", "/datasets/budget/datapackage.json"])
def test_dataset_export_query_count_is_flat_in_its_resources(client, url):
    dataset = DatasetFactory(slug="budget")

    def add(k):
        for _ in range(k):
            ResourceFactory(dataset=dataset)

    def fetch():
        response = client.get(url)
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: [str(pk) for pk in dataset.resources.values_list("pk", flat=True)],
    )


@override_settings(EXPORT_THROTTLE_RATE="2/min")
@pytest.mark.parametrize("url", ["/catalog.ttl", "/catalog.jsonld"])
def test_exports_over_the_rate_answer_plain_429(client, url):
    for _ in range(2):
        assert client.get(url).status_code == 200

    response = client.get(url)

    assert response.status_code == 429
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert client.get(url, REMOTE_ADDR="10.0.0.9").status_code == 200


@pytest.mark.parametrize(
    ("url", "rdf_format"),
    [
        ("/datasets/odd.ttl", "turtle"),
        ("/datasets/odd.jsonld", "json-ld"),
        ("/catalog.ttl", "turtle"),
        ("/catalog.jsonld", "json-ld"),
    ],
)
def test_stored_urls_with_characters_unsafe_in_uris_are_percent_encoded(client, url, rdf_format):
    dataset = DatasetFactory(slug="odd", landing_page="https://x.example.org/x<y>")
    ResourceFactory(
        dataset=dataset, file="", url='https://data.example.org/a"b{c}.csv', format="CSV"
    )

    graph = graph_of(client, url, rdf_format)

    node = URIRef("http://testserver/datasets/odd/")
    assert one(graph, node, ns.DCAT.landingPage) == URIRef("https://x.example.org/x%3Cy%3E")
    distribution = one(graph, node, ns.DCAT.distribution)
    assert one(graph, distribution, ns.DCAT.accessURL) == URIRef(
        "https://data.example.org/a%22b%7Bc%7D.csv"
    )


@pytest.mark.parametrize(
    ("resource_format", "expected"),
    [
        ("csv", URIRef(f"{EU}/file-type/CSV")),
        ("GeoJSON", URIRef(f"{EU}/file-type/GEOJSON")),
        ("JPEG", URIRef(f"{EU}/file-type/JPEG")),
        ("Web page", Literal("Web page")),
        ("API", Literal("API")),
    ],
)
def test_distribution_format_is_an_eu_file_type_only_when_one_exists(
    client, resource_format, expected
):
    dataset = DatasetFactory(slug="formats")
    ResourceFactory(dataset=dataset, file="", url="https://x.example.org/d", format=resource_format)

    graph = graph_of(client, "/datasets/formats.ttl", "turtle")

    distribution = one(graph, URIRef("http://testserver/datasets/formats/"), ns.DCAT.distribution)
    assert one(graph, distribution, ns.DCTERMS["format"]) == expected
