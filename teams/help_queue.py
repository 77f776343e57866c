"""The mentor help queue: teams raise requests, mentors claim and resolve them."""

import datetime

import rules
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from common.exceptions import ApplicationError
from common.views import act_and_report
from events.selectors import event_get_visible
from teams import services
from teams.forms import HelpRequestForm
from teams.models import HelpRequest
from teams.rules import can_take_help_step
from teams.selectors import help_requests_of
from teams.views import _team_for, team_url


def stale_before(now=None):
    """Open requests raised before this have waited too long."""
    return (now or timezone.now()) - datetime.timedelta(minutes=settings.TEAMS_HELP_STALE_MINUTES)


@login_required
def queue(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm("teams.help_queue", request.user, event):
        raise Http404("No such help queue.")
    active = help_requests_of(event, active_only=True)
    context = {"event": event, "requests": active, "stale_before": stale_before()}
    return render(request, "teams/help_queue.html", context)


@login_required
@require_POST
def raise_help(request, pk):
    team = _team_for(request, pk, "teams.raise_help")
    form = HelpRequestForm(request.POST)
    if not form.is_valid():
        first = next(iter(form.errors.values()))[0]
        messages.error(request, f"Help request: {first}")
        return redirect(team_url(team))
    act_and_report(
        request,
        lambda: services.help_request_create(team=team, user=request.user, **form.cleaned_data),
        done="Your request is in the mentors' queue.",
    )
    return redirect(team_url(team))


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
