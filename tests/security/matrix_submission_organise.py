"""Authorization-matrix rows for the organisers', judges' and public submissions pages
(see matrix.py for the row format; `world.entries` holds the entries they run against:
A1's in A, B1's in B)."""

import datetime

from django.utils import timezone

from events.models import Event
from submissions.enums import STATUS_OF_OUTCOME
from submissions.enums import Actor as SubmissionActor
from submissions.models import Artifact, Submission, ValidationReport
from submissions.services.lifecycle import submission_transition
from tests.security.matrix import (
    JUDGES,
    LOGIN,
    SIGNED_IN,
    Row,
    console,
    constant,
    everyone,
    expect,
)
from tests.security.world import World

READERS = f"{JUDGES},team_member,team_lead,organiser,superuser"
NOT_READERS = "user,catalogue_editor,participant,volunteer,mentor,other_organiser"
# A's organisers and its judge read the list of entries handed in.
LISTERS = f"{JUDGES},organiser,superuser"
NOT_LISTERS = f"{NOT_READERS},team_member,team_lead"
EDITORS = "catalogue_editor,superuser"
NOT_EDITORS = (
    f"user,participant,{JUDGES},volunteer,mentor,team_member,team_lead,other_organiser,organiser"
)
NOBODY = expect(f"anonymous:{LOGIN} {SIGNED_IN}:404")


def entry_of(key: str, *, under: str = "a"):
    """Entry `key` ("entry_a" or "entry_b") addressed under event `under`."""
    return lambda w: {"slug": getattr(w, under).event.slug, "pk": getattr(w.entries, key).pk}


def file_of(artifact: str, *, entry: str = "entry_a", prepare=None):
    """`artifact` of w.entries addressed under `entry` in A, after `prepare(w)`."""

    def build(w: World) -> dict:
        if prepare is not None:
            prepare(w)
        return {
            "slug": w.a.event.slug,
            "pk": getattr(w.entries, entry).pk,
            "artifact_pk": getattr(w.entries, artifact).pk,
        }

    return build


def checked(outcome: str, *, withholds: bool = False, artifact: str = "artifact_a"):
    """Give `artifact` (A1's file by default) a report with `outcome`, withholding it
    from the public or not."""

    def prepare(w: World) -> None:
        checked_file = getattr(w.entries, artifact)
        Artifact.objects.filter(pk=checked_file.pk).update(status=STATUS_OF_OUTCOME[outcome])
        ValidationReport.objects.create(
            artifact=checked_file, attempt=1, outcome=outcome, withholds_publication=withholds
        )

    return prepare


def locked_entry_a(world: World) -> dict:
    submission_transition(
        submission=world.entries.entry_a, to="locked", by=SubmissionActor.ORGANISER
    )
    return entry_of("entry_a")(world)


def in_published_gallery(kwargs):
    """`kwargs`, once A's results are published and A1 shows its entry in the gallery."""

    def build(w: World) -> dict:
        Event.objects.filter(pk=w.a.event.pk).update(results_published_at=timezone.now())
        Submission.objects.filter(pk=w.entries.entry_a.pk).update(in_gallery=True)
        return kwargs(w)

    return build


def a_slug(w: World) -> dict:
    return {"slug": w.a.event.slug}


def publisher(w: World) -> dict:
    return {"slug": w.catalogue.open_dataset.publisher.slug}


def entry_is(key: str, **values):
    """Entry `key` of w.entries now has `values`."""
    return lambda w: Submission.objects.filter(pk=getattr(w.entries, key).pk, **values).exists()


def artifact_a_released(w: World) -> bool:
    return Artifact.objects.filter(pk=w.entries.artifact_a.pk, released_at__isnull=False).exists()


def artifact_a_requeued(w: World) -> bool:
    return not ValidationReport.objects.filter(artifact=w.entries.artifact_a).exists()


def more_time(w: World) -> dict:
    until = timezone.localtime(timezone.now() + datetime.timedelta(days=1))
    return {"deadline_extension": until.strftime("%Y-%m-%dT%H:%M")}


CONFIRMED = constant({"confirmed": "yes"})
PASSED, HELD = checked("pass"), checked("fail", withholds=True)


# fmt: off
def rows() -> list[Row]:
    return [
        Row("submissions_organise", "GET", console(200), a_slug),
        Row("submissions_organise_entry", "GET", console(200), entry_of("entry_a")),
        Row("submissions_organise_entry", "GET", NOBODY, entry_of("entry_b"),
            label="other-event"),
        Row("submissions_organise_lock", "POST", console(302), entry_of("entry_a"),
            effect=entry_is("entry_a", status="locked")),
        Row("submissions_organise_lock", "POST", NOBODY, entry_of("entry_b"),
            label="other-event", effect=entry_is("entry_b", status="locked")),
        Row("submissions_organise_unlock", "POST", console(302), locked_entry_a,
            effect=entry_is("entry_a", status="submitted")),
        Row("submissions_organise_unlock", "POST", NOBODY, entry_of("entry_b"),
            label="other-event"),
        Row("submissions_organise_deadline", "GET", console(200), entry_of("entry_a")),
        Row("submissions_organise_deadline", "POST", console(302), entry_of("entry_a"),
            data=more_time, effect=entry_is("entry_a", deadline_extension__isnull=False)),
        Row("submissions_organise_deadline", "POST", NOBODY, entry_of("entry_b"),
            data=more_time, label="other-event",
            effect=entry_is("entry_b", deadline_extension__isnull=False)),
        # Releasing asks first (GET), then releases (POST, confirmed).
        Row("submissions_organise_release", "GET", console(200),
            file_of("artifact_a", prepare=HELD)),
        Row("submissions_organise_release", "POST", console(302),
            file_of("artifact_a", prepare=HELD), data=CONFIRMED, effect=artifact_a_released),
        Row("submissions_organise_release", "POST", NOBODY,
            file_of("artifact_b", prepare=checked("fail", withholds=True, artifact="artifact_b")),
            data=CONFIRMED, label="other-entry"),
        Row("submissions_organise_recheck", "POST", console(302),
            file_of("artifact_a", prepare=PASSED), effect=artifact_a_requeued),
        Row("submissions_organise_recheck", "POST", NOBODY,
            file_of("artifact_b", entry="entry_b"), label="other-event"),
        # Reading: A's organisers and judge list the entries; A1 reads its own too.
        Row("submissions_review_list", "GET",
            expect(f"anonymous:{LOGIN} {LISTERS}:200 {NOT_LISTERS}:404"), a_slug),
        Row("submission_review", "GET",
            expect(f"anonymous:{LOGIN} {READERS}:200 {NOT_READERS}:404"), entry_of("entry_a")),
        Row("submission_review", "GET", NOBODY, entry_of("entry_b"), label="other-event"),
        Row("submission_review_file", "GET",
            expect(f"anonymous:{LOGIN} {READERS}:200 {NOT_READERS}:404"),
            file_of("artifact_a", prepare=HELD)),
        Row("submission_review_file", "GET", NOBODY, file_of("artifact_b"),
            label="other-entry"),
        # The gallery: nobody's before results are published, everyone's after; a file
        # the checks held back is nobody's.
        Row("submissions_gallery", "GET", everyone(404), a_slug, label="before-results"),
        Row("submissions_gallery", "GET", everyone(200), in_published_gallery(a_slug),
            label="published"),
        Row("submissions_gallery_file", "GET", everyone(200),
            in_published_gallery(file_of("artifact_a", prepare=PASSED)), label="passed"),
        Row("submissions_gallery_file", "GET", everyone(404),
            in_published_gallery(file_of("artifact_a", prepare=HELD)), label="held"),
        Row("submissions_gallery_file", "GET", everyone(404),
            file_of("artifact_a", prepare=PASSED), label="before-results"),
        # Publishers' usage: the catalogue's editors.
        Row("submissions_publisher_usage_index", "GET",
            expect(f"anonymous:{LOGIN} {EDITORS}:200 {NOT_EDITORS}:403")),
        Row("submissions_publisher_usage", "GET",
            expect(f"anonymous:{LOGIN} {EDITORS}:200 {NOT_EDITORS}:403"), publisher),
        Row("submissions_publisher_usage_csv", "GET",
            expect(f"anonymous:{LOGIN} {EDITORS}:200 {NOT_EDITORS}:403"), publisher),
    ]
# fmt: on
