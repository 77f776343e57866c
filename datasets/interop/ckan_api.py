"""A read-only subset of CKAN's Action API (API version 3), for CKAN clients such as
ckanapi: plain Django views at /api/3/action/<name> and /api/action/<name>.

Every answer is CKAN's envelope, {"help", "success", "result"} or {"help", "success":
false, "error": {"__type", ...}}: "Not Found Error" (404) and "Validation Error" (409,
the error naming each field). An unknown action answers as CKAN does: 400 with the JSON
string "Bad request - Action name not known: <name>". The API is public and anonymous:
it shows published datasets only, to everyone alike, whoever is signed in, and reads no
session or CSRF token. Parameters come from the query string (GET), or a JSON object or
form (POST), as CKAN reads them.
"""

import json
from urllib.parse import urlencode

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from rest_framework.exceptions import ParseError

from common.api import ForeignApi, bad_request_error
from common.input import json_problems
from common.middleware import FORM_TYPES
from common.throttling import throttled_per_address
from datasets.interop import ckan_search
from datasets.interop.ckan_dicts import (
    CKAN_VERSION,
    licence_dict,
    organization_dict,
    package_dict,
    resource_dict,
)
from datasets.interop.ckan_params import (
    Invalid,
    NotFound,
    boolean,
    integer,
    sort_keys,
    text,
)
from datasets.interop.selectors import (
    published_dataset_get,
    published_datasets,
    published_resource_get,
    publishers_with_counts,
)
from datasets.models import Licence

LIST_MAX = 1000  # package_list, organization_list: CKAN's default ceiling
ORGANIZATIONS_WITH_FIELDS_MAX = 25  # CKAN's ckan.group_and_organization_list_all_fields_max

ACTIONS = {}


def action(function):
    """Make `function(request, params) -> result` an action, named as the function."""
    ACTIONS[function.__name__] = function
    return function


# --- Actions ---------------------------------------------------------------------------


@action
def package_list(request, params):
    """Return a list of the names of the site's datasets (packages).

    :param limit: how many names to return (optional, at most 1000; all without it)
    :param offset: where in the list to start (optional)
    :rtype: list of strings
    """
    # Without a limit CKAN returns every name, and ckanapi's "dump datasets --all" relies
    # on it; one query of names however many.
    offset = integer(params, "offset", default=0, low=0, high=ckan_search.START_MAX)
    names = published_datasets().order_by("slug").values_list("slug", flat=True)[offset:]
    if params.get("limit") in (None, ""):
        return list(names)
    return list(names[: integer(params, "limit", default=0, low=0, high=LIST_MAX)])


@action
def package_show(request, params):
    """Return the metadata of a dataset (package) and its resources.

    :param id: the id or name of the dataset
    :rtype: dictionary
    """
    dataset = published_dataset_get(key=text(params, "id", required=True))
    if dataset is None:
        raise NotFound
    return package_dict(dataset, request)


@action
def package_search(request, params):
    """Search for datasets.

    :param q: words to find in titles, descriptions, keywords and column names
    :param fq: filters, e.g. ``tags:economy organization:"city-region-data"``, over
        tags, license_id, organization, res_format, theme, geography_level and
        geography_coverage
    :param sort: e.g. ``score desc, metadata_modified desc`` (the default),
        ``title_string asc``, ``metadata_created desc``, ``name asc``
    :param rows: how many datasets to return (default 10, at most 1000)
    :param start: the offset of the first dataset to return
    :param facet.field: a JSON list of fields to count the results by
    :param facet.limit: how many values per facet (default 50; -1 for all)
    :rtype: dictionary with count, results, facets, search_facets and sort
    """
    search = ckan_search.read_search(params)
    count, page, facets = ckan_search.run_search(search)
    return {
        "count": count,
        "results": [package_dict(dataset, request) for dataset in page],
        "sort": search.sort,
        "facets": {name: {value: n for value, _, n in items} for name, items in facets.items()},
        "search_facets": {
            name: {
                "title": name,
                "items": [
                    {"name": value, "display_name": label, "count": n} for value, label, n in items
                ],
            }
            for name, items in facets.items()
        },
    }


@action
def resource_show(request, params):
    """Return the metadata of a resource.

    :param id: the id of the resource
    :rtype: dictionary
    """
    resource = published_resource_get(key=text(params, "id", required=True))
    if resource is None:
        raise NotFound
    siblings = list(resource.dataset.resources.values_list("pk", flat=True))
    return resource_dict(resource, request, position=siblings.index(resource.pk))


ORGANIZATION_SORTS = {"name": "slug", "title": "name", "package_count": "package_count"}


@action
def organization_list(request, params):
    """Return the names of the site's organizations (publishers with published
    datasets), or with all_fields their dictionaries with package_count.

    :param all_fields: return dictionaries instead of names (default false)
    :param sort: ``name asc`` (the default), ``title``, or ``package_count``, each
        ``asc`` or ``desc``
    :param limit: how many (at most 1000 names or 25 dictionaries)
    :param offset: where to start
    :rtype: list of strings or of dictionaries
    """
    all_fields = boolean(params, "all_fields", default=False)
    ceiling = ORGANIZATIONS_WITH_FIELDS_MAX if all_fields else LIST_MAX
    limit = integer(params, "limit", default=ceiling, low=0, high=ceiling)
    offset = integer(params, "offset", default=0, low=0, high=ckan_search.START_MAX)
    sort = sort_keys(text(params, "sort", default="name asc"), ORGANIZATION_SORTS)
    publishers = publishers_with_counts().order_by(*sort)
    publishers = publishers[offset : offset + limit]
    if not all_fields:
        return [publisher.slug for publisher in publishers]
    return [
        organization_dict(publisher, package_count=publisher.package_count)
        for publisher in publishers
    ]


@action
def license_list(request, params):
    """Return the licences datasets may have.

    :rtype: list of dictionaries
    """
    return [licence_dict(licence) for licence in Licence.objects.order_by("id")]


@action
def status_show(request, params):
    """Return facts about this site: its title, address and the CKAN API version it
    follows.

    :rtype: dictionary
    """
    return {
        "site_title": settings.SITE_NAME,
        "site_description": "The shared catalogue of public datasets for hackathons.",
        "site_url": request.build_absolute_uri("/").rstrip("/"),
        "ckan_version": CKAN_VERSION,
        "error_emails_to": None,
        "locale_default": "en_GB",
        "extensions": [],
    }


@action
def help_show(request, params):
    """Return the help text of an action.

    :param name: the action's name
    :rtype: string
    """
    function = ACTIONS.get(text(params, "name", required=True))
    if function is None:
        raise NotFound
    return function.__doc__


# --- The view --------------------------------------------------------------------------


def _throttled(request, retry_after: int) -> JsonResponse:
    error = {
        "__type": "Throttled",
        "message": f"Too many requests from this address; try again in {retry_after} seconds.",
    }
    body = {"help": help_url(request, _action_name(request)), "success": False, "error": error}
    response = JsonResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


@csrf_exempt
@throttled_per_address(scope="ckan", rate_setting="CKAN_THROTTLE_RATE", refused=_throttled)
@require_http_methods(["GET", "POST"])
def action_view(request, name):
    function = ACTIONS.get(name)
    if function is None:
        return bad_request(f"Action name not known: {name}")
    envelope = {"help": help_url(request, name)}
    try:
        result = function(request, request_params(request))
    except NotFound:
        return not_found_response(request, envelope)
    except Invalid as error:
        return invalid_response(request, error.errors, envelope)
    return JsonResponse({**envelope, "success": True, "result": result})


def help_url(request, name: str) -> str:
    """Where CKAN points for an action's help: help_show, on version 3 of the API."""
    path = reverse("ckan:action_v3", kwargs={"name": "help_show"})
    return request.build_absolute_uri(f"{path}?{urlencode({'name': name})}")


def request_params(request) -> dict:
    """The action's parameters: a form's or JSON object's fields for a POST with a body,
    else the query string's; a name given twice is a list."""
    if request.method == "POST" and request.content_type in FORM_TYPES:
        return _mixed(request.POST)
    if request.method == "POST" and request.body:
        return _json_object(request.body)
    return _mixed(request.GET)


def _mixed(query) -> dict:
    return {key: values[0] if len(values) == 1 else values for key, values in query.lists()}


def _json_object(body: bytes) -> dict:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        raise Invalid({"body": ["The request body must be a JSON object."]}) from None
    if not isinstance(data, dict):
        raise Invalid({"body": ["The request body must be a JSON object."]})
    try:
        problems = json_problems(data)
    except ParseError as error:  # nested too deeply
        raise Invalid({"body": [str(error.detail)]}) from None
    if problems:
        raise Invalid(problems)
    return data


# --- Responses, also for errors raised before the view (common.api.foreign_apis) --------


def not_found_response(request, envelope=None) -> JsonResponse:
    envelope = envelope or {"help": help_url(request, _action_name(request))}
    error = {"__type": "Not Found Error", "message": "Not found"}
    return JsonResponse({**envelope, "success": False, "error": error}, status=404)


def invalid_response(request, errors: dict, envelope=None) -> JsonResponse:
    envelope = envelope or {"help": help_url(request, _action_name(request))}
    error = {**errors, "__type": "Validation Error"}  # last, as CKAN adds it; never overridden
    return JsonResponse({**envelope, "success": False, "error": error}, status=409)


def bad_request(message: str, *, status: int = 400) -> JsonResponse:
    """CKAN's answer to a request it cannot act on: a JSON string, not an envelope."""
    return JsonResponse(f"Bad request - {message}", status=status, safe=False)


def _action_name(request) -> str:
    """The action a request names, if it is one (input checks answer before routing)."""
    name = request.path.rpartition("/")[2]
    return name if name in ACTIONS else ""


def _bad_request_handler(request, exception=None) -> JsonResponse:
    status, _, message = bad_request_error(exception)
    return bad_request(message, status=status)


def _server_error_handler(request) -> JsonResponse:
    error = {"__type": "Internal Server Error", "message": "Internal Server Error"}
    body = {"help": help_url(request, _action_name(request)), "success": False, "error": error}
    return JsonResponse(body, status=500)


ERROR_SHAPES = ForeignApi(
    prefixes=("/api/3/", "/api/action/"),
    not_found=lambda request, exception=None: not_found_response(request),
    invalid_input=invalid_response,
    bad_request=_bad_request_handler,
    server_error=_server_error_handler,
)
