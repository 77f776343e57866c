"""The demo entries seed_demo makes: one per December team, validated, two warned."""

import io

import pytest
from django.core.management import call_command

from submissions.demo import (
    ANALYSES,
    BUNDLED_FROM,
    IN_GALLERY,
    SMALL_COUNTS_TEAM,
    UNCITED_TEAM,
)
from submissions.enums import FINISHED, SubmissionStatus
from submissions.models import Artifact, Submission, ValidationFinding
from teams.models import Team

pytestmark = pytest.mark.django_db
DECEMBER = "community-data-hackathon-2024"


def _seed():
    call_command("seed_demo", stdout=io.StringIO())


def _warned(check: str) -> set[tuple[str, str]]:
    """(team, file) of every warning of `check`."""
    findings = ValidationFinding.objects.filter(check_kind=check, outcome="warning")
    return set(
        findings.values_list(
            "report__artifact__submission__team__name", "report__artifact__original_filename"
        )
    )


def test_every_december_team_hands_in_a_validated_entry_two_with_warnings():
    _seed()
    teams = list(Team.objects.filter(event__slug=DECEMBER).order_by("pk"))
    entries = Submission.objects.filter(event__slug=DECEMBER).select_related("team__challenge")

    assert sorted(entry.team_id for entry in entries) == [team.pk for team in teams]
    for entry in entries:
        number = teams.index(entry.team)
        analysis = ANALYSES[entry.team.challenge.slug]
        assert (entry.status, entry.is_late, entry.title, entry.in_gallery) == (
            SubmissionStatus.LOCKED,
            False,
            analysis.title,
            number < IN_GALLERY,
        )
        assert entry.first_submitted_at < entry.locked_at == entry.event.submission_deadline
        assert entry.authors.count() == entry.team.memberships.count()
        assert list(entry.citations.values_list("dataset__slug", flat=True)) == [analysis.dataset]
        files = ["analysis.ipynb", "results.csv"] if number < BUNDLED_FROM else ["analysis.zip"]
        assert sorted(entry.artifacts.values_list("original_filename", flat=True)) == files
    for artifact in Artifact.objects.select_related("report"):
        assert artifact.status in FINISHED, artifact.error
        assert artifact.report.outcome in ("pass", "warning"), artifact.original_filename
    assert _warned("disclosure") == {(teams[SMALL_COUNTS_TEAM].name, "results.csv")}
    assert _warned("linkage") == {(teams[UNCITED_TEAM].name, "analysis.ipynb")}
    assert (
        "Claimant count"
        in ValidationFinding.objects.get(check_kind="linkage", outcome="warning").message
    )
    assert not Submission.objects.exclude(event__slug=DECEMBER).exists()


def test_seeding_again_changes_nothing():
    _seed()

    def state():
        return (
            sorted(Submission.objects.values_list("pk", "status", "version", "updated_at")),
            sorted(Artifact.objects.values_list("pk", "sha256", "status", "attempt")),
            sorted(ValidationFinding.objects.values_list("pk", "message")),
        )

    before = state()
    _seed()

    assert state() == before
