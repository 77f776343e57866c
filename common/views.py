import logging

from django.conf import settings
from django.contrib import messages
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from drf_spectacular.utils import extend_schema, inline_serializer
from kombu import Connection
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import (
    api_bad_request,
    api_not_found,
    api_server_error,
    bad_request_error,
    foreign_api_for,
)
from common.exceptions import ApplicationError
from common.files import refused_uploads

logger = logging.getLogger(__name__)


def act_and_report(request, action, *, done: str) -> bool:
    """Run `action` (a service call) for a page and tell the person how it went: `done`
    when it succeeded, the service's reason when it refused. Returns whether it did."""
    try:
        action()
    except ApplicationError as error:
        messages.error(request, error.message)
        return False
    messages.success(request, done)
    return True


def apply_form(form, save) -> bool:
    """`save()` for a valid form; a service's refusal (ApplicationError) is shown on the
    first field it names, else at the top of the form. True when it saved."""
    if not form.is_valid():
        return False
    try:
        save()
    except ApplicationError as error:
        fields = [name for name in error.details if name in form.fields]
        form.add_error(fields[0] if fields else None, error.message)
        return False
    return True


def upload_form(form_class, request):
    """`form_class` bound to this request's upload (unbound for a GET), told whether the
    upload handler refused its file for its size (`refused=`, see
    common.files.refused_uploads). request.POST is read first, because the size cap is
    applied while the body is parsed."""
    if request.method != "POST":
        return form_class()
    data, files = request.POST, request.FILES
    return form_class(data, files, refused="file" in refused_uploads(request))


def is_confirmed(request) -> bool:
    """Whether this POST comes from the confirmation page (templates/confirm.html), so
    an irreversible action may go ahead; any other request gets `confirm_page` first."""
    return request.method == "POST" and request.POST.get("confirmed") == "yes"


def confirm_page(
    request,
    *,
    title: str,
    button: str,
    back: str,
    lines=(),
    warning: str = "",
    fields=None,
    destructive: bool = True,
):
    """The page that asks before an irreversible action; it posts back to the same URL
    with `confirmed=yes` and `fields` as hidden inputs."""
    context = {
        "title": title,
        "button": button,
        "back": back,
        "lines": lines,
        "warning": warning,
        "fields": fields or {},
        "destructive": destructive,
    }
    return render(request, "confirm.html", context)


def healthz(request):
    """200 while the database answers (503 when it does not), with the broker's state."""
    checks = {"database": _database_status(), "broker": _broker_status()}
    status = 200 if checks["database"] == "ok" else 503
    return JsonResponse(
        {"status": "ok" if status == 200 else "unavailable", **checks}, status=status
    )


def _database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return "ok"
    except Exception:
        logger.exception("Health check: database unreachable")
        return "unreachable"


def _broker_status() -> str:
    if settings.CELERY_TASK_ALWAYS_EAGER:
        return "eager"  # no broker configured: tasks run in the web process
    try:
        with Connection(settings.CELERY_BROKER_URL, connect_timeout=1) as broker:
            broker.ensure_connection(max_retries=0)
        return "ok"
    except Exception:
        logger.warning("Health check: broker unreachable", exc_info=True)
        return "unreachable"


class CeilingView(APIView):
    """Does nothing, through the full middleware and authentication: the benchmarks'
    baseline for what any API view can answer at best."""

    permission_rules = {"get": "common.signed_in"}

    @extend_schema(responses=inline_serializer("Empty", fields={}), tags=["meta"])
    def get(self, request):
        return Response({})


def not_found(request, exception=None):
    """404 page; the API answers in its JSON error shape (a foreign API in its own)."""
    foreign = foreign_api_for(request.path)
    if foreign:
        return foreign.not_found(request)
    if request.path.startswith("/api/"):
        return api_not_found(request, exception)
    return render(request, "404.html", status=404)


def bad_request(request, exception=None):
    """400 (413 for a body over the upload limit) for a request Django refused to read:
    too large, too many fields or files, an unknown Host. The API answers in its shape."""
    foreign = foreign_api_for(request.path)
    if foreign:
        return foreign.bad_request(request, exception)
    if request.path.startswith("/api/"):
        return api_bad_request(request, exception)
    status, _, message = bad_request_error(exception)
    return render(request, "400.html", {"message": message}, status=status)


def server_error(request):
    foreign = foreign_api_for(request.path)
    if foreign:
        return foreign.server_error(request)
    if request.path.startswith("/api/"):
        return api_server_error(request)
    return render(request, "500.html", status=500)
