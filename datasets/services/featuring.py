"""An event's featured datasets, written by its organisers (a console part of the event).

A feature names a published dataset and, optionally, one of the event's own challenges;
a dataset is featured once per event (a database constraint, and a clear message here).
"""

from django.db import transaction

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.services import reject_unknown_fields
from datasets.models import Dataset, DatasetFeature
from datasets.services.catalogue import insert_audited, update_audited

FEATURE_FIELDS = ("dataset", "challenge", "note", "order")


def _check_feature(event, dataset: Dataset | None, challenge) -> None:
    if dataset is not None and not dataset.is_published:
        raise ApplicationError(
            f"“{dataset}” is not published; only published datasets can be featured.",
            code="dataset_unpublished",
            details={"dataset": ["Not published."]},
        )
    if challenge is not None and challenge.event_id != event.pk:
        raise ApplicationError(
            "Choose one of this event's challenges, or every challenge.",
            code="other_event",
            details={"challenge": ["Not a challenge of this event."]},
        )


def _duplicate_feature(dataset) -> ApplicationError:
    return ApplicationError(
        f"“{dataset}” is already featured on this event; edit that entry instead.",
        code="duplicate",
        details={"dataset": ["Already featured."]},
    )


@transaction.atomic
def feature_create(
    *, actor, event, dataset: Dataset, challenge=None, note: str = "", order: int = 0
) -> DatasetFeature:
    _check_feature(event, dataset, challenge)
    if DatasetFeature.objects.filter(event=event, dataset=dataset).exists():
        raise _duplicate_feature(dataset)
    feature = DatasetFeature(
        event=event, dataset=dataset, challenge=challenge, note=note, order=order
    )
    try:
        return insert_audited(
            feature, actor=actor, action="dataset_feature.created", duplicate="duplicate"
        )
    except ApplicationError as error:
        if error.code == "duplicate":  # featured by someone else a moment ago
            raise _duplicate_feature(dataset) from error
        raise


@transaction.atomic
def feature_update(*, actor, feature: DatasetFeature, **fields) -> DatasetFeature:
    reject_unknown_fields(fields, FEATURE_FIELDS)
    dataset = fields.get("dataset", feature.dataset)
    changes_dataset = dataset.pk != feature.dataset_id
    _check_feature(feature.event, dataset if changes_dataset else None, fields.get("challenge"))
    if (
        changes_dataset
        and DatasetFeature.objects.filter(event_id=feature.event_id, dataset=dataset).exists()
    ):
        raise _duplicate_feature(dataset)
    return update_audited(
        feature,
        actor=actor,
        action="dataset_feature.updated",
        allowed=FEATURE_FIELDS,
        fields=fields,
    )


@transaction.atomic
def feature_delete(*, actor, feature: DatasetFeature) -> None:
    audit_record(actor=actor, action="dataset_feature.deleted", target=feature)
    feature.delete()
