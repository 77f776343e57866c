"""This app's entries in earlier apps' registries for organisers, judges and the public:
the console's "Submissions" page, the dashboard's panel of checks, the event page's
links to the gallery (and, for judges and organisers, the entries), and a dataset page's
"Used by"."""

import rules

from datasets.extensions import EditorPage, dataset_page_sections, editor_pages
from events.extensions import (
    ConsolePage,
    Section,
    console_pages,
    dashboard_panels,
    event_page_sections,
)
from submissions.enums import Validation
from submissions.models import Submission
from submissions.selectors.listing import (
    HANDED_IN,
    VALIDATION_COLOURS,
    gallery_used_by,
    validation_counts,
)

console_pages.register("submissions", ConsolePage("Submissions", "submissions_organise"), order=40)
editor_pages.register(
    "publisher-usage",
    EditorPage(
        "Teams' use of each publisher's data",
        "submissions_publisher_usage_index",
        "submissions.view_publisher_usage",
    ),
)


def _checks_panel(event, request):
    counts = validation_counts(event)
    rows = [
        {
            "value": value,
            "label": label,
            "count": counts[value],
            "colour": VALIDATION_COLOURS[value],
        }
        for value, label in Validation.choices
    ]
    return {
        "event": event,
        "rows": rows,
        "total": sum(counts.values()),
        "failing": counts[Validation.FAILED],
    }


dashboard_panels.register(
    "submissions",
    Section("Submissions", "submissions/organise/panel.html", _checks_panel),
    order=50,
)


def _event_section(event, request):
    """Links to the gallery (once results are out and it has entries) and, for the
    event's organisers and judges, to the entries handed in; None when neither."""
    shows_gallery = rules.has_perm("submissions.view_gallery", request.user, event) and (
        Submission.objects.filter(event=event, in_gallery=True, status__in=HANDED_IN).exists()
    )
    may_review = rules.has_perm("submissions.list_submissions", request.user, event)
    if not (shows_gallery or may_review):
        return None
    return {"event": event, "shows_gallery": shows_gallery, "may_review": may_review}


event_page_sections.register(
    "submissions",
    Section("Submissions", "submissions/public/event_section.html", _event_section),
    order=50,
)


def _used_by(dataset, request):
    entries = list(gallery_used_by(dataset))
    return {"dataset": dataset, "entries": entries} if entries else None


dataset_page_sections.register(
    "used_by", Section("Used by", "submissions/public/used_by.html", _used_by), order=10
)
