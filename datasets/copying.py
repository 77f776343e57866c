"""The catalogue's part of the next event (events.extensions.event_copiers): the featured
datasets, each for the new event's copy of its challenge (or every challenge, as
before). A dataset unpublished since is left out: only published ones are featured."""

from datasets.models import DatasetFeature
from events.copying import copy_of, counted, remapped
from events.extensions import event_copiers


@event_copiers.register("datasets", order=40)
def copy_featured_datasets(source, target, copy) -> str | None:
    features = list(DatasetFeature.objects.filter(event=source, dataset__is_published=True))
    DatasetFeature.objects.bulk_create(
        copy_of(
            feature,
            ("dataset_id", "note", "order"),
            event=target,
            challenge=remapped(copy.challenges, feature.challenge_id),
        )
        for feature in features
    )
    return counted(len(features), "featured dataset") if features else None
