"""A team's submission in the browser, checked by a real Celery worker (issue 12).

A team member signs in, starts the team's entry from the event page, cites the event's
featured dataset, uploads a CSV of generated active-travel counts and a notebook that
reads the catalogue's file by name, submits, watches each file's checks go from queued
to done and reads each report: the CSV's small counts are a disclosure-control warning
naming the cell, the notebook's read of the cited dataset is found. Each page passes axe
at phone and desktop widths. Without JavaScript the same pages work: the forms post, and
the Refresh link shows where the checks stand.

The worker (tests/worker.py, the `celery_worker` fixture) is a prefork worker on Redis,
listening to both queues, on this test's database. Its engine waits HOLD_SECONDS before
checking, so the running state stays on screen long enough to check its page with axe.
"""

import csv
import hashlib
import json
import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from datasets.generator import GENERATED_DATASETS
from submissions.enums import SubmissionStatus, ValidationStatus
from submissions.models import Artifact, Submission, ValidationReport
from tests.e2e.conftest import VIEWPORTS, assert_accessible_at_every_width, login
from tests.factories import (
    DatasetFactory,
    DatasetFeatureFactory,
    EventFactory,
    ResourceFactory,
)
from tests.teams.helpers import team_with

pytestmark = [
    pytest.mark.browser,
    pytest.mark.worker,
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.xdist_group("worker"),
]

ACTIVE_TRAVEL = GENERATED_DATASETS["active-travel-counts"]
CSV_ROWS = 3000
CSV_NAME = "walking-and-cycling-widnes.csv"
NOTEBOOK_NAME = "active-travel-by-mode.ipynb"
DATASET_TITLE = "Active travel counts by counter site"
HOLD_SECONDS = "6"
# Starting a worker, then two validations of a few seconds each, on a loaded machine.
CHECKS_TIMEOUT_MS = 90_000
TITLE = "Walking and cycling in Widnes, by hour"
SUMMARY = "When people walk and cycle past Widnes's counters, and how the weather changes it."


def _notebook() -> bytes:
    """A small notebook (nbformat 4) that reads the catalogue's file by its name."""
    code = (
        "import pandas as pd\n"
        f'counts = pd.read_csv("{ACTIVE_TRAVEL.filename}")\n'
        'counts.groupby("mode")["count"].sum()'
    )
    cells = [
        {"cell_type": "markdown", "id": "intro", "metadata": {}, "source": "# Counts by mode"},
        {
            "cell_type": "code",
            "id": "read",
            "metadata": {},
            "execution_count": None,
            "outputs": [],
            "source": code,
        },
    ]
    document = {
        "cells": cells,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    return json.dumps(document, indent=1).encode()


def _small_counts(path: Path) -> tuple[int, int, int]:
    """In the CSV at `path`: (data row from 1, value) of the first count from 1 to 9, and
    how many such counts there are."""
    with path.open(newline="") as handle:
        small = [
            (number, int(row["count"]))
            for number, row in enumerate(csv.DictReader(handle), start=1)
            if row["count"] and 1 <= int(row["count"]) <= 9
        ]
    assert small, "the generated counts hold no small count"
    return *small[0], len(small)


def _world(tmp_path):
    """An event whose featured dataset is the active-travel counts (a file named as the
    generator names it), and a team of two; returns (event, member, the CSV's path)."""
    event = EventFactory(name="Active Travel Hack")
    dataset = DatasetFactory(slug="active-travel-counts", title=DATASET_TITLE)
    catalogue_copy = tmp_path / ACTIVE_TRAVEL.filename
    ACTIVE_TRAVEL.write(catalogue_copy, rows=200, seed=7)
    content = catalogue_copy.read_bytes()
    ResourceFactory(
        dataset=dataset,
        name="Counts, 2021",
        file__data=content,
        file__filename=ACTIVE_TRAVEL.filename,
        original_filename=ACTIVE_TRAVEL.filename,
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
    )
    DatasetFeatureFactory(event=event, dataset=dataset)
    team = team_with(event, members=1, name="Widnes Wayfinders")
    member = team.memberships.get(role="member").user
    upload = tmp_path / CSV_NAME
    assert ACTIVE_TRAVEL.write(upload, rows=CSV_ROWS, seed=0) == CSV_ROWS
    return event, member, upload


def _file(name: str, content: bytes, mime: str) -> dict:
    return {"name": name, "mimeType": mime, "buffer": content}


def check(page: Page, name: str) -> None:
    assert_accessible_at_every_width(page, f"submission-{name}")


def banner(page: Page):
    return page.locator(".govuk-notification-banner--success")


def progress_bar(page: Page, filename: str):
    # Chromium names it "Checked so far : <file>": the hidden part is positioned apart.
    return page.get_by_role(
        "progressbar", name=re.compile(rf"^Checked so far ?: {re.escape(filename)}$")
    )


def start_entry(page: Page, live_server, event, *, checked=lambda name: None) -> None:
    """From the event page, start the entry and cite the featured dataset."""
    heading = page.get_by_role("heading", level=1)
    page.goto(f"{live_server.url}{event.get_absolute_url()}")
    section = page.get_by_role("region", name="Your submission")
    expect(section).to_contain_text("Widnes Wayfinders has not started its submission yet.")
    section.get_by_role("link", name="Start your submission").click()
    expect(heading).to_have_text("Start your team's submission")
    checked("start-form")
    page.get_by_label("Title").fill(TITLE)
    page.get_by_label("Summary").fill(SUMMARY)
    page.get_by_role("button", name="Start the submission").click()
    expect(banner(page)).to_contain_text("Your submission is started.")
    expect(heading).to_have_text(TITLE)

    page.get_by_role("link", name="Add a dataset").click()
    expect(heading).to_have_text("Add a dataset you used")
    page.get_by_label(DATASET_TITLE).check()
    page.get_by_role("button", name="Continue").click()
    expect(heading).to_have_text(f"How you used “{DATASET_TITLE}”")
    page.get_by_label("Counts, 2021").check()
    page.get_by_label("How you used it").fill("Summed the counts by mode of travel.")
    page.get_by_role("button", name="Cite this dataset").click()
    expect(banner(page)).to_contain_text(f"“{DATASET_TITLE}” is cited.")


def upload(page: Page, name: str, content: bytes, mime: str, *, checked=lambda name: None):
    """From the entry page, upload a file; ends on the file's page."""
    page.get_by_role("link", name="Upload a file").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload a file")
    checked("upload-form")
    page.get_by_label("File", exact=True).set_input_files(_file(name, content, mime))
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)
    expect(banner(page)).to_contain_text(f"“{name}” is uploaded; its checks start in a moment.")


def watch_until_done(page: Page, filename: str) -> list[int]:
    """The values the file's progress bar showed, read as htmx updates it, until the
    checks are done (the bar gone, a final status shown)."""
    seen = []
    deadline = time.monotonic() + CHECKS_TIMEOUT_MS / 1000
    while time.monotonic() < deadline:
        value = page.evaluate(
            "() => { const bar = document.querySelector('progress'); "
            "return bar ? bar.value : null; }"
        )
        if value is None:
            return seen
        if not seen or seen[-1] != value:
            seen.append(int(value))
        page.wait_for_timeout(200)
    raise AssertionError(f"the checks of {filename} did not finish; progress seen: {seen}")


def read_csv_report(page: Page, small: tuple[int, int, int]) -> None:
    """The CSV's report: read whole, and its small counts a disclosure-control warning,
    summed up, then cell by cell from the first one."""
    first_row, first_value, how_many = small
    expect(page.get_by_role("heading", name="Report")).to_be_visible()
    expect(page.get_by_role("heading", name="Disclosure control Warning")).to_be_visible()
    disclosure = page.get_by_role("table", name="Findings of the check: Disclosure control")
    expect(disclosure.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        [
            "Warning",
            f"{how_many:,} cells of column count hold counts from 1 to 9.",
            f"row {first_row}, column count",
        ]
    )
    cells = disclosure.get_by_role("row").filter(has_text="A count of").first
    expect(cells.get_by_role("cell")).to_have_text(
        [
            "Warning",
            f"A count of {first_value} is under 10: suppress it (write “<10”), round it, "
            "or combine categories.",
            f"row {first_row}, column count",
        ]
    )
    structure = page.get_by_role("table", name="Findings of the check: Table structure")
    expect(structure).to_contain_text(f"{CSV_ROWS:,} rows and 8 columns read")


def read_notebook_report(page: Page) -> None:
    """The notebook's report: valid, its read of the catalogue's file found and matched
    to the cited dataset, in the cell that reads it."""
    inputs = page.get_by_role("table", name="Findings of the check: Data inputs")
    expect(inputs.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Passed", f"Reads the file {ACTIVE_TRAVEL.filename}.", "cell 2"]
    )
    linkage = page.get_by_role("table", name="Findings of the check: Datasets cited and used")
    expect(linkage.get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        [
            "Passed",
            f"Uses “{DATASET_TITLE}”, which the submission cites (reads the file "
            f"{ACTIVE_TRAVEL.filename}).",
            "cell 2",
        ]
    )


def assert_checked_once(submission: Submission) -> None:
    """Each file finished with one report: the CSV with warnings, the notebook passed."""
    artifacts = Artifact.objects.filter(submission=submission).order_by("created_at")
    assert [(a.original_filename, a.status, a.progress) for a in artifacts] == [
        (CSV_NAME, ValidationStatus.WARNINGS, 100),
        (NOTEBOOK_NAME, ValidationStatus.PASSED, 100),
    ]
    assert [
        report.outcome
        for report in ValidationReport.objects.filter(artifact__submission=submission).order_by(
            "artifact__created_at"
        )
    ] == ["warning", "pass"]


def test_team_submits_watches_the_checks_finish_and_reads_the_reports(
    new_page, live_server, celery_worker, tmp_path
):
    celery_worker(TEST_VALIDATION_HOLD_SECONDS=HOLD_SECONDS)
    event, member, csv_path = _world(tmp_path)
    small = _small_counts(csv_path)
    page = new_page("desktop")
    heading = page.get_by_role("heading", level=1)
    login(page, live_server, member)

    start_entry(page, live_server, event, checked=lambda name: check(page, name))
    check(page, "entry-started")

    # The CSV: its page shows the checks running, then the report, without a reload.
    upload(page, CSV_NAME, csv_path.read_bytes(), "text/csv", checked=lambda n: check(page, n))
    status = page.locator(".govuk-grid-row [id^=artifact-status-]")
    expect(progress_bar(page, CSV_NAME)).to_be_visible()
    expect(status.locator(".govuk-tag")).to_have_text(re.compile("Queued|Running"))
    check(page, "csv-running")
    expect(progress_bar(page, CSV_NAME)).to_be_visible()  # axe saw the running state
    page.evaluate("() => { window.sameDocument = true; }")  # gone if the page reloads
    seen = watch_until_done(page, CSV_NAME)
    assert seen and seen == sorted(seen), seen
    assert page.evaluate("() => window.sameDocument === true")
    expect(status.locator(".govuk-tag")).to_have_text("Passed with warnings")
    check(page, "csv-done")
    status.get_by_role("link", name="show the report").click()
    expect(heading).to_have_text(CSV_NAME)
    read_csv_report(page, small)
    check(page, "csv-report")

    # The notebook; the entry page follows its checks, submitted meanwhile.
    page.get_by_role("link", name=f"Your submission to {event.name}").click()
    upload(page, NOTEBOOK_NAME, _notebook(), "application/x-ipynb+json")
    expect(progress_bar(page, NOTEBOOK_NAME)).to_be_visible()
    page.get_by_role("link", name=f"Your submission to {event.name}").click()
    files = page.get_by_role("table", name="Your team's files and their checks")
    notebook_row = files.get_by_role("row", name=NOTEBOOK_NAME)
    expect(files.get_by_role("row", name=CSV_NAME)).to_contain_text("Passed with warnings")
    expect(progress_bar(page, NOTEBOOK_NAME)).to_be_visible()
    check(page, "entry-checking")
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(banner(page)).to_contain_text("Submitted. You can still change it until the deadline.")
    expect(notebook_row.get_by_role("cell", name="Passed", exact=True)).to_be_visible(
        timeout=CHECKS_TIMEOUT_MS
    )
    expect(progress_bar(page, NOTEBOOK_NAME)).to_have_count(0)
    check(page, "entry-submitted")

    notebook_row.get_by_role("link", name=NOTEBOOK_NAME, exact=True).click()
    expect(heading).to_have_text(NOTEBOOK_NAME)
    read_notebook_report(page)
    check(page, "notebook-report")

    submission = Submission.objects.get(team__name="Widnes Wayfinders")
    assert submission.status == SubmissionStatus.SUBMITTED
    assert_checked_once(submission)


def test_without_javascript_forms_work_and_refresh_shows_the_checks(
    new_page, live_server, celery_worker, tmp_path
):
    celery_worker(TEST_VALIDATION_HOLD_SECONDS=HOLD_SECONDS)
    event, member, csv_path = _world(tmp_path)
    small = _small_counts(csv_path)
    page = new_page("phone", javascript=False)
    page.set_viewport_size(VIEWPORTS["desktop"])  # `login` looks for Sign out in the header
    login(page, live_server, member)
    page.set_viewport_size(VIEWPORTS["phone"])

    start_entry(page, live_server, event)
    upload(page, CSV_NAME, csv_path.read_bytes(), "text/csv")
    status = page.locator(".govuk-grid-row [id^=artifact-status-]")
    expect(progress_bar(page, CSV_NAME)).to_be_visible()
    expect(status).to_contain_text("This page updates itself while the checks run. Refresh")
    check(page, "plain-csv-running")
    deadline = time.monotonic() + CHECKS_TIMEOUT_MS / 1000
    while progress_bar(page, CSV_NAME).count() and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        status.get_by_role("link", name="Refresh").click()
    expect(status.locator(".govuk-tag")).to_have_text("Passed with warnings")
    read_csv_report(page, small)
    check(page, "plain-csv-report")

    page.get_by_role("link", name=f"Your submission to {event.name}").click()
    upload(page, NOTEBOOK_NAME, _notebook(), "application/x-ipynb+json")
    page.get_by_role("link", name=f"Your submission to {event.name}").click()
    page.get_by_role("button", name="Submit", exact=True).click()
    expect(banner(page)).to_contain_text("Submitted. You can still change it until the deadline.")
    files = page.get_by_role("table", name="Your team's files and their checks")
    deadline = time.monotonic() + CHECKS_TIMEOUT_MS / 1000
    while progress_bar(page, NOTEBOOK_NAME).count() and time.monotonic() < deadline:
        page.wait_for_timeout(1000)
        page.get_by_role("link", name="Refresh").click()
    notebook_row = files.get_by_role("row", name=NOTEBOOK_NAME)
    expect(notebook_row.get_by_role("cell", name="Passed", exact=True)).to_be_visible()
    check(page, "plain-entry-submitted")
    notebook_row.get_by_role("link", name=NOTEBOOK_NAME, exact=True).click()
    read_notebook_report(page)

    assert_checked_once(Submission.objects.get(team__name="Widnes Wayfinders"))
