"""This app's entries in the earlier apps' registries: the event page's "Your submission"
for the members of a team. (Organisers' panels are in contributions_organise.py.)"""

import rules
from django.utils import timezone

from events.extensions import Section, event_page_sections
from submissions.models import Submission
from teams.selectors import team_of


def _your_submission(event, request):
    """Shown to the members of a team at the event: its entry's status, or a way to
    start it."""
    team = team_of(event, request.user)
    if team is None or not rules.has_perm("submissions.create_submission", request.user, team):
        return None
    deadline = event.submission_deadline
    return {
        "event": event,
        "team": team,
        "submission": Submission.objects.filter(team=team).first(),
        "too_late_to_start": deadline is not None and deadline <= timezone.now(),
    }


event_page_sections.register(
    "submission",
    Section("Your submission", "submissions/team/section.html", _your_submission),
    order=20,
)
