"""package_search: CKAN's q, fq, sort, rows, start and facets over published datasets.

`fq` takes CKAN's common subset: terms `field:value` or `field:"quoted value"`, joined by
spaces or AND (an optional leading + is accepted, as Solr's "must"), over FIELDS below;
every term must hold. Anything else is a Validation Error rather than a guess.
`q` is the catalogue's own search (datasets.selectors.search: full-text over title,
description, keywords and column names, ranked, on PostgreSQL), so the API finds what
the search page finds; "*:*" means everything, as in CKAN. Facets are counted here over
the whole result, fq included, as CKAN's are (the search page counts each facet with
the others applied, for ticking values). The number of queries does not depend on the
number of datasets: a count, a page, its prefetches, one per facet.
"""

import re
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q
from django.db.models.functions import Upper

from datasets.enums import CatalogueTheme, GeographyLevel
from datasets.interop.ckan_params import Invalid, integer, sort_keys, text, text_list
from datasets.interop.selectors import with_export_relations
from datasets.models import Dataset, DatasetTheme, Resource
from datasets.selectors.search import catalogue_search, full_text_search

ROWS_MAX = 1000
START_MAX = 1_000_000_000  # far beyond any catalogue; keeps OFFSET within PostgreSQL's bigint
FACET_LIMIT_DEFAULT = 50
DEFAULT_SORT = "score desc, metadata_modified desc"


def _keyword_rows():
    return Dataset.keywords.through.objects


@dataclass(frozen=True)
class Field:
    """A field of fq and facet.field: how a value filters datasets, and how the matched
    datasets are counted by value (a queryset of dicts with `value`, `count` and maybe
    `display`, the value's name)."""

    filter: object  # value -> Q over Dataset
    counts: object  # matched ids (a subquery) -> queryset of {value, count}
    label: object = None  # value -> display name


def _count_by(queryset, path, dataset_path: str, *, display: str = ""):
    """Matched datasets counted by `path` (a field path or an expression)."""
    value = F(path) if isinstance(path, str) else path
    names = {"value": value, **({"display": F(display)} if display else {})}
    return queryset.order_by().values(**names).annotate(count=Count(dataset_path, distinct=True))


FIELDS = {
    "tags": Field(
        filter=lambda v: Q(pk__in=_keyword_rows().filter(keyword__name=v).values("dataset_id")),
        counts=lambda ids: _count_by(
            _keyword_rows().filter(dataset_id__in=ids), "keyword__name", "dataset_id"
        ),
    ),
    "license_id": Field(
        filter=lambda v: Q(licence_id=v),
        counts=lambda ids: _count_by(
            Dataset.objects.filter(pk__in=ids), "licence_id", "pk", display="licence__title"
        ),
    ),
    "organization": Field(
        filter=lambda v: Q(publisher__slug=v),
        counts=lambda ids: _count_by(
            Dataset.objects.filter(pk__in=ids), "publisher__slug", "pk", display="publisher__name"
        ),
    ),
    "res_format": Field(
        filter=lambda v: Q(pk__in=Resource.objects.filter(format__iexact=v).values("dataset_id")),
        counts=lambda ids: _count_by(
            # "csv" and "CSV" are one format, as the search page counts them
            Resource.objects.filter(dataset_id__in=ids).exclude(format=""),
            Upper("format"),
            "dataset_id",
        ),
    ),
    "theme": Field(
        filter=lambda v: Q(
            pk__in=DatasetTheme.objects.filter(theme=v.upper()).values("dataset_id")
        ),
        counts=lambda ids: _count_by(
            DatasetTheme.objects.filter(dataset_id__in=ids), "theme", "dataset_id"
        ),
        label=lambda v: dict(CatalogueTheme.choices).get(v, v),
    ),
    "geography_level": Field(
        filter=lambda v: Q(geography_level=v),
        counts=lambda ids: _count_by(
            Dataset.objects.filter(pk__in=ids).exclude(geography_level=""), "geography_level", "pk"
        ),
        label=lambda v: dict(GeographyLevel.choices).get(v, v),
    ),
    "geography_coverage": Field(
        filter=lambda v: Q(geography_coverage__iexact=v),
        counts=lambda ids: _count_by(
            Dataset.objects.filter(pk__in=ids).exclude(geography_coverage=""),
            "geography_coverage",
            "pk",
        ),
    ),
}

# CKAN's sort fields that mean something here; "score" is the search's rank (full-text
# search with words only; otherwise it orders nothing and the next key decides).
SORT_FIELDS = {
    "score": None,
    "metadata_modified": "updated_at",
    "metadata_created": "created_at",
    "title_string": "title",
    "title": "title",
    "name": "slug",
}

TERM = re.compile(r'\+?(?P<field>[a-z_]+):(?:"(?P<quoted>(?:[^"\\]|\\.)*)"|(?P<bare>[^\s"]+))')
JOINER = re.compile(r"\s+(?:AND\s+)?")


def parse_fq(fq: str) -> Q:
    """The filter for an fq string (see the module's docstring), or Invalid."""
    condition = Q()
    position, fq = 0, fq.strip()
    while position < len(fq):
        term = TERM.match(fq, position)
        if term is None or term["field"] not in FIELDS:
            raise Invalid({"fq": [_fq_help(fq[position:])]})
        value = term["bare"] if term["bare"] is not None else _unescape(term["quoted"])
        condition &= FIELDS[term["field"]].filter(value)
        position = term.end()
        if position < len(fq):
            joiner = JOINER.match(fq, position)
            if joiner is None:
                raise Invalid({"fq": [_fq_help(fq[position:])]})
            position = joiner.end()
    return condition


def _unescape(quoted: str) -> str:
    return re.sub(r"\\(.)", r"\1", quoted)


def _fq_help(rest: str) -> str:
    fields = ", ".join(FIELDS)
    return (
        f'Cannot read the filter at {rest[:40]!r}: use field:value or field:"a value" '
        f"terms joined by spaces or AND, over {fields}."
    )


@dataclass(frozen=True)
class Search:
    q: str
    fq: str
    sort: str
    rows: int
    start: int
    facet_fields: list[str]
    facet_limit: int


def read_search(params: dict) -> Search:
    facet_fields = text_list(params, "facet.field")
    unknown = [name for name in facet_fields if name not in FIELDS]
    if unknown:
        raise Invalid(
            {"facet.field": [f"Cannot facet on {unknown[0]!r}; use {', '.join(FIELDS)}."]}
        )
    return Search(
        q=text(params, "q"),
        fq=text(params, "fq"),
        sort=text(params, "sort", default=DEFAULT_SORT),
        rows=integer(params, "rows", default=10, low=0, high=ROWS_MAX),
        start=integer(params, "start", default=0, low=0, high=START_MAX),
        facet_fields=list(dict.fromkeys(facet_fields)),
        facet_limit=integer(
            params, "facet.limit", default=FACET_LIMIT_DEFAULT, low=-1, high=ROWS_MAX
        ),
    )


def run_search(search: Search) -> tuple[int, list, dict]:
    """(count, the page of datasets, {facet field: [(value, label, count)]}) for what
    anyone, signed in or not, may see: published datasets."""
    found = catalogue_search(user=AnonymousUser(), q="" if search.q.strip() == "*:*" else search.q)
    ranked = bool(found.query) and full_text_search()
    matched = found.datasets.filter(parse_fq(search.fq))
    order = sort_keys(search.sort, {**SORT_FIELDS, "score": "rank" if ranked else None})
    count = matched.count()
    page = []
    if search.rows:
        page = list(
            with_export_relations(matched.order_by(*order))[
                search.start : search.start + search.rows
            ]
        )
    ids = matched.order_by().values("pk")
    facets = {}
    for name in search.facet_fields:
        field = FIELDS[name]
        counts = field.counts(ids).order_by("-count", "value")
        if search.facet_limit >= 0:
            counts = counts[: search.facet_limit]
        label = field.label or (lambda value: value)
        facets[name] = [
            (row["value"], row.get("display") or label(row["value"]), row["count"])
            for row in counts
        ]
    return count, page, facets
