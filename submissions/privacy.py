"""Submissions in "download my data" and in account erasure (accounts.privacy).

The export holds the entries of the person's teams (with the datasets they cite), the
credit they were given as an author, the versions they saved and the files they
uploaded. Erasure keeps every entry whole, since it is the team's work and the event's
record: an author stays credited as "A former participant", with no account and no
organisation; versions, files and entries no longer name who saved, uploaded, released
or started them.
"""

from django.db.models import Q

from accounts.privacy import personal_data_erasers, personal_data_exporters
from submissions.models import Artifact, Submission, SubmissionAuthor, SubmissionVersion

FORMER_AUTHOR = "A former participant"


def _entries_of(user):
    """Entries the person is credited on, or whose team they are in."""
    return (
        Submission.objects.filter(Q(authors__user=user) | Q(team__memberships__user=user))
        .distinct()
        .select_related("event", "team")
        .prefetch_related("citations__dataset")
        .order_by("created_at", "pk")
    )


@personal_data_exporters.register("submissions", order=50)
def export_submissions(user):
    authorships = SubmissionAuthor.objects.filter(user=user).select_related("submission__event")
    versions = SubmissionVersion.objects.filter(saved_by=user).select_related("submission__event")
    files = Artifact.objects.filter(uploaded_by=user).select_related("submission__event")
    return {
        "entries": [
            {
                "event": entry.event.name,
                "team": entry.team.name,
                "title": entry.title,
                "status": entry.status,
                "citations": [
                    {"dataset": citation.dataset.title, "how_used": citation.how_used}
                    for citation in entry.citations.all()
                ],
            }
            for entry in _entries_of(user)
        ],
        "authorships": [
            {
                "event": author.submission.event.name,
                "submission": author.submission.title,
                "name": author.name,
                "organisation": author.organisation,
                "is_lead": author.is_lead,
                "taken_at": author.taken_at.isoformat(),
            }
            for author in authorships.order_by("taken_at", "pk")
        ],
        "versions_saved": [
            {
                "event": version.submission.event.name,
                "submission": version.submission.title,
                "number": version.number,
                "saved_at": version.saved_at.isoformat(),
                "changes": version.changes,
            }
            for version in versions.order_by("saved_at", "pk")
        ],
        "files_uploaded": [
            {
                "event": artifact.submission.event.name,
                "submission": artifact.submission.title,
                "filename": artifact.original_filename,
                "description": artifact.description,
                "size": artifact.size,
                "sha256": artifact.sha256,
                "uploaded_at": artifact.created_at.isoformat(),
            }
            for artifact in files.order_by("created_at", "pk")
        ],
    }


@personal_data_erasers.register("submissions", order=50)
def erase_submissions(user):
    """Credit stays without the person; nothing else names them (done here, with the
    account still there, rather than left to the foreign keys' SET_NULL)."""
    SubmissionAuthor.objects.filter(user=user).update(
        user=None, name=FORMER_AUTHOR, organisation=""
    )
    SubmissionVersion.objects.filter(saved_by=user).update(saved_by=None)
    Artifact.objects.filter(uploaded_by=user).update(uploaded_by=None)
    Artifact.objects.filter(released_by=user).update(released_by=None)
    Submission.objects.filter(created_by=user).update(created_by=None)
