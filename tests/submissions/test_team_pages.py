"""The team's pages: its entry, files, checks' progress and reports, citations, and the
event page's "Your submission"."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import Context, Template
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from common.files import upload_cap_message
from datasets.models import Dataset
from datasets.services.search import dataset_reindex
from events.enums import RoleKind
from submissions.enums import Actor, SubmissionStatus, ValidationStatus
from submissions.forms import DatasetChoiceForm
from submissions.models import (
    Artifact,
    DatasetCitation,
    Submission,
    SubmissionVersion,
    ValidationFinding,
    ValidationReport,
)
from submissions.services.lifecycle import submission_transition, submission_update
from submissions.services.validation import STILL_RUNNING
from submissions.views.team import change_label
from tests.factories import (
    ArtifactFactory,
    DatasetFactory,
    DatasetFeatureFactory,
    EventFactory,
    EventRoleFactory,
    ResourceFactory,
    UserFactory,
)
from tests.query_budget import assert_flat_queries
from tests.submissions.helpers import started_entry, submitted_entry
from tests.teams.helpers import team_with

pytestmark = pytest.mark.django_db

CSV = b"area,walkers\nHalton,120\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def url(name, event, **kwargs) -> str:
    return reverse(name, kwargs={"slug": event.slug, **kwargs})


def messages_of(response) -> list[str]:
    return [str(message) for message in response.wsgi_request._messages]


@pytest.fixture
def draft():
    """A draft entry, its lead and the lead's client."""
    submission, lead = started_entry(EventFactory())
    return submission, lead, client_for(lead)


@pytest.fixture
def submitted():
    submission, lead = submitted_entry(EventFactory())
    return submission, lead, client_for(lead)


def _lock(submission):
    return submission_transition(submission=submission, to=SubmissionStatus.LOCKED, by=Actor.SWEEP)


def _judge_of(event):
    return EventRoleFactory(event=event, role=RoleKind.JUDGE).user


def _organiser_of(event):
    return EventRoleFactory(event=event, role=RoleKind.ORGANISER).user


# --- Starting and showing the entry ---------------------------------------------------


def test_entry_page_offers_a_team_member_the_start_form_before_the_entry_exists():
    event = EventFactory()
    team = team_with(event)
    lead = team.memberships.get().user

    response = client_for(lead).get(url("submission_mine", event))

    assert response.status_code == 200
    assert b"Start your team&#x27;s submission" in response.content
    assert b'name="title"' in response.content


def test_start_creates_the_entry_as_a_draft():
    event = EventFactory()
    team = team_with(event)
    lead = team.memberships.get().user

    response = client_for(lead).post(
        url("submission_mine", event),
        {"title": "Green space and jobs", "repository_url": "https://example.org/code"},
    )

    assert response.status_code == 302
    assert response["Location"] == url("submission_mine", event)
    submission = Submission.objects.get(team=team)
    assert (submission.title, submission.status) == ("Green space and jobs", "draft")
    assert submission.repository_url == "https://example.org/code"
    assert submission.created_by == lead


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("title", "", "This field is required."),
        ("repository_url", "javascript:alert(1)", "Enter a valid URL."),
        ("demo_url", "http://", "Enter a valid URL."),
        ("video_url", "https://" + "a" * 600 + ".org", "Ensure this value has at most 500"),
        ("summary", "x" * 1_000_000, "Ensure this value has at most 2000 characters"),
    ],
)
def test_start_with_bad_input_shows_the_form_error_and_creates_nothing(field, value, error):
    event = EventFactory()
    lead = team_with(event).memberships.get().user

    response = client_for(lead).post(url("submission_mine", event), {"title": "T", field: value})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert error in response.content.decode()
    assert not Submission.objects.exists()


def test_start_after_the_deadline_says_why_and_creates_nothing():
    event = EventFactory(submission_deadline=timezone.now() - datetime.timedelta(minutes=1))
    lead = team_with(event).memberships.get().user

    response = client_for(lead).post(url("submission_mine", event), {"title": "Too late"})

    assert response.status_code == 400
    assert "The submission deadline has passed" in response.content.decode()
    assert not Submission.objects.exists()


def test_text_with_a_nul_byte_is_refused_before_it_reaches_the_database(draft):
    submission, _lead, client = draft

    response = client.post(url("submission_edit", submission.event), {"title": "Bad\x00title"})

    assert response.status_code == 400
    assert b"Null characters are not allowed" in response.content
    submission.refresh_from_db()
    assert submission.title == "Green space and jobs"


def test_text_with_bytes_that_are_not_utf8_is_stored_as_replacement_characters(draft):
    submission, _lead, client = draft
    body = b"title=Halton%ED%A0%80&summary=ok"  # a UTF-8-encoded lone surrogate

    response = client.post(
        url("submission_edit", submission.event),
        body,
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.title.startswith("Halton") and "\ud800" not in submission.title


def test_someone_not_in_a_team_at_the_event_gets_404():
    event = EventFactory()
    started_entry(event)
    outsider = UserFactory()

    for name in ("submission_mine", "submission_edit", "submission_history"):
        assert client_for(outsider).get(url(name, event)).status_code == 404


def test_the_entry_of_another_events_team_is_not_reached_through_this_event(draft):
    _submission, _lead, client = draft
    other_event = EventFactory()

    response = client.get(url("submission_mine", other_event))

    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(draft):
    submission, _lead, _client = draft

    response = Client().get(url("submission_mine", submission.event))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_entry_page_shows_status_deadline_late_tag_and_authors_by_name_never_email():
    event = EventFactory(submission_deadline=timezone.now() - datetime.timedelta(hours=1))
    team = team_with(event, members=1)
    lead = team.memberships.get(role="lead").user
    member = team.memberships.get(role="member").user
    # Started before the deadline, submitted after it: late.
    submission = Submission.objects.create(
        event=event, team=team, title="Late entry", summary="Done at last."
    )
    submission_transition(submission=submission, to="submitted", by=Actor.MEMBER, actor=lead)

    response = client_for(member).get(url("submission_mine", event))

    content = response.content.decode()
    assert response.status_code == 200
    assert ">Submitted</strong>" in content
    assert ">Late</strong>" in content
    assert timezone.localtime(event.submission_deadline).strftime("%-d %B %Y, %H:%M") in content
    assert "Submitted by" in content
    assert f"{lead.display_name} (lead)" in content
    assert member.display_name in content
    assert lead.email not in content and member.email not in content


def test_entry_page_shows_the_team_extension_as_the_deadline(submitted):
    submission, _lead, client = submitted
    until = timezone.now() + datetime.timedelta(days=2)
    Submission.objects.filter(pk=submission.pk).update(deadline_extension=until)

    response = client.get(url("submission_mine", submission.event))

    assert timezone.localtime(until).strftime("%-d %B %Y, %H:%M") in response.content.decode()
    assert "more time given to your team" in response.content.decode()


def test_entry_text_is_shown_escaped(draft):
    submission, lead, client = draft
    submission_update(
        actor=lead, submission=submission, fields={"summary": "<script>alert(1)</script>"}
    )

    response = client.get(url("submission_mine", submission.event))

    assert b"<script>alert(1)" not in response.content
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in response.content


# --- Editing, moving, the gallery ------------------------------------------------------


def test_edit_saves_and_keeps_a_version_once_submitted(submitted):
    submission, lead, client = submitted

    response = client.post(
        url("submission_edit", submission.event),
        {"title": "New title", "summary": "New summary", "impact_statement": "Who gains"},
    )

    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.title, submission.impact_statement) == ("New title", "Who gains")
    version = SubmissionVersion.objects.get(submission=submission)
    assert version.saved_by == lead
    assert set(version.changes) == {"title", "summary", "impact_statement"}


def test_edit_form_shows_the_current_values(draft):
    submission, _lead, client = draft

    response = client.get(url("submission_edit", submission.event))

    assert response.status_code == 200
    assert b'value="Green space and jobs"' in response.content


def test_a_refused_edit_shows_errors_and_changes_nothing(submitted):
    submission, _lead, client = submitted

    response = client.post(
        url("submission_edit", submission.event),
        {"title": "Kept?", "summary": "s", "repository_url": "not a url"},
    )

    assert response.status_code == 400
    assert b"Enter a valid URL." in response.content
    submission.refresh_from_db()
    assert submission.title == "Green space and jobs"
    assert not SubmissionVersion.objects.exists()


def test_locked_entry_refuses_edits_and_says_why(submitted):
    submission, _lead, client = submitted
    _lock(submission)
    event = submission.event

    page = client.get(url("submission_mine", event)).content.decode()
    edit_get = client.get(url("submission_edit", event))
    edit_post = client.post(url("submission_edit", event), {"title": "Changed", "summary": "s"})

    assert "Your submission was locked" in page
    assert 'href="/events/' + event.slug + '/submission/edit/"' not in page
    assert ">Upload a file<" not in page and ">Add a dataset<" not in page
    for response in (edit_get, edit_post):
        assert response.status_code == 302
        assert response["Location"] == url("submission_mine", event)
    # The GET's message is still waiting to be shown, so there are two, both this.
    assert (
        messages_of(edit_post) == ["This submission is locked, so it can no longer be changed."] * 2
    )
    submission.refresh_from_db()
    assert submission.title == "Green space and jobs"


def test_submit_then_take_back_to_draft(draft):
    submission, _lead, client = draft
    event = submission.event

    page = client.get(url("submission_mine", event)).content.decode()
    submitted_response = client.post(url("submission_move", event), {"to": "submitted"})
    status_after_submit = Submission.objects.get(pk=submission.pk).status
    back = client.post(url("submission_move", event), {"to": "draft"})

    assert 'name="to" value="submitted"' in page
    assert submitted_response.status_code == 302
    assert status_after_submit == "submitted"
    assert back.status_code == 302
    assert Submission.objects.get(pk=submission.pk).status == "draft"
    assert messages_of(back) == [
        "Submitted. You can still change it until the deadline.",
        "Taken back to draft: submit it again when it is ready.",
    ]


def test_a_move_not_allowed_to_members_changes_nothing(draft):
    submission, _lead, client = draft

    response = client.post(url("submission_move", submission.event), {"to": "locked"})

    assert response.status_code == 302
    assert messages_of(response) == ["Your submission cannot make that change now."]
    assert Submission.objects.get(pk=submission.pk).status == "draft"


def test_submitting_an_incomplete_entry_says_what_is_missing():
    submission, lead = started_entry(EventFactory(), summary="")

    response = client_for(lead).post(url("submission_move", submission.event), {"to": "submitted"})

    assert messages_of(response) == ["Add a summary before you submit."]
    assert Submission.objects.get(pk=submission.pk).status == "draft"


def test_move_answers_only_post(draft):
    submission, _lead, client = draft

    assert client.get(url("submission_move", submission.event)).status_code == 405


def test_gallery_choice_is_saved_even_when_locked(submitted):
    submission, _lead, client = submitted
    _lock(submission)

    on = client.post(url("submission_gallery", submission.event), {"in_gallery": "on"})
    chosen = Submission.objects.get(pk=submission.pk).in_gallery
    off = client.post(url("submission_gallery", submission.event), {})

    assert (on.status_code, chosen) == (302, True)
    assert off.status_code == 302
    assert Submission.objects.get(pk=submission.pk).in_gallery is False


def test_history_lists_who_when_and_what_changed_with_labels_and_escaped_values(submitted):
    submission, lead, client = submitted
    submission_update(
        actor=lead,
        submission=submission,
        fields={"impact_statement": "<b>bold</b>", "repository_url": "https://example.org"},
    )

    response = client.get(url("submission_history", submission.event))

    content = response.content.decode()
    assert response.status_code == 200
    assert f"Version 1: {lead.display_name}" in content
    assert "The problem and its community impact" in content
    assert ">Repository<" in content
    assert "&lt;b&gt;bold&lt;/b&gt;" in content and "<b>bold" not in content
    assert lead.email not in content


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("impact_statement", "The problem and its community impact"),
        ("files", "Files"),
        ("datasets", "Datasets cited"),
        ("citation of Claimant count: how_used", "Citation of Claimant count: how it was used"),
        ("something_else", "Something else"),
    ],
)
def test_change_names_are_shown_as_words(name, label):
    assert change_label(name) == label


# --- Files and slides -----------------------------------------------------------------


def test_upload_an_artifact_with_a_table_schema(draft, django_capture_on_commit_callbacks):
    submission, lead, client = draft
    schema = (
        '{"fields": [{"name": "area", "type": "string"}, {"name": "walkers", "type": "integer"}]}'
    )

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            url("submission_artifact_add", submission.event),
            {
                "file": SimpleUploadedFile("walking.csv", CSV),
                "description": "Walkers per area",
                "table_schema": schema,
            },
        )

    artifact = Artifact.objects.get(submission=submission)
    assert response.status_code == 302
    assert response["Location"] == url("submission_artifact", submission.event, pk=artifact.pk)
    assert (artifact.original_filename, artifact.description) == ("walking.csv", "Walkers per area")
    assert artifact.table_schema["fields"][1] == {"name": "walkers", "type": "integer"}
    assert artifact.uploaded_by == lead
    assert len(callbacks) == 1  # the validation task


@pytest.mark.parametrize(
    ("schema", "error"),
    [
        ("{not json", "The table schema is not valid JSON"),
        ('{"fields": "no"}', "This is not a Frictionless Table Schema"),
        ('{"fields": [{"name": "\\ud800"}]}', "broken text"),
        ('{"fields": [{"name": "a\\u0000"}]}', "NUL character"),
        ("[" * 50 + "]" * 50, "nests deeper than"),
    ],
)
def test_upload_with_a_bad_table_schema_shows_the_error(draft, schema, error):
    submission, _lead, client = draft

    response = client.post(
        url("submission_artifact_add", submission.event),
        {"file": SimpleUploadedFile("walking.csv", CSV), "table_schema": schema},
    )

    assert response.status_code == 400
    assert error in response.content.decode()
    assert not Artifact.objects.exists()


def test_upload_of_a_file_of_the_wrong_kind_shows_why(draft):
    submission, _lead, client = draft

    response = client.post(
        url("submission_artifact_add", submission.event),
        {"file": SimpleUploadedFile("page.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64)},
    )

    assert response.status_code == 400
    assert "named as .csv but its content is" in response.content.decode()
    assert not Artifact.objects.exists()


def test_upload_over_the_cap_is_refused_while_it_arrives_with_the_submissions_cap(draft, settings):
    submission, _lead, client = draft
    settings.UPLOAD_MAX_BYTES = 10
    settings.SUBMISSIONS_FILE_MAX_BYTES = 10

    response = client.post(
        url("submission_artifact_add", submission.event),
        {"file": SimpleUploadedFile("walking.csv", CSV * 10)},
    )

    assert response.status_code == 400
    assert upload_cap_message(10) in response.content.decode()
    assert not Artifact.objects.exists()


def test_upload_without_a_file_says_it_is_required(draft):
    submission, _lead, client = draft

    response = client.post(url("submission_artifact_add", submission.event), {})

    assert response.status_code == 400
    assert b"This field is required." in response.content


def test_locked_entry_refuses_uploads_and_removals(submitted):
    submission, _lead, client = submitted
    artifact = ArtifactFactory(submission=submission)
    _lock(submission)
    event = submission.event

    upload = client.post(
        url("submission_artifact_add", event), {"file": SimpleUploadedFile("a.csv", CSV)}
    )
    ask = client.get(url("submission_artifact_remove", event, pk=artifact.pk))
    remove = client.post(
        url("submission_artifact_remove", event, pk=artifact.pk), {"confirmed": "yes"}
    )

    locked = "This submission is locked, so it can no longer be changed."
    assert upload.status_code == 302
    assert messages_of(upload) == [locked]
    assert ask.status_code == 302
    assert ask["Location"] == url("submission_artifact", event, pk=artifact.pk)
    assert remove.status_code == 302
    assert messages_of(remove) == [locked] * 3  # one each, none shown yet (no page between)
    assert Artifact.objects.count() == 1


def test_artifact_download_is_an_attachment_not_sniffed_for_team_organisers_and_judges(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission, original_filename="walk ing.csv")
    event = submission.event
    target = url("submission_artifact_download", event, pk=artifact.pk)

    for reader in (client, client_for(_organiser_of(event)), client_for(_judge_of(event))):
        response = reader.get(target)
        assert response.status_code == 200
        assert response["Content-Disposition"] == 'attachment; filename="walk_ing.csv"'
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Type"] == "application/octet-stream"
        assert "private" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == artifact.file.open("rb").read()


def test_artifact_download_is_404_for_others_and_through_another_event(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    other = EventFactory()
    other_organiser = _organiser_of(other)
    other_judge = _judge_of(other)

    same_event = url("submission_artifact_download", submission.event, pk=artifact.pk)
    wrong_event = url("submission_artifact_download", other, pk=artifact.pk)

    assert client_for(UserFactory()).get(same_event).status_code == 404
    assert client_for(other_organiser).get(same_event).status_code == 404
    assert client_for(other_judge).get(wrong_event).status_code == 404
    assert client.get(wrong_event).status_code == 404


def test_a_download_whose_file_is_gone_answers_404(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    artifact.file.delete(save=False)

    response = client.get(url("submission_artifact_download", submission.event, pk=artifact.pk))

    assert response.status_code == 404


def test_download_answers_only_get(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)

    target = url("submission_artifact_download", submission.event, pk=artifact.pk)

    assert client.post(target).status_code == 405


def test_remove_asks_first_then_removes(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    target = url("submission_artifact_remove", submission.event, pk=artifact.pk)

    asked = client.post(target)
    still_there = Artifact.objects.filter(pk=artifact.pk).exists()
    done = client.post(target, {"confirmed": "yes"})

    assert asked.status_code == 200
    assert "Remove “results.csv”?" in asked.content.decode()
    assert still_there
    assert done.status_code == 302
    assert done["Location"] == url("submission_mine", submission.event)
    assert not Artifact.objects.filter(pk=artifact.pk).exists()


def test_judges_and_organisers_may_not_remove_a_file(draft):
    submission, _lead, _client = draft
    artifact = ArtifactFactory(submission=submission)
    target = url("submission_artifact_remove", submission.event, pk=artifact.pk)

    for person in (_judge_of(submission.event), _organiser_of(submission.event)):
        assert client_for(person).post(target, {"confirmed": "yes"}).status_code == 404
    assert Artifact.objects.filter(pk=artifact.pk).exists()


def test_slides_upload_download_and_remove(draft):
    submission, _lead, client = draft
    event = submission.event

    uploaded = client.post(
        url("submission_slides", event), {"file": SimpleUploadedFile("deck.pdf", PDF)}
    )
    submission.refresh_from_db()
    download = client_for(_judge_of(event)).get(
        url("submission_slides_download", event, pk=submission.pk)
    )
    removed = client.post(url("submission_slides_remove", event), {"confirmed": "yes"})

    assert uploaded.status_code == 302
    assert submission.slides_filename == "deck.pdf"
    assert download.status_code == 200
    assert download["Content-Disposition"] == 'attachment; filename="deck.pdf"'
    assert download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PDF
    assert removed.status_code == 302
    submission.refresh_from_db()
    assert not submission.slides


def test_slides_must_be_a_pdf(draft):
    submission, _lead, client = draft

    response = client.post(
        url("submission_slides", submission.event), {"file": SimpleUploadedFile("deck.pdf", CSV)}
    )

    assert response.status_code == 400
    assert "PDF" in response.content.decode()
    submission.refresh_from_db()
    assert not submission.slides


def test_slides_download_without_slides_or_through_another_event_is_404(draft):
    submission, _lead, client = draft

    no_slides = client.get(url("submission_slides_download", submission.event, pk=submission.pk))
    other = client.get(url("submission_slides_download", EventFactory(), pk=submission.pk))

    assert (no_slides.status_code, other.status_code) == (404, 404)


# --- Checks: progress and report ------------------------------------------------------


def _report(artifact, findings, *, outcome="warning"):
    status = {"pass": "passed", "warning": "warnings", "fail": "failed"}[outcome]
    Artifact.objects.filter(pk=artifact.pk).update(status=status, progress=100)
    report = ValidationReport.objects.create(artifact=artifact, attempt=1, outcome=outcome)
    ValidationFinding.objects.bulk_create(
        ValidationFinding(report=report, order=n, **finding) for n, finding in enumerate(findings)
    )
    return report


def test_artifact_page_while_queued_shows_a_progress_bar_polling_its_fragment(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    Artifact.objects.filter(pk=artifact.pk).update(status="running", progress=40)
    status_url = url("submission_artifact_status", submission.event, pk=artifact.pk)

    response = client.get(url("submission_artifact", submission.event, pk=artifact.pk))

    content = response.content.decode()
    assert response.status_code == 200
    assert f'hx-get="{status_url}" hx-trigger="every 2s"' in content
    assert f'<progress id="artifact-progress-{artifact.pk}" max="100" value="40">' in content
    assert ">Refresh</a>" in content
    assert "vendor/htmx/htmx.min.js" in content
    assert "Run the checks again" not in content


def test_status_fragment_stops_polling_once_done(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    _report(artifact, [], outcome="pass")

    response = client.get(
        url("submission_artifact_status", submission.event, pk=artifact.pk), HTTP_HX_REQUEST="true"
    )

    content = response.content.decode()
    assert response.status_code == 200
    assert "hx-get" not in content
    assert ">Passed</strong>" in content
    assert "show the report" in content


def test_report_lists_findings_by_check_with_outcomes_and_locations(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    _report(
        artifact,
        [
            {"check_kind": "disclosure", "outcome": "warning", "message": "A count of 3.",
             "file": "data/counts.csv", "row": 12, "column": "claimants"},
            {"check_kind": "integrity", "outcome": "pass", "message": "Size and type agree."},
            {"check_kind": "notebook", "outcome": "fail", "message": "Not JSON.",
             "notebook_cell": 4},
        ],
    )  # fmt: skip

    content = client.get(url("submission_artifact", submission.event, pk=artifact.pk)).content
    content = content.decode()

    # Groups in the engine's order: integrity, notebook, disclosure.
    assert content.index("File integrity") < content.index("Notebook format")
    assert content.index("Notebook format") < content.index("Disclosure control")
    assert "data/counts.csv, row 12, column claimants" in content
    assert "cell 4" in content
    assert ">The whole file<" in content
    assert 'govuk-tag--yellow">Passed with warnings<' in content
    assert 'govuk-tag--red">Failed<' in content
    assert "hx-get" not in content
    assert "Run the checks again" in content


def test_report_is_readable_by_judges_and_organisers_without_team_actions(draft):
    submission, _lead, _client = draft
    artifact = ArtifactFactory(submission=submission)
    _report(artifact, [{"check_kind": "integrity", "outcome": "pass", "message": "Fine."}])
    target = url("submission_artifact", submission.event, pk=artifact.pk)

    for person in (_judge_of(submission.event), _organiser_of(submission.event)):
        response = client_for(person).get(target)
        assert response.status_code == 200
        assert "Fine." in response.content.decode()
        assert "Run the checks again" not in response.content.decode()
        assert "Remove this file" not in response.content.decode()
    assert client_for(UserFactory()).get(target).status_code == 404


def test_report_message_is_escaped(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    _report(artifact, [{"check_kind": "structure", "outcome": "fail", "message": "<img src=x>"}])

    content = client.get(url("submission_artifact", submission.event, pk=artifact.pk)).content

    assert b"<img src=x>" not in content and b"&lt;img src=x&gt;" in content


def test_run_the_checks_again_queues_them_and_drops_the_report(
    draft, django_capture_on_commit_callbacks
):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    _report(artifact, [{"check_kind": "integrity", "outcome": "pass", "message": "Fine."}])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url("submission_artifact_check", submission.event, pk=artifact.pk))

    artifact.refresh_from_db()
    assert response.status_code == 302
    assert (artifact.status, artifact.progress) == (ValidationStatus.QUEUED, 0)
    assert not ValidationReport.objects.filter(artifact=artifact).exists()
    assert len(callbacks) == 1


def test_run_the_checks_again_while_they_run_changes_nothing(
    draft, django_capture_on_commit_callbacks
):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    Artifact.objects.filter(pk=artifact.pk).update(status="running", progress=50)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url("submission_artifact_check", submission.event, pk=artifact.pk))

    assert messages_of(response) == [STILL_RUNNING]
    assert Artifact.objects.get(pk=artifact.pk).progress == 50
    assert callbacks == []


def test_judges_may_not_run_the_checks_again(draft):
    submission, _lead, _client = draft
    artifact = ArtifactFactory(submission=submission)
    _report(artifact, [], outcome="pass")

    response = client_for(_judge_of(submission.event)).post(
        url("submission_artifact_check", submission.event, pk=artifact.pk)
    )

    assert response.status_code == 404
    assert Artifact.objects.get(pk=artifact.pk).status == "passed"


def test_entry_page_rows_poll_while_checks_run_and_offer_one_refresh(draft):
    submission, _lead, client = draft
    running = ArtifactFactory(submission=submission, original_filename="running.csv")
    done = ArtifactFactory(submission=submission, original_filename="done.csv")
    _report(done, [], outcome="pass")
    status_url = url("submission_artifact_status", submission.event, pk=running.pk)

    content = client.get(url("submission_mine", submission.event)).content.decode()

    assert f'hx-get="{status_url}?in=row"' in content
    assert content.count("hx-get=") == 1
    assert content.count(">Refresh</a>") == 1
    assert 'govuk-tag--green">Passed<' in content


def test_checks_help_page_is_public():
    response = Client().get(reverse("submission_checks_help"))

    assert response.status_code == 200
    assert b'<h1 class="govuk-heading-l">How your files are checked</h1>' in response.content


# --- Citations ------------------------------------------------------------------------


def test_add_citation_offers_the_events_featured_datasets_first(draft):
    submission, _lead, client = draft
    featured = DatasetFeatureFactory(
        event=submission.event, dataset=DatasetFactory(title="Featured one")
    )
    DatasetFactory(title="Elsewhere")
    DatasetFeatureFactory(
        event=submission.event, dataset=DatasetFactory(title="Unpublished", is_published=False)
    )

    content = client.get(url("submission_citation_add", submission.event)).content.decode()

    assert f'value="{featured.dataset.slug}"' in content
    assert "Featured one" in content
    assert "Elsewhere" not in content and "Unpublished" not in content
    assert 'name="q"' in content


def test_add_citation_searches_the_published_catalogue(draft):
    submission, _lead, client = draft
    found = DatasetFactory(title="Bus stops of Halton")
    draft_dataset = DatasetFactory(title="Bus stops draft", is_published=False)
    for dataset in (found, draft_dataset):
        dataset_reindex(dataset=dataset)  # what the catalogue's services do on a save

    content = client.get(
        url("submission_citation_add", submission.event), {"q": "bus stops"}
    ).content.decode()

    assert f'value="{found.slug}"' in content
    assert "Bus stops draft" not in content


def test_search_words_and_dataset_titles_are_shown_escaped(draft):
    submission, _lead, client = draft
    found = DatasetFactory(title="<i>Bus</i> stops")
    dataset_reindex(dataset=found)

    target = url("submission_citation_add", submission.event)

    words = client.get(target, {"q": "<b>bus</b>"}).content.decode()
    title = client.get(target, {"q": "bus"}).content.decode()

    assert "<b>bus</b>" not in words
    assert "“&lt;b&gt;bus&lt;/b&gt;”" in words
    assert "<i>Bus</i>" not in title
    assert "&lt;i&gt;Bus&lt;/i&gt; stops" in title


def test_the_choice_legend_naming_the_search_words_is_escaped():
    DatasetFactory(title="Bus stops")
    form = DatasetChoiceForm(datasets=Dataset.objects.all(), legend="Matching “<b>bus</b>”")

    html = Template('{% include "includes/form.html" %}').render(Context({"form": form}))

    assert "<b>bus</b>" not in html and "Matching “&lt;b&gt;bus&lt;/b&gt;”" in html


def test_choosing_a_dataset_asks_which_file_and_how_then_cites_it(submitted):
    submission, lead, client = submitted
    dataset = DatasetFactory(title="Claimant count")
    resource = ResourceFactory(dataset=dataset, name="Claimants CSV")
    target = url("submission_citation_add", submission.event) + f"?dataset={dataset.slug}"

    form = client.get(target)
    response = client.post(target, {"resource": str(resource.pk), "how_used": "Mapped by ward"})

    assert form.status_code == 200
    assert "How you used “Claimant count”" in form.content.decode()
    assert "Claimants CSV" in form.content.decode()
    assert response.status_code == 302
    citation = DatasetCitation.objects.get(submission=submission)
    assert (citation.dataset, citation.resource, citation.how_used) == (
        dataset, resource, "Mapped by ward"
    )  # fmt: skip
    assert SubmissionVersion.objects.get(submission=submission).saved_by == lead


@pytest.mark.parametrize("slug", ["", "no-such-dataset", "unpublished"])
def test_choosing_an_unknown_or_unpublished_dataset_shows_an_error(draft, slug):
    submission, _lead, client = draft
    DatasetFactory(slug="unpublished", is_published=False)
    DatasetFeatureFactory(event=submission.event)

    response = client.get(url("submission_citation_add", submission.event), {"dataset": slug})

    assert response.status_code == 400
    assert "There is a problem" in response.content.decode()
    assert not DatasetCitation.objects.exists()


def test_citing_a_dataset_twice_or_a_file_of_another_dataset_is_refused(draft):
    submission, _lead, client = draft
    dataset = DatasetFactory()
    DatasetCitation.objects.create(submission=submission, dataset=dataset)
    other = DatasetFactory()
    foreign = ResourceFactory()
    base = url("submission_citation_add", submission.event)

    twice = client.post(f"{base}?dataset={dataset.slug}", {"how_used": "again"})
    wrong_file = client.post(f"{base}?dataset={other.slug}", {"resource": str(foreign.pk)})
    not_a_uuid = client.post(f"{base}?dataset={other.slug}", {"resource": "abc"})

    assert twice.status_code == 400
    assert "already cites" in twice.content.decode()
    assert (wrong_file.status_code, not_a_uuid.status_code) == (400, 400)
    assert DatasetCitation.objects.count() == 1


def test_edit_and_remove_a_citation(draft):
    submission, _lead, client = draft
    citation = DatasetCitation.objects.create(
        submission=submission, dataset=DatasetFactory(), how_used="First"
    )
    event = submission.event

    edit_form = client.get(url("submission_citation_edit", event, pk=citation.pk))
    edited = client.post(
        url("submission_citation_edit", event, pk=citation.pk), {"how_used": "Second"}
    )
    how = DatasetCitation.objects.get(pk=citation.pk).how_used
    asked = client.post(url("submission_citation_remove", event, pk=citation.pk))
    removed = client.post(
        url("submission_citation_remove", event, pk=citation.pk), {"confirmed": "yes"}
    )

    assert edit_form.status_code == 200 and "First" in edit_form.content.decode()
    assert (edited.status_code, how) == (302, "Second")
    assert asked.status_code == 200
    assert removed.status_code == 302
    assert not DatasetCitation.objects.exists()


def test_entry_page_warns_of_a_cited_dataset_no_checked_file_reads(draft):
    submission, _lead, client = draft
    used, unused = DatasetFactory(title="Cycling counts"), DatasetFactory(title="Claimant count")
    for dataset in (used, unused):
        DatasetCitation.objects.create(submission=submission, dataset=dataset)
    artifact = ArtifactFactory(submission=submission)
    report = _report(artifact, [], outcome="pass")
    ValidationReport.objects.filter(pk=report.pk).update(facts={"datasets": [str(used.pk)]})

    page = client.get(url("submission_mine", submission.event)).content.decode()

    assert "None of your checked files was found reading “Claimant count”." in page
    assert "reading “Cycling counts”" not in page


def test_a_citation_of_another_team_is_404(draft):
    submission, _lead, client = draft
    other_submission, _other_lead = started_entry(submission.event)
    citation = DatasetCitation.objects.create(submission=other_submission, dataset=DatasetFactory())

    for name in ("submission_citation_edit", "submission_citation_remove"):
        response = client.post(url(name, submission.event, pk=citation.pk), {"confirmed": "yes"})
        assert response.status_code == 404
    assert DatasetCitation.objects.filter(pk=citation.pk).exists()


def test_a_long_how_used_is_a_form_error(draft):
    submission, _lead, client = draft
    dataset = DatasetFactory()

    response = client.post(
        url("submission_citation_add", submission.event) + f"?dataset={dataset.slug}",
        {"how_used": "x" * 5000},
    )

    assert response.status_code == 400
    assert "Ensure this value has at most 1000 characters" in response.content.decode()


# --- The event page -------------------------------------------------------------------


def test_event_page_shows_your_submission_to_team_members_only(draft):
    submission, _lead, client = draft
    event = submission.event
    teamless = team_with(event).memberships.get().user

    mine = client.get(event.get_absolute_url()).content.decode()
    not_started = client_for(teamless).get(event.get_absolute_url()).content.decode()
    outsider = client_for(UserFactory()).get(event.get_absolute_url()).content.decode()

    assert "Your submission" in mine and "Green space and jobs" in mine
    assert "Start your submission" in not_started
    assert "Your submission" not in outsider


def test_event_page_says_when_it_is_too_late_to_start():
    event = EventFactory(submission_deadline=timezone.now() - datetime.timedelta(minutes=1))
    lead = team_with(event).memberships.get().user

    content = client_for(lead).get(event.get_absolute_url()).content.decode()

    assert "did not start a submission before the deadline" in content
    assert "Start your submission" not in content


def test_a_start_form_sent_after_a_teammate_started_the_entry_changes_nothing(draft):
    submission, _lead, client = draft

    response = client.post(url("submission_mine", submission.event), {"title": "Second"})

    assert response.status_code == 302
    assert messages_of(response) == ["Your team has already started its submission."]
    assert list(Submission.objects.values_list("title", flat=True)) == ["Green space and jobs"]


# --- Query budgets --------------------------------------------------------------------


def test_entry_page_queries_are_flat_in_its_files(draft):
    submission, _lead, client = draft

    def add(k):
        for _ in range(k):
            ArtifactFactory(
                submission=submission, original_filename=f"out-{Artifact.objects.count()}.csv"
            )

    assert_flat_queries(
        fetch=lambda: _ok(client.get(url("submission_mine", submission.event))),
        add_items=add,
        shown=lambda: Artifact.objects.values_list("original_filename", flat=True),
    )


def test_history_queries_are_flat_in_its_versions(submitted):
    submission, lead, client = submitted

    def add(k):
        for _ in range(k):
            current = Submission.objects.get(pk=submission.pk)
            submission_update(
                actor=lead, submission=current, fields={"summary": f"Summary {current.version + 1}"}
            )

    assert_flat_queries(
        fetch=lambda: _ok(client.get(url("submission_history", submission.event))),
        add_items=add,
        shown=lambda: [f"Summary {n}" for n in range(1, 21)],
    )


def test_report_queries_are_flat_in_its_findings(draft):
    submission, _lead, client = draft
    artifact = ArtifactFactory(submission=submission)
    report = _report(artifact, [])
    kinds = ["integrity", "structure", "disclosure", "personal_data"]

    def add(k):
        start = report.findings.count()
        for n in range(start, start + k):
            ValidationFinding.objects.create(
                report=report, order=n, check_kind=kinds[n % 4], outcome="warning",
                message=f"Finding {n}", row=n,
            )  # fmt: skip

    assert_flat_queries(
        fetch=lambda: _ok(client.get(url("submission_artifact", submission.event, pk=artifact.pk))),
        add_items=add,
        shown=lambda: [f"Finding {n}" for n in range(20)],
    )


def _ok(response):
    assert response.status_code == 200
    return response
