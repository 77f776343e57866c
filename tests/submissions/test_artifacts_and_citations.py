import pytest

from common.exceptions import ApplicationError
from datasets.services.catalogue import dataset_delete
from submissions.enums import Actor, ArtifactKind, ValidationStatus
from submissions.models import Artifact, DatasetCitation, SubmissionVersion
from submissions.services.artifacts import artifact_add, artifact_remove, slides_set
from submissions.services.citations import citation_add, citation_remove, citation_update
from submissions.services.lifecycle import submission_transition
from tests.factories import DatasetFactory, EventFactory, ResourceFactory
from tests.submissions.helpers import started_entry, submitted_entry, upload

pytestmark = pytest.mark.django_db

CSV = b"area,walkers\nHalton,120\n"
NOTEBOOK = b'{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_artifact_add_stores_the_file_under_a_generated_name_and_queues_validation(
    django_capture_on_commit_callbacks,
):
    submission, lead = started_entry(EventFactory())

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        artifact = artifact_add(
            actor=lead, submission=submission, uploaded_file=upload("walking.csv", CSV)
        )

    assert artifact.original_filename == "walking.csv"
    assert "walking" not in artifact.file.name
    assert artifact.file.name.startswith("submissions/artifact/")
    assert (artifact.kind, artifact.format, artifact.size) == (ArtifactKind.TABLE, "CSV", len(CSV))
    assert artifact.status == ValidationStatus.QUEUED
    assert len(callbacks) == 1  # the validation task, published after commit


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.csv", b"", "is empty"),
        ("page.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "named as .csv but its content is"),
        ("data.json", b'{"a": 1}', "is JSON but not a notebook"),
        ("tool.exe", b"MZ\x90\x00\x03" + b"\x00" * 200, "not a kind of file a submission takes"),
    ],
)
def test_artifact_add_refuses_what_it_cannot_take_and_stores_nothing(name, content, message):
    submission, lead = started_entry(EventFactory())

    with pytest.raises(ApplicationError, match=message):
        artifact_add(actor=lead, submission=submission, uploaded_file=upload(name, content))

    assert not Artifact.objects.exists()


def test_artifact_add_takes_a_notebook_as_json(django_capture_on_commit_callbacks):
    submission, lead = started_entry(EventFactory())

    with django_capture_on_commit_callbacks(execute=False):
        artifact = artifact_add(
            actor=lead, submission=submission, uploaded_file=upload("analysis.ipynb", NOTEBOOK)
        )

    assert artifact.kind == ArtifactKind.NOTEBOOK


def test_artifact_add_keeps_to_the_per_file_and_per_submission_caps(
    settings, django_capture_on_commit_callbacks
):
    submission, lead = started_entry(EventFactory())
    settings.SUBMISSIONS_FILE_MAX_BYTES = len(CSV) * 2
    settings.SUBMISSIONS_TOTAL_MAX_BYTES = len(CSV) * 2 + 5

    with pytest.raises(ApplicationError, match="larger than"):
        artifact_add(actor=lead, submission=submission, uploaded_file=upload("big.csv", CSV * 3))
    with django_capture_on_commit_callbacks(execute=False):
        artifact_add(actor=lead, submission=submission, uploaded_file=upload("a.csv", CSV))
        artifact_add(actor=lead, submission=submission, uploaded_file=upload("b.csv", CSV))
    with pytest.raises(
        ApplicationError, match=r"would take the submission's files past .* MB in all"
    ):
        artifact_add(actor=lead, submission=submission, uploaded_file=upload("c.csv", CSV))

    assert Artifact.objects.count() == 2


def test_artifact_add_keeps_to_the_count_cap(settings, django_capture_on_commit_callbacks):
    submission, lead = started_entry(EventFactory())
    settings.SUBMISSIONS_MAX_ARTIFACTS = 1
    with django_capture_on_commit_callbacks(execute=False):
        artifact_add(actor=lead, submission=submission, uploaded_file=upload("a.csv", CSV))

    with pytest.raises(ApplicationError, match="at most 1 files"):
        artifact_add(actor=lead, submission=submission, uploaded_file=upload("b.csv", CSV))


def test_files_added_and_removed_after_submit_are_versions(django_capture_on_commit_callbacks):
    submission, lead = submitted_entry(EventFactory())

    with django_capture_on_commit_callbacks(execute=False):
        artifact = artifact_add(
            actor=lead, submission=submission, uploaded_file=upload("walking.csv", CSV)
        )
    artifact_remove(actor=lead, artifact=artifact)
    slides_set(actor=lead, submission=submission, uploaded_file=upload("deck.pdf", PDF))

    changes = list(SubmissionVersion.objects.order_by("number").values_list("changes", flat=True))
    assert changes == [
        {"files": [None, "walking.csv"]},
        {"files": ["walking.csv", None]},
        {"slides": [None, "deck.pdf"]},
    ]
    assert not Artifact.objects.exists()


def test_slides_must_be_a_pdf():
    submission, lead = started_entry(EventFactory())

    with pytest.raises(ApplicationError, match="slides can be: upload them as a PDF"):
        slides_set(actor=lead, submission=submission, uploaded_file=upload("deck.csv", CSV))


def test_nothing_is_added_to_a_locked_submission():
    submission, lead = submitted_entry(EventFactory())
    submission_transition(submission=submission, to="locked", by=Actor.ORGANISER)

    with pytest.raises(ApplicationError, match="locked"):
        artifact_add(actor=lead, submission=submission, uploaded_file=upload("a.csv", CSV))
    with pytest.raises(ApplicationError, match="locked"):
        citation_add(actor=lead, submission=submission, dataset=DatasetFactory())


def test_citation_add_cites_a_published_dataset_once():
    submission, lead = started_entry(EventFactory())
    dataset = DatasetFactory(title="Claimant count")
    resource = ResourceFactory(dataset=dataset)

    citation = citation_add(
        actor=lead, submission=submission, dataset=dataset, resource=resource, how_used="Joined"
    )
    with pytest.raises(ApplicationError, match="already cites “Claimant count”"):
        citation_add(actor=lead, submission=submission, dataset=dataset)

    assert (citation.dataset, citation.resource, citation.how_used) == (dataset, resource, "Joined")


def test_citation_refuses_unpublished_datasets_and_other_datasets_files():
    submission, lead = started_entry(EventFactory())
    draft = DatasetFactory(is_published=False)
    elsewhere = ResourceFactory()

    with pytest.raises(ApplicationError, match="not in the catalogue"):
        citation_add(actor=lead, submission=submission, dataset=draft)
    with pytest.raises(ApplicationError, match="is not one of"):
        citation_add(
            actor=lead, submission=submission, dataset=DatasetFactory(), resource=elsewhere
        )

    assert not DatasetCitation.objects.exists()


def test_citation_changes_after_submit_are_versions():
    submission, lead = submitted_entry(EventFactory())
    dataset = DatasetFactory(title="Cycling counts")
    citation = citation_add(actor=lead, submission=submission, dataset=dataset)

    citation_update(actor=lead, citation=citation, how_used="Mapped it")
    citation_remove(actor=lead, citation=citation)

    changes = list(SubmissionVersion.objects.order_by("number").values_list("changes", flat=True))
    assert changes == [
        {"datasets": [None, "Cycling counts"]},
        {"citation of Cycling counts: how_used": ["", "Mapped it"]},
        {"datasets": ["Cycling counts", None]},
    ]


def test_a_cited_dataset_is_kept_by_the_catalogue():
    submission, lead = started_entry(EventFactory())
    dataset = DatasetFactory(title="Cycling counts")
    citation_add(actor=lead, submission=submission, dataset=dataset)

    with pytest.raises(ApplicationError, match="dataset citations") as error:
        dataset_delete(actor=None, dataset=dataset)

    assert error.value.code == "dataset_in_use"
    dataset.refresh_from_db()
