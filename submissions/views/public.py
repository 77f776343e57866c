"""Entries as others see them: an event's public gallery once its results are published
(with the files the checks let out, or organisers released), and, for the catalogue's
editors, which teams used each publisher's data and how (a page and a CSV file).
"""

import rules
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import path

from common.csv_export import csv_download
from datasets.models import Publisher
from datasets.views.editor import editor_only
from events.selectors import event_get_visible
from submissions.selectors.listing import (
    gallery_entries,
    gallery_file,
    publisher_usage,
    publishers_with_usage,
)
from submissions.views.downloads import stored_file_download


def _gallery_event(request, slug):
    """The event whose gallery is open to `request`'s person: results published (before
    that the gallery does not exist, 404), and the event visible to them."""
    event = event_get_visible(slug=slug, user=request.user)
    if not rules.has_perm("submissions.view_gallery", request.user, event):
        raise Http404("No gallery.")
    return event


def gallery(request, slug):
    event = _gallery_event(request, slug)
    context = {"event": event, "entries": gallery_entries(event)}
    return render(request, "submissions/public/gallery.html", context)


def gallery_download(request, slug, pk, artifact_pk):
    """A gallery entry's file, for anyone, unless its checks held it back (and no
    organiser released it)."""
    event = _gallery_event(request, slug)
    artifact = gallery_file(event, pk, artifact_pk)
    return stored_file_download(artifact.file, artifact.original_filename)


@editor_only("submissions.view_publisher_usage")
def usage_index(request):
    context = {"publishers": publishers_with_usage()}
    return render(request, "submissions/public/usage_index.html", context)


@editor_only("submissions.view_publisher_usage")
def usage(request, slug):
    publisher = get_object_or_404(Publisher, slug=slug)
    context = {"publisher": publisher, "citations": publisher_usage(publisher)}
    return render(request, "submissions/public/usage.html", context)


# Citations read per query: a publisher's whole history never sits in memory at once.
USAGE_CHUNK = 500
USAGE_HEADINGS = ["event", "team", "entry", "entry status", "dataset", "file", "how it was used"]


@editor_only("submissions.view_publisher_usage")
def usage_csv(request, slug):
    publisher = get_object_or_404(Publisher, slug=slug)
    rows = (
        [
            citation.submission.event.name,
            citation.submission.team.name,
            citation.submission.title,
            citation.submission.get_status_display(),
            citation.dataset.title,
            citation.resource.name if citation.resource else "",
            citation.how_used,
        ]
        for citation in publisher_usage(publisher).iterator(chunk_size=USAGE_CHUNK)
    )
    return csv_download(
        rows,
        headings=USAGE_HEADINGS,
        filename=f"{publisher.slug}-usage.csv",
        name=f"of {publisher.slug}'s usage",
    )


GALLERY = "events/<slug:slug>/gallery/"

urlpatterns = [
    path(GALLERY, gallery, name="submissions_gallery"),
    path(
        f"{GALLERY}<int:pk>/files/<int:artifact_pk>/",
        gallery_download,
        name="submissions_gallery_file",
    ),
    path("catalogue/usage/", usage_index, name="submissions_publisher_usage_index"),
    path("catalogue/publishers/<slug:slug>/usage/", usage, name="submissions_publisher_usage"),
    path(
        "catalogue/publishers/<slug:slug>/usage.csv",
        usage_csv,
        name="submissions_publisher_usage_csv",
    ),
]
