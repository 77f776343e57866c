"""Absolute addresses that the CKAN API, DCAT export and Data Packages hand out.

Every resource of a dataset is reached through the platform's permission-checked
download page (never a stored file), except a link resource of an open dataset, whose
address is its external URL: a restricted dataset's link is data too, so it stays behind
the page. Built here only, so the exports agree.
"""

from django.urls import reverse

from datasets.enums import AccessLevel
from datasets.models import Dataset, Resource


def dataset_page_url(dataset: Dataset, request) -> str:
    return request.build_absolute_uri(dataset.get_absolute_url())


def resource_download_url(resource: Resource, request) -> str:
    """The permission-checked download page of a resource (whatever its access level:
    the page decides who gets the data)."""
    kwargs = {"slug": resource.dataset.slug, "resource_id": resource.pk}
    return request.build_absolute_uri(reverse("datasets:resource_download", kwargs=kwargs))


def resource_url(resource: Resource, request) -> str:
    """Where a resource's data is: an open link's external URL, else the download page."""
    if not resource.is_upload and resource.dataset.access_level == AccessLevel.OPEN:
        return resource.url
    return resource_download_url(resource, request)
