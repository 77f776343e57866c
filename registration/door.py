"""The door on the day: check people in by scanned ticket or by name, with live counts."""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from common.views import act_and_report
from events.selectors import event_get_visible
from registration import services
from registration.enums import TAKING_PART, RegistrationStatus
from registration.forms import WalkInForm
from registration.models import Registration
from registration.selectors import capacity_of, person_matches
from registration.tickets import registration_for_ticket

S = RegistrationStatus
SEARCH_LIMIT = 20


def _door_event(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm("registration.check_in", request.user, event):
        raise Http404("No such event.")
    return event


def _check_in(request, registration):
    act_and_report(
        request,
        lambda: services.registration_check_in(registration=registration, actor=request.user),
        done=f"{registration.person_name} is checked in.",
    )


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
        # A volunteer finds people by name only: an address would tell them who it is.
        by_email = rules.has_perm("registration.see_emails", request.user, event)
        matches = (
            Registration.objects.filter(event=event, status__in=TAKING_PART)
            .filter(person_matches(query, by_email=by_email))
            .select_related("user")
            .order_by("user__display_name", "walk_in_name")[:SEARCH_LIMIT]
        )
    return _render_door(request, event, query=query, matches=matches, walk_in_form=WalkInForm())


def _render_door(request, event, *, walk_in_form, query="", matches=(), status=200):
    context = {
        "event": event,
        "capacity": capacity_of(event),
        "query": query,
        "matches": matches,
        "walk_in_form": walk_in_form,
        "sees_emails": rules.has_perm("registration.see_emails", request.user, event),
    }
    return render(request, "registration/check_in.html", context, status=status)


@login_required
@require_POST
def walk_in(request, slug):
    event = _door_event(request, slug)
    form = WalkInForm(request.POST)
    if form.is_valid():
        try:
            registration = services.registration_walk_in(
                event=event,
                name=form.cleaned_data["name"],
                consents=form.consents(),
                actor=request.user,
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{registration.person_name} is checked in as a walk-in.")
            return redirect("registration_check_in", slug=event.slug)
    return _render_door(request, event, walk_in_form=form, status=400)


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
