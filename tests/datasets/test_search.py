"""The catalogue search (datasets.selectors.search) and the search text it reads."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection

from datasets.models import Dataset, Keyword
from datasets.selectors.search import MAX_QUERY_LENGTH, catalogue_search, full_text_search
from datasets.services.search import dataset_reindex
from tests.datasets.pages_helpers import catalogue_editor, dataset_with
from tests.factories import DatasetFactory, PublisherFactory

pytestmark = pytest.mark.django_db
ANYONE = AnonymousUser()


def slugs(result) -> list[str]:
    return sorted(dataset.slug for dataset in result.datasets)


def facet(result, name) -> dict[str, int]:
    return {
        value.value: value.count
        for value in next(f for f in result.facets if f.name == name).values
    }


# --- Search text --------------------------------------------------------------------------


def test_reindex_joins_title_description_keywords_and_column_names():
    dataset = dataset_with(
        title="Claimant count",
        description="Monthly claimants.",
        keywords=["jobs", "benefits"],
        columns=["area_code", "claimants"],
    )

    assert Dataset.objects.get(pk=dataset.pk).search_text == (
        "Claimant count\nMonthly claimants.\nbenefits\njobs\narea_code\nclaimants"
    )


def test_reindex_sees_a_keyword_added_later():
    dataset = dataset_with(title="Population")
    dataset.keywords.add(Keyword.objects.create(name="census"))

    dataset_reindex(dataset=dataset)

    assert catalogue_search(user=ANYONE, q="census").datasets.get() == dataset


# --- What a search finds -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("vacancies", ["by-title"]),
        ("greenspace", ["by-description"]),
        ("cycling", ["by-keyword"]),
        ("lsoa_code", ["by-column"]),
        ("VACANCIES", ["by-title"]),
        ("nothing-like-this", []),
    ],
)
def test_search_finds_words_in_title_description_keyword_or_column(q, found):
    dataset_with(slug="by-title", title="Job vacancies", description="")
    dataset_with(slug="by-description", title="Parks", description="Every greenspace site.")
    dataset_with(slug="by-keyword", title="Counters", description="", keywords=["cycling"])
    dataset_with(slug="by-column", title="Deprivation", description="", columns=["lsoa_code"])

    assert slugs(catalogue_search(user=ANYONE, q=q)) == found


def test_search_needs_every_word():
    dataset_with(slug="both", title="Walking and cycling counts", description="")
    dataset_with(slug="one", title="Walking routes", description="")

    assert slugs(catalogue_search(user=ANYONE, q="walking cycling")) == ["both"]


def test_search_without_words_lists_published_datasets_by_title():
    dataset_with(slug="b", title="Beta")
    dataset_with(slug="a", title="Alpha")
    dataset_with(slug="hidden", title="Aardvark", is_published=False)

    assert [d.slug for d in catalogue_search(user=ANYONE).datasets] == ["a", "b"]


def test_search_shows_unpublished_datasets_to_catalogue_editors_only():
    dataset_with(slug="draft", title="Draft", is_published=False)

    assert slugs(catalogue_search(user=ANYONE)) == []
    assert slugs(catalogue_search(user=catalogue_editor())) == ["draft"]


@pytest.mark.postgres
def test_search_on_postgresql_stems_ranks_and_reads_web_search_syntax():
    assert full_text_search()
    dataset_with(slug="title", title="Cycling counts", description="cycling cycling")
    dataset_with(slug="column", title="Counts", description="", columns=["cycled"])
    dataset_with(slug="walking", title="Walking counts", description="")

    ranked = [d.slug for d in catalogue_search(user=ANYONE, q="cycle").datasets]
    assert ranked == ["title", "column"]
    assert slugs(catalogue_search(user=ANYONE, q="counts -walking")) == ["column", "title"]
    assert slugs(catalogue_search(user=ANYONE, q='"walking counts"')) == ["walking"]


@pytest.mark.postgres
def test_search_on_postgresql_uses_the_gin_index():
    dataset_with(title="Claimants")
    # The search's own SQL: the index helps only while its expression is the query's.
    sql, params = catalogue_search(user=ANYONE, q="claimants").datasets.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = " ".join(row[0] for row in cursor.fetchall())

    assert "dataset_search_text_gin" in plan


# --- Facets ------------------------------------------------------------------------------


@pytest.fixture
def faceted():
    city = PublisherFactory(slug="city", name="City Data")
    health = PublisherFactory(slug="health", name="Health Board")
    dataset_with(slug="jobs", publisher=city, themes=["ECON"], formats=("CSV", "XLSX"))
    dataset_with(slug="travel", publisher=city, themes=["TRAN", "ECON"], formats=("csv",))
    dataset_with(
        slug="gps",
        publisher=health,
        themes=["HEAL"],
        formats=("PDF",),
        licence_id="cc-by",
        geography_level="lsoa",
        access_level="restricted",
    )
    dataset_with(slug="draft", publisher=health, themes=["HEAL"], is_published=False)


def test_facets_count_the_published_matches(faceted):
    result = catalogue_search(user=ANYONE)

    assert facet(result, "theme") == {"ECON": 2, "TRAN": 1, "HEAL": 1}
    assert facet(result, "publisher") == {"city": 2, "health": 1}
    assert facet(result, "licence") == {"uk-ogl": 2, "cc-by": 1}
    assert facet(result, "format") == {"CSV": 2, "XLSX": 1, "PDF": 1}
    assert facet(result, "geography") == {"lsoa": 1}
    assert facet(result, "access") == {"open": 2, "restricted": 1}


def test_facet_values_carry_their_labels_and_are_ordered_by_count(faceted):
    themes = next(f for f in catalogue_search(user=ANYONE).facets if f.name == "theme")

    assert [(v.label, v.count) for v in themes.values] == [
        ("Economy and finance", 2),
        ("Health", 1),
        ("Transport", 1),
    ]


def test_one_facet_leaves_its_own_counts_whole_and_narrows_the_others(faceted):
    result = catalogue_search(user=ANYONE, filters={"publisher": ["city"]})

    assert slugs(result) == ["jobs", "travel"]
    assert facet(result, "publisher") == {"city": 2, "health": 1}
    assert facet(result, "theme") == {"ECON": 2, "TRAN": 1}
    assert [v.value for f in result.facets for v in f.selected] == ["city"]


def test_values_of_one_facet_widen_and_facets_narrow_together(faceted):
    either = catalogue_search(user=ANYONE, filters={"theme": ["TRAN", "HEAL"]})
    both = catalogue_search(user=ANYONE, filters={"theme": ["ECON"], "format": ["xlsx"]})

    assert slugs(either) == ["gps", "travel"]
    assert slugs(both) == ["jobs"]
    assert facet(both, "format") == {"CSV": 2, "XLSX": 1}
    assert facet(both, "theme") == {"ECON": 1}


def test_words_and_facets_combine(faceted):
    Dataset.objects.filter(slug="travel").update(search_text="Active travel counts")

    result = catalogue_search(user=ANYONE, q="travel", filters={"publisher": ["city"]})

    assert slugs(result) == ["travel"]
    assert facet(result, "publisher") == {"city": 1}


def test_unknown_facets_and_values_are_ignored_or_listed_with_no_datasets(faceted):
    result = catalogue_search(
        user=ANYONE,
        filters={"theme": ["NOPE"], "colour": ["red"], "publisher": ["nobody"]},
    )

    assert result.filters == {"publisher": ["nobody"]}
    assert slugs(result) == []
    publishers = next(f for f in result.facets if f.name == "publisher")
    assert [(v.value, v.count, v.selected) for v in publishers.values] == [
        ("city", 2, False),
        ("health", 1, False),
        ("nobody", 0, True),
    ]


def test_a_very_long_query_is_cut():
    dataset_with(title="Claimants")

    result = catalogue_search(user=ANYONE, q="claimants " + "x" * 5000)

    assert len(result.query) == MAX_QUERY_LENGTH
    assert slugs(result) == []


def test_nul_bytes_and_lone_surrogates_are_dropped_from_words_and_values():
    dataset_with(slug="claimants", title="Claimants", themes=["ECON"])

    result = catalogue_search(
        user=ANYONE, q="claim\x00ants\ud800", filters={"theme": ["EC\x00ON\udfff"]}
    )

    assert result.query == "claimants"
    assert result.filters == {"theme": ["ECON"]}
    assert slugs(result) == ["claimants"]


def test_a_query_of_symbols_alone_finds_nothing_and_does_not_fail():
    dataset_with(title="Claimants")

    assert slugs(catalogue_search(user=ANYONE, q="!!! & | ( ) :* <-> '")) == []


def test_facets_are_read_only_when_asked_for(django_assert_num_queries):
    DatasetFactory()

    with django_assert_num_queries(0):
        result = catalogue_search(user=ANYONE, q="x")
    with django_assert_num_queries(6):
        assert len(result.facets) == 6
