"""An event's entries as lists: for its organisers (every entry, with its deadline, files
and where their checks stand), for its judges (submitted entries), for the public (the
gallery, once results are published; a dataset's "Used by") and for the catalogue's
editors (which teams used a publisher's data, and how).

Each list costs the same number of queries however many entries it holds: counts are
annotated, related rows joined or prefetched.
"""

from django.db import models
from django.db.models import Count, Prefetch, Q, Value
from django.shortcuts import get_object_or_404

from datasets.models import Dataset, Publisher
from submissions.enums import OVERALL_RULES, SubmissionStatus, Validation, ValidationStatus
from submissions.models import Artifact, DatasetCitation, Submission, SubmissionAuthor

S, V = SubmissionStatus, ValidationStatus

# Entries that count as handed in: a draft is the team's own until it is submitted.
HANDED_IN = (S.SUBMITTED, S.LOCKED)


# The colour of each overall status's tag (docs/ui.md: red is a problem).
VALIDATION_COLOURS = {
    Validation.NONE: "grey",
    Validation.CHECKING: "blue",
    Validation.PASSED: "green",
    Validation.WARNINGS: "yellow",
    Validation.FAILED: "red",
}

# A file the public may have: its checks withheld nothing, or an organiser released it.
# A file without a report (not yet checked, or being checked again) is not public.
PUBLISHABLE = Q(released_at__isnull=False) | Q(report__withholds_publication=False)


def _artifacts_where(condition: Q) -> Count:
    return Count("artifacts", filter=condition, distinct=True)


def with_validation(submissions):
    """`submissions` annotated with `file_count`, `withheld_count` (files held back from
    the public and not released) and `validation` (a Validation value, by OVERALL_RULES)."""
    counted = submissions.annotate(
        file_count=Count("artifacts", distinct=True),
        withheld_count=_artifacts_where(
            Q(artifacts__report__withholds_publication=True, artifacts__released_at__isnull=True)
        ),
        **{
            f"{overall}_count": _artifacts_where(Q(artifacts__status__in=statuses))
            for overall, statuses in OVERALL_RULES
        },
    )
    return counted.annotate(
        validation=models.Case(
            models.When(file_count=0, then=Value(Validation.NONE)),
            *(
                models.When(**{f"{overall}_count__gt": 0}, then=Value(overall))
                for overall, _statuses in OVERALL_RULES
            ),
            default=Value(Validation.PASSED),
            output_field=models.CharField(),
        )
    )


def submissions_for_organisers(event, *, status: str = "", validation: str = ""):
    """Every entry of `event`, by team name, optionally only those in `status` and whose
    checks stand at `validation` (both already checked against their choices)."""
    entries = with_validation(
        Submission.objects.filter(event=event).select_related("event", "team")
    ).order_by("team__name", "pk")
    if status:
        entries = entries.filter(status=status)
    if validation:
        entries = entries.filter(validation=validation)
    return entries


def validation_counts(event) -> dict[str, int]:
    """{Validation value: number of `event`'s entries}, every value present."""
    counts = dict.fromkeys(Validation.values, 0)
    # SQL cannot group by a value computed from aggregates: one row per entry is read
    # (the status alone) and counted here.
    for row in with_validation(Submission.objects.filter(event=event)).values("validation"):
        counts[row["validation"]] += 1
    return counts


def submissions_for_judges(event):
    """`event`'s entries handed in (submitted or locked), by title, with their checks."""
    return with_validation(
        Submission.objects.filter(event=event, status__in=HANDED_IN).select_related(
            "team", "challenge", "theme"
        )
    ).order_by("title", "pk")


def submission_for_review(event, pk) -> Submission:
    """One entry of `event` with what its read-only page shows (404 for another event's)."""
    artifacts = Artifact.objects.select_related("report", "released_by").order_by(
        "created_at", "pk"
    )
    citations = DatasetCitation.objects.select_related("dataset", "resource")
    entries = Submission.objects.select_related("event", "team", "challenge", "theme")
    entries = entries.prefetch_related(
        Prefetch("authors", queryset=SubmissionAuthor.objects.order_by("-is_lead", "name", "pk")),
        Prefetch("citations", queryset=citations),
        Prefetch("artifacts", queryset=artifacts),
    )
    return get_object_or_404(with_validation(entries), event=event, pk=pk)


def _published_citations():
    """Citations of published datasets only: a draft's title is not the public's."""
    return DatasetCitation.objects.filter(dataset__is_published=True).select_related("dataset")


def gallery_entries(event):
    """`event`'s entries the public sees: handed in and opted into the gallery, by title,
    with their authors (the snapshot), published datasets and publishable files."""
    return (
        with_validation(
            Submission.objects.filter(event=event, in_gallery=True, status__in=HANDED_IN)
        )
        .select_related("team", "challenge", "theme")
        .prefetch_related(
            Prefetch("authors", queryset=SubmissionAuthor.objects.order_by("-is_lead", "name")),
            Prefetch("citations", queryset=_published_citations()),
            Prefetch(
                "artifacts",
                queryset=Artifact.objects.filter(PUBLISHABLE).order_by("created_at", "pk"),
                to_attr="public_files",
            ),
        )
        .order_by("title", "pk")
    )


def gallery_file(event, submission_pk, artifact_pk) -> Artifact:
    """A file of an entry in `event`'s gallery that the public may have, else 404."""
    return get_object_or_404(
        Artifact.objects.filter(PUBLISHABLE),
        pk=artifact_pk,
        submission__pk=submission_pk,
        submission__event=event,
        submission__in_gallery=True,
        submission__status__in=HANDED_IN,
    )


def gallery_used_by(dataset: Dataset):
    """Entries citing `dataset` that the public can see in a published gallery (of a
    published event whose results are out), by event and title."""
    return (
        Submission.objects.filter(
            citations__dataset=dataset,
            in_gallery=True,
            status__in=HANDED_IN,
            event__is_published=True,
            event__results_published_at__isnull=False,
        )
        .select_related("event", "team")
        .order_by("-event__starts_at", "title", "pk")
    )


def publisher_usage(publisher: Publisher):
    """Every citation of `publisher`'s datasets in an entry handed in (a draft is the
    team's own until then): which team, at which event, used which dataset (and file),
    and how; newest event first."""
    return (
        DatasetCitation.objects.filter(
            dataset__publisher=publisher, submission__status__in=HANDED_IN
        )
        .select_related("submission__event", "submission__team", "dataset", "resource")
        .order_by("-submission__event__starts_at", "submission__team__name", "dataset__title", "pk")
    )


def publishers_with_usage():
    """Publishers, each with `citation_count`, the number of citations of its data in
    entries handed in."""
    handed_in = Q(datasets__citations__submission__status__in=HANDED_IN)
    return Publisher.objects.annotate(
        citation_count=Count("datasets__citations", filter=handed_in, distinct=True)
    ).order_by("name")


def datasets_cited(event) -> list[tuple[str, int]]:
    """The catalogue datasets the event's handed-in entries say they used, with how many
    entries each, most used first."""
    return list(
        DatasetCitation.objects.filter(submission__event=event)
        .exclude(submission__status=SubmissionStatus.DRAFT)
        .order_by()
        .values("dataset__title")
        .annotate(entries=Count("submission_id", distinct=True))
        .order_by("-entries", "dataset__title")
        .values_list("dataset__title", "entries")
    )
