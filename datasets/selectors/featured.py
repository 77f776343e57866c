"""An event's featured datasets, for its public page and its organisers' dashboard."""

from dataclasses import dataclass

from django.db.models import F, Prefetch

from datasets.models import DatasetFeature, Resource


@dataclass(frozen=True)
class FeaturedGroup:
    """The datasets featured for one challenge, or for every challenge (`challenge` None)."""

    challenge: object
    features: list


def featured_datasets(event) -> list[FeaturedGroup]:
    """The event's published featured datasets, grouped per challenge: those for every
    challenge first, then each challenge in the order the event lists its challenges.
    One query."""
    features = (
        DatasetFeature.objects.filter(event=event, dataset__is_published=True)
        .select_related("dataset__publisher", "dataset__licence", "challenge")
        .order_by(
            # Every-challenge features have no challenge, so nulls first puts them first.
            F("challenge__theme__order").asc(nulls_first=True),
            "challenge__theme__name",
            "challenge__order",
            "challenge__title",
            "challenge_id",
            "order",
            "pk",
        )
    )
    groups: list[FeaturedGroup] = []
    for feature in features:
        if not groups or groups[-1].challenge != feature.challenge:
            groups.append(FeaturedGroup(feature.challenge, []))
        groups[-1].features.append(feature)
    return groups


def features_with_usage(event) -> list[DatasetFeature]:
    """Every dataset featured on the event (published or not), each with its resources'
    profile status and download counts, for the organisers' dashboard. Two queries."""
    resources = Resource.objects.only(
        "id", "dataset_id", "name", "format", "profile_status", "download_count", "order"
    )
    features = list(
        DatasetFeature.objects.filter(event=event)
        .select_related("dataset", "challenge")
        .prefetch_related(Prefetch("dataset__resources", queryset=resources))
    )
    for feature in features:
        feature.downloads = sum(r.download_count for r in feature.dataset.resources.all())
    return features
