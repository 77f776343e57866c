"""Reading files to import into the catalogue: CKAN JSON and the CSV manifest, each turned
into `DatasetSpec`s (plain values, nothing written), which
`datasets.services.importing` checks and saves.

CKAN JSON: what package_show or package_search returns, with CKAN's envelope
({"success": true, "result": ...}) or without it, or a list of packages. Fields read:
id, name, title, notes, url, version, license_id, author/maintainer (+ _email),
organization {name, title}, tags, resources (id, name, description, url, format,
mimetype, size), and DCAT fields as extras or top-level keys, named as this
catalogue's CKAN API names them (theme, issued, modified, frequency, temporal_start,
temporal_end, geography_coverage, geography_level, access_level, provenance,
attribution).

CSV manifest (UTF-8, a header row, one row per resource; rows sharing a slug form one
dataset, whose fields come from its first row): see MANIFEST_COLUMNS. Only the columns
in the header are set: re-importing a file without some keeps those fields as they are.
"""

import csv
import io
import json
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from rest_framework.exceptions import ParseError

from common.exceptions import ApplicationError
from common.input import json_problems

MAX_DATASETS = 2000
MAX_RESOURCES = 500  # per dataset
MAX_MANIFEST_ROWS = 20000
MAX_EXTRA_LENGTH = 10000  # characters in an extra's value (a theme list, a date, a text)

MANIFEST_COLUMNS = {
    "slug": "the dataset's short name, used in its address (required)",
    "title": "the dataset's title (required)",
    "description": "what the data are",
    "publisher": "who publishes it, by name (required; created if new)",
    "licence": "a CKAN licence id such as uk-ogl or cc-by, or a licence's title",
    "keywords": "keywords, separated by semicolons (a keyword holds no comma)",
    "themes": "EU data themes by code (ECON, SOCI, TRAN, ...), separated by semicolons",
    "geography_level": "region, local_authority, msoa, lsoa or site",
    "geography_coverage": "the area covered, e.g. Liverpool City Region",
    "access_level": "open, signed_in or restricted (open when empty)",
    "landing_page": "the web page about the data",
    "resource_url": "the address of one file or page of data (a link; nothing is fetched)",
    "resource_name": "that resource's name",
    "resource_format": "its format, e.g. CSV",
}
MANIFEST_REQUIRED = ("slug", "title", "publisher")
DATASET_COLUMNS = [name for name in MANIFEST_COLUMNS if not name.startswith("resource_")]


@dataclass
class ResourceSpec:
    url: str
    name: str
    ckan_id: str = ""
    description: str = ""
    format: str = ""
    media_type: str = ""
    size: int | None = None


@dataclass
class DatasetSpec:
    """One dataset to create or update. `label` names it in errors ("claimants, item 2");
    `sources` maps model field names to the source's own names, for errors."""

    label: str
    slug: str
    ckan_id: str = ""
    publisher_slug: str = ""
    publisher_name: str = ""
    # None: the file does not say (a manifest without the column), so keep what is there
    licence: str | None = ""
    keywords: list[str] | None = field(default_factory=list)
    themes: list[str] | None = field(default_factory=list)
    fields: dict = field(default_factory=dict)
    resources: list[ResourceSpec] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)


def read_import_file(content: bytes) -> list[DatasetSpec]:
    """Specs from CKAN JSON or a CSV manifest, told apart by the first character."""
    text = _decode(content)
    if text.lstrip()[:1] in ("{", "["):
        return read_ckan_json(text)
    return read_manifest(text)


def _decode(content: bytes) -> str:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ApplicationError("The file must be UTF-8 text.", code="invalid_file") from None
    if not text.strip():
        raise ApplicationError("The file is empty.", code="invalid_file")
    if "\x00" in text:
        raise ApplicationError("The file holds null characters.", code="invalid_file")
    return text


# --- CKAN JSON --------------------------------------------------------------------------

CKAN_FIELDS = {
    # model field: CKAN key
    "title": "title",
    "description": "notes",
    "landing_page": "url",
    "version": "version",
}
EXTRA_FIELDS = {
    # model field: extra key (or top-level key, as ckanext-scheming puts them)
    "issued": "issued",
    "modified": "modified",
    "update_frequency": "frequency",
    "temporal_start": "temporal_start",
    "temporal_end": "temporal_end",
    "geography_coverage": "geography_coverage",
    "geography_level": "geography_level",
    "access_level": "access_level",
    "provenance": "provenance",
    "attribution": "attribution",
}
EU_PREFIX = "http://publications.europa.eu/resource/authority/"


def read_ckan_json(text: str) -> list[DatasetSpec]:
    try:
        data = json.loads(text)
    except (ValueError, RecursionError):
        raise ApplicationError("The file is not valid JSON.", code="invalid_file") from None
    try:
        problems = json_problems(data)
    except ParseError as error:
        raise ApplicationError(
            f"The file cannot be read: {error.detail}", code="invalid_file"
        ) from None
    if problems:
        where, reasons = next(iter(problems.items()))
        raise ApplicationError(
            f"The file cannot be stored: {where}: {reasons[0]}", code="invalid_file"
        )
    packages = _packages(data)
    if len(packages) > MAX_DATASETS:
        raise ApplicationError(
            f"The file holds {len(packages)} datasets; import at most {MAX_DATASETS} at a time.",
            code="invalid_file",
        )
    return [_ckan_spec(package, number) for number, package in enumerate(packages, start=1)]


def _packages(data) -> list:
    """The package dicts in package_show or package_search output, enveloped or bare."""
    if isinstance(data, dict) and data.get("success") is False:
        raise ApplicationError("The file holds a CKAN error, not datasets.", code="invalid_file")
    if isinstance(data, dict) and "result" in data:
        data = data["result"]
    if isinstance(data, dict) and isinstance(data.get("results"), list):
        data = data["results"]
    if isinstance(data, dict) and ("name" in data or "id" in data):
        data = [data]
    if not isinstance(data, list) or not data:
        raise ApplicationError(
            "The file holds no CKAN datasets: expected package_show or package_search output.",
            code="invalid_file",
        )
    return data


def _ckan_spec(package, number: int) -> DatasetSpec:
    if not isinstance(package, dict):
        raise ApplicationError(f"Item {number} is not a CKAN dataset.", code="invalid_file")
    slug = _text(package.get("name"))
    spec = DatasetSpec(
        label=f"{slug or 'unnamed'} (item {number})",
        slug=slug,
        ckan_id=_text(package.get("id")),
        licence=_text(package.get("license_id")),
        sources={"slug": "name", **CKAN_FIELDS, **EXTRA_FIELDS, "licence": "license_id"},
    )
    for model_field, key in CKAN_FIELDS.items():
        spec.fields[model_field] = _text(package.get(key))
    spec.fields["title"] = spec.fields["title"] or slug
    spec.fields["contact_name"] = _text(package.get("maintainer") or package.get("author"))
    spec.fields["contact_email"] = _text(
        package.get("maintainer_email") or package.get("author_email")
    )
    spec.sources |= {"contact_name": "maintainer", "contact_email": "maintainer_email"}
    extras = _extras(package, spec.label)
    for model_field, key in EXTRA_FIELDS.items():
        value = _text(extras.get(key, package.get(key)))
        if value:
            spec.fields[model_field] = _vocabulary_code(value)
    if spec.fields.get("update_frequency"):
        spec.fields["update_frequency"] = spec.fields["update_frequency"].upper()
    spec.themes = _themes(extras.get("theme", package.get("theme")), spec.label)
    organization = package.get("organization")
    if isinstance(organization, dict):
        spec.publisher_slug = _text(organization.get("name"))
        spec.publisher_name = _text(organization.get("title")) or spec.publisher_slug
    spec.keywords = [
        _text(tag.get("name") if isinstance(tag, dict) else tag)
        for tag in _list(package.get("tags"))
    ]
    resources = _list(package.get("resources"))
    if len(resources) > MAX_RESOURCES:
        raise ApplicationError(
            f"{spec.label} has {len(resources)} resources; at most {MAX_RESOURCES} are imported.",
            code="invalid_file",
        )
    spec.resources = [_ckan_resource(item, n) for n, item in enumerate(resources, start=1)]
    return spec


def _ckan_resource(item, number: int) -> ResourceSpec:
    item = item if isinstance(item, dict) else {}
    size = item.get("size")
    url = _text(item.get("url"))
    return ResourceSpec(
        url=url,
        name=_text(item.get("name")) or _name_from_url(url) or f"Resource {number}",
        ckan_id=_text(item.get("id")),
        description=_text(item.get("description")),
        format=_text(item.get("format")).upper()[:20],
        media_type=_text(item.get("mimetype")),
        size=size if isinstance(size, int) and not isinstance(size, bool) and size >= 0 else None,
    )


def _extras(package: dict, label: str) -> dict:
    extras = package.get("extras")
    if not isinstance(extras, dict):
        pairs = [item for item in _list(extras) if isinstance(item, dict) and "key" in item]
        extras = {_text(item["key"]): item.get("value") for item in pairs}
    for key, value in extras.items():
        _check_extra_length(key, value, label)
    return extras


def _check_extra_length(key: str, value, label: str) -> None:
    if isinstance(value, str) and len(value) > MAX_EXTRA_LENGTH:
        raise ApplicationError(
            f"{label}: the extra {key[:40]!r} is longer than {MAX_EXTRA_LENGTH} characters.",
            code="invalid_file",
        )


def _themes(value, label: str) -> list[str]:
    """Theme codes from a JSON list (as text or a list) or a ;/, separated text, each a
    code or an EU data-theme URI."""
    if isinstance(value, str):
        _check_extra_length("theme", value, label)
        try:
            value = json.loads(value)
        except RecursionError:  # within the length bound, "[[[[..." still nests too deep
            raise ApplicationError(
                f"{label}: the theme is a list nested too deeply to read.", code="invalid_file"
            ) from None
        except ValueError:
            value = value.replace(";", ",").split(",")
    return [_vocabulary_code(_text(item)).upper() for item in _list(value) if _text(item)]


def _vocabulary_code(value: str) -> str:
    """The code at the end of an EU vocabulary URI (…/data-theme/ECON -> ECON)."""
    return value.rstrip("/").rpartition("/")[2] if value.startswith(EU_PREFIX) else value


# --- CSV manifest -------------------------------------------------------------------------


def read_manifest(text: str) -> list[DatasetSpec]:
    try:
        # strict: a stray quote is an error to report, not a cell to guess at
        rows = list(csv.DictReader(io.StringIO(text, newline=""), strict=True))
    except csv.Error as error:
        raise ApplicationError(
            f"The CSV file cannot be read: {error}.", code="invalid_file"
        ) from None
    header = list(rows[0]) if rows else next(csv.reader(io.StringIO(text)), [])
    header = [name for name in header if name is not None]
    unknown = [name for name in header if name not in MANIFEST_COLUMNS]
    missing = [name for name in MANIFEST_REQUIRED if name not in header]
    if unknown or missing:
        problem = (
            f"unknown columns {', '.join(map(repr, unknown))}"
            if unknown
            else f"missing columns {', '.join(missing)}"
        )
        raise ApplicationError(
            f"The CSV file's header has {problem}; the columns are {', '.join(MANIFEST_COLUMNS)}.",
            code="invalid_file",
        )
    if not rows:
        raise ApplicationError("The CSV file has a header but no rows.", code="invalid_file")
    if len(rows) > MAX_MANIFEST_ROWS:
        raise ApplicationError(
            f"The CSV file has {len(rows)} rows; import at most {MAX_MANIFEST_ROWS} at a time.",
            code="invalid_file",
        )
    specs: dict[str, DatasetSpec] = {}
    first_rows: dict[str, dict] = {}
    for line, row in enumerate(rows, start=2):
        if None in row:  # more cells than the header names
            raise ApplicationError(
                f"Row {line} has more cells than the header.", code="invalid_file"
            )
        row = {name: (value or "").strip() for name, value in row.items()}
        slug = row["slug"]
        if slug not in specs:
            specs[slug], first_rows[slug] = _manifest_spec(row, line), row
        else:
            _check_same_dataset(row, first_rows[slug], line)
        if row.get("resource_url"):
            specs[slug].resources.append(
                ResourceSpec(
                    url=row["resource_url"],
                    name=row.get("resource_name") or _name_from_url(row["resource_url"]),
                    format=(
                        row.get("resource_format") or _format_from_url(row["resource_url"])
                    ).upper()[:20],
                )
            )
    if len(specs) > MAX_DATASETS:
        raise ApplicationError(
            f"The file holds {len(specs)} datasets; import at most {MAX_DATASETS} at a time.",
            code="invalid_file",
        )
    return list(specs.values())


def _manifest_spec(row: dict, line: int) -> DatasetSpec:
    spec = DatasetSpec(
        label=f"{row['slug'] or 'unnamed'} (row {line})",
        slug=row["slug"],
        publisher_name=row["publisher"],
        licence=row.get("licence"),
        keywords=_split(row["keywords"]) if "keywords" in row else None,
        themes=[code.upper() for code in _split(row["themes"])] if "themes" in row else None,
        sources={"slug": "slug", "licence": "licence", "description": "description"},
    )
    # Only the columns the file has: a re-import without one keeps the dataset's value.
    for name in ("title", "description", "geography_level", "geography_coverage", "landing_page"):
        if name in row:
            spec.fields[name] = row[name]
    if row.get("access_level"):
        spec.fields["access_level"] = row["access_level"]
    return spec


def _check_same_dataset(row: dict, first: dict, line: int) -> None:
    for name in DATASET_COLUMNS:
        if row.get(name) and row.get(name) != first.get(name):
            raise ApplicationError(
                f"Row {line}: {name} differs from the first row for dataset {row['slug']!r}; "
                "rows sharing a slug give the dataset's fields once.",
                code="invalid_file",
            )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


# --- Helpers ------------------------------------------------------------------------------


def _text(value) -> str:
    """A value as stripped text (numbers as written; lists and objects are not text)."""
    if value is None or isinstance(value, (dict, list, bool)):
        return ""
    return str(value).strip()


def _list(value) -> list:
    return value if isinstance(value, list) else []


def _name_from_url(url: str) -> str:
    try:
        path = urlsplit(url).path
    except ValueError:
        return ""
    return path.rstrip("/").rpartition("/")[2][:200]


def _format_from_url(url: str) -> str:
    name = _name_from_url(url)
    return name.rpartition(".")[2] if "." in name else ""
