"""The team's files: uploading and removing outputs and slides, each output's page with
where its checks stand (an htmx fragment while they run) and their report, running the
checks again, and downloads. Files and reports are read by everyone who may read the
entry (the team, the event's organisers and judges); only the team changes them."""

import logging

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET, require_POST

from common.exceptions import ApplicationError
from common.files import attachment_response
from common.views import apply_form, confirm_page, is_confirmed, upload_form
from submissions.enums import EDITABLE, FINISHED, ValidationActor, ValidationStatus
from submissions.forms import ArtifactForm, SlidesForm
from submissions.models import Artifact, ValidationFinding
from submissions.services import artifacts as artifact_services
from submissions.services.validation import validation_rerun
from submissions.validation.findings import CHECK_LABELS, OUTCOMES, Location, worst
from submissions.views.team_access import (
    LOCKED,
    artifact_url,
    entry_url,
    form_page,
    open_entry,
    readable_artifact,
    readable_submission,
)

logger = logging.getLogger(__name__)

# While checks run, the status fragment asks again this often (htmx).
STATUS_POLL_SECONDS = 2
STATUS_TAG_COLOURS = {
    ValidationStatus.QUEUED: "grey",
    ValidationStatus.RUNNING: "blue",
    ValidationStatus.PASSED: "green",
    ValidationStatus.WARNINGS: "yellow",
    ValidationStatus.FAILED: "red",
}
OUTCOME_TAG_COLOURS = {"pass": "green", "warning": "yellow", "fail": "red"}
DOWNLOAD_TYPE = "application/octet-stream"


def with_status(artifact: Artifact) -> Artifact:
    """`artifact` with what its status display needs: whether checks are under way
    (queued or running) and its tag's colour."""
    artifact.checking = artifact.status not in FINISHED
    artifact.status_colour = STATUS_TAG_COLOURS.get(artifact.status, "grey")
    return artifact


def artifact_rows(submission) -> list[Artifact]:
    """The entry's files for its page, each with its status display (one query)."""
    artifacts = Artifact.objects.filter(submission=submission).order_by("created_at", "pk")
    rows = []
    for artifact in artifacts:
        artifact.submission = submission
        rows.append(with_status(artifact))
    return rows


@login_required
def artifact_add(request, slug):
    entry, locked = open_entry(request, slug)
    if locked:
        return locked
    form = upload_form(ArtifactForm, request)
    added = []
    if request.method == "POST" and apply_form(
        form,
        lambda: added.append(
            artifact_services.artifact_add(
                actor=request.user,
                submission=entry.submission,
                uploaded_file=form.cleaned_data["file"],
                description=form.cleaned_data["description"],
                table_schema=form.cleaned_data["table_schema"],
            )
        ),
    ):
        messages.success(request, f"“{added[0]}” is uploaded; its checks start in a moment.")
        return redirect(artifact_url(added[0]))
    return form_page(
        request,
        form,
        event=entry.event,
        back=entry_url(entry.event),
        multipart=True,
        title="Upload a file",
        button="Upload",
        lines=(
            "Your results, tables, notebooks and figures. Each file is checked in the "
            "background: its format, its structure, and that it discloses nobody.",
        ),
    )


@login_required
def artifact_detail(request, slug, pk):
    """A file's page: its facts, where its checks stand and, once done, their report."""
    artifact = with_status(readable_artifact(request, slug, pk))
    report = getattr(artifact, "report", None) if not artifact.checking else None
    submission = artifact.submission
    context = {
        "event": submission.event,
        "submission": submission,
        "artifact": artifact,
        "report": report,
        "groups": _finding_groups(report) if report else [],
        "omitted": _omitted(report),
        "is_team": rules.has_perm("submissions.change_submission", request.user, artifact),
        "editable": submission.status in EDITABLE,
        "poll_seconds": STATUS_POLL_SECONDS,
    }
    return render(request, "submissions/team/artifact.html", context)


def _finding_groups(report) -> list[dict]:
    """The report's findings by check, in the order checks are listed (CHECK_LABELS),
    each group with its worst outcome; every finding with its place in words."""
    by_check: dict[str, list] = {}
    findings = ValidationFinding.objects.filter(report=report).order_by("order")
    for finding in findings:
        finding.where = Location(
            file=finding.file,
            sheet=finding.sheet,
            row=finding.row,
            column=finding.column,
            cell=finding.cell,
            notebook_cell=finding.notebook_cell,
        ).describe()
        finding.colour = OUTCOME_TAG_COLOURS.get(finding.outcome, "grey")
        by_check.setdefault(finding.check_kind, []).append(finding)
    groups = []
    for check, label in CHECK_LABELS.items():
        if check in by_check:
            outcome = worst(finding.outcome for finding in by_check[check])
            groups.append(
                {
                    "check": check,
                    "label": label,
                    "outcome": outcome,
                    "outcome_label": OUTCOMES[outcome],
                    "colour": OUTCOME_TAG_COLOURS[outcome],
                    "findings": by_check[check],
                }
            )
    return groups


def _omitted(report) -> list[tuple[str, int]]:
    """(check, how many findings were left out) from the report's facts."""
    if report is None or not isinstance(report.facts, dict):
        return []
    omitted = report.facts.get("omitted")
    if not isinstance(omitted, dict):
        return []
    return [
        (CHECK_LABELS[check], count)
        for check, count in omitted.items()
        if check in CHECK_LABELS and isinstance(count, int) and count > 0
    ]


@login_required
@require_GET
def artifact_status(request, slug, pk):
    """Where a file's checks stand, alone: its page and its row swap it in (htmx)."""
    artifact = with_status(readable_artifact(request, slug, pk))
    context = {
        "artifact": artifact,
        "in_row": request.GET.get("in") == "row",
        "poll_seconds": STATUS_POLL_SECONDS,
    }
    return render(request, "submissions/team/_artifact_status.html", context)


@login_required
@require_GET
def artifact_download(request, slug, pk):
    artifact = readable_artifact(request, slug, pk)
    return stored_file_download(artifact.file, artifact.original_filename)


def stored_file_download(field_file, filename):
    """A team's stored file as an attachment (404 when storage has lost it); the API's
    downloads use it too."""
    try:
        fileobj = field_file.open("rb")
    except (OSError, ValueError):  # gone from storage (ValueError: no file at all)
        logger.warning("Submission file %s is missing from storage.", field_file.name)
        raise Http404("The file is missing.") from None
    response = attachment_response(fileobj, filename=filename, content_type=DOWNLOAD_TYPE)
    patch_cache_control(response, private=True)  # a team's work: no shared cache keeps it
    return response


@login_required
def artifact_remove(request, slug, pk):
    artifact = readable_artifact(request, slug, pk, permission="submissions.change_submission")
    back = artifact_url(artifact)
    if artifact.submission.status not in EDITABLE:  # said before asking, not after
        messages.error(request, LOCKED)
        return redirect(back)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title=f"Remove “{artifact}”?",
            lines=("The file and the report of its checks are deleted.",),
            button="Yes, remove it",
            back=back,
        )
    try:
        artifact_services.artifact_remove(actor=request.user, artifact=artifact)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, f"“{artifact}” is removed.")
    return redirect(entry_url(artifact.submission.event))


@login_required
@require_POST
def artifact_check_again(request, slug, pk):
    """Run a file's checks again (after they finished: a run under way is left to end)."""
    artifact = readable_artifact(request, slug, pk, permission="submissions.change_submission")
    try:
        validation_rerun(artifact=artifact, by=ValidationActor.MEMBER, actor=request.user)
    except ApplicationError as error:
        messages.info(request, error.message)
    else:
        messages.success(request, "The checks will run again in a moment.")
    return redirect(artifact_url(artifact))


@login_required
def slides_upload(request, slug):
    entry, locked = open_entry(request, slug)
    if locked:
        return locked
    form = upload_form(SlidesForm, request)
    if request.method == "POST" and apply_form(
        form,
        lambda: artifact_services.slides_set(
            actor=request.user, submission=entry.submission, uploaded_file=form.cleaned_data["file"]
        ),
    ):
        messages.success(request, "Your slides are uploaded.")
        return redirect(entry_url(entry.event))
    return form_page(
        request,
        form,
        event=entry.event,
        back=entry_url(entry.event),
        multipart=True,
        title="Upload your slides",
        button="Upload",
        lines=("The slides you present to the judges, as one PDF.",),
    )


@login_required
def slides_remove(request, slug):
    entry, locked = open_entry(request, slug)
    if locked:
        return locked
    back = entry_url(entry.event)
    if not entry.submission.slides:
        return redirect(back)
    if not is_confirmed(request):
        return confirm_page(
            request,
            title="Remove your slides?",
            lines=(f"“{entry.submission.slides_filename}” is deleted.",),
            button="Yes, remove them",
            back=back,
        )
    try:
        artifact_services.slides_set(
            actor=request.user, submission=entry.submission, uploaded_file=None
        )
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Your slides are removed.")
    return redirect(back)


@login_required
@require_GET
def slides_download(request, slug, pk):
    submission = readable_submission(request, slug, pk)
    if not submission.slides:
        raise Http404("This submission has no slides.")
    return stored_file_download(submission.slides, submission.slides_filename)


ENTRY = "events/<slug:slug>/submission/"
FILE = f"{ENTRY}files/<int:pk>/"

urlpatterns = [
    path(f"{ENTRY}files/add/", artifact_add, name="submission_artifact_add"),
    path(FILE, artifact_detail, name="submission_artifact"),
    path(f"{FILE}status/", artifact_status, name="submission_artifact_status"),
    path(f"{FILE}download/", artifact_download, name="submission_artifact_download"),
    path(f"{FILE}remove/", artifact_remove, name="submission_artifact_remove"),
    path(f"{FILE}check/", artifact_check_again, name="submission_artifact_check"),
    path(f"{ENTRY}slides/", slides_upload, name="submission_slides"),
    path(f"{ENTRY}slides/remove/", slides_remove, name="submission_slides_remove"),
    path(f"{ENTRY}<int:pk>/slides/", slides_download, name="submission_slides_download"),
]
