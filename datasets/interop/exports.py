"""The catalogue for linked-data and data tools: DCAT-AP as JSON-LD and Turtle (the whole
catalogue, paged, and each dataset) and a Data Package per dataset. Public, published
datasets only; an unknown or unpublished dataset is 404."""

from django.http import Http404, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from common.throttling import throttled_per_address
from datasets.interop import dcat
from datasets.interop.datapackage import datapackage_descriptor
from datasets.interop.selectors import published_datasets

FORMATS = {
    "jsonld": ("json-ld", "application/ld+json"),
    "ttl": ("turtle", "text/turtle; charset=utf-8"),
}
PAGE_MAX = 1_000_000  # beyond any catalogue; keeps the page number a small integer


def _throttled(request, retry_after: int) -> HttpResponse:
    response = HttpResponse(
        "Too many requests from this address; try again later.",
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    return response


throttled = throttled_per_address(
    scope="exports", rate_setting="EXPORT_THROTTLE_RATE", refused=_throttled
)


def _rdf_response(graph, kind: str) -> HttpResponse:
    rdf_format, content_type = FORMATS[kind]
    if kind == "jsonld":
        body = graph.serialize(format=rdf_format, context=dcat.jsonld_context(), indent=2)
    else:
        body = graph.serialize(format=rdf_format)
    return HttpResponse(body, content_type=content_type)


def _published(slug: str):
    dataset = published_datasets().filter(slug=slug).first()
    if dataset is None:
        raise Http404("No such dataset.")
    return dataset


def _page_number(request) -> int | None:
    text = request.GET.get("page", "1")
    if not text.isascii() or not text.isdigit() or len(text) > 7:
        return None
    number = int(text)
    return number if 1 <= number <= PAGE_MAX else None


@throttled
@require_safe
def catalogue(request, kind: str):
    page = _page_number(request)
    if page is None:
        return HttpResponseBadRequest(
            "page must be a whole number from 1.", content_type="text/plain; charset=utf-8"
        )
    datasets = published_datasets().order_by("-updated_at", "pk")
    total = datasets.count()
    if page > 1 and (page - 1) * dcat.PAGE_SIZE >= total:
        raise Http404("No such page.")
    shown = datasets[(page - 1) * dcat.PAGE_SIZE : page * dcat.PAGE_SIZE]
    path = reverse(f"linked_data:catalogue_{kind}")

    def page_url(number: int) -> str:
        return request.build_absolute_uri(f"{path}?page={number}")

    graph = dcat.catalogue_graph(shown, request, page=page, total=total, page_url=page_url)
    return _rdf_response(graph, kind)


@throttled
@require_safe
def dataset(request, slug: str, kind: str):
    return _rdf_response(dcat.dataset_graph(_published(slug), request), kind)


@throttled
@require_safe
def datapackage(request, slug: str):
    descriptor = datapackage_descriptor(_published(slug), request)
    return JsonResponse(descriptor, json_dumps_params={"indent": 2, "ensure_ascii": False})
