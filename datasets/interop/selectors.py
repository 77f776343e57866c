"""Reads for the catalogue's exports: only published datasets, with everything an export
shows fetched in a fixed number of queries whatever their number."""

import uuid

from django.db.models import Count, Prefetch, Q, QuerySet

from datasets.models import Dataset, Publisher, Resource


def published_datasets() -> QuerySet[Dataset]:
    """Published datasets, with what the exports show (`with_export_relations`)."""
    return with_export_relations(Dataset.objects.filter(is_published=True))


def with_export_relations(datasets: QuerySet[Dataset]) -> QuerySet[Dataset]:
    """`datasets` with their publisher, licence, keywords, themes and resources (in their
    order, each with its profile for schemas), replacing any other prefetches."""
    resources = Resource.objects.select_related("profile").order_by("order", "created_at")
    return (
        datasets.select_related("publisher", "licence")
        .prefetch_related(None)
        .prefetch_related("keywords", "themes", Prefetch("resources", queryset=resources))
    )


def published_dataset_get(*, key: str) -> Dataset | None:
    """A published dataset by its id (a UUID) or its slug, or None."""
    datasets = published_datasets()
    by_id = datasets.filter(pk=key).first() if _is_uuid(key) else None
    return by_id or datasets.filter(slug=key).first()


def published_resource_get(*, key: str) -> Resource | None:
    """A resource of a published dataset by its id, or None."""
    if not _is_uuid(key):
        return None
    return (
        Resource.objects.filter(pk=key, dataset__is_published=True)
        .select_related("dataset")
        .first()
    )


def publishers_with_counts() -> QuerySet[Publisher]:
    """Publishers with at least one published dataset (one with only drafts would reveal
    them), with `package_count`, their number of published datasets."""
    return Publisher.objects.annotate(
        package_count=Count("datasets", filter=Q(datasets__is_published=True))
    ).filter(package_count__gt=0)


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True
