"""Catalogue linkage (the datasets a file used, against those cited) and the submission's
validation summary."""

import hashlib
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from submissions.enums import ValidationStatus
from submissions.models import Artifact, ValidationReport
from submissions.selectors.validation import (
    ValidationSummary,
    validation_summaries,
    validation_summary,
)
from submissions.services import validation
from submissions.services.artifacts import artifact_add
from submissions.services.citations import citation_add
from submissions.services.linkage import catalogue_linkage
from submissions.validation.findings import FileReport
from tests.factories import DatasetFactory, EventFactory, ResourceFactory
from tests.submissions.helpers import started_entry, upload

pytestmark = pytest.mark.django_db

V = ValidationStatus
CSV = b"area,walkers\nHalton,120\n"


def _entry():
    submission, lead = started_entry(EventFactory())
    return submission, lead


def _artifact(submission, lead, name="walking.csv", content=CSV):
    return artifact_add(actor=lead, submission=submission, uploaded_file=upload(name, content))


def _notebook(*sources) -> bytes:
    cells = [
        {"cell_type": "code", "id": f"c{n}", "metadata": {}, "execution_count": None,
         "outputs": [], "source": source}
        for n, source in enumerate(sources)
    ]  # fmt: skip
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def _linkage(report):
    return [(f.outcome, f.message, f.location.notebook_cell) for f in report.findings]


def test_a_url_read_and_not_cited_is_a_warning_naming_the_dataset_and_the_cell():
    submission, lead = _entry()
    artifact = _artifact(submission, lead)
    link = ResourceFactory(
        url="https://data.example.org/claimants.csv", file="", dataset__title="Claimant count"
    )
    report = FileReport(
        facts={"inputs": [{"kind": "url", "value": link.url, "cell": 3}], "sha256": "0" * 64}
    )

    catalogue_linkage(artifact=artifact, report=report)

    assert _linkage(report) == [
        (
            "warning",
            "Uses the catalogue dataset “Claimant count” (reads "
            "https://data.example.org/claimants.csv), which the submission does not cite: "
            "add it to the datasets used.",
            3,
        )
    ]
    assert report.facts["datasets"] == [str(link.dataset_id)]


def test_a_cited_dataset_found_by_file_name_page_address_and_copy_passes():
    submission, lead = _entry()
    resource = ResourceFactory(original_filename="claimants.csv", dataset__title="Claimants")
    citation_add(actor=lead, submission=submission, dataset=resource.dataset)
    copy = _artifact(submission, lead, "claimants.csv", b"area,claimants\nHalton,12\n")
    resource.sha256 = copy.sha256
    resource.save()
    page = f"https://civichack.example/datasets/{resource.dataset.slug}/resources/{resource.pk}/"
    report = FileReport(
        facts={
            "inputs": [
                {"kind": "file", "value": "data/claimants.csv", "cell": 2},
                {"kind": "url", "value": page, "cell": 4},
            ]
        }
    )

    catalogue_linkage(artifact=copy, report=report)

    assert _linkage(report) == [
        (
            "pass",
            f"Uses “Claimants”, which the submission cites (reads {page}; reads the file "
            f"claimants.csv; is a copy of its file “{resource.name}”).",
            4,
        )
    ]


def test_a_bundle_member_copying_a_resource_is_found_and_unpublished_datasets_are_not():
    submission, lead = _entry()
    artifact = _artifact(submission, lead)
    member = b"a copy"
    digest = hashlib.sha256(member).hexdigest()
    ResourceFactory(sha256=digest, dataset__title="Open data", name="the file")
    ResourceFactory(sha256=digest, dataset__is_published=False, dataset__title="Draft")
    report = FileReport(facts={"members": [{"path": "data/copy.csv", "sha256": digest}]})

    catalogue_linkage(artifact=artifact, report=report)

    [finding] = report.findings
    assert finding.message == (
        "Uses the catalogue dataset “Open data” (data/copy.csv is a copy of its file “the "
        "file”), which the submission does not cite: add it to the datasets used."
    )
    assert finding.location.file == "data/copy.csv"


def test_nothing_found_adds_nothing():
    submission, lead = _entry()
    artifact = _artifact(submission, lead)
    ResourceFactory(original_filename="", sha256="")
    report = FileReport(facts={"inputs": [{"kind": "file", "value": "", "cell": 1}]})

    catalogue_linkage(artifact=artifact, report=report)

    assert (report.findings, "datasets" in report.facts) == ([], False)


def test_a_notebook_reading_an_uncited_dataset_ends_with_warnings(settings):
    submission, lead = _entry()
    resource = ResourceFactory(url="https://data.example.org/jobs.csv", file="")
    notebook = _notebook(
        "import pandas as pd\njobs = pd.read_csv('https://data.example.org/jobs.csv')"
    )
    artifact = _artifact(submission, lead, "analysis.ipynb", notebook)

    assert validation.artifact_validate(artifact_id=artifact.pk) == V.WARNINGS

    report = ValidationReport.objects.get(artifact=artifact)
    linkage = report.findings.get(check_kind="linkage")
    assert (linkage.outcome, linkage.notebook_cell) == ("warning", 1)
    assert report.facts["datasets"] == [str(resource.dataset_id)]
    summary = validation_summary(submission)
    assert (summary.overall, summary.counts, summary.cited_unused) == (
        "warnings",
        {"warnings": 1},
        [],
    )


def _finish(artifact, status, datasets=()):
    Artifact.objects.filter(pk=artifact.pk).update(status=status)
    ValidationReport.objects.create(
        artifact=artifact, attempt=1, outcome="pass", facts={"datasets": [str(d) for d in datasets]}
    )


def test_summary_of_no_files_is_none():
    submission, _ = _entry()

    assert validation_summary(submission).overall == "none"


@pytest.mark.parametrize(("other", "overall"), [(V.PASSED, "checking"), (V.FAILED, "failed")])
def test_summary_while_a_file_is_checked_names_no_unused_citation(other, overall):
    """Checking, unless a file failed already: that much is known before the rest."""
    submission, lead = _entry()
    citation_add(actor=lead, submission=submission, dataset=DatasetFactory())
    _finish(_artifact(submission, lead), other)
    _artifact(submission, lead)

    summary = validation_summary(submission)

    assert (summary.overall, summary.counts, summary.total) == (
        overall, {"queued": 1, str(other): 1}, 2,
    )  # fmt: skip
    assert summary.cited_unused == []


@pytest.mark.parametrize("files", [1, 6])
def test_summary_is_the_worst_status_and_the_cited_datasets_no_file_used_in_two_queries(files):
    submission, lead = _entry()
    used, unused = DatasetFactory(), DatasetFactory()
    for dataset in (used, unused):
        citation_add(actor=lead, submission=submission, dataset=dataset)
    _finish(_artifact(submission, lead), V.FAILED, datasets=[used.pk])
    for _ in range(files - 1):
        _finish(_artifact(submission, lead), V.WARNINGS)

    with CaptureQueriesContext(connection) as queries:
        summary = validation_summary(submission)

    assert len(queries) == 2
    assert summary.overall == "failed"
    assert summary.counts == {"failed": 1} | ({"warnings": files - 1} if files > 1 else {})
    assert summary.cited_unused == [unused]


@pytest.mark.parametrize("entries", [1, 4])
def test_summaries_of_many_entries_take_two_queries(entries):
    submissions = []
    for _ in range(entries):
        submission, lead = _entry()
        citation_add(actor=lead, submission=submission, dataset=DatasetFactory())
        _finish(_artifact(submission, lead), V.PASSED)
        submissions.append(submission)
    empty, _ = _entry()

    with CaptureQueriesContext(connection) as queries:
        summaries = validation_summaries([*submissions, empty])

    assert len(queries) == 2
    assert [summaries[s.pk].overall for s in submissions] == ["passed"] * entries
    assert [len(summaries[s.pk].cited_unused) for s in submissions] == [1] * entries
    assert summaries[empty.pk] == ValidationSummary(overall="none")
