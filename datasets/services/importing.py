"""Importing datasets from CKAN JSON or a CSV manifest, for `manage.py import_ckan` and
the catalogue editors' import page alike.

All or nothing per file: every dataset is checked (full_clean on each object) and, if
any has a problem, nothing is written and the error names each dataset and field.
Re-importing updates instead of duplicating: a dataset is matched by its CKAN id when
that is a UUID already imported (new datasets keep CKAN's UUID as their id), else by
slug (CKAN's `name`); a resource by its CKAN id, else by its URL within the dataset. A
slug or CKAN id given twice in one file is a problem of the dataset that repeats it.
Publishers are matched by slug (CKAN's organization `name`) or name, and created when
new; existing ones are left as they are. Keywords come from CKAN's tags. Resources are
links only: nothing is downloaded, and an uploaded file is never replaced by a link. A
re-import places new resources after the dataset's own, and keeps a link the file no
longer has (the result says so): it may be wanted here still.

Licences: a CKAN licence id or title (or a common SPDX-style id such as CC-BY-4.0) maps
to the Licence row; none given means "notspecified", and one not known here becomes
"other-closed" (Other, not open), so nobody reads an unrecognised licence as open; the
result lists each such case.

Keywords and themes are set through the editors' service (datasets.services.catalogue),
and with `publish` new datasets are published through it too: a restricted dataset
without terms stays unpublished, with a warning. Existing datasets keep their state.
One audit entry per dataset imported ("dataset.imported", naming the file and the
import), besides the editors' service's own.
"""

import uuid
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify

from common.audit import audit_record
from common.exceptions import ApplicationError
from datasets.interop.import_formats import DatasetSpec, ResourceSpec, read_import_file
from datasets.models import Dataset, Licence, Publisher, Resource
from datasets.services.catalogue import dataset_publish, dataset_update
from datasets.services.search import dataset_reindex

NO_LICENCE = "notspecified"
UNKNOWN_LICENCE = "other-closed"
# Ids other catalogues use for licences this one names differently.
LICENCE_ALIASES = {
    "ogl-uk-3.0": "uk-ogl",
    "ogl-uk-2.0": "uk-ogl",
    "ogl": "uk-ogl",
    "cc-by-4.0": "cc-by",
    "cc-by-sa-4.0": "cc-by-sa",
    "cc-by-nc-4.0": "cc-nc",
    "cc0-1.0": "cc-zero",
    "cc0": "cc-zero",
    "odbl-1.0": "odc-odbl",
    "odc-by-1.0": "odc-by",
    "pddl-1.0": "odc-pddl",
}
DATE_FIELDS = ("issued", "modified", "temporal_start", "temporal_end")


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)  # slugs
    updated: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


class _Problems(Exception):
    """One dataset's problems: {field label: [messages]}."""

    def __init__(self, problems: dict[str, list[str]]):
        super().__init__(problems)
        self.problems = problems


def datasets_import(*, actor, content: bytes, source: str, publish: bool = False) -> ImportResult:
    """Import the datasets in `content` (CKAN JSON or a CSV manifest, named `source` in
    the audit log). Raises ApplicationError, with `details["datasets"]` as {dataset: [
    "field: problem"]} when datasets are at fault, and then writes nothing."""
    specs = read_import_file(content)
    return _import(actor=actor, specs=specs, source=source, publish=publish)


@transaction.atomic
def _import(*, actor, specs: list[DatasetSpec], source: str, publish: bool) -> ImportResult:
    importer = _Importer(actor=actor, publish=publish)
    problems: dict[str, list[str]] = {}
    done: list[tuple[Dataset, bool]] = []
    for spec in specs:
        try:
            with transaction.atomic():  # a dataset with a problem leaves nothing behind
                dataset, created = importer.dataset(spec)
                if created and publish:
                    importer.publish_new(dataset, spec.label)
                done.append((dataset, created))
        except _Problems as error:
            problems[spec.label] = [
                f"{name}: {message}" for name, messages in error.problems.items()
                for message in messages
            ]  # fmt: skip
    if problems:
        raise ApplicationError(
            f"Nothing was imported: {len(problems)} of the {len(specs)} datasets in the file "
            f"have problems. First: {next(iter(problems))}: {next(iter(problems.values()))[0]}",
            code="invalid_import",
            details={"datasets": problems},
        )
    import_id = uuid.uuid4().hex
    result = ImportResult(warnings=importer.warnings)
    for dataset, created in done:
        (result.created if created else result.updated).append(dataset.slug)
        audit_record(
            actor=actor,
            action="dataset.imported",
            target=dataset,
            data={"source": source, "import": import_id, "created": created},
        )
    return result


class _Importer:
    def __init__(self, *, actor, publish: bool):
        self.actor = actor
        self.publish = publish
        self.warnings: list[str] = []
        self.slugs_seen: set[str] = set()
        # CKAN ids given twice would make one dataset of two, silently.
        self.ids_seen: set[str] = set()
        licences = list(Licence.objects.all())
        self.licences = {licence.id.lower(): licence for licence in licences}
        self.licences |= {licence.title.lower(): licence for licence in licences}

    def dataset(self, spec: DatasetSpec) -> tuple[Dataset, bool]:
        if spec.slug in self.slugs_seen:
            raise _Problems({_label(spec, "slug"): ["appears twice in the file."]})
        self.slugs_seen.add(spec.slug)
        if spec.ckan_id and spec.ckan_id in self.ids_seen:
            raise _Problems({"id": [f"{spec.ckan_id!r} appears twice in the file."]})
        self.ids_seen.add(spec.ckan_id)
        self._check_resource_ids(spec)
        dataset = self._match(spec)
        created = dataset._state.adding
        dataset.slug = spec.slug
        dataset.publisher = self._publisher(spec)
        dataset.licence = self._licence(spec, dataset)
        for name, value in spec.fields.items():
            if name in DATE_FIELDS:
                value = value[:10] or None  # CKAN often gives a date as a date-time
            elif name in ("update_frequency", "access_level") and not value:
                continue  # keep the default, or what is there
            setattr(dataset, name, value)
        if created:
            dataset.created_by = self.actor if self.actor and self.actor.is_authenticated else None
            dataset.is_published = False  # published below, by the catalogue's own rule
        _clean(spec, dataset)
        dataset.save()
        self._keywords_and_themes(spec, dataset)
        existing = [] if created else list(dataset.resources.all())
        # New resources come after the dataset's own, whose places are kept.
        next_order = max((resource.order for resource in existing), default=-1) + 1
        problems, matched = {}, set()
        for position, resource_spec in enumerate(spec.resources):
            try:
                resource, new = self._resource(resource_spec, dataset, next_order)
            except ValidationError as error:
                label = f"resource {position + 1} ({resource_spec.name or resource_spec.url})"
                for name, messages in error.message_dict.items():
                    problems[f"{label} {name}"] = messages
                continue
            if new:
                next_order += 1
            matched.add(resource.pk)
        if problems:
            raise _Problems(problems)
        # A link dropped upstream may still be wanted here: kept, and said so.
        for resource in existing:
            if resource.pk not in matched and not resource.is_upload:
                self.warnings.append(
                    f"{spec.label}: the resource {resource.name!r} is not in the file, kept."
                )
        return dataset, created

    @staticmethod
    def _check_resource_ids(spec: DatasetSpec) -> None:
        """One id twice in a dataset would make one resource of two. (Another dataset's
        resource id is not matched at all: see _match_resource.)"""
        problems, seen = {}, set()
        for position, resource_spec in enumerate(spec.resources):
            ckan_id = resource_spec.ckan_id
            if ckan_id and ckan_id in seen:
                label = f"resource {position + 1} ({resource_spec.name or resource_spec.url}) id"
                problems[label] = [f"{ckan_id!r} appears twice in the file."]
            seen.add(ckan_id)
        if problems:
            raise _Problems(problems)

    def _match(self, spec: DatasetSpec) -> Dataset:
        ckan_id = _uuid(spec.ckan_id)
        if ckan_id:
            found = Dataset.objects.filter(pk=ckan_id).first()
            if found:
                return found
        found = Dataset.objects.filter(slug=spec.slug).first() if spec.slug else None
        if found:
            return found
        return Dataset(pk=ckan_id) if ckan_id else Dataset()

    def _publisher(self, spec: DatasetSpec) -> Publisher:
        slug = spec.publisher_slug or slugify(spec.publisher_name)[:50]
        if not slug:
            raise _Problems(
                {_label(spec, "publisher"): ["Missing: every dataset needs a publisher."]}
            )
        found = (
            Publisher.objects.filter(slug=slug).first()
            or Publisher.objects.filter(name__iexact=spec.publisher_name).first()
        )
        if found:
            return found
        publisher = Publisher(slug=slug, name=spec.publisher_name or slug)
        try:
            publisher.full_clean()
        except ValidationError as error:
            raise _Problems(
                {f"publisher {name}": messages for name, messages in error.message_dict.items()}
            ) from None
        publisher.save()
        return publisher

    def _licence(self, spec: DatasetSpec, dataset: Dataset) -> Licence:
        if spec.licence is None and not dataset._state.adding:
            return dataset.licence  # the file does not say
        key = (spec.licence or "").lower()
        found = self.licences.get(LICENCE_ALIASES.get(key, key)) if key else None
        if found:
            return found
        fallback = self.licences.get(UNKNOWN_LICENCE if key else NO_LICENCE)
        if fallback is None:  # the catalogue's licence list lost a row migration 0002 made
            raise _Problems({_label(spec, "licence"): [f"{spec.licence!r} is not known here."]})
        if key:
            self.warnings.append(
                f"{spec.label}: the licence {spec.licence!r} is not known here, so it was "
                f"imported as {fallback.title!r}."
            )
        return fallback

    def _keywords_and_themes(self, spec: DatasetSpec, dataset: Dataset) -> None:
        """Set them through the editors' service, so imported keywords follow the same
        rules (one keyword whatever its case, at most 30) and the text is reindexed."""
        try:
            dataset_update(
                actor=self.actor,
                dataset=dataset,
                keywords=None if spec.keywords is None else ", ".join(spec.keywords),
                themes=None if spec.themes is None else list(dict.fromkeys(spec.themes)),
            )
        except ApplicationError as error:
            field = next(iter(error.details), "keywords")
            raise _Problems({_label(spec, field): [error.message]}) from None
        dataset_reindex(dataset=dataset)  # also when only the title or description changed

    def publish_new(self, dataset: Dataset, label: str) -> None:
        """Publish a new dataset as an editor would; one that may not be published yet (a
        restricted dataset without terms) stays unpublished, and the result says so."""
        try:
            dataset_publish(actor=self.actor, dataset=dataset)
        except ApplicationError as error:
            self.warnings.append(f"{label}: left unpublished: {error.message}")

    def _resource(
        self, spec: ResourceSpec, dataset: Dataset, new_order: int
    ) -> tuple[Resource, bool]:
        """Create or update the resource (and whether it is new); a new one is placed at
        `new_order`."""
        resource = self._match_resource(spec, dataset)
        new = resource._state.adding
        resource.dataset = dataset
        resource.name = spec.name
        resource.description = spec.description
        if new:
            resource.order = new_order
        if not resource.is_upload:  # a stored file's facts describe the file, not a link
            if not spec.url:
                raise ValidationError({"url": ["Missing: a resource needs its data's address."]})
            resource.url = spec.url
            resource.format = spec.format
            resource.media_type = spec.media_type
            resource.size = spec.size
        resource.full_clean()
        resource.save()
        return resource, new

    def _match_resource(self, spec: ResourceSpec, dataset: Dataset) -> Resource:
        ckan_id = _uuid(spec.ckan_id)
        if ckan_id:
            found = Resource.objects.filter(pk=ckan_id).first()
            if found and found.dataset_id == dataset.pk:
                return found
            if found:  # that id is another dataset's resource here: not the same one
                ckan_id = None
        found = dataset.resources.filter(url=spec.url).first() if spec.url else None
        if found:
            return found
        return Resource(pk=ckan_id) if ckan_id else Resource()


def _clean(spec: DatasetSpec, dataset: Dataset) -> None:
    try:
        dataset.full_clean()
    except ValidationError as error:
        raise _Problems(
            {_label(spec, name): messages for name, messages in error.message_dict.items()}
        ) from None


def _label(spec: DatasetSpec, name: str) -> str:
    """A field's name, with the file's own name for it when that differs."""
    source = spec.sources.get(name, name)
    return name if source == name else f"{name} ({source!r} in the file)"


def _uuid(text: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(text) if text else None
    except ValueError:
        return None
