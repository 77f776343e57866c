"""One error shape for the whole /api/v1/: {"error": {"code", "message", "details"}}.

APIs that speak another protocol under /api/ (the CKAN Action API) register their own
error shapes in `foreign_apis`, so Django's 400/404/500 handlers and the input checks
answer them in that shape instead."""

import logging
import math
from collections.abc import Callable
from typing import NamedTuple

from django.core.exceptions import (
    DisallowedHost,
    RequestDataTooBig,
    SuspiciousOperation,
    TooManyFieldsSent,
    TooManyFilesSent,
)
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from common.exceptions import ApplicationError
from common.registry import Registry

logger = logging.getLogger(__name__)


class ForeignApi(NamedTuple):
    """An API under `prefixes` answering errors in its own shape: each callable returns
    the whole response (`invalid_input` gets {field: [problems]}, `bad_request` the
    exception Django raised, if any)."""

    prefixes: tuple[str, ...]
    not_found: Callable
    invalid_input: Callable
    bad_request: Callable
    server_error: Callable


# Registered by later apps from AppConfig.ready(), keyed by a name of their choosing.
foreign_apis = Registry("APIs with their own error shapes")


def foreign_api_for(path: str) -> ForeignApi | None:
    """The registered API whose prefix `path` starts with, if any."""
    for api in foreign_apis:
        if path.startswith(api.prefixes):
            return api
    return None


def error_body(code, message, details=None) -> dict:
    return {"error": {"code": code, "message": message, "details": details or {}}}


def bad_request_error(exc) -> tuple[int, str, str]:
    """(status, code, message) for a request Django refused to read (SuspiciousOperation),
    for the API's error shape and the 400 page alike."""
    if isinstance(exc, RequestDataTooBig):
        return 413, "too_large", "The request is too large."
    if isinstance(exc, TooManyFieldsSent):
        return 400, "too_many_fields", "The request has too many fields."
    if isinstance(exc, TooManyFilesSent):
        return 400, "too_many_files", "The request has too many files."
    if isinstance(exc, DisallowedHost):
        return 400, "bad_request", "The request's Host header names a site not served here."
    return 400, "bad_request", "The request could not be understood."


def exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.code, exc.message, exc.details), status=exc.status)
    if isinstance(exc, SuspiciousOperation):
        status, code, message = bad_request_error(exc)
        return Response(error_body(code, message), status=status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(serializers.as_serializer_error(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = drf_exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled error in %s", context.get("view"), exc_info=exc)
        return Response(
            error_body("server_error", "Something went wrong on our side; please try again."),
            status=500,
        )
    if isinstance(exc, exceptions.ValidationError):
        details = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        response.data = error_body("invalid", _first_message(details), details)
    elif isinstance(exc, exceptions.Throttled):
        # DRF has set Retry-After; the body says the same for clients that read only it.
        response.data = error_body(
            "throttled",
            "Too many requests; please wait before trying again.",
            {"retry_after": exc.wait and math.ceil(exc.wait)},
        )
    else:
        response.data = error_body(exc.default_code, str(exc.detail))
    return response


def _first_message(details) -> str:
    """The first validation message, prefixed by its field, for people reading the error."""
    for field, messages in details.items():
        first = messages[0] if isinstance(messages, list) and messages else messages
        if isinstance(first, dict):
            return _first_message(first)
        prefix = "" if field in ("non_field_errors", "detail") else f"{field}: "
        return f"{prefix}{first}"
    return "Invalid input."


def api_not_found(request, exception=None):
    return JsonResponse(error_body("not_found", "Not found."), status=404)


def api_bad_request(request, exception=None):
    status, code, message = bad_request_error(exception)
    return JsonResponse(error_body(code, message), status=status)


def api_invalid_input(problems: dict) -> JsonResponse:
    """400 naming each field of `problems` ({field: [reasons]}), as validation does."""
    return JsonResponse(error_body("invalid", _first_message(problems), problems), status=400)


def api_server_error(request):
    return JsonResponse(
        error_body("server_error", "Something went wrong on our side; please try again."),
        status=500,
    )
