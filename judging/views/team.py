"""The team's results page (/events/<slug>/your-results/): once the event's results are
published, the members of a team see their entry's rank, scores and the judges' feedback
(judges unnamed). Addressed by the event alone, as a person has one team there; anyone
else, and everyone before publication, gets 404."""

import rules
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_safe

from events.selectors import event_get_visible
from judging.selectors_feedback import team_results
from submissions.models import Submission
from teams.selectors import team_of

NOT_YOURS = "Only the members of a team, once results are published, see its results."


@login_required
@require_safe
def judging_team_results(request, slug):
    event = event_get_visible(slug=slug, user=request.user)
    team = team_of(event, request.user)
    submission = Submission.objects.filter(team=team).first() if team is not None else None
    if submission is None:
        raise Http404(NOT_YOURS)
    submission.event, submission.team, team.event = event, team, event
    if not rules.has_perm("judging.view_team_results", request.user, submission):
        raise Http404(NOT_YOURS)
    context = {
        "event": event,
        "team": team,
        "submission": submission,
        "results": team_results(event, submission),
    }
    return render(request, "judging/team/results.html", context)


urlpatterns = [
    path("events/<slug:slug>/your-results/", judging_team_results, name="judging_team_results"),
]
