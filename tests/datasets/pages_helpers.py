"""Shared set-up for the catalogue pages' tests (search, pages, access, API)."""

from django.contrib.auth.models import Group

from datasets.models import DatasetTheme, Keyword, ResourceProfile
from datasets.rules import CATALOGUE_EDITORS
from datasets.services.search import dataset_reindex
from tests.factories import DatasetFactory, ResourceFactory, UserFactory

FIELDS = [
    {
        "name": "area_name",
        "type": "string",
        "count": 1,
        "nulls": 0,
        "distinct": 1,
        "distinct_is_exact": True,
        "min": None,
        "max": None,
        "mean": None,
        "top_values": [["Halton", 1]],
        "top_values_are_exact": True,
    },
    {
        "name": "claimants",
        "type": "integer",
        "count": 1,
        "nulls": 0,
        "distinct": 1,
        "distinct_is_exact": True,
        "min": 3120,
        "max": 3120,
        "mean": 3120.0,
        "top_values": [],
        "top_values_are_exact": None,
    },
]


def catalogue_editor():
    person = UserFactory()
    person.groups.add(Group.objects.get(name=CATALOGUE_EDITORS))
    return person


def profile_for(resource, *, fields=FIELDS, preview=(("Halton", "3120"),), header=None):
    """A stored profile, as profiling leaves it, and the dataset reindexed."""
    profile = ResourceProfile.objects.create(
        resource=resource,
        sha256=resource.sha256,
        rows=len(preview),
        columns=len(fields),
        fields=list(fields),
        preview_header=header or [field["name"] for field in fields],
        preview=[list(row) for row in preview],
    )
    resource.profile_status = "done"
    resource.save(update_fields=["profile_status"])
    dataset_reindex(dataset=resource.dataset)
    return profile


def dataset_with(*, keywords=(), themes=(), columns=None, formats=("CSV",), **fields):
    """A dataset with keywords, catalogue themes, one resource per format and (when
    `columns` is given) a profile of the first resource naming those columns, indexed."""
    dataset = DatasetFactory(**fields)
    for name in keywords:
        dataset.keywords.add(Keyword.objects.get_or_create(name=name)[0])
    for theme in themes:
        DatasetTheme.objects.create(dataset=dataset, theme=theme)
    resources = [ResourceFactory(dataset=dataset, format=fmt) for fmt in formats]
    if columns is not None:
        profile_for(resources[0], fields=[{**FIELDS[0], "name": name} for name in columns])
    dataset_reindex(dataset=dataset)
    return dataset
