"""The door on the day: check people in by ticket code (typed, or read by the camera) or
by name, with live counts, and add walk-ins.

After each check-in the volunteer comes back to where they were: a code to the code box,
a search to the same search with the card just handled in view and focused (the
redirect's #fragment does it without JavaScript). Off the event's day each check-in
asks first.
"""

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from common.views import act_and_report, confirm_page, is_confirmed
from events.selectors import event_get_visible
from registration import services
from registration.enums import TAKING_PART, RegistrationStatus
from registration.forms import DoorSearchForm, TicketCodeForm, WalkInForm
from registration.models import Registration
from registration.selectors import capacity_of, event_days, is_event_day, person_matches
from registration.tickets import registration_for_ticket

S = RegistrationStatus
SEARCH_LIMIT = 20
# The walk-in form is low on the page, so it posts to its own #fragment and its errors
# open in view. A redirect without a fragment keeps the request's, hence MAIN_ANCHOR.
WALK_IN_ANCHOR, MAIN_ANCHOR = "walk-in", "main-content"


def _door_event(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm("registration.check_in", request.user, event):
        raise Http404("No such event.")
    return event


def _door_url(event, *, query: str = "", anchor: str = "") -> str:
    url = reverse("registration_check_in", kwargs={"slug": event.slug})
    if query:
        url += "?" + urlencode({"q": query})
    return f"{url}#{anchor}" if anchor else url


def _day(date) -> str:
    return f"{date:%A} {date.day} {date:%B %Y}"


def _days_text(event) -> str:
    first, last = event_days(event)
    return f"on {_day(first)}" if first == last else f"from {_day(first)} to {_day(last)}"


def _ask_first(request, event, *, name: str, back: str, fields: dict):
    """Off the event's day: say so, and check in only when the volunteer confirms (the
    same form posted again with confirmed=yes)."""
    return confirm_page(
        request,
        title=f"Check in {name} today?",
        lines=[f"{event.name} is {_days_text(event)}. Today is {_day(timezone.localdate())}."],
        warning="Check that this is the right event: a check-in cannot be undone at the door.",
        button=f"Yes, check in {name}",
        back=back,
        fields=fields,
        destructive=False,
    )


def _needs_asking(request, event, registration) -> bool:
    # Only a check-in that would happen asks; "already checked in" is simply said.
    return (
        registration.status == S.CONFIRMED and not is_event_day(event) and not is_confirmed(request)
    )


def _check_in(request, registration) -> bool:
    return act_and_report(
        request,
        lambda: services.registration_check_in(registration=registration, actor=request.user),
        done=f"{registration.person_name} is checked in.",
    )


@login_required
def check_in(request, slug):
    """The door page (GET, with an optional search); POST checks in by ticket code."""
    event = _door_event(request, slug)
    if request.method != "POST":
        return _render_door(request, event)
    code_form = TicketCodeForm(request.POST)
    if code_form.is_valid():
        token = code_form.cleaned_data["token"]
        try:
            registration = registration_for_ticket(event=event, token=token)
        except ApplicationError as error:
            code_form.add_error("token", error.message)
        else:
            # The code box is near the top, under the outcome's banner.
            back = _door_url(event)
            if _needs_asking(request, event, registration):
                name = registration.person_name
                return _ask_first(request, event, name=name, back=back, fields={"token": token})
            _check_in(request, registration)
            return redirect(back)
    return _render_door(request, event, code_form=code_form, status=400)


@login_required
@require_POST
def check_in_one(request, slug, pk):
    """A search result's Check-in button; back to the same search, at that person."""
    event = _door_event(request, slug)
    registration = get_object_or_404(
        Registration.objects.select_related("user"), pk=pk, event=event
    )
    query = request.POST.get("q", "")
    card = f"registration-{registration.pk}"
    if _needs_asking(request, event, registration):
        back = _door_url(event, query=query, anchor=card)
        return _ask_first(
            request, event, name=registration.person_name, back=back, fields={"q": query}
        )
    # A refusal is told at the top of the page, where its banner is.
    done = _check_in(request, registration)
    return redirect(_door_url(event, query=query, anchor=card if done else ""))


@login_required
@require_POST
def walk_in(request, slug):
    event = _door_event(request, slug)
    form = WalkInForm(request.POST)
    if form.is_valid():
        name = form.cleaned_data["name"]
        if not is_event_day(event) and not is_confirmed(request):
            fields = {"name": name} | {f"consent_{kind}": "on" for kind in form.consents()}
            back = _door_url(event, anchor=WALK_IN_ANCHOR)
            return _ask_first(request, event, name=name, back=back, fields=fields)
        try:
            registration = services.registration_walk_in(
                event=event, name=name, consents=form.consents(), actor=request.user
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"{registration.person_name} is checked in as a walk-in.")
            return redirect(_door_url(event, anchor=MAIN_ANCHOR))
    return _render_door(request, event, walk_in_form=form, status=400)


def _render_door(request, event, *, code_form=None, walk_in_form=None, status=200):
    by_email = rules.has_perm("registration.see_emails", request.user, event)
    search_form = DoorSearchForm(request.GET or None, by_email=by_email)
    query = search_form.query if search_form.is_bound else ""
    matches = []
    if query:
        # A volunteer finds people by name only: an address would tell them who it is.
        matches = (
            Registration.objects.filter(event=event, status__in=TAKING_PART)
            .filter(person_matches(query, by_email=by_email))
            .select_related("user")
            .order_by("user__display_name", "walk_in_name")[:SEARCH_LIMIT]
        )
    code_form = code_form or TicketCodeForm()
    if walk_in_form is None:
        # Focus starts in the box the volunteer types in next; a walk-in's errors keep it.
        focus = search_form.fields["q"] if query else code_form.fields["token"]
        focus.widget.attrs["autofocus"] = True
    context = {
        "event": event,
        "capacity": capacity_of(event),
        "is_event_day": is_event_day(event),
        "event_days": _days_text(event),
        "code_form": code_form,
        "search_form": search_form,
        "query": query,
        "matches": matches,
        "walk_in_form": walk_in_form or WalkInForm(),
        "sees_emails": by_email,
        "walk_in_anchor": WALK_IN_ANCHOR,
    }
    return render(request, "registration/check_in.html", context, status=status)
