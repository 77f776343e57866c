"""The profiling service and its task: claiming, storing, idempotency, errors, the sweep."""

import datetime as dt
import hashlib

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from common.models import AuditEntry
from datasets.enums import ProfileStatus
from datasets.generator import GENERATED_DATASETS
from datasets.models import Resource, ResourceProfile
from datasets.services import resources
from datasets.services.profiling import (
    INTERRUPTED,
    _claim,
    _profile,
    profile_request,
    profiles_requeue_stuck,
    resource_profile,
)
from datasets.tasks import profile_resource
from tests.factories import DEMO_CSV, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _queued(**kwargs):
    resource = ResourceFactory(**kwargs)
    Resource.objects.filter(pk=resource.pk).update(
        profile_status=ProfileStatus.QUEUED, profile_queued_at=timezone.now()
    )
    resource.refresh_from_db()
    return resource


def _with_content(content: bytes, **kwargs):
    return _queued(
        file=ContentFile(content, name="upload"),
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        **kwargs,
    )


def _last_profiled_entry():
    return AuditEntry.objects.filter(action="resource.profiled").order_by("pk").last()


def test_queued_resource_is_profiled_and_stored():
    resource = _queued()

    status = resource_profile(resource_id=resource.pk)

    resource.refresh_from_db()
    assert status == ProfileStatus.DONE
    assert (resource.profile_status, resource.profile_progress, resource.profile_error) == (
        ProfileStatus.DONE, 100, "",
    )  # fmt: skip
    profile = ResourceProfile.objects.get(resource=resource)
    assert profile.sha256 == hashlib.sha256(DEMO_CSV).hexdigest()
    assert (profile.rows, profile.columns, profile.delimiter, profile.encoding) == (
        1, 4, ",", "utf-8",
    )  # fmt: skip
    assert profile.preview_header == ["area_code", "area_name", "month", "claimants"]
    assert profile.preview == [["E06000006", "Halton", "2026-01", "3120"]]
    claimants = next(field for field in profile.fields if field["name"] == "claimants")
    assert (claimants["type"], claimants["min"], claimants["max"]) == ("integer", 3120, 3120)
    entry = AuditEntry.objects.get(action="resource.profiled")
    assert entry.target_id == str(resource.pk)
    assert entry.data["reused"] is False


def test_task_runs_the_service_with_a_keyword_id():
    resource = _queued()

    assert profile_resource.delay(resource_id=str(resource.pk)).get() == ProfileStatus.DONE
    assert ResourceProfile.objects.filter(resource=resource).count() == 1


def test_duplicate_delivery_does_nothing():
    resource = _queued()
    resource_profile(resource_id=resource.pk)
    profiled_at = ResourceProfile.objects.get(resource=resource).profiled_at

    assert resource_profile(resource_id=resource.pk) == ""
    assert ResourceProfile.objects.get(resource=resource).profiled_at == profiled_at
    assert AuditEntry.objects.filter(action="resource.profiled").count() == 1


def test_unknown_or_unqueued_resource_is_left_alone():
    resource = ResourceFactory()  # profile_status NONE

    assert resource_profile(resource_id=resource.pk) == ""
    assert resource_profile(resource_id="00000000-0000-0000-0000-000000000000") == ""
    resource.refresh_from_db()
    assert resource.profile_status == ProfileStatus.NONE


def test_same_content_queued_again_keeps_its_profile():
    resource = _queued()
    resource_profile(resource_id=resource.pk)
    first = ResourceProfile.objects.get(resource=resource)
    Resource.objects.filter(pk=resource.pk).update(profile_status=ProfileStatus.QUEUED)

    assert resource_profile(resource_id=resource.pk) == ProfileStatus.DONE

    again = ResourceProfile.objects.get(resource=resource)
    assert (again.pk, again.profiled_at) == (first.pk, first.profiled_at)
    assert _last_profiled_entry().data["reused"] is True


def test_same_content_in_another_resource_is_copied_not_profiled_again():
    first = _queued()
    resource_profile(resource_id=first.pk)
    second = _queued()

    resource_profile(resource_id=second.pk)

    original = ResourceProfile.objects.get(resource=first)
    copy = ResourceProfile.objects.get(resource=second)
    assert copy.pk != original.pk
    assert (copy.sha256, copy.rows, copy.fields, copy.preview) == (
        original.sha256, original.rows, original.fields, original.preview,
    )  # fmt: skip
    assert _last_profiled_entry().data["reused"] is True


def test_replaced_content_is_profiled_again():
    resource = _queued()
    resource_profile(resource_id=resource.pk)
    new = b"site,count\nW-01,5\nW-02,7\n"
    resource.file.save("upload", ContentFile(new), save=False)
    Resource.objects.filter(pk=resource.pk).update(
        file=resource.file.name,
        sha256=hashlib.sha256(new).hexdigest(),
        profile_status=ProfileStatus.QUEUED,
    )

    resource_profile(resource_id=resource.pk)

    profile = ResourceProfile.objects.get(resource=resource)
    assert (profile.rows, profile.preview_header) == (2, ["site", "count"])
    assert profile.sha256 == hashlib.sha256(new).hexdigest()


@pytest.mark.parametrize(
    ("content", "error"),
    [
        (b"", "The file is empty."),
        (b"\x00\x01\x02binary" * 100, "binary data"),
        ("a,b\n" + "é" * 10, None),  # decodes fine: a control
    ],
)
def test_bad_file_ends_failed_with_a_readable_error(content, error):
    data = content.encode() if isinstance(content, str) else content
    resource = _with_content(data)

    status = resource_profile(resource_id=resource.pk)

    resource.refresh_from_db()
    if error is None:
        assert status == ProfileStatus.DONE
        return
    assert status == ProfileStatus.FAILED
    assert resource.profile_status == ProfileStatus.FAILED
    assert error in resource.profile_error
    assert not ResourceProfile.objects.filter(resource=resource).exists()
    assert AuditEntry.objects.get(action="resource.profile_failed").data == {
        "error": resource.profile_error
    }


def test_failure_after_replacement_removes_the_old_profile():
    resource = _queued()
    resource_profile(resource_id=resource.pk)
    resource.file.save("upload", ContentFile(b""), save=False)
    Resource.objects.filter(pk=resource.pk).update(
        file=resource.file.name,
        sha256=hashlib.sha256(b"").hexdigest(),
        profile_status=ProfileStatus.QUEUED,
    )

    assert resource_profile(resource_id=resource.pk) == ProfileStatus.FAILED
    assert not ResourceProfile.objects.filter(resource=resource).exists()


def test_missing_file_ends_failed():
    resource = _queued()
    resource.file.storage.delete(resource.file.name)

    assert resource_profile(resource_id=resource.pk) == ProfileStatus.FAILED
    resource.refresh_from_db()
    assert resource.profile_error == "The file is missing from storage."


def test_xlsx_caps_come_from_settings(settings, tmp_path):
    import openpyxl

    workbook = openpyxl.Workbook()
    for number in range(50):
        workbook.active.append([number, number])
    path = tmp_path / "book.xlsx"
    workbook.save(path)
    settings.DATASETS_XLSX_MAX_CELLS = 10
    resource = _with_content(path.read_bytes(), format="XLSX")

    assert resource_profile(resource_id=resource.pk) == ProfileStatus.FAILED
    resource.refresh_from_db()
    assert "more than the 10 cells" in resource.profile_error


def test_progress_is_saved_in_steps(tmp_path):
    path = tmp_path / "travel.csv"
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=300_000, seed=1)
    resource = _with_content(path.read_bytes())

    with CaptureQueriesContext(connection) as queries:
        resource_profile(resource_id=resource.pk)

    progress_updates = [
        query["sql"]
        for query in queries.captured_queries
        if query["sql"].startswith("UPDATE") and '"profile_progress" = ' in query["sql"]
    ]
    # The claim, at least one step, the final 100 %: never more than one per 5 %.
    assert 3 <= len(progress_updates) <= 2 + 100 // 5
    resource.refresh_from_db()
    assert (resource.profile_status, resource.profile_progress) == (ProfileStatus.DONE, 100)


def test_sweep_republishes_resources_whose_task_was_lost(django_capture_on_commit_callbacks):
    resource = _queued()
    long_ago = timezone.now() - dt.timedelta(hours=1)
    Resource.objects.filter(pk=resource.pk).update(profile_queued_at=long_ago)
    recent = _queued()

    with django_capture_on_commit_callbacks(execute=True):
        assert profiles_requeue_stuck() == 1

    resource.refresh_from_db()
    recent.refresh_from_db()
    assert resource.profile_status == ProfileStatus.DONE  # the eager task ran after commit
    assert recent.profile_status == ProfileStatus.QUEUED


def test_sweep_fails_resources_whose_worker_died():
    resource = _queued()
    Resource.objects.filter(pk=resource.pk).update(
        profile_status=ProfileStatus.RUNNING,
        profile_started_at=timezone.now() - dt.timedelta(hours=2),
    )
    running = _queued()
    Resource.objects.filter(pk=running.pk).update(
        profile_status=ProfileStatus.RUNNING, profile_started_at=timezone.now()
    )

    assert profiles_requeue_stuck() == 0

    resource.refresh_from_db()
    running.refresh_from_db()
    assert (resource.profile_status, resource.profile_error) == (ProfileStatus.FAILED, INTERRUPTED)
    assert running.profile_status == ProfileStatus.RUNNING


def test_profile_request_then_commit_profiles(django_capture_on_commit_callbacks):
    resource = ResourceFactory()

    with django_capture_on_commit_callbacks(execute=True):
        profile_request(resource=resource)

    resource.refresh_from_db()
    assert resource.profile_status == ProfileStatus.DONE
    assert ResourceProfile.objects.get(resource=resource).rows == 1


def test_sweep_spares_a_run_claimed_late_after_a_long_wait_in_the_queue():
    resource = _queued()
    Resource.objects.filter(pk=resource.pk).update(
        profile_queued_at=timezone.now() - dt.timedelta(minutes=12)
    )
    _claim(resource.pk)  # a worker takes it only now, after a backed-up queue

    profiles_requeue_stuck(now=timezone.now() + dt.timedelta(minutes=4))

    resource.refresh_from_db()
    assert resource.profile_status == ProfileStatus.RUNNING


def test_a_run_overtaken_by_a_replacement_writes_nothing():
    """Run A claims file A; the file is replaced by B, and run B claims it; A finishes
    first. Without the claim being tied to its file, A's profile and SHA-256 would be
    stored on B's content and B's result thrown away."""
    editor = UserFactory()
    old = b"area,claimants\nHalton,1\n"
    new = b"site,count\nWidnes,7\n"
    resource = _with_content(old, format="CSV")
    run_a = _claim(resource.pk)
    resources.resource_replace_file(
        actor=editor, resource=resource, uploaded_file=SimpleUploadedFile("b.csv", new)
    )
    run_b = _claim(resource.pk)

    assert _profile(run_a) == ""  # overtaken: nothing stored, nothing moved
    assert _profile(run_b) == ProfileStatus.DONE

    resource.refresh_from_db()
    profile = ResourceProfile.objects.get(resource=resource)
    assert resource.sha256 == profile.sha256 == hashlib.sha256(new).hexdigest()
    assert profile.preview_header == ["site", "count"]


def test_replacing_a_profiled_file_drops_the_old_profile_at_once():
    editor = UserFactory()
    resource = _queued()
    resource_profile(resource_id=resource.pk)
    resource.refresh_from_db()

    resources.resource_replace_file(
        actor=editor,
        resource=resource,
        uploaded_file=SimpleUploadedFile("report.pdf", b"%PDF-1.7\n%%EOF\n"),
    )

    # The old file's rows are its data: they must not stand for the new file.
    assert not ResourceProfile.objects.filter(resource=resource).exists()
    resource.refresh_from_db()
    assert resource.profile_status == ProfileStatus.NONE
