"""The catalogue's search: which datasets someone may see, matching words and facets.

`catalogue_search(user=, q=, filters=)` is the one search of the catalogue; the search
page, the DRF API and the CKAN API all call it:

    result = catalogue_search(user=request.user, q="claimants", filters={"theme": ["ECON"]})
    result.datasets   # a queryset of the matching datasets, best match first
    result.facets     # [Facet(name, title, values=[FacetValue(value, label, count, selected)])]

Words are matched against `Dataset.search_text` (title, description, keywords and
column names, kept by datasets.services.search.dataset_reindex): PostgreSQL full-text
search (English stemming, web-search syntax: quoted phrases, `or`, `-word`), ranked;
on SQLite every word must appear, in any case. Facets work as CKAN's do: several values
of one facet widen the search (any of them), different facets narrow it (all of them),
and each facet's counts are taken over the search with the *other* facets applied, so
ticking a value never hides the other values of its own facet. Facets cost one query
each, whatever the number of datasets, and are worked out only when first read.
"""

from dataclasses import dataclass
from functools import cached_property

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Upper
from django.http import Http404

from datasets.enums import AccessLevel, CatalogueTheme, GeographyLevel
from datasets.models import Dataset, DatasetTheme, Resource
from datasets.rules import is_catalogue_editor

# Longer queries are cut: nobody types more, and the query's cost grows with it.
MAX_QUERY_LENGTH = 200
# Values kept per facet parameter, and their length: enough for any real choice.
MAX_FACET_VALUES = 20
MAX_FACET_VALUE_LENGTH = 100
SEARCH_CONFIG = "english"
# The GIN index of migration 0003 is built over exactly this expression.
SEARCH_VECTOR = SearchVector("search_text", config=SEARCH_CONFIG)


@dataclass(frozen=True)
class FacetValue:
    value: str  # as sent in the query string
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str  # the query-string parameter
    title: str
    values: list[FacetValue]

    @property
    def selected(self) -> list[FacetValue]:
        return [value for value in self.values if value.selected]


@dataclass(frozen=True)
class FacetSpec:
    """One facet: its parameter, title, how it filters and how it counts."""

    name: str
    title: str
    choices: dict | None = None  # a fixed vocabulary: other values are ignored

    def clean(self, values) -> list[str]:
        cleaned = []
        for value in values:
            value = plain_text(value).strip()[:MAX_FACET_VALUE_LENGTH]
            if self.name == "format":
                value = value.upper()
            if value and value not in cleaned and (self.choices is None or value in self.choices):
                cleaned.append(value)
        return cleaned[:MAX_FACET_VALUES]


FACETS = (
    FacetSpec("theme", "Theme", dict(CatalogueTheme.choices)),
    FacetSpec("publisher", "Publisher"),
    FacetSpec("licence", "Licence"),
    FacetSpec("format", "Format"),
    FacetSpec("geography", "Geography level", dict(GeographyLevel.choices)),
    FacetSpec("access", "Access", dict(AccessLevel.choices)),
)
FACET_NAMES = tuple(spec.name for spec in FACETS)


class SearchResult:
    """The datasets found, and the facets' counts, worked out only when asked for (the
    APIs that list without facets do not pay for them)."""

    def __init__(self, *, datasets: QuerySet, matched: QuerySet, query: str, filters: dict):
        self.datasets = datasets  # the matches the user may see, best first, ready to list
        self.query = query  # the words searched for, as cleaned
        self.filters = filters  # {facet name: [values]} applied, as cleaned
        self._matched = matched

    @cached_property
    def facets(self) -> list[Facet]:
        """Every facet, in FACETS order, each value with its count (one query a facet)."""
        return [_facet(spec, self._matched, self.filters) for spec in FACETS]


def full_text_search() -> bool:
    """Whether the database does full-text search (PostgreSQL) or the plain fallback."""
    return connection.vendor == "postgresql"


def datasets_visible_to(user) -> QuerySet:
    """Published datasets; catalogue editors see unpublished ones too."""
    if is_catalogue_editor(user):
        return Dataset.objects.all()
    return Dataset.objects.filter(is_published=True)


def dataset_get_visible(*, slug: str, user, related=()) -> Dataset:
    """The dataset `slug` if `user` may see it, else Http404 (unpublished ones do not
    exist for anyone but catalogue editors)."""
    dataset = datasets_visible_to(user).select_related(*related).filter(slug=slug).first()
    if dataset is None:
        raise Http404("No such dataset.")
    return dataset


def plain_text(value) -> str:
    """`value` as text the database can take: without NUL bytes or lone surrogates (the
    site's middleware refuses both in requests; other callers may not have had that)."""
    return str(value).replace("\x00", "").encode("utf-8", "ignore").decode("utf-8")


def resource_get_visible(dataset, resource_id, *, related=("profile",)) -> Resource:
    """`dataset`'s resource `resource_id`, or 404 (another dataset's resource too)."""
    resource = (
        Resource.objects.select_related(*related).filter(dataset=dataset, pk=resource_id).first()
    )
    if resource is None:
        raise Http404("No such resource.")
    resource.dataset = dataset
    return resource


def clean_query(q) -> str:
    """The words searched for: spaces collapsed, cut at MAX_QUERY_LENGTH."""
    return " ".join(plain_text(q or "").split())[:MAX_QUERY_LENGTH]


def clean_filters(filters) -> dict[str, list[str]]:
    """Only known facets, only values that can exist; `filters` maps a facet name to a
    list of values (a QueryDict's lists, or a plain dict)."""
    filters = filters or {}
    getlist = filters.getlist if hasattr(filters, "getlist") else None
    cleaned = {}
    for spec in FACETS:
        if spec.name not in filters:
            continue
        raw = getlist(spec.name) if getlist else filters[spec.name]
        values = spec.clean([raw] if isinstance(raw, str) else raw)
        if values:
            cleaned[spec.name] = values
    return cleaned


def catalogue_search(*, user, q: str = "", filters=None) -> SearchResult:
    """Search the datasets `user` may see for the words `q`, narrowed by `filters`
    ({facet name: [values]}, names from FACET_NAMES; unknown names and values that
    cannot exist are ignored), with every facet's counts."""
    query = clean_query(q)
    applied = clean_filters(filters)
    matched = _matching(datasets_visible_to(user), query)
    datasets = _narrowed(matched, applied)
    if query and full_text_search():
        datasets = datasets.order_by("-rank", "title", "pk")
    else:
        datasets = datasets.order_by("title", "pk")
    datasets = datasets.select_related("publisher", "licence").prefetch_related(
        "themes",
        Prefetch("resources", queryset=Resource.objects.only("id", "dataset_id", "format")),
    )
    return SearchResult(datasets=datasets, matched=matched, query=query, filters=applied)


def formats_of(dataset) -> list[str]:
    """The formats of a dataset's resources, once each, from the prefetched resources."""
    return sorted(
        {resource.format.upper() for resource in dataset.resources.all() if resource.format}
    )


def _matching(datasets: QuerySet, query: str) -> QuerySet:
    if not query:
        return datasets
    if full_text_search():
        search = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)
        return (
            datasets.alias(vector=SEARCH_VECTOR)
            .filter(vector=search)
            .annotate(rank=SearchRank(SEARCH_VECTOR, search))
        )
    words = Q()
    for word in query.split():
        words &= Q(search_text__icontains=word)
    return datasets.filter(words)


def _facet_filter(name: str, values: list[str]) -> Q:
    if name == "theme":
        return Q(Exists(DatasetTheme.objects.filter(dataset=OuterRef("pk"), theme__in=values)))
    if name == "format":
        formats = Resource.objects.annotate(upper=Upper("format")).filter(
            dataset=OuterRef("pk"), upper__in=values
        )
        return Q(Exists(formats))
    lookups = {
        "publisher": "publisher__slug__in",
        "licence": "licence_id__in",
        "geography": "geography_level__in",
        "access": "access_level__in",
    }
    return Q(**{lookups[name]: values})


def _narrowed(datasets: QuerySet, applied: dict, *, leave_out: str = "") -> QuerySet:
    for name, values in applied.items():
        if name != leave_out:
            datasets = datasets.filter(_facet_filter(name, values))
    return datasets


def _facet(spec: FacetSpec, matched: QuerySet, applied: dict) -> Facet:
    """Counts of `spec`'s values among the matches with every other facet applied."""
    base = _narrowed(matched, applied, leave_out=spec.name).order_by().values("pk")
    if spec.name == "theme":
        rows = (
            DatasetTheme.objects.filter(dataset__in=base)
            .values(value=F("theme"))
            .annotate(count=Count("dataset", distinct=True))
            .values_list("value", "value", "count")
        )
    elif spec.name == "format":
        rows = (
            Resource.objects.filter(dataset__in=base)
            .exclude(format="")
            .annotate(value=Upper("format"))
            .values("value")
            .annotate(count=Count("dataset", distinct=True))
            .values_list("value", "value", "count")
        )
    else:
        value, label = {
            "publisher": ("publisher__slug", "publisher__name"),
            "licence": ("licence_id", "licence__title"),
            "geography": ("geography_level", "geography_level"),
            "access": ("access_level", "access_level"),
        }[spec.name]
        rows = (
            Dataset.objects.filter(pk__in=base)
            .exclude(**{value: ""})
            .values(value=F(value), label=F(label))
            .annotate(count=Count("pk"))
            .values_list("value", "label", "count")
        )
    chosen = applied.get(spec.name, [])
    labels = spec.choices or {}
    values = [
        FacetValue(value, labels.get(value, label), count, value in chosen)
        for value, label, count in rows.order_by()
    ]
    # A chosen value no dataset has (an old link) stays listed, so it can be unticked.
    values += [
        FacetValue(value, labels.get(value, value), 0, True)
        for value in chosen
        if value not in {v.value for v in values}
    ]
    values.sort(key=lambda v: (-v.count, v.label.lower()))
    return Facet(spec.name, spec.title, values)
