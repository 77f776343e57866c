import datetime
import json

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from events.enums import RoleKind
from submissions.enums import SubmissionStatus, ValidationStatus
from submissions.models import Artifact, DatasetCitation, Submission, ValidationReport
from tests.factories import (
    ArtifactFactory,
    DatasetFactory,
    EventFactory,
    EventRoleFactory,
    ResourceFactory,
    UserFactory,
)
from tests.query_budget import assert_flat_queries
from tests.submissions.helpers import started_entry, submitted_entry, upload
from tests.teams.helpers import participant

pytestmark = pytest.mark.django_db

CSV = b"area,walkers\nHalton,120\n"


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


def _entries(event):
    return f"/api/v1/events/{event.slug}/submissions/"


def _entry(submission):
    return f"{_entries(submission.event)}{submission.pk}/"


def _organiser(event):
    return EventRoleFactory(event=event, role=RoleKind.ORGANISER).user


def _error(response):
    body = response.json()
    assert list(body) == ["error"]
    return body["error"]


def test_a_member_starts_edits_and_submits_the_entry_then_authors_are_named_without_emails():
    event = EventFactory()
    submission, lead = started_entry(event, members=1)
    Submission.objects.filter(pk=submission.pk).delete()
    api = _api(lead)

    created = api.post(_entries(event), {"title": "Parks and jobs"}, format="json")
    url = f"{_entries(event)}{created.json()['id']}/"
    edited = api.patch(url, {"summary": "Where parks and jobs meet."}, format="json")
    submitted = api.post(f"{url}submit/")

    assert created.status_code == 201
    assert created.json()["status"] == SubmissionStatus.DRAFT
    assert created.json()["authors"] == []
    assert edited.json()["summary"] == "Where parks and jobs meet."
    assert submitted.status_code == 200
    body = submitted.json()
    assert body["status"] == SubmissionStatus.SUBMITTED
    member = submission.team.memberships.get(role="member").user
    assert [(a["id"], a["name"], a["is_lead"]) for a in body["authors"]] == [
        (lead.pk, str(lead), True),
        (member.pk, str(member), False),
    ]
    assert lead.email not in submitted.content.decode()
    assert member.email not in submitted.content.decode()


def test_submitting_without_a_summary_is_refused_with_the_fields_named():
    event = EventFactory()
    submission, lead = started_entry(event, summary="")

    response = _api(lead).post(f"{_entry(submission)}submit/")

    assert response.status_code == 400
    assert _error(response)["details"] == {"summary": ["Required to submit."]}


def test_a_second_entry_for_a_team_is_a_conflict():
    submission, lead = started_entry(EventFactory())

    response = _api(lead).post(_entries(submission.event), {"title": "Again"}, format="json")

    assert response.status_code == 409
    assert _error(response)["code"] == "duplicate"
    assert Submission.objects.count() == 1


def test_list_shows_organisers_and_judges_entries_handed_in_and_members_their_own():
    event = EventFactory()
    submitted_entry(event, title="Handed in")
    _, member = started_entry(event, title="Still a draft")
    judge = EventRoleFactory(event=event, role=RoleKind.JUDGE).user

    def titles(user):
        response = _api(user).get(_entries(event))
        assert response.status_code == 200
        return [entry["title"] for entry in response.json()["results"]]

    assert titles(_organiser(event)) == ["Handed in"]
    assert titles(judge) == ["Handed in"]
    assert titles(member) == ["Still a draft"]
    assert _api(participant(event)).get(_entries(event)).status_code == 403


def test_list_filters_by_status_and_by_validation_overall():
    event = EventFactory()
    failing, _ = submitted_entry(event, title="Failing")
    warned, _ = submitted_entry(event, title="Warned")
    submitted_entry(event, title="No files")
    ArtifactFactory(submission=failing, status=ValidationStatus.FAILED)
    ArtifactFactory(submission=failing, status=ValidationStatus.PASSED)
    ArtifactFactory(submission=warned, status=ValidationStatus.WARNINGS)
    ArtifactFactory(submission=warned, status=ValidationStatus.PASSED)
    api = _api(_organiser(event))

    def listed(query):
        response = api.get(f"{_entries(event)}?{query}")
        assert response.status_code == 200
        return {e["title"]: e["validation"] for e in response.json()["results"]}

    assert listed("validation=failed") == {
        "Failing": {"overall": "failed", "files": 2, "failed": 1, "checking": 0, "warnings": 0}
    }
    assert listed("validation=warnings") == {
        "Warned": {"overall": "warnings", "files": 2, "failed": 0, "checking": 0, "warnings": 1}
    }
    assert listed("validation=none") == {
        "No files": {"overall": "none", "files": 0, "failed": 0, "checking": 0, "warnings": 0}
    }
    assert set(listed("status=submitted")) == {"Failing", "Warned", "No files"}
    assert listed("status=locked") == {}


@pytest.mark.parametrize("query", ["status=sent", "validation=queued", "validation=%00"])
def test_list_refuses_an_unknown_filter_value(query):
    event = EventFactory()

    response = _api(_organiser(event)).get(f"{_entries(event)}?{query}")

    assert response.status_code == 400
    assert _error(response)["code"] == "invalid"


def test_detail_shows_citations_files_with_their_outcome_and_the_validation_overall():
    event = EventFactory()
    submission, lead = submitted_entry(event)
    dataset = DatasetFactory(title="Claimant count")
    DatasetCitation.objects.create(submission=submission, dataset=dataset, how_used="By ward")
    done = ArtifactFactory(submission=submission, status=ValidationStatus.WARNINGS, progress=100)
    ValidationReport.objects.create(artifact=done, attempt=1, outcome="warning")
    ArtifactFactory(submission=submission, status=ValidationStatus.RUNNING, progress=40)

    body = _api(lead).get(_entry(submission)).json()

    assert [(c["dataset"], c["dataset_title"], c["how_used"]) for c in body["citations"]] == [
        (dataset.slug, "Claimant count", "By ward")
    ]
    assert [(a["status"], a["progress"], a["outcome"]) for a in body["artifacts"]] == [
        ("warnings", 100, "warning"),
        ("running", 40, None),
    ]
    assert body["validation"] == {
        "overall": "checking",
        "files": 2,
        "failed": 0,
        "checking": 1,
        "warnings": 1,
    }


def test_detail_names_the_cited_datasets_no_checked_file_used():
    submission, lead = submitted_entry(EventFactory())
    used, unused = DatasetFactory(), DatasetFactory()
    for dataset in (used, unused):
        DatasetCitation.objects.create(submission=submission, dataset=dataset)
    artifact = ArtifactFactory(submission=submission, status=ValidationStatus.PASSED)
    ValidationReport.objects.create(
        artifact=artifact, attempt=1, outcome="pass", facts={"datasets": [str(used.pk)]}
    )

    body = _api(lead).get(_entry(submission)).json()

    assert body["cited_unused"] == [unused.slug]


def test_another_events_entry_answers_404_even_to_its_own_organiser():
    event, other = EventFactory(), EventFactory()
    submission, _ = submitted_entry(other)

    response = _api(_organiser(other)).get(f"{_entries(event)}{submission.pk}/")

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


def test_a_locked_entry_is_not_edited_and_organisers_unlock_it():
    event = EventFactory()
    submission, lead = submitted_entry(event)
    organiser = _organiser(event)

    locked = _api(organiser).post(f"{_entry(submission)}lock/")
    refused = _api(lead).patch(_entry(submission), {"title": "Late change"}, format="json")
    unlocked = _api(organiser).post(f"{_entry(submission)}unlock/")

    assert locked.json()["status"] == SubmissionStatus.LOCKED
    assert refused.status_code == 409
    assert _error(refused)["code"] == "submission_locked"
    assert unlocked.json()["status"] == SubmissionStatus.SUBMITTED


def test_extend_gives_the_team_its_own_deadline_and_refuses_one_in_the_past():
    event = EventFactory()
    submission, _ = submitted_entry(event)
    api = _api(_organiser(event))
    until = timezone.now() + datetime.timedelta(days=3)

    past = api.post(
        f"{_entry(submission)}extend/",
        {"until": (timezone.now() - datetime.timedelta(days=1)).isoformat()},
        format="json",
    )
    given = api.post(f"{_entry(submission)}extend/", {"until": until.isoformat()}, format="json")

    assert past.status_code == 400
    assert given.status_code == 200
    assert datetime.datetime.fromisoformat(given.json()["deadline_extension"]) == until


def test_gallery_choice_is_the_teams():
    submission, lead = submitted_entry(EventFactory())

    response = _api(lead).post(f"{_entry(submission)}gallery/", {"in_gallery": True})

    assert response.json()["in_gallery"] is True
    assert Submission.objects.get(pk=submission.pk).in_gallery is True


# --- Files ----------------------------------------------------------------------------


def _files(submission):
    return f"{_entry(submission)}artifacts/"


def test_upload_stores_the_file_queues_validation_and_lists_it(
    django_capture_on_commit_callbacks,
):
    submission, lead = started_entry(EventFactory())
    api = _api(lead)
    schema = {
        "fields": [{"name": "area", "type": "string"}, {"name": "walkers", "type": "integer"}]
    }

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        created = api.post(
            _files(submission),
            {
                "file": upload("walking.csv", CSV),
                "description": "Walkers by area",
                "table_schema": json.dumps(schema),
            },
            format="multipart",
        )
    listed = api.get(_files(submission))

    assert created.status_code == 201
    body = created.json()
    assert (body["filename"], body["kind"], body["format"], body["size"]) == (
        "walking.csv", "table", "CSV", len(CSV),
    )  # fmt: skip
    assert (body["status"], body["report"], body["table_schema"]) == ("queued", None, schema)
    assert len(callbacks) == 1  # the validation task, after commit
    assert [a["id"] for a in listed.json()] == [body["id"]]


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"file": upload("page.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)}, "file",
         "format_mismatch"),
        ({"file": upload("empty.csv", b"")}, "file", "invalid"),
        ({"description": "no file"}, "file", "invalid"),
        ({"file": upload("a.csv", CSV), "table_schema": "{not json"}, "table_schema", "invalid"),
        ({"file": upload("a.csv", CSV), "table_schema": "[" * 5000 + "]" * 5000},
         "table_schema", "invalid"),
        ({"file": upload("a.csv", CSV), "table_schema": '{"fields": "\\u0000"}'},
         "table_schema", "invalid"),
        ({"file": upload("a.csv", CSV), "table_schema": '{"fields": 1e400}'},
         "table_schema", "invalid"),
        ({"file": upload("a.csv", CSV), "table_schema": '{"fields": "\\ud800"}'},
         "table_schema", "invalid"),
        ({"file": upload("a.csv", CSV), "table_schema": "1" * 5000}, "table_schema", "invalid"),
        ({"file": upload("a.csv", CSV), "table_schema": '{"fields": 3}'}, "table_schema",
         "invalid_table_schema"),
        ({"file": upload("a.csv", CSV), "description": "x" * 301}, "description", "invalid"),
        ({"file": upload("a.csv", CSV), "description": "a\x00b"}, "description", "invalid"),
    ],
)  # fmt: skip
def test_upload_refuses_bad_input_with_the_error_shape_and_stores_nothing(fields, field, code):
    submission, lead = started_entry(EventFactory())

    response = _api(lead).post(_files(submission), fields, format="multipart")

    assert response.status_code == 400
    error = _error(response)
    assert error["code"] == code
    assert field in error["details"]
    assert not Artifact.objects.exists()


def test_upload_over_the_cap_is_refused_saying_so(settings):
    settings.UPLOAD_MAX_BYTES = 10
    submission, lead = started_entry(EventFactory())

    response = _api(lead).post(
        _files(submission), {"file": upload("a.csv", CSV)}, format="multipart"
    )

    assert response.status_code == 400
    assert "larger than" in _error(response)["details"]["file"][0]


def test_a_file_and_its_report_with_findings_then_download_as_attachment():
    submission, lead = submitted_entry(EventFactory())
    artifact = ArtifactFactory(submission=submission, status=ValidationStatus.WARNINGS)
    report = ValidationReport.objects.create(artifact=artifact, attempt=1, outcome="warning")
    report.findings.create(
        order=0, check_kind="disclosure", outcome="warning", message="A count of 3.",
        row=4, column="claimants",
    )  # fmt: skip
    url = f"{_files(submission)}{artifact.pk}/"
    api = _api(lead)

    detail = api.get(url).json()
    download = api.get(f"{url}download/")

    assert detail["report"]["outcome"] == "warning"
    assert [
        (f["check"], f["outcome"], f["message"], f["row"], f["column"])
        for f in detail["report"]["findings"]
    ] == [("disclosure", "warning", "A count of 3.", 4, "claimants")]
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="results.csv"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == artifact.file.open("rb").read()


def test_rerun_is_refused_while_the_checks_run():
    submission, lead = submitted_entry(EventFactory())
    artifact = ArtifactFactory(submission=submission, status=ValidationStatus.RUNNING)

    response = _api(lead).post(f"{_files(submission)}{artifact.pk}/rerun/")

    assert response.status_code == 409
    assert _error(response)["code"] == "validation_running"
    assert Artifact.objects.get(pk=artifact.pk).status == ValidationStatus.RUNNING


def test_rerun_drops_the_report_and_queues_the_file_again(django_capture_on_commit_callbacks):
    submission, lead = submitted_entry(EventFactory())
    artifact = ArtifactFactory(submission=submission, status=ValidationStatus.FAILED)
    ValidationReport.objects.create(artifact=artifact, attempt=1, outcome="fail")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _api(lead).post(f"{_files(submission)}{artifact.pk}/rerun/")

    assert response.status_code == 200
    assert (response.json()["status"], response.json()["report"]) == ("queued", None)
    assert not ValidationReport.objects.exists()
    assert len(callbacks) == 1


def test_delete_removes_the_file_but_not_from_a_locked_entry():
    submission, lead = submitted_entry(EventFactory())
    kept, gone = ArtifactFactory(submission=submission), ArtifactFactory(submission=submission)
    api = _api(lead)

    deleted = api.delete(f"{_files(submission)}{gone.pk}/")
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.LOCKED)
    refused = api.delete(f"{_files(submission)}{kept.pk}/")

    assert deleted.status_code == 204
    assert refused.status_code == 409
    assert list(Artifact.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_missing_stored_file_answers_404_not_500():
    submission, lead = submitted_entry(EventFactory())
    artifact = ArtifactFactory(submission=submission)
    artifact.file.storage.delete(artifact.file.name)

    response = _api(lead).get(f"{_files(submission)}{artifact.pk}/download/")

    assert response.status_code == 404
    assert _error(response)["code"] == "not_found"


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_slides_are_uploaded_downloaded_and_removed():
    submission, lead = submitted_entry(EventFactory())
    api = _api(lead)
    url = f"{_entry(submission)}slides/"

    put = api.put(url, {"file": upload("Our deck.pdf", PDF)}, format="multipart")
    download = api.get(f"{url}download/")
    removed = api.delete(url)
    missing = api.get(f"{url}download/")

    assert put.json()["slides"] == {"filename": "Our deck.pdf", "size": len(PDF)}
    assert download["Content-Disposition"] == 'attachment; filename="Our_deck.pdf"'
    assert b"".join(download.streaming_content) == PDF
    assert removed.json()["slides"] is None
    assert missing.status_code == 404
    assert [v.changes for v in submission.versions.order_by("number")] == [
        {"slides": [None, "Our deck.pdf"]},
        {"slides": ["Our deck.pdf", None]},
    ]


def test_slides_must_be_a_pdf():
    submission, lead = submitted_entry(EventFactory())

    response = _api(lead).put(
        f"{_entry(submission)}slides/", {"file": upload("deck.pdf", CSV)}, format="multipart"
    )

    assert response.status_code == 400
    assert _error(response)["code"] == "unknown_format"
    assert not Submission.objects.get(pk=submission.pk).slides


# --- Citations ------------------------------------------------------------------------


def _citations(submission):
    return f"{_entry(submission)}citations/"


def test_cite_a_dataset_and_one_of_its_files_then_change_and_remove_it():
    submission, lead = started_entry(EventFactory())
    resource = ResourceFactory()
    api = _api(lead)

    created = api.post(
        _citations(submission),
        {"dataset": resource.dataset.slug, "resource": str(resource.pk), "how_used": "Mapped"},
        format="json",
    )
    url = f"{_citations(submission)}{created.json()['id']}/"
    changed = api.patch(url, {"how_used": "Joined to wards"}, format="json")
    removed = api.delete(url)

    assert created.status_code == 201
    assert (created.json()["dataset"], created.json()["resource"]) == (
        resource.dataset.slug,
        str(resource.pk),
    )
    assert (changed.json()["how_used"], changed.json()["resource"]) == (
        "Joined to wards",
        str(resource.pk),
    )
    assert removed.status_code == 204
    assert not DatasetCitation.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        (lambda: {"dataset": DatasetFactory(is_published=False).slug}, "dataset"),
        (lambda: {"dataset": "no-such-dataset"}, "dataset"),
        (lambda: {"dataset": DatasetFactory().slug, "resource": str(ResourceFactory().pk)},
         "resource"),
        (lambda: {"dataset": DatasetFactory().slug, "resource": "not-a-uuid"}, "resource"),
        (lambda: {"dataset": DatasetFactory().slug, "resource": 10**30}, "resource"),
        (lambda: {"dataset": ["a", "b"]}, "dataset"),
        (lambda: {"dataset": DatasetFactory().slug, "how_used": "\x00"}, "how_used"),
    ],
)  # fmt: skip
def test_citing_refuses_what_the_catalogue_does_not_show_or_bad_input(data, field):
    submission, lead = started_entry(EventFactory())

    response = _api(lead).post(_citations(submission), data(), format="json")

    assert response.status_code == 400
    assert field in _error(response)["details"]
    assert not DatasetCitation.objects.exists()


# --- Bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        b'{"title": "a\\u0000b"}',
        b'{"title": "\\ud800"}',
        b'{"title": ' + b"[" * 2000 + b"]" * 2000 + b"}",
        b'{"title": 1e400}',
        b'{"title": ["list"]}',
        b'{"title": {"a": 1}}',
        b'{"repository_url": "javascript:alert(1)"}',
        b'{"title": "' + b"x" * 151 + b'"}',
        b"not json",
        b"[1, 2]",
    ],
)
def test_editing_with_bad_input_answers_400_never_500(body):
    submission, lead = started_entry(EventFactory())

    response = _api(lead).patch(_entry(submission), body, content_type="application/json")

    assert response.status_code == 400
    assert set(_error(response)) == {"code", "message", "details"}
    assert Submission.objects.get(pk=submission.pk).title == submission.title


def test_editing_cannot_set_the_status():
    submission, lead = started_entry(EventFactory())

    response = _api(lead).patch(_entry(submission), {"status": "locked"}, format="json")

    assert response.json()["status"] == SubmissionStatus.DRAFT
    assert Submission.objects.get(pk=submission.pk).status == SubmissionStatus.DRAFT


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("extend/", {"until": 1e308}),
        ("extend/", {"until": "tomorrow"}),
        ("extend/", {"until": ["2030-01-01T00:00:00Z"]}),
        ("gallery/", {"in_gallery": "perhaps"}),
        ("gallery/", {"in_gallery": None}),
    ],
)
def test_actions_with_wrong_types_answer_400(path, data):
    event = EventFactory()
    submission, lead = submitted_entry(event)
    user = lead if path == "gallery/" else _organiser(event)

    response = _api(user).post(f"{_entry(submission)}{path}", data, format="json")

    assert response.status_code == 400
    assert _error(response)["code"] == "invalid"


@pytest.mark.parametrize("pk", ["99999999999999999999999", "9223372036854775808", "0"])
def test_huge_or_unknown_ids_answer_404(pk):
    submission, lead = submitted_entry(EventFactory())
    api = _api(lead)

    for url in (
        f"{_entries(submission.event)}{pk}/",
        f"{_entries(submission.event)}{pk}/artifacts/",
        f"{_files(submission)}{pk}/",
        f"{_citations(submission)}{pk}/",
    ):
        response = api.get(url)
        assert response.status_code == 404, url
        assert _error(response)["code"] == "not_found"


# --- Query budgets --------------------------------------------------------------------


def test_entries_list_queries_flat():
    event = EventFactory(capacity=1000)
    api = _api(_organiser(event))

    def add(k):
        for _ in range(k):
            submission, _ = submitted_entry(event, title=f"Entry {UserFactory().pk}")
            ArtifactFactory(submission=submission, status=ValidationStatus.PASSED)

    def fetch():
        response = api.get(_entries(event))
        assert response.status_code == 200
        return response

    assert_flat_queries(
        fetch=fetch,
        add_items=add,
        shown=lambda: Submission.objects.values_list("title", flat=True),
    )


def test_files_and_citations_lists_and_the_entry_query_flat():
    event = EventFactory()
    submission, lead = submitted_entry(event)
    api = _api(lead)

    def add(k):
        for _ in range(k):
            artifact = ArtifactFactory(submission=submission, uploaded_by=UserFactory())
            ValidationReport.objects.create(artifact=artifact, attempt=1, outcome="pass")
            DatasetCitation.objects.create(
                submission=submission, dataset=DatasetFactory(), how_used=f"Used {artifact.pk}"
            )

    def files():
        return [f'"id":{pk},' for pk in Artifact.objects.values_list("pk", flat=True)]

    def citations():
        return DatasetCitation.objects.values_list("how_used", flat=True)

    for url, shown in (
        (_files(submission), files),
        (_citations(submission), citations),
        (_entry(submission), lambda: [*files(), *citations()]),
    ):
        Artifact.objects.all().delete()
        DatasetCitation.objects.all().delete()

        def fetch(url=url):
            response = api.get(url)
            assert response.status_code == 200
            return response

        assert_flat_queries(fetch=fetch, add_items=add, shown=shown)
