"""Authorization-matrix rows for the submissions pages (see matrix.py for the row format;
`world.entries` holds the entries they run against: A1's in A, B1's in B).

The team's pages are addressed by the event: only A1's members (team_member, team_lead)
have an entry there; everyone else, organisers included, is not in a team and gets 404.
A file of an entry and its report are read by the team, A's organisers and its judge.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from submissions.models import Artifact, DatasetCitation, Submission
from tests.security.matrix import JUDGES, LOGIN, SIGNED_IN, A, B, D, Row, constant, everyone, expect

TEAM = "team_member,team_lead"
NOT_TEAM = (
    f"user,catalogue_editor,participant,{JUDGES},volunteer,mentor,other_organiser,"
    "organiser,superuser"
)
# Neither A1's members nor A's organisers or judge.
NOT_READERS = "user,catalogue_editor,participant,volunteer,mentor,other_organiser"
READERS = f"{TEAM},{JUDGES},organiser,superuser"

CSV = b"area,walkers\nHalton,120\n"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def team(ok: int):
    return expect(f"anonymous:{LOGIN} {TEAM}:{ok} {NOT_TEAM}:404")


def readers(ok: int):
    return expect(f"anonymous:{LOGIN} {READERS}:{ok} {NOT_READERS}:404")


def nobody():
    return expect(f"anonymous:{LOGIN} {SIGNED_IN}:404")


def artifact(entry_key: str, *, event: str = "a"):
    """URL kwargs: the file of `entry_key` ("a" or "b"), addressed under event `event`."""
    return lambda w: {
        "slug": getattr(w, event).event.slug,
        "pk": getattr(w.entries, f"artifact_{entry_key}").pk,
    }


def entry(entry_key: str, *, event: str = "a"):
    return lambda w: {
        "slug": getattr(w, event).event.slug,
        "pk": getattr(w.entries, f"entry_{entry_key}").pk,
    }


def citation(w):
    return {"slug": w.a.event.slug, "pk": w.entries.citation_a.pk}


def entry_a_has(**values):
    return lambda w: Submission.objects.filter(pk=w.entries.entry_a.pk, **values).exists()


def artifact_a_gone(w):
    return not Artifact.objects.filter(pk=w.entries.artifact_a.pk).exists()


def citation_a_gone(w):
    return not DatasetCitation.objects.filter(pk=w.entries.citation_a.pk).exists()


def second_file_added(w):
    return Artifact.objects.filter(submission=w.entries.entry_a).count() == 2


def citation_a_says(text):
    return lambda w: DatasetCitation.objects.filter(
        pk=w.entries.citation_a.pk, how_used=text
    ).exists()


# fmt: off
def team_rows() -> list[Row]:
    return [
        Row("submission_mine", "GET", team(200), A),
        Row("submission_mine", "GET", nobody(), B, label="another-event"),
        Row("submission_mine", "GET", nobody(), D, label="draft-event"),
        Row("submission_edit", "GET", team(200), A),
        Row("submission_edit", "POST", team(302), A,
            constant({"title": "Renamed entry", "summary": "Still about jobs."}),
            effect=entry_a_has(title="Renamed entry")),
        Row("submission_edit", "GET", nobody(), B, label="another-event"),
        Row("submission_move", "POST", team(302), A, constant({"to": "draft"}),
            effect=entry_a_has(status="draft")),
        Row("submission_gallery", "POST", team(302), A, constant({"in_gallery": "on"}),
            effect=entry_a_has(in_gallery=True)),
        Row("submission_history", "GET", team(200), A),
        Row("submission_artifact_add", "GET", team(200), A),
        Row("submission_artifact_add", "POST", team(302), A,
            lambda w: {"file": SimpleUploadedFile("more.csv", CSV)}, effect=second_file_added),
        Row("submission_artifact", "GET", readers(200), artifact("a")),
        Row("submission_artifact", "GET", nobody(), artifact("a", event="b"),
            label="another-event"),
        Row("submission_artifact", "GET", nobody(), artifact("b"), label="other-file"),
        Row("submission_artifact_status", "GET", readers(200), artifact("a")),
        Row("submission_artifact_status", "GET", nobody(), artifact("b"), label="other-file"),
        Row("submission_artifact_download", "GET", readers(200), artifact("a")),
        Row("submission_artifact_download", "GET", nobody(), artifact("b"),
            label="other-file"),
        Row("submission_artifact_download", "GET", nobody(), artifact("a", event="b"),
            label="another-event"),
        Row("submission_artifact_remove", "GET", team(200), artifact("a")),
        Row("submission_artifact_remove", "POST", team(302), artifact("a"),
            constant({"confirmed": "yes"}), effect=artifact_a_gone),
        Row("submission_artifact_remove", "POST", nobody(), artifact("b"),
            constant({"confirmed": "yes"}), label="other-file"),
        # Queued still: the team is told the checks are running, and nothing changes.
        Row("submission_artifact_check", "POST", team(302), artifact("a")),
        Row("submission_artifact_check", "POST", nobody(), artifact("b"), label="other-file"),
        Row("submission_slides", "GET", team(200), A),
        Row("submission_slides", "POST", team(302), A,
            lambda w: {"file": SimpleUploadedFile("deck.pdf", PDF)},
            effect=entry_a_has(slides_filename="deck.pdf")),
        # A1 has no slides: the page goes back to the entry.
        Row("submission_slides_remove", "GET", team(302), A),
        # Neither entry has slides: 404 for readers too (the unit tests download some).
        Row("submission_slides_download", "GET", nobody(), entry("a")),
        Row("submission_slides_download", "GET", nobody(), entry("b"), label="other-entry"),
        Row("submission_citation_add", "GET", team(200), A),
        Row("submission_citation_add", "GET", team(200), A,
            lambda w: {"dataset": w.catalogue.restricted_dataset.slug}, label="chosen"),
        Row("submission_citation_edit", "GET", team(200), citation),
        Row("submission_citation_edit", "POST", team(302), citation,
            constant({"how_used": "Joined to wards"}), effect=citation_a_says("Joined to wards")),
        Row("submission_citation_remove", "GET", team(200), citation),
        Row("submission_citation_remove", "POST", team(302), citation,
            constant({"confirmed": "yes"}), effect=citation_a_gone),
        Row("submission_checks_help", "GET", everyone(200)),
    ]
# fmt: on


def rows() -> list[Row]:
    return team_rows()
