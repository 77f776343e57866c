"""Authorization-matrix rows for the submissions api (see matrix.py for the row format;
`world.entries` holds the entries they run against: A1's in A, B1's in B).

A1's entry is submitted, cites the open dataset and has a CSV output; B1's is a draft
with a CSV output. Its readers are A1's members, A's organisers and its accepted judge;
its writers A1's members; its organisers' decisions (lock, unlock, more time) A's
managers. A is public, so anyone else signed in is refused with 403; another event's
entry, file or citation answers 404 to everyone.
"""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from submissions.enums import Actor, SubmissionStatus, ValidationStatus
from submissions.models import Artifact, DatasetCitation, Submission
from submissions.services.artifacts import slides_set
from submissions.services.lifecycle import submission_transition
from tests.security.matrix import (
    A_API,
    D_API,
    JUDGES,
    Row,
    api_everyone_but,
    constant,
    draft,
    everyone,
)

MEMBERS = "team_member,team_lead"
READERS = f"{MEMBERS},{JUDGES},organiser,superuser"
MANAGERS = "organiser,superuser"


def entry(key: str = "a", *, under: str = "a"):
    """URL kwargs of entry `key` ("a": A1's, "b": B1's) under event `under`'s API."""
    return lambda w: {
        "event_slug": getattr(w, under).event.slug,
        "pk": getattr(w.entries, f"entry_{key}").pk,
    }


def entry_part(key: str = "a", *, under: str = "a", attr: str | None = None):
    """URL kwargs of entry `key`'s files or citations (and of one of them, `attr` of
    world.entries) under event `under`'s API."""

    def build(w):
        kwargs = {
            "event_slug": getattr(w, under).event.slug,
            "submission_pk": getattr(w.entries, f"entry_{key}").pk,
        }
        if attr:
            kwargs["pk"] = getattr(w.entries, attr).pk
        return kwargs

    return build


def then(prepare, kwargs):
    """`kwargs`, once `prepare(world)` has put the entry in the state the row needs."""

    def build(w):
        prepare(w)
        return kwargs(w)

    return build


def _move_a(to: str, by: str):
    return lambda w: submission_transition(submission=w.entries.entry_a, to=to, by=by)


def _without_entry_a(w) -> None:
    Submission.objects.filter(pk=w.entries.entry_a.pk).delete()


def _slides_on_a(w) -> None:
    slides = ContentFile(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", name="deck.pdf")
    slides_set(actor=None, submission=w.entries.entry_a, uploaded_file=slides)


def _artifact_a_failed(w) -> None:
    Artifact.objects.filter(pk=w.entries.artifact_a.pk).update(status=ValidationStatus.FAILED)


def entry_a_has(**values):
    return lambda w: Submission.objects.filter(pk=w.entries.entry_a.pk, **values).exists()


def artifact_a_has(**values):
    return lambda w: Artifact.objects.filter(pk=w.entries.artifact_a.pk, **values).exists()


def _citation_a_gone(w) -> bool:
    return not DatasetCitation.objects.filter(pk=w.entries.citation_a.pk).exists()


def _until(w) -> dict:
    return {"until": (timezone.now() + datetime.timedelta(days=2)).isoformat()}


def read(status: int = 200):
    return api_everyone_but(READERS, status)


def write(status: int, *, besides: dict[int, str] | None = None):
    return api_everyone_but(MEMBERS, status, besides=besides)


def manage(status: int):
    return api_everyone_but(MANAGERS, status)


# fmt: off
def rows() -> list[Row]:
    a, a_files, a_citations = entry(), entry_part(), entry_part()
    artifact_a = entry_part(attr="artifact_a")
    citation_a = entry_part(attr="citation_a")
    draft_a = then(_move_a(SubmissionStatus.DRAFT, Actor.MEMBER), a)
    locked_a = then(_move_a(SubmissionStatus.LOCKED, Actor.ORGANISER), a)
    return [
        # The list: organisers and the judge see entries handed in, members their own.
        Row("api:submission-list", "GET", api_everyone_but(
            f"{MEMBERS},{JUDGES},{MANAGERS}", 200), A_API),
        Row("api:submission-list", "GET", draft(200), D_API, label="draft"),
        # A1 has its entry already; with it gone, its members start one.
        Row("api:submission-list", "POST", write(403, besides={409: MEMBERS}), A_API,
            data=constant({"title": "Second try"}),
            effect=lambda w: Submission.objects.filter(title="Second try").exists()),
        Row("api:submission-list", "POST", write(403, besides={201: MEMBERS}),
            then(_without_entry_a, A_API), label="new", data=constant({"title": "Fresh start"}),
            effect=lambda w: Submission.objects.filter(
                team=w.team, title="Fresh start").exists()),
        Row("api:submission-detail", "GET", read(), a),
        # B1's entry under A's address: not among A's entries, whoever asks.
        Row("api:submission-detail", "GET", everyone(404), entry("b"), label="other-event"),
        Row("api:submission-detail", "GET", everyone(404), entry("a", under="b"),
            label="under-other-event"),
        Row("api:submission-detail", "PATCH", write(200), a,
            data=constant({"title": "Jobs, parks and buses"}),
            effect=entry_a_has(title="Jobs, parks and buses")),
        Row("api:submission-detail", "PATCH", everyone(404), entry("b"), label="other-event",
            data=constant({"title": "Taken over"}),
            effect=lambda w: Submission.objects.filter(title="Taken over").exists()),
        Row("api:submission-submit", "POST", write(200), draft_a,
            effect=entry_a_has(status=SubmissionStatus.SUBMITTED)),
        Row("api:submission-withdraw", "POST", write(200), a,
            effect=entry_a_has(status=SubmissionStatus.DRAFT)),
        Row("api:submission-gallery", "POST", write(200), a, data=constant({"in_gallery": True}),
            effect=entry_a_has(in_gallery=True)),
        # The matrix sends JSON, so the members' slides have no file: refused as invalid.
        Row("api:submission-slides", "PUT", write(400), a),
        Row("api:submission-slides", "DELETE", write(200), then(_slides_on_a, a),
            effect=entry_a_has(slides="")),
        Row("api:submission-slides-download", "GET", read(), then(_slides_on_a, a)),
        Row("api:submission-slides-download", "GET", everyone(404), entry("b"),
            label="other-event"),
        Row("api:submission-lock", "POST", manage(200), a,
            effect=entry_a_has(status=SubmissionStatus.LOCKED)),
        Row("api:submission-lock", "POST", everyone(404), entry("b"), label="other-event",
            effect=lambda w: Submission.objects.filter(
                pk=w.entries.entry_b.pk, status=SubmissionStatus.LOCKED).exists()),
        Row("api:submission-unlock", "POST", manage(200), locked_a,
            effect=entry_a_has(status=SubmissionStatus.SUBMITTED)),
        Row("api:submission-extend", "POST", manage(200), a, data=_until,
            effect=entry_a_has(deadline_extension__isnull=False)),
        # Files: read by the entry's readers, changed by its members.
        Row("api:submission-artifact-list", "GET", read(), a_files),
        Row("api:submission-artifact-list", "GET", everyone(404), entry_part("b"),
            label="other-event"),
        # The matrix sends JSON, so the members' upload has no file: refused as invalid.
        Row("api:submission-artifact-list", "POST", write(400), a_files),
        Row("api:submission-artifact-detail", "GET", read(), artifact_a),
        Row("api:submission-artifact-detail", "GET", everyone(404),
            entry_part("b", attr="artifact_b"), label="other-event"),
        # B1's file under A1's entry: not one of its files (the entry's rule comes first).
        Row("api:submission-artifact-detail", "GET", read(404),
            entry_part("a", attr="artifact_b"), label="other-entry"),
        Row("api:submission-artifact-detail", "DELETE", write(204), artifact_a,
            effect=lambda w: not Artifact.objects.filter(pk=w.entries.artifact_a.pk).exists()),
        Row("api:submission-artifact-detail", "DELETE", write(404),
            entry_part("a", attr="artifact_b"), label="other-entry",
            effect=lambda w: not Artifact.objects.filter(pk=w.entries.artifact_b.pk).exists()),
        # Checked again once its checks are done (here, failed); refused while queued.
        Row("api:submission-artifact-rerun", "POST", write(200), then(_artifact_a_failed,
            artifact_a), effect=artifact_a_has(status=ValidationStatus.QUEUED)),
        Row("api:submission-artifact-rerun", "POST", write(409), artifact_a, label="queued"),
        Row("api:submission-artifact-download", "GET", read(), artifact_a),
        Row("api:submission-artifact-download", "GET", everyone(404),
            entry_part("b", attr="artifact_b"), label="other-event"),
        # Citations.
        Row("api:submission-citation-list", "GET", read(), a_citations),
        Row("api:submission-citation-list", "GET", everyone(404), entry_part("b"),
            label="other-event"),
        Row("api:submission-citation-list", "POST", write(201), a_citations,
            data=lambda w: {"dataset": w.catalogue.restricted_dataset.slug},
            effect=lambda w: DatasetCitation.objects.filter(
                dataset=w.catalogue.restricted_dataset).exists()),
        Row("api:submission-citation-detail", "GET", read(), citation_a),
        Row("api:submission-citation-detail", "GET", everyone(404),
            entry_part("a", under="b", attr="citation_a"), label="other-event"),
        Row("api:submission-citation-detail", "PATCH", write(200), citation_a,
            data=constant({"how_used": "Joined to wards"}),
            effect=lambda w: DatasetCitation.objects.filter(
                pk=w.entries.citation_a.pk, how_used="Joined to wards").exists()),
        Row("api:submission-citation-detail", "DELETE", write(204), citation_a,
            effect=_citation_a_gone),
    ]
# fmt: on
