"""What catalogue editors see: every dataset, published or not, with its state."""

from collections import Counter

from django.db.models import Prefetch

from datasets.models import Dataset, Resource


def catalogue_for_editors():
    """All datasets with publisher, resource count, profile statuses and downloads, for
    the editors' list. Two queries whatever the number of datasets."""
    resources = Resource.objects.only("id", "dataset_id", "profile_status", "download_count")
    datasets = list(
        Dataset.objects.select_related("publisher")
        .prefetch_related(Prefetch("resources", queryset=resources))
        .order_by("title")
    )
    for dataset in datasets:
        dataset_resources = dataset.resources.all()
        dataset.resource_count = len(dataset_resources)
        dataset.downloads = sum(r.download_count for r in dataset_resources)
        statuses = Counter(r.get_profile_status_display() for r in dataset_resources)
        dataset.profile_summary = sorted(statuses.items())
    return datasets


def dataset_for_editors(*, slug: str) -> Dataset:
    """One dataset with what its editors' page shows (Dataset.DoesNotExist if unknown)."""
    return (
        Dataset.objects.select_related("publisher", "licence")
        .prefetch_related("keywords", "themes", "resources", "terms", "features__event")
        .get(slug=slug)
    )
