"""The door on the day: check people in by scanned ticket or by name, with live counts."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from events.selectors import event_get_visible
from registration import services
from registration.enums import RegistrationStatus
from registration.models import Registration
from registration.selectors import door_counts
from registration.tickets import registration_for_ticket

S = RegistrationStatus
SEARCH_LIMIT = 20


def _door_event(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm("registration.check_in", request.user, event):
        raise Http404("No such event.")
    return event


def _check_in(request, registration):
    try:
        services.registration_check_in(registration=registration, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{registration.user or 'Participant'} is checked in.")


@login_required
def check_in(request, slug):
    event = _door_event(request, slug)
    if request.method == "POST":
        try:
            registration = registration_for_ticket(event=event, token=request.POST.get("token", ""))
        except ApplicationError as error:
            messages.error(request, error.message)
        else:
            _check_in(request, registration)
        return redirect("registration_check_in", slug=event.slug)
    query = request.GET.get("q", "").strip()
    matches = []
    if query:
        matches = (
            Registration.objects.filter(event=event, status__in=[S.CONFIRMED, S.CHECKED_IN])
            .filter(Q(user__display_name__icontains=query) | Q(user__email__icontains=query))
            .select_related("user")
            .order_by("user__display_name")[:SEARCH_LIMIT]
        )
    context = {"event": event, "counts": door_counts(event), "query": query, "matches": matches}
    return render(request, "registration/check_in.html", context)


@login_required
@require_POST
def check_in_one(request, slug, pk):
    event = _door_event(request, slug)
    _check_in(
        request, get_object_or_404(Registration.objects.select_related("user"), pk=pk, event=event)
    )
    url = reverse("registration_check_in", kwargs={"slug": event.slug})
    query = request.POST.get("q", "")
    return redirect(f"{url}?{urlencode({'q': query})}" if query else url)
