"""package_search: CKAN's q, fq, sort, rows, start and facets over published datasets.

`fq` takes CKAN's common subset: terms `field:value` or `field:"quoted value"`, joined by
spaces or AND (an optional leading + is accepted, as Solr's "must"), over FIELDS below;
every term must hold. Anything else is a Validation Error rather than a guess. One
request's cost is bounded: at most FQ_TERMS_MAX terms in FQ_LENGTH_MAX characters, one
condition per field however many terms name it, and `q`, `sort` and the facets bounded
too, all checked before any query runs.
`q` is the catalogue's own search (datasets.selectors.search: full-text over title,
description, keywords and column names, ranked, on PostgreSQL), so the API finds what
the search page finds; "*:*" means everything, as in CKAN. Facets are counted here over
the whole result, fq included, as CKAN's are (the search page counts each facet with
the others applied, for ticking values). The number of queries does not depend on the
number of datasets: a count, a page, its prefetches, one per facet.
"""

import re
from dataclasses import dataclass
from functools import reduce
from operator import and_

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
# Bounds on what one request may ask of the database (the search cuts q itself shorter).
FQ_TERMS_MAX = 20
FQ_LENGTH_MAX = 1000
Q_LENGTH_MAX = 1000


def _keyword_rows():
    return Dataset.keywords.through.objects


@dataclass(frozen=True)
class Field:
    """A field of fq and facet.field: how its values (all of which must hold) filter
    datasets, and how the matched datasets are counted by value (a queryset of dicts with
    `value`, `count` and maybe `display`, the value's name)."""

    filter: object  # values -> Q over Dataset
    counts: object  # matched ids (a subquery) -> queryset of {value, count}
    label: object = None  # value -> display name


def _count_by(queryset, path, dataset_path: str, *, display: str = ""):
    """Matched datasets counted by `path` (a field path or an expression)."""
    value = F(path) if isinstance(path, str) else path
    names = {"value": value, **({"display": F(display)} if display else {})}
    return queryset.order_by().values(**names).annotate(count=Count(dataset_path, distinct=True))


def _each(lookup: str):
    """A single-valued column: every value must hold (two different ones match nothing)."""

    def condition(values):
        return reduce(and_, (Q(**{lookup: value}) for value in values))

    return condition


def _having_all(rows, column, *, normalise=lambda value: value):
    """A multi-valued column held in `rows()` (each with a dataset_id): datasets having
    every value, as one subquery however many values are asked for."""

    def condition(values):
        wanted = {normalise(value) for value in values}
        expression = F(column) if isinstance(column, str) else column
        having = (
            rows()
            .annotate(matched=expression)
            .filter(matched__in=wanted)
            .order_by()
            .values("dataset_id")
            .annotate(held=Count("matched", distinct=True))
            .filter(held=len(wanted))
            .values("dataset_id")
        )
        return Q(pk__in=having)

    return condition


FIELDS = {
    "tags": Field(
        filter=_having_all(_keyword_rows, "keyword__name"),
        counts=lambda ids: _count_by(
            _keyword_rows().filter(dataset_id__in=ids), "keyword__name", "dataset_id"
        ),
    ),
    "license_id": Field(
        filter=_each("licence_id"),
        counts=lambda ids: _count_by(
            Dataset.objects.filter(pk__in=ids), "licence_id", "pk", display="licence__title"
        ),
    ),
    "organization": Field(
        filter=_each("publisher__slug"),
        counts=lambda ids: _count_by(
            Dataset.objects.filter(pk__in=ids), "publisher__slug", "pk", display="publisher__name"
        ),
    ),
    "res_format": Field(
        filter=_having_all(lambda: Resource.objects, Upper("format"), normalise=str.upper),
        counts=lambda ids: _count_by(
            # "csv" and "CSV" are one format, as the search page counts them
            Resource.objects.filter(dataset_id__in=ids).exclude(format=""),
            Upper("format"),
            "dataset_id",
        ),
    ),
    "theme": Field(
        filter=_having_all(lambda: DatasetTheme.objects, "theme", normalise=str.upper),
        counts=lambda ids: _count_by(
            DatasetTheme.objects.filter(dataset_id__in=ids), "theme", "dataset_id"
        ),
        label=lambda v: dict(CatalogueTheme.choices).get(v, v),
    ),
    "geography_level": Field(
        filter=_each("geography_level"),
        counts=lambda ids: _count_by(
            Dataset.objects.filter(pk__in=ids).exclude(geography_level=""), "geography_level", "pk"
        ),
        label=lambda v: dict(GeographyLevel.choices).get(v, v),
    ),
    "geography_coverage": Field(
        filter=_each("geography_coverage__iexact"),
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
    """The filter for an fq string (see the module's docstring), or Invalid. Its cost is
    bounded whatever the text: at most FQ_TERMS_MAX terms in FQ_LENGTH_MAX characters,
    and one condition per field, however many terms name it."""
    fq = fq.strip()
    if len(fq) > FQ_LENGTH_MAX:
        raise Invalid({"fq": [f"Must be at most {FQ_LENGTH_MAX} characters."]})
    return fq_condition(parse_fq_terms(fq))


def fq_condition(values: dict[str, list[str]]) -> Q:
    return reduce(and_, (FIELDS[name].filter(given) for name, given in values.items()), Q())


def parse_fq_terms(fq: str) -> dict[str, list[str]]:
    """{field: its values, each once, in order} for an fq string, or Invalid."""
    values, terms = {}, 0
    position = 0
    while position < len(fq):
        term = TERM.match(fq, position)
        if term is None or term["field"] not in FIELDS:
            raise Invalid({"fq": [_fq_help(fq[position:])]})
        terms += 1
        if terms > FQ_TERMS_MAX:
            raise Invalid({"fq": [f"Use at most {FQ_TERMS_MAX} terms."]})
        value = term["bare"] if term["bare"] is not None else _unescape(term["quoted"])
        given = values.setdefault(term["field"], [])
        if value not in given:
            given.append(value)
        position = term.end()
        if position < len(fq):
            joiner = JOINER.match(fq, position)
            if joiner is None:
                raise Invalid({"fq": [_fq_help(fq[position:])]})
            position = joiner.end()
    return values


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
    fq: dict[str, list[str]]  # {field: values}, every one to hold
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
    sort = text(params, "sort", default=DEFAULT_SORT)
    sort_keys(sort, SORT_FIELDS)  # refused here, before any query runs
    return Search(
        q=text(params, "q", max_length=Q_LENGTH_MAX),
        fq=parse_fq_terms(text(params, "fq", max_length=FQ_LENGTH_MAX).strip()),
        sort=sort,
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
    matched = found.datasets.filter(fq_condition(search.fq))
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
