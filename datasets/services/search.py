"""Keeping a dataset findable: `Dataset.search_text` is what the catalogue search reads
(datasets.selectors.search), so every write that changes a dataset's words calls
`dataset_reindex` after it."""

from django.db import transaction

from datasets.models import Dataset, ResourceProfile


@transaction.atomic
def dataset_reindex(*, dataset: Dataset) -> str:
    """Recompute `dataset.search_text` from its title, description, keywords and the
    column names of its resources' profiles, save it, and return it.

    Callers: the editor's services after a dataset or its keywords change, and
    profiling after a profile is stored or removed.
    """
    keywords = dataset.keywords.order_by("name").values_list("name", flat=True)
    columns = []
    profiles = ResourceProfile.objects.filter(resource__dataset=dataset).order_by(
        "resource__order", "resource__created_at"
    )
    for fields in profiles.values_list("fields", flat=True):
        columns += [str(field.get("name", "")) for field in fields or () if isinstance(field, dict)]
    parts = [dataset.title, dataset.description, *keywords, *dict.fromkeys(columns)]
    text = "\n".join(part for part in parts if part)
    Dataset.objects.filter(pk=dataset.pk).update(search_text=text)
    dataset.search_text = text
    return text
