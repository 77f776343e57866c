from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.enums import Actor
from submissions.services.lifecycle import submission_create, submission_transition
from tests.teams.helpers import team_with


def started_entry(event, *, members=1, **fields):
    """A draft entry of a new team of `members` + 1 people, and the team's lead."""
    team = team_with(event, members=members)
    lead = team.memberships.get(role="lead").user
    fields = {"title": "Green space and jobs", "summary": "Where jobs and parks meet."} | fields
    return submission_create(actor=lead, team=team, fields=fields), lead


def submitted_entry(event, **kwargs):
    submission, lead = started_entry(event, **kwargs)
    submission = submission_transition(
        submission=submission, to="submitted", by=Actor.MEMBER, actor=lead
    )
    return submission, lead


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)
