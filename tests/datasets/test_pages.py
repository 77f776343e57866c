"""The catalogue's pages: search with facets, a dataset's page, a resource's page and its
profiling status; the dataset page's section registry."""

import re

import pytest
from django.urls import reverse

from datasets.extensions import dataset_page_sections
from datasets.models import DatasetTheme, Resource
from events.extensions import Section
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
CATALOGUE = "/datasets/"


def result_titles(response) -> list[str]:
    return re.findall(
        r'<h3 class="govuk-heading-m[^"]*"><a class="govuk-link" href="[^"]+">([^<]+)</a>',
        response.content.decode(),
    )


def facet_labels(response, name) -> list[str]:
    """The labels of facet `name`'s checkboxes as shown ("Economy and finance (2)")."""
    html = response.content.decode()
    found = re.findall(
        rf'<input class="govuk-checkboxes__input" type="checkbox" id="facet-{name}-\d+" '
        rf'name="{name}" value="[^"]*"( checked)?>\s*<label [^>]*>([^<]*) <span[^>]*>\((\d+)\)',
        html,
    )
    return [f"{label} ({count}){' ticked' if ticked else ''}" for ticked, label, count in found]


# --- Search page -------------------------------------------------------------------------


@pytest.fixture
def catalogue():
    city = PublisherFactory(slug="city", name="City Data")
    dataset_with(
        slug="jobs",
        title="Job vacancies",
        publisher=city,
        themes=["ECON"],
        formats=("CSV", "XLSX"),
        keywords=["work"],
    )
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
        access_level="restricted",
        formats=("PDF",),
        publisher=PublisherFactory(slug="health", name="Health Board"),
    )


def test_catalogue_lists_published_datasets_with_their_facts(client, catalogue):
    response = client.get(CATALOGUE)

    content = response.content.decode()
    assert response.status_code == 200
    assert result_titles(response) == ["Active travel", "GP surgeries", "Job vacancies"]
    assert "3 datasets" in content
    assert '<dd class="govuk-summary-list__value">City Data</dd>' in content
    assert '<dd class="govuk-summary-list__value">CSV, XLSX</dd>' in content
    assert '<dd class="govuk-summary-list__value">UK Open Government Licence (OGL)</dd>' in content
    assert '<strong class="govuk-tag govuk-tag--yellow">Terms to accept</strong>' in content


@pytest.mark.parametrize(
    ("query", "titles"),
    [
        ("q=vacancies", ["Job vacancies"]),
        ("q=work", ["Job vacancies"]),  # a keyword
        ("q=cycle_count", ["Active travel"]),  # a column name
        ("publisher=city", ["Active travel", "Job vacancies"]),
        ("publisher=city&theme=TRAN", ["Active travel"]),
        ("theme=TRAN&theme=HEAL", ["Active travel", "GP surgeries"]),
        ("format=pdf", ["GP surgeries"]),
        ("access=restricted", ["GP surgeries"]),
        ("q=vacancies&theme=TRAN", []),
    ],
)
def test_catalogue_filters_by_words_and_facets_from_the_query_string(
    client, catalogue, query, titles
):
    response = client.get(f"{CATALOGUE}?{query}")

    assert response.status_code == 200
    assert result_titles(response) == titles


def test_catalogue_facets_show_exact_counts_against_the_other_facets(client, catalogue):
    response = client.get(f"{CATALOGUE}?publisher=city")

    assert facet_labels(response, "publisher") == ["City Data (2) ticked", "Health Board (1)"]
    assert facet_labels(response, "theme") == ["Economy and finance (1)", "Transport (1)"]
    assert facet_labels(response, "format") == ["CSV (2)", "XLSX (1)"]
    assert facet_labels(response, "access") == ["Open to everyone (2)"]


def test_catalogue_links_to_the_same_search_without_each_filter(client, catalogue):
    content = client.get(f"{CATALOGUE}?q=travel&publisher=city&format=csv").content.decode()

    assert (
        'Publisher: City Data <a class="govuk-link" href="?q=travel&amp;format=csv">Remove'
        in content
    )
    assert 'Format: CSV <a class="govuk-link" href="?q=travel&amp;publisher=city">Remove' in content


def test_catalogue_works_without_javascript(client, catalogue):
    content = client.get(f"{CATALOGUE}?q=travel").content.decode()

    form = content[content.index('<form method="get" action="/datasets/"') :]
    assert 'name="q" id="id_q" value="travel"' in form
    assert '<button type="submit" class="govuk-button govuk-button--secondary" ' in form
    assert "<script>" not in content and "style=" not in content


def test_catalogue_pages_keep_the_search_in_their_links(client):
    for n in range(25):
        dataset_with(title=f"Dataset {n:02}", description="census")

    response = client.get(f"{CATALOGUE}?q=census&page=2")

    content = response.content.decode()
    assert len(result_titles(response)) == 5
    assert 'href="?q=census&amp;page=1" rel="prev"' in content
    assert "Page 2 of 2" in content


@pytest.mark.parametrize(
    "query",
    [
        "page=99999999999999999999",
        "page=-3",
        "page=abc",
        "q=" + "x" * 10000,
        "theme=NOPE&geography=moon&access=secret&publisher=nobody&format=%3Cscript%3E",
        "q=%ED%A0%80",  # a lone surrogate, as the browser would encode it
        "q=%22unclosed&q=two",
    ],
)
def test_catalogue_answers_bad_input_without_failing(client, catalogue, query):
    response = client.get(f"{CATALOGUE}?{query}")

    assert response.status_code == 200


def test_catalogue_refuses_a_nul_byte_in_the_query(client, catalogue):
    response = client.get(f"{CATALOGUE}?q=a%00b")

    assert response.status_code == 400


def test_catalogue_marks_unpublished_datasets_for_catalogue_editors(client):
    dataset_with(title="Draft data", is_published=False)
    client.force_login(catalogue_editor())

    content = client.get(CATALOGUE).content.decode()

    assert "Draft data" in content
    assert '<strong class="govuk-tag govuk-tag--grey">Unpublished</strong>' in content


def test_catalogue_query_count_is_flat(client):
    publisher = PublisherFactory()
    made = []

    def add_items(count):
        for _ in range(count):
            dataset = DatasetFactory(publisher=publisher)
            DatasetTheme.objects.create(dataset=dataset, theme="ECON")
            ResourceFactory(dataset=dataset)
            made.append(dataset)

    def fetch():
        response = client.get(f"{CATALOGUE}?theme=ECON&format=CSV")
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add_items, shown=lambda: [d.title for d in made])


# --- Dataset page ------------------------------------------------------------------------


def test_dataset_page_shows_its_metadata(client):
    dataset = dataset_with(
        title="Claimant count",
        publisher=PublisherFactory(name="City Data"),
        keywords=["jobs"],
        themes=["ECON"],
        geography_coverage="Liverpool City Region",
        geography_level="local_authority",
        provenance="From DWP.\nRounded <b>to</b> 5.",
        version="2026.1",
    )

    content = client.get(dataset.get_absolute_url()).content.decode()

    assert '<h1 class="govuk-heading-xl">Claimant count</h1>' in content
    assert (
        'href="https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"'
        in content
    )
    assert '<strong class="govuk-tag govuk-tag--green">Open licence</strong>' in content
    assert (
        "Contains data from City Data, licensed under the UK Open Government Licence (OGL)."
        in content
    )
    assert "Liverpool City Region<br>By local authority" in content
    assert "From DWP.<br>Rounded &lt;b&gt;to&lt;/b&gt; 5." in content
    assert '<dd class="govuk-summary-list__value">jobs</dd>' in content
    assert '<dd class="govuk-summary-list__value">Economy and finance</dd>' in content


def test_dataset_page_shows_dictionary_preview_and_top_values_to_those_allowed(client):
    dataset = dataset_with(title="Claimants", columns=["area_name"])

    content = client.get(dataset.get_absolute_url()).content.decode()

    assert '<th scope="row" class="govuk-table__header" role="rowheader">area_name</th>' in content
    assert "Halton (1)" in content  # the top value
    assert 'role="region" aria-label="Preview of Resource' in content
    assert '<td class="govuk-table__cell">3120</td>' in content


@pytest.mark.parametrize(
    ("access", "signed_in", "sentence"),
    [
        ("signed_in", False, ">Sign in</a> to download it."),
        ("restricted", False, ">Sign in</a>, then accept the terms, to download it."),
        ("restricted", True, ">Read and accept the terms</a> to download it."),
    ],
)
def test_dataset_page_hides_data_and_says_how_to_get_it(client, access, signed_in, sentence):
    dataset = dataset_with(title="Claimants", columns=["area_name"], access_level=access)
    DatasetTermsFactory(dataset=dataset)
    if signed_in:
        client.force_login(UserFactory())

    content = client.get(dataset.get_absolute_url()).content.decode()

    assert sentence in content
    assert 'role="rowheader">area_name</th>' in content  # metadata stays public
    assert "Halton" not in content and "3120" not in content  # data does not
    assert "/download/" not in content


def test_dataset_page_of_an_unpublished_dataset_is_for_catalogue_editors(client):
    dataset = dataset_with(title="Draft data", is_published=False)

    assert client.get(dataset.get_absolute_url()).status_code == 404
    client.force_login(catalogue_editor())
    assert client.get(dataset.get_absolute_url()).status_code == 200


def test_dataset_page_renders_registered_sections_with_the_dataset(client, monkeypatch):
    shown, hidden = dataset_with(title="Shown"), dataset_with(title="Hidden")
    seen = []

    def context(dataset, request):
        seen.append((dataset.slug, request.path))
        return {"dataset": dataset} if dataset == shown else None

    section = Section("Used by", "datasets/_access_tag.html", context)
    monkeypatch.setitem(dataset_page_sections._entries, "used_by", (100, section))

    assert (
        'id="section-used_by">Used by</h2>' in client.get(shown.get_absolute_url()).content.decode()
    )
    assert "Used by" not in client.get(hidden.get_absolute_url()).content.decode()
    assert seen == [
        (shown.slug, shown.get_absolute_url()),
        (hidden.slug, hidden.get_absolute_url()),
    ]


def test_dataset_page_query_count_is_flat_in_resources(client):
    dataset = DatasetFactory()
    made = []

    def add_items(count):
        for _ in range(count):
            made.append(ResourceFactory(dataset=dataset))
            profile_for(made[-1])

    def fetch():
        response = client.get(dataset.get_absolute_url())
        assert response.status_code == 200
        return response

    assert_flat_queries(fetch=fetch, add_items=add_items, shown=lambda: [r.name for r in made])


# --- Resource page and its status --------------------------------------------------------


def resource_url(resource, name="datasets:resource") -> str:
    return reverse(name, kwargs={"slug": resource.dataset.slug, "resource_id": resource.pk})


def test_resource_page_polls_its_status_while_profiling(client):
    resource = ResourceFactory(profile_status="running", profile_progress=40)

    content = client.get(resource_url(resource)).content.decode()

    assert '<strong class="govuk-tag govuk-tag--yellow">Being profiled</strong> 40% done' in content
    assert f'hx-get="{resource_url(resource, "datasets:resource_status")}"' in content
    assert 'hx-trigger="every 3s"' in content
    assert f'<a class="govuk-link" href="{resource_url(resource)}">Refresh</a>' in content
    assert "htmx.min.js" in content


def test_resource_status_fragment_stops_polling_once_done(client):
    resource = ResourceFactory()
    profile_for(resource)

    response = client.get(
        resource_url(resource, "datasets:resource_status"), HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in content
    assert "hx-get" not in content
    assert '<strong class="govuk-tag govuk-tag--green">Profiled</strong>' in content
    assert "show the data dictionary" in content


def test_resource_page_shows_a_readable_profile_error(client):
    resource = ResourceFactory(
        profile_status="failed", profile_error="The file is not text: <binary>."
    )

    content = client.get(resource_url(resource)).content.decode()

    assert "Could not be profiled" in content
    assert "The file is not text: &lt;binary&gt;." in content
    assert "hx-get" not in content and "htmx.min.js" not in content


def test_resource_page_shows_the_same_dictionary_and_preview(client):
    resource = ResourceFactory(name="Claimants CSV")
    profile_for(resource)

    content = client.get(resource_url(resource)).content.decode()

    assert "Data dictionary of Claimants CSV" in content
    assert 'aria-label="Preview of Claimants CSV" tabindex="0"' in content
    assert "Halton (1)" in content


def test_resource_of_another_dataset_is_not_found(client):
    resource, other = ResourceFactory(), DatasetFactory()

    response = client.get(
        reverse("datasets:resource", kwargs={"slug": other.slug, "resource_id": resource.pk})
    )

    assert response.status_code == 404
    assert Resource.objects.filter(pk=resource.pk).exists()


def test_dataset_page_links_its_descriptions_as_data(client):
    dataset = dataset_with(slug="claimants")

    content = client.get(reverse("datasets:dataset", args=[dataset.slug])).content.decode()

    for address in (
        "/datasets/claimants.jsonld",
        "/datasets/claimants.ttl",
        "/datasets/claimants/datapackage.json",
    ):
        assert f'href="{address}"' in content
        assert client.get(address).status_code == 200
