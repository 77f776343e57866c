"""Entries in the states the organisers', judges' and public pages show, built through
the services where one exists (submitting copies authors, challenge and theme)."""

from django.utils import timezone

from events.enums import RoleKind
from submissions.enums import STATUS_OF_OUTCOME, Actor
from submissions.models import Artifact, ValidationReport
from submissions.services.lifecycle import submission_transition
from tests.factories import ArtifactFactory, EventRoleFactory
from tests.submissions.helpers import started_entry, submitted_entry


def judge_of(event):
    return EventRoleFactory(event=event, role=RoleKind.JUDGE).user


def entry(event, *, status="submitted", in_gallery=False, **fields):
    """A new team's entry in `status` (draft, submitted or locked)."""
    if status == "draft":
        submission, _lead = started_entry(event, **fields)
    else:
        submission, _lead = submitted_entry(event, **fields)
    if status == "locked":
        submission = submission_transition(submission=submission, to="locked", by=Actor.ORGANISER)
    if in_gallery:
        type(submission).objects.filter(pk=submission.pk).update(in_gallery=True)
        submission.in_gallery = True
    return submission


def checked_file(submission, *, outcome=None, withholds=False, **fields) -> Artifact:
    """A CSV output of `submission`, checked with `outcome` ("pass", "warning", "fail";
    None leaves it queued), its report holding it back from the public if `withholds`."""
    artifact = ArtifactFactory(submission=submission, **fields)
    if outcome is not None:
        Artifact.objects.filter(pk=artifact.pk).update(
            status=STATUS_OF_OUTCOME[outcome], progress=100, finished_at=timezone.now()
        )
        ValidationReport.objects.create(
            artifact=artifact, attempt=1, outcome=outcome, withholds_publication=withholds
        )
        artifact.refresh_from_db()
    return artifact
