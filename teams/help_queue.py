"""The mentor help queue: teams raise requests, mentors claim and resolve them."""

import datetime

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from events.selectors import event_get_visible
from teams import services
from teams.forms import HelpRequestForm
from teams.models import HelpRequest
from teams.rules import can_take_help_step
from teams.selectors import help_history, help_requests_of
from teams.views import _team_for, team_page, team_url


def stale_before(now=None):
    """Open requests raised before this have waited too long."""
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.TEAMS_HELP_STALE_MINUTES)


# Resolved requests shown per page of the history.
HISTORY_PAGE_SIZE = 20


def _queue_event(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm("teams.help_queue", request.user, event):
        raise Http404("No such help queue.")
    return event


def _queue_context(request, event) -> dict:
    history = Paginator(help_history(event), HISTORY_PAGE_SIZE)
    return {
        "event": event,
        "requests": help_requests_of(event, active_only=True),
        "stale_before": stale_before(),
        # A page number that is not one shows the nearest page, never an error.
        "history": history.get_page(request.GET.get("page")),
        "refreshed_at": timezone.now(),
    }


@login_required
def queue(request, slug):
    event = _queue_event(request, slug)
    return render(request, "teams/help_queue.html", _queue_context(request, event))


@login_required
def queue_live(request, slug):
    """The queue and its history without the page around them: what the page fetches
    every few seconds (htmx) to stay current; without JavaScript it has a Refresh link."""
    event = _queue_event(request, slug)
    return render(request, "teams/help/_live.html", _queue_context(request, event))


@login_required
@require_POST
def raise_help(request, pk):
    team = _team_for(request, pk, "teams.raise_help")
    form = HelpRequestForm(request.POST)
    if form.is_valid():
        try:
            services.help_request_create(team=team, user=request.user, **form.cleaned_data)
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, "Your request is in the mentors' queue.")
            return redirect(team_url(team))
    return team_page(request, team, help_form=form)


@login_required
@require_POST
def move(request, pk, step):
    help_request = HelpRequest.objects.select_related("team__event").filter(pk=pk).first()
    if help_request is None:
        raise Http404("No such help request.")
    team = help_request.team
    if not can_take_help_step(request.user, help_request, step):
        raise Http404("No such help request.")
    mentor = rules.has_perm("teams.help_queue", request.user, team.event)
    try:
        services.help_request_move(help_request=help_request, step=step, actor=request.user)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"“{help_request}”: {help_request.get_status_display().lower()}.")
    back = reverse("help_queue", kwargs={"slug": team.event.slug}) if mentor else team_url(team)
    return redirect(back)
