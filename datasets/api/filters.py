"""The API's search and filters: the catalogue page's (datasets.selectors.search), as a
django-filter FilterSet so they are validated and documented. A facet may be repeated
(`?theme=ECON&theme=TRAN`: any of them); different facets narrow together. Formats are
`res_format`, as in CKAN, since DRF reads `format` as the response's format."""

import django_filters
from django import forms
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from datasets.enums import AccessLevel, CatalogueTheme, GeographyLevel
from datasets.models import Dataset
from datasets.selectors.search import (
    FACET_NAMES,
    MAX_FACET_VALUE_LENGTH,
    MAX_FACET_VALUES,
    MAX_QUERY_LENGTH,
    catalogue_search,
)


class ValuesField(forms.Field):
    """Any number of short text values from a repeated query parameter."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value):
        values = [str(item) for item in (value or [])]
        if len(values) > MAX_FACET_VALUES:
            raise forms.ValidationError(f"Give at most {MAX_FACET_VALUES} values.")
        if any(len(item) > MAX_FACET_VALUE_LENGTH for item in values):
            raise forms.ValidationError(
                f"Each value must be at most {MAX_FACET_VALUE_LENGTH} characters."
            )
        return values


@extend_schema_field(serializers.ListField(child=serializers.CharField()))
class ValuesFilter(django_filters.Filter):
    field_class = ValuesField


def _choices(label, choices):
    return django_filters.MultipleChoiceFilter(choices=choices, label=label)


class DatasetFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Words from a title, description, keyword or column name (PostgreSQL "
        "web-search syntax: quoted phrases, or, -word)",
        max_length=MAX_QUERY_LENGTH,
    )
    theme = _choices("Catalogue themes (DCAT-AP data themes), any of", CatalogueTheme.choices)
    publisher = ValuesFilter(label="Publishers by slug, any of")
    licence = ValuesFilter(label="Licences by CKAN id (uk-ogl, cc-by, ...), any of")
    # `format` is DRF's own parameter (?format=json), so the formats go by CKAN's name.
    res_format = ValuesFilter(label="Formats of its files (CSV, XLSX, ...), any of")
    geography = _choices("Geography levels, any of", GeographyLevel.choices)
    access = _choices("Access levels, any of", AccessLevel.choices)

    class Meta:
        model = Dataset
        fields = ["q", "theme", "publisher", "licence", "res_format", "geography", "access"]

    def filter_queryset(self, queryset):
        """The catalogue's search, for the requester (it applies the same visibility as
        the view's queryset, and orders by relevance when there are words)."""
        data = {**self.form.cleaned_data, "format": self.form.cleaned_data.get("res_format")}
        filters = {name: data[name] for name in FACET_NAMES if data.get(name)}
        result = catalogue_search(user=self.request.user, q=data.get("q") or "", filters=filters)
        return result.datasets
