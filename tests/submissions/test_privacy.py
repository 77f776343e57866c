import json

import pytest

from accounts.privacy import personal_data_erase
from accounts.services import account_delete
from submissions.models import Artifact, DatasetCitation, Submission, SubmissionVersion
from submissions.privacy import FORMER_AUTHOR
from submissions.services.lifecycle import submission_update
from tests.factories import ArtifactFactory, DatasetFactory, EventFactory, UserFactory
from tests.submissions.helpers import submitted_entry

pytestmark = pytest.mark.django_db


def _entry_with_work():
    """A submitted entry of a lead and one member: the member saved a version, uploaded
    a file; the entry cites a dataset."""
    submission, lead = submitted_entry(EventFactory(name="Community Data Hackathon"))
    member = submission.team.memberships.get(role="member").user
    submission_update(actor=member, submission=submission, fields={"title": "Parks and jobs"})
    ArtifactFactory(submission=submission, uploaded_by=member, description="Our table")
    DatasetCitation.objects.create(
        submission=submission, dataset=DatasetFactory(title="Claimant count"), how_used="Mapped"
    )
    member.organisation = "Halton Borough Council"
    member.save(update_fields=["organisation"])
    submission.authors.filter(user=member).update(organisation=member.organisation)
    return Submission.objects.get(pk=submission.pk), lead, member


def test_data_export_includes_entries_authorships_versions_and_files(client):
    submission, _, member = _entry_with_work()
    client.force_login(member)

    data = json.loads(client.get("/accounts/my-data/").content)["submissions"]

    assert data["entries"] == [
        {
            "event": "Community Data Hackathon",
            "team": submission.team.name,
            "title": "Parks and jobs",
            "status": "submitted",
            "citations": [{"dataset": "Claimant count", "how_used": "Mapped"}],
        }
    ]
    author = submission.authors.get(user=member)
    assert data["authorships"] == [
        {
            "event": "Community Data Hackathon",
            "submission": "Parks and jobs",
            "name": str(member),
            "organisation": "Halton Borough Council",
            "is_lead": False,
            "taken_at": author.taken_at.isoformat(),
        }
    ]
    (version,) = data["versions_saved"]
    assert (version["number"], version["changes"]) == (
        1,
        {"title": ["Green space and jobs", "Parks and jobs"]},
    )
    (uploaded,) = data["files_uploaded"]
    assert (uploaded["filename"], uploaded["description"]) == ("results.csv", "Our table")


def test_data_export_of_someone_without_entries_is_empty(client):
    _entry_with_work()
    client.force_login(UserFactory())

    data = json.loads(client.get("/accounts/my-data/").content)["submissions"]

    assert data == {"entries": [], "authorships": [], "versions_saved": [], "files_uploaded": []}


def test_account_delete_keeps_the_entry_credited_without_the_person():
    submission, lead, member = _entry_with_work()

    account_delete(user=member)

    authors = list(submission.authors.values_list("user", "name", "organisation", "is_lead"))
    assert sorted(authors, key=lambda a: a[3]) == [
        (None, FORMER_AUTHOR, "", False),
        (lead.pk, str(lead), lead.organisation, True),
    ]
    assert Submission.objects.get(pk=submission.pk).title == "Parks and jobs"
    assert SubmissionVersion.objects.get(submission=submission).saved_by is None
    assert Artifact.objects.get(submission=submission).uploaded_by is None
    assert DatasetCitation.objects.filter(submission=submission).count() == 1


def test_erasers_unname_the_person_before_the_account_row_goes():
    submission, lead, _ = _entry_with_work()
    Artifact.objects.update(released_by=lead)

    ran = personal_data_erase(user=lead)

    assert "submissions" in ran
    assert not submission.authors.filter(user=lead).exists()
    assert submission.authors.filter(name=FORMER_AUTHOR, is_lead=True).count() == 1
    assert Submission.objects.get(pk=submission.pk).created_by is None
    assert Artifact.objects.get(submission=submission).released_by is None
