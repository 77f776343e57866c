"""A dataset as a Frictionless Data Package (datapackage.json, version 1 of the spec), so
the data tools people already use (frictionless, Data Package libraries, Open Data
Editor) can open it.

Each resource's `path` is where its data is (the download page, or an open link), and
its `schema` is the resource's own Table Schema when it has one, else one made from its
column profile: names and types only, never values (those are data).
"""

from django.utils.text import slugify

from datasets.interop.links import dataset_page_url, resource_url
from datasets.models import Dataset, Resource

# Table Schema's field types; profiles (datasets.profiling) name theirs in this
# vocabulary, and anything else is "any".
TABLE_SCHEMA_TYPES = {
    "string", "number", "integer", "boolean", "object", "array", "date", "time",
    "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any",
}  # fmt: skip


def datapackage_descriptor(dataset: Dataset, request) -> dict:
    """The Data Package of a published dataset (with `published_datasets`' prefetches)."""
    licence = dataset.licence
    licence_entry = {"name": licence.id, "title": licence.title}
    if licence.url:
        licence_entry["path"] = licence.url
    descriptor = {
        "profile": "data-package",
        "id": str(dataset.pk),
        "name": _name(dataset.slug, "dataset"),
        "title": dataset.title,
        "description": dataset.description,
        "homepage": dataset_page_url(dataset, request),
        "licenses": [licence_entry],
        "keywords": [keyword.name for keyword in dataset.keywords.all()],
        "contributors": [{"title": dataset.publisher.name, "role": "publisher"}],
        "resources": _resources(dataset, request),
    }
    if dataset.version:
        descriptor["version"] = dataset.version
    if dataset.landing_page:
        descriptor["sources"] = [{"title": dataset.publisher.name, "path": dataset.landing_page}]
    if dataset.created_at:
        descriptor["created"] = dataset.created_at.isoformat()
    return descriptor


def _resources(dataset: Dataset, request) -> list[dict]:
    entries, used = [], set()
    for position, resource in enumerate(dataset.resources.all(), start=1):
        name = _name(resource.name, f"resource-{position}")
        if name in used:  # names must be unique within a package
            name = f"{name}-{position}"
        used.add(name)
        entry = {
            "name": name,
            "title": resource.name,
            "path": resource_url(resource, request),
        }
        if resource.description:
            entry["description"] = resource.description
        if resource.format:
            entry["format"] = resource.format.lower()
        if resource.media_type:
            entry["mediatype"] = resource.media_type
        if resource.size is not None:
            entry["bytes"] = resource.size
        if resource.sha256:
            entry["hash"] = f"sha256:{resource.sha256}"
        schema = table_schema_of(resource)
        if schema:
            entry["schema"] = schema
        entries.append(entry)
    return entries


def table_schema_of(resource: Resource) -> dict | None:
    """The resource's Table Schema, or one made from its profile's column names and
    types, or None."""
    if resource.table_schema:
        return resource.table_schema
    profile = getattr(resource, "profile", None)  # a reverse one-to-one raises when absent
    if profile is None or not profile.fields:
        return None
    fields = []
    for column in profile.fields:
        if not isinstance(column, dict):
            continue
        kind = str(column.get("type", ""))
        fields.append(
            {
                "name": str(column.get("name", "")),
                "type": kind if kind in TABLE_SCHEMA_TYPES else "any",
            }
        )
    return {"fields": fields}


def _name(text: str, fallback: str) -> str:
    """A Data Package name: lower-case letters, digits, '-', '_' and '.'."""
    return slugify(text) or fallback
