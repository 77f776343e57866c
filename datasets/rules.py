"""Who may do what with the catalogue.

Catalogue editors (members of the "Catalogue editors" group, made by migration 0002,
and superusers) keep the shared catalogue: they create, edit, import and publish
datasets. An event's organisers feature published datasets on their event. Everyone
sees the metadata of published datasets; the data itself (downloads, preview rows, top
values) follows the dataset's access level: open, signed in, or restricted to people
who accepted its current terms.

Predicates take a Dataset, or an object with `.dataset` (a Resource).
"""

import rules

from common.permissions import add_public_perm
from datasets.enums import AccessLevel
from events.rules import can_manage_event

CATALOGUE_EDITORS = "Catalogue editors"


def dataset_of(obj):
    return getattr(obj, "dataset", obj)


is_catalogue_editor = rules.is_superuser | rules.is_group_member(CATALOGUE_EDITORS)


@rules.predicate
def is_published_dataset(user, obj):
    return obj is not None and dataset_of(obj).is_published


@rules.predicate
def data_is_open_to(user, obj):
    """The dataset's access level lets `user` have its data."""
    dataset = dataset_of(obj)
    if dataset.access_level == AccessLevel.OPEN:
        return True
    if not user.is_authenticated:
        return False
    if dataset.access_level == AccessLevel.SIGNED_IN:
        return True
    return has_accepted_current_terms(user, dataset)


def has_accepted_current_terms(user, dataset) -> bool:
    """Whether `user` accepted the newest version of `dataset`'s terms (cached per user,
    so a page asking for several resources of one dataset costs one query)."""
    from datasets.selectors import current_terms_version

    if not user.is_authenticated:
        return False
    cache = user.__dict__.setdefault("_dataset_terms_cache", {})
    if dataset.pk not in cache:
        version = current_terms_version(dataset)
        cache[dataset.pk] = (
            version is not None and dataset.acceptances.filter(user=user, version=version).exists()
        )
    return cache[dataset.pk]


def forget_terms_cache(user) -> None:
    """After someone accepts terms, the same request must see it."""
    user.__dict__.pop("_dataset_terms_cache", None)


can_view_dataset = is_published_dataset | is_catalogue_editor
can_have_data = (is_published_dataset & data_is_open_to) | is_catalogue_editor

add_public_perm("datasets.view_dataset", can_view_dataset)
add_public_perm("datasets.download_resource", can_have_data)
rules.add_perm("datasets.add_dataset", is_catalogue_editor)
rules.add_perm("datasets.change_dataset", is_catalogue_editor)
rules.add_perm("datasets.delete_dataset", is_catalogue_editor)
rules.add_perm("datasets.import_datasets", is_catalogue_editor)
# Who accepted terms and who downloaded: every use for editors (checked against a
# dataset); an event's organisers see only the people taking part in their event
# (checked against the event; the selector narrows the people).
rules.add_perm("datasets.see_dataset_usage", is_catalogue_editor)
rules.add_perm("datasets.see_event_dataset_usage", can_manage_event)
# Featuring is checked against the event.
rules.add_perm("datasets.feature_datasets", can_manage_event)
