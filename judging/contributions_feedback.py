"""After publication: the event page's "Your results" for the members of a judged team,
and the feedback emails, fanned out when results are published."""

import rules
from django.dispatch import receiver

from events.extensions import Section, event_page_sections
from judging.extensions import results_published
from judging.models import ScoreSheet
from judging.services.feedback import feedback_emails_request
from submissions.models import Submission
from teams.selectors import team_of


def _your_results(event, request):
    """Shown to the members of a team whose entry was judged, once results are published."""
    if event.results_published_at is None:
        return None
    team = team_of(event, request.user)
    submission = Submission.objects.filter(team=team).first() if team is not None else None
    if submission is None:
        return None
    submission.event, submission.team, team.event = event, team, event
    if not rules.has_perm("judging.view_team_results", request.user, submission):
        return None
    if not ScoreSheet.objects.filter(submission=submission).exists():
        return None
    return {"event": event, "submission": submission}


event_page_sections.register(
    "judging_team_results",
    Section("Your results", "judging/team/section.html", _your_results),
    order=25,
)


@receiver(results_published, dispatch_uid="judging_feedback_emails_on_publication")
def send_feedback_on_publication(sender, event, actor, **kwargs):
    feedback_emails_request(event=event)
