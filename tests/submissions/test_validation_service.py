"""The validation pipeline's services: the claim and its fencing counter, duplicates and
redeliveries, the tries cap, the reaper, the child process's limits, re-runs and
progress. The engine runs for real, in its own process (tests/submissions/
test_engine_process.py follows that process itself); tasks run eagerly."""

import copy
import json
from datetime import timedelta

import pytest
from django.utils import timezone

from common.exceptions import ApplicationError
from common.models import AuditEntry
from submissions.enums import (
    FINISHED,
    VALIDATION_TRANSITIONS,
    ValidationActor,
    ValidationStatus,
)
from submissions.models import Artifact, ValidationFinding, ValidationReport
from submissions.services import engine, validation
from submissions.services.artifacts import artifact_add
from submissions.services.reports import report_store
from submissions.validation.findings import FileReport, Finding, Location
from tests.factories import EventFactory
from tests.submissions.helpers import started_entry, upload

pytestmark = pytest.mark.django_db

V, By = ValidationStatus, ValidationActor
CSV = b"area,walkers\nHalton,120\nWidnes,340\n"


@pytest.fixture
def workdir(settings, tmp_path):
    """Each validation's temporary directory is made here, so a test sees it go."""
    settings.SUBMISSIONS_VALIDATION_WORKDIR = str(tmp_path / "validations")
    (tmp_path / "validations").mkdir()
    return tmp_path / "validations"


def _artifact(name="walking.csv", content=CSV, submission=None):
    if submission is None:
        submission, _ = started_entry(EventFactory())
    lead = submission.team.memberships.get(role="lead").user
    # Inside the test's transaction the commit never comes: the task is not published.
    return artifact_add(actor=lead, submission=submission, uploaded_file=upload(name, content))


def _report_count(artifact):
    return ValidationReport.objects.filter(artifact=artifact).count()


def test_upload_publishes_after_commit_and_the_task_stores_one_report(
    django_capture_on_commit_callbacks, workdir
):
    submission, lead = started_entry(EventFactory())

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        artifact = artifact_add(
            actor=lead, submission=submission, uploaded_file=upload("walking.csv", CSV)
        )

    assert len(callbacks) == 1
    artifact.refresh_from_db()
    assert (artifact.status, artifact.attempt, artifact.tries, artifact.progress) == (
        V.PASSED, 1, 1, 100,
    )  # fmt: skip
    report = artifact.report
    assert (report.attempt, report.outcome, report.withholds_publication) == (1, "pass", False)
    assert report.facts["rows"] == 2
    assert report.facts["sha256"] == artifact.sha256
    kinds = list(report.findings.values_list("check_kind", flat=True))
    assert kinds[0] == "integrity"
    assert {"structure", "disclosure", "personal_data"} <= set(kinds)
    assert artifact.started_at <= artifact.finished_at
    assert list(workdir.iterdir()) == []


def test_a_duplicate_delivery_does_nothing(workdir):
    artifact = _artifact()

    first = validation.artifact_validate(artifact_id=artifact.pk)
    second = validation.artifact_validate(artifact_id=artifact.pk)

    artifact.refresh_from_db()
    assert (first, second) == (V.PASSED, "")
    assert (artifact.attempt, artifact.tries, _report_count(artifact)) == (1, 1, 1)


def test_a_task_for_an_artifact_gone_does_nothing():
    assert validation.artifact_validate(artifact_id=987654) == ""


@pytest.mark.parametrize("stale", [True, False])
def test_a_late_write_of_a_claim_fenced_off_stores_nothing(stale):
    """Claim A runs; the reaper gives up on it and claim B starts. A's report arrives
    late: refused, since B's attempt is current. The control gives A's write B's attempt
    and sees it accepted, so the refusal is the fencing counter's doing."""
    artifact = _artifact()
    claim_a = validation._claim(artifact.pk, takeover=False)
    later = timezone.now() + timedelta(hours=1)
    assert validation.validations_requeue_stuck(now=later) == 1
    claim_b = validation._claim(artifact.pk, takeover=False)
    assert (claim_a.attempt, claim_b.attempt) == (1, 2)
    late = copy.copy(claim_a)
    if not stale:
        late.attempt = claim_b.attempt
    report = FileReport(findings=[Finding("integrity", "pass", "Late.")])

    stored = report_store(artifact=late, report=report)

    if stale:
        assert stored == ""
        assert _report_count(artifact) == 0
        assert Artifact.objects.get(pk=artifact.pk).status == V.RUNNING
    else:
        assert stored == V.PASSED
        assert ValidationReport.objects.get(artifact=artifact).attempt == 2


def test_a_redelivered_task_takes_over_a_claim_whose_worker_was_lost(workdir):
    artifact = _artifact()
    lost = validation._claim(artifact.pk, takeover=False)

    not_redelivered = validation.artifact_validate(artifact_id=artifact.pk)
    redelivered = validation.artifact_validate(artifact_id=artifact.pk, takeover=True)

    artifact.refresh_from_db()
    assert (lost.attempt, not_redelivered, redelivered) == (1, "", V.PASSED)
    assert (artifact.attempt, artifact.tries, artifact.report.attempt) == (2, 2, 2)
    assert report_store(artifact=lost, report=FileReport()) == ""
    assert _report_count(artifact) == 1


def test_a_claim_with_the_tries_used_up_fails_the_artifact_with_a_clear_message(settings):
    settings.SUBMISSIONS_VALIDATION_MAX_TRIES = 3
    artifact = _artifact()
    for _ in range(3):
        validation._claim(artifact.pk, takeover=True)

    assert validation.artifact_validate(artifact_id=artifact.pk, takeover=True) == ""

    artifact.refresh_from_db()
    assert (artifact.status, artifact.tries, artifact.attempt) == (V.FAILED, 3, 3)
    assert artifact.error.startswith("Validation stopped 3 times before it finished")
    assert _report_count(artifact) == 0


def test_the_reaper_requeues_what_waited_or_ran_too_long_and_fails_what_used_its_tries(
    settings, django_capture_on_commit_callbacks
):
    settings.SUBMISSIONS_VALIDATION_MAX_TRIES = 2
    waiting, running, spent, recent = (_artifact() for _ in range(4))
    validation._claim(running.pk, takeover=False)
    for _ in range(2):
        validation._claim(spent.pk, takeover=True)
    validation._claim(recent.pk, takeover=False)
    now = timezone.now() + settings.SUBMISSIONS_VALIDATION_REQUEUE_AFTER
    Artifact.objects.filter(pk=recent.pk).update(started_at=now)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        requeued = validation.validations_requeue_stuck(now=now + timedelta(seconds=1))

    statuses = dict(Artifact.objects.values_list("pk", "status"))
    assert requeued == 2
    assert len(callbacks) == 2
    assert statuses == {
        waiting.pk: V.QUEUED, running.pk: V.QUEUED, spent.pk: V.FAILED, recent.pk: V.RUNNING,
    }  # fmt: skip
    assert Artifact.objects.get(pk=spent.pk).error.startswith("Validation stopped 2 times")
    reaped = AuditEntry.objects.filter(
        action__startswith="artifact.validation_", data__by="reaper"
    ).values_list("target_id", flat=True)
    assert sorted(reaped) == sorted(str(artifact.pk) for artifact in (waiting, running, spent))


def _long_cell_csv(path, characters=30_000_000):
    """A CSV whose one 30-million-character cell makes the reader grow its buffers far
    past a few hundred MB; measured here at over 500 MB."""
    with open(path, "w") as handle:
        handle.write('name,count\n"' + "x" * characters + '",12\nb,14\n')
    return path


def test_a_csv_that_exhausts_the_memory_limit_fails_its_resources_check(
    settings, workdir, tmp_path
):
    """The child process dies on the memory limit; the test's process, the one a worker
    would be, goes on, and validates the next file."""
    settings.SUBMISSIONS_VALIDATION_MEMORY_MB = 300
    big = _long_cell_csv(tmp_path / "long.csv")
    artifact = _artifact("long.csv", big.read_bytes())

    assert validation.artifact_validate(artifact_id=artifact.pk) == V.FAILED

    artifact.refresh_from_db()
    finding = artifact.report.findings.get()
    assert (finding.check_kind, finding.outcome) == ("resources", "fail")
    assert finding.message in {
        engine.MEMORY.format(mb=300),
        engine.KILLED.format(signal="SIGABRT"),
    }
    assert artifact.error == finding.message
    assert artifact.report.withholds_publication is True
    assert list(workdir.iterdir()) == []
    following = _artifact(submission=artifact.submission)
    assert validation.artifact_validate(artifact_id=following.pk) == V.PASSED


def test_a_child_running_past_the_time_limit_is_stopped(settings, workdir):
    settings.SUBMISSIONS_VALIDATION_SOFT_TIME_LIMIT = 1
    settings.SUBMISSIONS_VALIDATION_HOLD_SECONDS = 30
    artifact = _artifact()

    assert validation.artifact_validate(artifact_id=artifact.pk) == V.FAILED

    finding = ValidationFinding.objects.get(report__artifact=artifact)
    assert (finding.check_kind, finding.message) == (
        "resources", engine.TIMEOUT.format(seconds=1),
    )  # fmt: skip
    assert list(workdir.iterdir()) == []


def test_a_file_missing_from_storage_fails_its_integrity_check():
    artifact = _artifact()
    artifact.file.storage.delete(artifact.file.name)

    assert validation.artifact_validate(artifact_id=artifact.pk) == V.FAILED

    finding = ValidationFinding.objects.get(report__artifact=artifact)
    assert (finding.check_kind, finding.message) == ("integrity", validation.MISSING)


def test_progress_is_stored_in_steps_while_the_claim_is_current():
    artifact = _artifact()
    claim = validation._claim(artifact.pk, takeover=False)
    save = validation.progress_saver(claim)

    save(0.03)
    assert Artifact.objects.get(pk=artifact.pk).progress == 0
    save(0.42)
    assert Artifact.objects.get(pk=artifact.pk).progress == 42
    save(1.0)
    assert Artifact.objects.get(pk=artifact.pk).progress == 99
    validation._claim(artifact.pk, takeover=True)  # a newer attempt fences this one off
    Artifact.objects.filter(pk=artifact.pk).update(progress=10)
    validation.progress_saver(claim)(0.5)
    assert Artifact.objects.get(pk=artifact.pk).progress == 10


def test_a_rerun_by_the_team_removes_the_report_and_starts_the_tries_again(
    workdir, django_capture_on_commit_callbacks
):
    artifact = _artifact()
    validation.artifact_validate(artifact_id=artifact.pk)
    lead = artifact.submission.team.memberships.get(role="lead").user

    with django_capture_on_commit_callbacks(execute=True):
        validation.validation_rerun(artifact=artifact, by=By.MEMBER, actor=lead)

    artifact.refresh_from_db()
    assert (artifact.status, artifact.attempt, artifact.tries) == (V.PASSED, 2, 1)
    assert artifact.report.attempt == 2
    assert _report_count(artifact) == 1
    rerun = AuditEntry.objects.get(action="artifact.validation_queued", target_id=str(artifact.pk))
    assert (rerun.actor, rerun.data["by"], rerun.data["from"]) == (lead, "member", "passed")


def test_a_rerun_while_running_is_refused():
    artifact = _artifact()
    validation._claim(artifact.pk, takeover=False)

    with pytest.raises(ApplicationError) as refused:
        validation.validation_rerun(artifact=artifact, by=By.ORGANISER)

    assert (refused.value.code, refused.value.status) == ("validation_running", 409)
    assert refused.value.message == validation.STILL_RUNNING


def test_a_move_outside_the_table_is_refused_naming_it():
    current = Artifact.objects.get(pk=_artifact().pk)  # queued by the upload

    with pytest.raises(ApplicationError) as refused:
        validation.validation_transition(artifact=current, to=V.PASSED, by=By.WORKER)

    assert refused.value.message == "A file's validation that is queued cannot become passed."


def test_the_table_of_moves_reaches_every_status_and_lets_people_only_rerun():
    reached = {to for _start, to in VALIDATION_TRANSITIONS}
    people = {
        move
        for move, actors in VALIDATION_TRANSITIONS.items()
        if actors & {By.MEMBER, By.ORGANISER}
    }
    assert reached == set(V.values)
    assert people == {(done, V.QUEUED) for done in FINISHED}


def test_the_child_speaks_json_lines_and_reports(tmp_path):
    """The child's protocol, in this process (the limit and the parent watch are left
    out: they are the child process's own)."""
    from io import StringIO

    from submissions.validation import child

    path = tmp_path / "walking.csv"
    path.write_bytes(CSV)
    out = StringIO()
    limits = engine.validation_limits().to_json()
    request = {
        "path": str(path),
        "filename": "walking.csv",
        "limits": limits,
        "workdir": str(tmp_path),
    }

    child.serve(request, out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert all("progress" in line for line in lines[:-1])
    assert [line["progress"] for line in lines[:-1]] == sorted(
        line["progress"] for line in lines[:-1]
    )
    report = FileReport.from_json(lines[-1]["report"])
    assert (report.outcome, report.facts["rows"]) == ("pass", 2)


def test_a_report_is_stored_cut_to_its_columns_without_nuls_or_nan():
    """Whatever the engine says is stored: PostgreSQL refuses NUL characters and NaN."""
    artifact = _artifact()
    claim = validation._claim(artifact.pk, takeover=False)
    where = Location(file="a\x00" + "f" * 300, sheet="s" * 200, row=-1, column="c" * 300,
                     cell="C" * 30, notebook_cell=2**40)  # fmt: skip
    report = FileReport(
        findings=[Finding("disclosure", "warning", "A count of 3\x00" + "x" * 2000, where)],
        facts={"rows": float("nan"), "name\x00": ["v\x00", float("inf"), 1.5]},
    )

    assert report_store(artifact=claim, report=report) == V.WARNINGS

    stored = ValidationReport.objects.get(artifact=artifact)
    finding = stored.findings.get()
    assert stored.facts == {"rows": None, "name": ["v", None, 1.5]}
    assert stored.withholds_publication is True
    assert finding.message == "A count of 3" + "x" * 988
    assert (len(finding.file), len(finding.sheet), len(finding.column), len(finding.cell)) == (
        255, 100, 200, 20,
    )  # fmt: skip
    assert finding.file.startswith("af")
    assert (finding.row, finding.notebook_cell) == (None, None)
