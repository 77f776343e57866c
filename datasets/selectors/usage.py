"""Who used a dataset: who accepted its terms and who downloaded its files.

Catalogue editors see everyone; an event's organisers see only the people taking part
in their event (registration.selectors.participations), for a dataset featured on it.
People are shown by name (User.__str__), never by address. Every read here costs the
same few queries whatever the number of people.
"""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from datasets.models import Dataset, Download, Resource, TermsAcceptance
from events.selectors import events_managed_by
from registration.selectors import participations

# The newest rows listed; the counts cover all of them.
USAGE_LIMIT = 200


@dataclass(frozen=True)
class DatasetUsage:
    acceptances: list[TermsAcceptance]  # newest first, at most USAGE_LIMIT
    acceptance_count: int
    downloads: list[Download]  # newest first, at most USAGE_LIMIT
    download_count: int
    resources: list[Resource]  # each with `downloads_seen`: its downloads in this scope


def usage_events(*, dataset: Dataset, user) -> QuerySet:
    """The events `user` organises on which `dataset` is featured, newest first."""
    return events_managed_by(user).filter(dataset_features__dataset=dataset).distinct()


def dataset_usage(*, dataset: Dataset, event=None) -> DatasetUsage:
    """Acceptances and downloads of `dataset`: everyone's, or with `event` only those of
    the people taking part in it."""
    acceptances = TermsAcceptance.objects.filter(dataset=dataset)
    downloads = Download.objects.filter(resource__dataset=dataset)
    in_scope = Q()
    if event is not None:
        people = participations(event).values("user_id")
        acceptances = acceptances.filter(user__in=people)
        downloads = downloads.filter(user__in=people)
        in_scope = Q(downloads__user__in=people)
    resources = Resource.objects.filter(dataset=dataset).annotate(
        downloads_seen=Count("downloads", filter=in_scope)
    )
    return DatasetUsage(
        acceptances=list(
            acceptances.select_related("user").order_by("-accepted_at", "-pk")[:USAGE_LIMIT]
        ),
        acceptance_count=acceptances.count(),
        downloads=list(
            downloads.select_related("user", "resource").order_by("-downloaded_at", "-pk")[
                :USAGE_LIMIT
            ]
        ),
        download_count=downloads.count(),
        resources=list(resources.order_by("order", "created_at")),
    )
