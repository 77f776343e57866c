"""Catalogue editors' writes: publishers, datasets and terms (resources: `resources`).

Uploaded files are judged by their content (common.files.sniff), stored under a
generated name, and removed from storage only once the transaction that let them go has
committed, so a rolled-back delete never loses a file that is still referenced.
"""

from django.db import IntegrityError, transaction
from django.db.models import Max, ProtectedError
from django.db.models.functions import Lower
from django.utils.text import slugify

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.files import CONTROL_CHARACTERS, remove_after_commit
from common.locking import lock_rows
from common.services import full_clean_or_raise, reject_unknown_fields
from datasets.enums import AccessLevel, CatalogueTheme
from datasets.models import (
    Dataset,
    DatasetTerms,
    DatasetTheme,
    Keyword,
    Publisher,
    Resource,
)
from datasets.services.search import dataset_reindex

PUBLISHER_FIELDS = ("name", "url", "contact_name", "contact_email")
DATASET_FIELDS = (
    "title",
    "description",
    "publisher",
    "contact_name",
    "contact_email",
    "licence",
    "attribution",
    "issued",
    "modified",
    "update_frequency",
    "temporal_start",
    "temporal_end",
    "geography_coverage",
    "geography_level",
    "landing_page",
    "provenance",
    "version",
    "access_level",
)

KEYWORD_MAX_LENGTH = Keyword._meta.get_field("name").max_length
KEYWORDS_MAX = 30


def _unique_slug(model, base: str) -> str:
    slug = slugify(base)[:90] or "item"
    candidate, n = slug, 2
    while model.objects.filter(slug=candidate).exists():
        candidate, n = f"{slug}-{n}", n + 1
    return candidate


def insert_audited(instance, *, actor, action: str, duplicate: str):
    """Validate and insert `instance`; a uniqueness race answers `duplicate`."""
    full_clean_or_raise(instance)
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ApplicationError(duplicate, code="duplicate") from error
    audit_record(actor=actor, action=action, target=instance)
    return instance


def update_audited(instance, *, actor, action: str, allowed, fields: dict):
    """Change `fields` of `instance` (names outside `allowed` refused) and record `action`
    with what changed, if anything did."""
    reject_unknown_fields(fields, allowed)
    changed = _apply_fields(instance, fields)
    if changed:
        audit_record(actor=actor, action=action, target=instance, data={"changed": changed})
    return instance


def _apply_fields(instance, fields: dict) -> list[str]:
    """Set what differs, validate (problems as one ApplicationError) and save only that."""
    changed = [name for name, value in fields.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, fields[name])
    if changed:
        full_clean_or_raise(instance)
        auto_now = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=[*changed, *auto_now])
    return changed


# --- Publishers ----------------------------------------------------------------------


@transaction.atomic
def publisher_create(*, actor, name: str, **fields) -> Publisher:
    reject_unknown_fields(fields, PUBLISHER_FIELDS)
    publisher = Publisher(name=name, slug=_unique_slug(Publisher, name), **fields)
    return insert_audited(
        publisher,
        actor=actor,
        action="publisher.created",
        duplicate=f"A publisher called “{name}” already exists.",
    )


@transaction.atomic
def publisher_update(*, actor, publisher: Publisher, **fields) -> Publisher:
    return update_audited(
        publisher, actor=actor, action="publisher.updated", allowed=PUBLISHER_FIELDS, fields=fields
    )


# --- Keywords and themes ---------------------------------------------------------------


def keywords_parse(text: str) -> list[str]:
    """Comma-separated keywords, stripped, inner spaces collapsed, the first spelling of
    each kept (case-insensitively), in the order given."""
    names, seen = [], set()
    for part in str(text).split(","):
        name = " ".join(part.split())
        if not name:
            continue
        if CONTROL_CHARACTERS.search(name):
            raise ApplicationError(
                "Keywords cannot contain control characters.", details={"keywords": ["Invalid."]}
            )
        if len(name) > KEYWORD_MAX_LENGTH:
            raise ApplicationError(
                f"The keyword “{name[:30]}…” is longer than {KEYWORD_MAX_LENGTH} characters.",
                details={"keywords": ["A keyword is too long."]},
            )
        if name.casefold() not in seen:
            seen.add(name.casefold())
            names.append(name)
    if len(names) > KEYWORDS_MAX:
        raise ApplicationError(
            f"A dataset can have at most {KEYWORDS_MAX} keywords; this has {len(names)}.",
            details={"keywords": ["Too many keywords."]},
        )
    return names


def _keywords_set(dataset: Dataset, text: str) -> bool:
    """Set the dataset's keywords; whether they changed."""
    names = keywords_parse(text)
    # Another spelling of a known keyword ("Transport" for "transport") reuses it.
    existing = {}
    known = Keyword.objects.annotate(lowered=Lower("name")).filter(
        lowered__in=[name.lower() for name in names]
    )
    for keyword in known.order_by("pk"):
        existing.setdefault(keyword.name.casefold(), keyword)
    keywords = []
    for name in names:
        keyword = existing.get(name.casefold())
        if keyword is None:
            keyword, _ = Keyword.objects.get_or_create(name=name)
        keywords.append(keyword)
    before = set(dataset.keywords.values_list("pk", flat=True))
    dataset.keywords.set(keywords)
    return before != {keyword.pk for keyword in keywords}


def _themes_set(dataset: Dataset, themes) -> bool:
    """Set the dataset's themes; whether they changed."""
    chosen = set(themes)
    unknown = chosen - set(CatalogueTheme.values)
    if unknown:
        raise ApplicationError(
            f"“{sorted(unknown)[0]}” is not a catalogue theme.",
            details={"themes": ["Choose themes from the list."]},
        )
    have = set(dataset.themes.values_list("theme", flat=True))
    if have == chosen:
        return False
    dataset.themes.exclude(theme__in=chosen).delete()
    DatasetTheme.objects.bulk_create(
        DatasetTheme(dataset=dataset, theme=theme) for theme in sorted(chosen - have)
    )
    return True


def keywords_text(dataset: Dataset) -> str:
    """The dataset's keywords as the comma-separated text the form shows."""
    return ", ".join(keyword.name for keyword in dataset.keywords.all())


# --- Datasets --------------------------------------------------------------------------


@transaction.atomic
def dataset_create(
    *, actor, title: str, keywords: str = "", themes=(), slug: str = "", **fields
) -> Dataset:
    """A new, unpublished dataset: editors add its files and terms, then publish it."""
    reject_unknown_fields(fields, DATASET_FIELDS)
    dataset = Dataset(
        title=title,
        slug=slug or _unique_slug(Dataset, title),
        created_by=actor if actor is not None and actor.is_authenticated else None,
        is_published=False,
        **fields,
    )
    insert_audited(
        dataset,
        actor=actor,
        action="dataset.created",
        duplicate=f"The web address “{dataset.slug}” is taken by another dataset.",
    )
    _keywords_set(dataset, keywords)
    _themes_set(dataset, themes)
    dataset_reindex(dataset=dataset)
    return dataset


@transaction.atomic
def dataset_update(
    *, actor, dataset: Dataset, keywords: str | None = None, themes=None, **fields
) -> Dataset:
    """Change a dataset's metadata; `keywords` and `themes`, when given, replace its own."""
    reject_unknown_fields(fields, DATASET_FIELDS)
    if dataset.is_published:
        _check_publishable(
            fields.get("access_level", dataset.access_level), dataset, published=True
        )
    before = (dataset.title, dataset.description, keywords_text(dataset))
    changed = _apply_fields(dataset, fields)
    # Only what differs counts as changed, so saving the same keywords audits nothing.
    if keywords is not None and _keywords_set(dataset, keywords):
        changed.append("keywords")
    if themes is not None and _themes_set(dataset, themes):
        changed.append("themes")
    if changed:
        audit_record(
            actor=actor, action="dataset.updated", target=dataset, data={"changed": changed}
        )
    if before != (dataset.title, dataset.description, keywords_text(dataset)):
        dataset_reindex(dataset=dataset)
    return dataset


@transaction.atomic
def dataset_publish(*, actor, dataset: Dataset) -> Dataset:
    if dataset.is_published:
        return dataset
    _check_publishable(dataset.access_level, dataset, published=False)
    return _set_published(actor, dataset, True)


def _check_publishable(access_level: str, dataset: Dataset, *, published: bool) -> None:
    """A published dataset that is restricted must have terms: without them nobody could
    accept anything, and nobody could ever have its data."""
    if access_level == AccessLevel.RESTRICTED and not dataset.terms.exists():
        raise ApplicationError(
            "A restricted dataset needs its terms of use "
            + ("while it is published" if published else "before it is published")
            + ": people must accept them to download it. Publish its terms first.",
            code="no_terms",
            details={"access_level": ["Publish the dataset's terms first."]},
        )


@transaction.atomic
def dataset_unpublish(*, actor, dataset: Dataset) -> Dataset:
    """Hide a dataset from everyone but editors; events featuring it stop showing it."""
    if not dataset.is_published:
        return dataset
    return _set_published(actor, dataset, False)


def _set_published(actor, dataset: Dataset, published: bool) -> Dataset:
    dataset.is_published = published
    dataset.save(update_fields=["is_published", "updated_at"])
    action = "dataset.published" if published else "dataset.unpublished"
    audit_record(actor=actor, action=action, target=dataset)
    return dataset


def dataset_delete_refusal(dataset: Dataset) -> str:
    """Why `dataset` may not be deleted, or "" when it may.

    Like CKAN, which only marks a package deleted, the catalogue keeps what others rely
    on: a dataset featured on an event is part of that event's record (its organisers
    remove it first), and one that was downloaded or whose terms were accepted is the
    record publishers are shown of who used their data. Unpublishing hides it instead.
    """
    events = list(dataset.features.values_list("event__name", flat=True))
    if events:
        return (
            f"“{dataset}” is featured on {', '.join(sorted(events))}. Ask the event's "
            "organisers to remove it, or unpublish it to hide it from everyone."
        )
    if (
        dataset.acceptances.exists()
        or Resource.objects.filter(dataset=dataset, downloads__isnull=False).exists()
    ):
        return (
            f"“{dataset}” has been downloaded or its terms accepted, and that record is "
            "kept for its publisher. Unpublish it to hide it from everyone."
        )
    return ""


@transaction.atomic
def dataset_delete(*, actor, dataset: Dataset) -> None:
    refusal = dataset_delete_refusal(dataset)
    if refusal:
        raise ApplicationError(refusal, code="dataset_in_use", status=409)
    for name in dataset.resources.exclude(file="").values_list("file", flat=True):
        remove_after_commit(name)
    audit_record(actor=actor, action="dataset.deleted", target=dataset)
    try:
        dataset.delete()
    except ProtectedError as error:  # used between the check and the delete, or elsewhere
        raise ApplicationError(
            dataset_delete_refusal(dataset) or _kept_for(dataset, error),
            code="dataset_in_use",
            status=409,
        ) from None


def _kept_for(dataset: Dataset, error: ProtectedError) -> str:
    """Why a dataset that later apps' records point at (a submission citing it) stays."""
    records = sorted({str(row._meta.verbose_name_plural) for row in error.protected_objects})
    return (
        f"“{dataset}” is part of other records ({', '.join(records)}), which keep it. "
        "Unpublish it to hide it from everyone."
    )


# --- Terms -------------------------------------------------------------------------------


@transaction.atomic
def terms_publish(*, actor, dataset: Dataset, text: str) -> DatasetTerms:
    """The next version of the dataset's terms. Terms are never edited, so every
    acceptance names the exact wording; people accept the new version before their next
    download."""
    lock_rows(Dataset.objects.filter(pk=dataset.pk))  # one new version at a time
    newest = dataset.terms.aggregate(newest=Max("version"))["newest"] or 0
    terms = DatasetTerms(dataset=dataset, version=newest + 1, text=str(text).strip())
    return insert_audited(
        terms,
        actor=actor,
        action="dataset_terms.published",
        duplicate="Someone published a new version at the same moment; try again.",
    )
