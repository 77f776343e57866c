"""The public catalogue: search, a dataset's page, a resource's page and its profiling
status (an htmx fragment)."""

from urllib.parse import urlencode

import rules
from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import render, resolve_url
from django.urls import reverse

from datasets.enums import AccessLevel, ProfileStatus
from datasets.extensions import dataset_page_sections
from datasets.rules import has_accepted_current_terms
from datasets.selectors import current_terms_version
from datasets.selectors.search import (
    catalogue_search,
    dataset_get_visible,
    formats_of,
    full_text_search,
    resource_get_visible,
)
from datasets.selectors.usage import usage_events
from events.extensions import render_sections

PAGE_SIZE = 20
STATUS_TAG_COLOURS = {
    ProfileStatus.NONE: "grey",
    ProfileStatus.QUEUED: "blue",
    ProfileStatus.RUNNING: "yellow",
    ProfileStatus.DONE: "green",
    ProfileStatus.FAILED: "red",
}
# While profiling runs, the status fragment asks again this often (htmx).
STATUS_POLL_SECONDS = 3


def catalogue(request):
    result = catalogue_search(user=request.user, q=request.GET.get("q", ""), filters=request.GET)
    page = Paginator(result.datasets, PAGE_SIZE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    context = {
        "result": result,
        "page": page,
        "removals": _removals(params, result),
        "rows": [(dataset, formats_of(dataset)) for dataset in page.object_list],
        "querystring": params.urlencode(),
        "full_text": full_text_search(),
        "is_editor": rules.has_perm("datasets.change_dataset", request.user),
    }
    return render(request, "datasets/catalogue.html", context)


def _removals(params, result) -> list[tuple[str, str]]:
    """(text, link) for each filter applied: the same search without it."""
    removals = []
    for facet in result.facets:
        for value in facet.selected:
            without = params.copy()
            # Compared as the search cleans them (formats are matched in capitals).
            chosen = value.value.upper()
            kept = [v for v in params.getlist(facet.name) if v.strip().upper() != chosen]
            without.setlist(facet.name, kept)
            removals.append((f"{facet.title}: {value.label}", f"?{without.urlencode()}"))
    return removals


def dataset_detail(request, slug):
    dataset = dataset_get_visible(slug=slug, user=request.user, related=("publisher", "licence"))
    resources = list(dataset.resources.select_related("profile").order_by("order", "created_at"))
    for resource in resources:
        resource.dataset = dataset
    context = {
        "dataset": dataset,
        "keywords": list(dataset.keywords.order_by("name")),
        "themes": list(dataset.themes.all()),
        "resources": resources,
        **_access(request, dataset),
        "sections": render_sections(dataset_page_sections, dataset, request),
        "may_see_usage": _may_see_usage(request.user, dataset),
    }
    return render(request, "datasets/dataset.html", context)


def resource_detail(request, slug, resource_id):
    dataset = dataset_get_visible(slug=slug, user=request.user, related=("publisher", "licence"))
    resource = resource_get_visible(dataset, resource_id)
    context = {
        "dataset": dataset,
        "resource": resource,
        **_access(request, dataset),
        **_status(resource),
    }
    return render(request, "datasets/resource.html", context)


def resource_status(request, slug, resource_id):
    """The profiling status of a resource, alone: the resource page swaps it in."""
    dataset = dataset_get_visible(slug=slug, user=request.user)
    resource = resource_get_visible(dataset, resource_id, related=())
    context = {"dataset": dataset, "resource": resource, **_status(resource)}
    return render(request, "datasets/_profile_status.html", context)


def login_url(request) -> str:
    """The sign-in page, coming back to this one."""
    return f"{resolve_url(settings.LOGIN_URL)}?{urlencode({'next': request.get_full_path()})}"


def _access(request, dataset) -> dict:
    """Whether the person may have the data, and if not, what would let them."""
    user = request.user
    may_download = rules.has_perm("datasets.download_resource", user, dataset)
    restricted = dataset.access_level == AccessLevel.RESTRICTED
    terms_version = current_terms_version(dataset) if restricted else None
    return {
        "may_download": may_download,
        "restricted": restricted,
        "terms_version": terms_version,
        "accepted_terms": restricted and has_accepted_current_terms(user, dataset),
        "sign_in_url": login_url(request),
        "terms_url": (
            f"{reverse('datasets:terms', args=[dataset.slug])}?"
            f"{urlencode({'next': request.get_full_path()})}"
        ),
    }


def _status(resource) -> dict:
    running = resource.profile_status in (ProfileStatus.QUEUED, ProfileStatus.RUNNING)
    return {
        "profiling": running,
        "poll_seconds": STATUS_POLL_SECONDS,
        "status_colour": STATUS_TAG_COLOURS.get(resource.profile_status, "grey"),
    }


def _may_see_usage(user, dataset) -> bool:
    if not user.is_authenticated:
        return False
    if rules.has_perm("datasets.see_dataset_usage", user, dataset):
        return True
    return usage_events(dataset=dataset, user=user).exists()
