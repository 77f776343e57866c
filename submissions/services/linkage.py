"""Catalogue linkage: which of the catalogue's datasets a file used, against those cited.

The engine reports what a file reads (facts["inputs"]: URLs and file names a notebook
reads) and what it holds (facts["sha256"], and each zip member's). Each is matched to
the published catalogue's resources: by URL (the resource's own link, or a link to the
resource's page or download on this site), by file name (the name it was uploaded
under) and by SHA-256 (a copy of its file). A dataset used and not cited is a warning
naming the dataset and where it was found; facts["datasets"] lists the datasets found
(their ids), which `validation_summary` compares with the citations across the entry.
"""

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from django.db.models import Q
from django.urls import Resolver404, resolve

from datasets.models import Resource
from submissions.models import DatasetCitation
from submissions.validation.findings import PASS, WARNING, FileReport, Finding, Location

# Views whose address names a catalogue resource (datasets/<slug>/resources/<uuid>/...).
RESOURCE_VIEWS = {"datasets:resource", "datasets:resource_download"}
# Bounds on what is looked up, whatever a file declares.
MAX_VALUES = 1000
MAX_VALUE_CHARS = 1000


@dataclass(frozen=True)
class _Use:
    """One place a file uses a catalogue resource: how it was found, and where."""

    how: str
    location: Location


def catalogue_linkage(*, artifact, report: FileReport) -> None:
    """Add to `report` the datasets the file at `artifact` used: a linkage finding for
    each (a warning when the submission does not cite it), and facts["datasets"]."""
    clues = _clues(artifact, report.facts)
    if not any(clues.values()):
        return
    query = (
        Q(url__in=clues["urls"])
        | Q(pk__in=clues["resource_ids"])
        | Q(original_filename__in=clues["names"])
        | Q(sha256__in=clues["hashes"])
    )
    resources = Resource.objects.filter(query, dataset__is_published=True).select_related("dataset")
    uses: dict = {}  # dataset -> [_Use], in the order found
    for resource in resources.order_by("dataset__title", "order", "pk"):
        places = _places(resource, report.facts, artifact)
        if places:
            uses.setdefault(resource.dataset, []).extend(places)
    if not uses:
        return
    cited = set(
        DatasetCitation.objects.filter(
            submission_id=artifact.submission_id, dataset__in=list(uses)
        ).values_list("dataset_id", flat=True)
    )
    for dataset, places in uses.items():
        where = "; ".join(dict.fromkeys(place.how for place in places))
        if dataset.pk in cited:
            message = f"Uses “{dataset.title}”, which the submission cites ({where})."
            report.findings.append(Finding("linkage", PASS, message, places[0].location))
        else:
            message = (
                f"Uses the catalogue dataset “{dataset.title}” ({where}), which the "
                "submission does not cite: add it to the datasets used."
            )
            report.findings.append(Finding("linkage", WARNING, message, places[0].location))
    report.facts["datasets"] = [str(dataset.pk) for dataset in uses]


def _strings(values) -> list[str]:
    found = [value for value in values if isinstance(value, str) and value]
    return [value[:MAX_VALUE_CHARS] for value in found[:MAX_VALUES]]


def _inputs(facts, kind) -> list[dict]:
    inputs = facts.get("inputs")
    if not isinstance(inputs, list):
        return []
    return [
        item for item in inputs[:MAX_VALUES] if isinstance(item, dict) and item.get("kind") == kind
    ]


def _members(facts) -> list[dict]:
    members = facts.get("members")
    if not isinstance(members, list):
        return []
    return [item for item in members[:MAX_VALUES] if isinstance(item, dict)]


def _clues(artifact, facts) -> dict:
    urls = _strings(item.get("value") for item in _inputs(facts, "url"))
    names = _strings(PurePosixPath(str(item.get("value"))).name for item in _inputs(facts, "file"))
    hashes = _strings([artifact.sha256, *(item.get("sha256") for item in _members(facts))])
    return {
        "urls": urls,
        "resource_ids": [found for url in urls if (found := _resource_id(url))],
        "names": names,
        "hashes": hashes,
    }


def _resource_id(url: str):
    """The catalogue resource a link to this site's resource page or download names."""
    try:
        match = resolve(urlsplit(url).path or "/")
    except (Resolver404, ValueError):
        return None
    return match.kwargs.get("resource_id") if match.view_name in RESOURCE_VIEWS else None


def _places(resource, facts, artifact) -> list[_Use]:
    """Where the file uses `resource`, in words and as a location."""
    places = []
    for item in _inputs(facts, "url"):
        url = str(item.get("value"))
        if url == resource.url or _resource_id(url) == resource.pk:
            places.append(_Use(f"reads {url[:200]}", _input_location(item)))
    for item in _inputs(facts, "file"):
        name = PurePosixPath(str(item.get("value"))).name
        if resource.original_filename and name == resource.original_filename:
            places.append(_Use(f"reads the file {name[:200]}", _input_location(item)))
    if resource.sha256:
        if artifact.sha256 == resource.sha256:
            places.append(_Use(f"is a copy of its file “{resource.name}”", Location()))
        for member in _members(facts):
            if member.get("sha256") == resource.sha256:
                path = str(member.get("path", ""))[:255]
                places.append(
                    _Use(
                        f"{path[:200]} is a copy of its file “{resource.name}”", Location(file=path)
                    )
                )
    return places


def _input_location(item: dict) -> Location:
    cell = item.get("cell")
    return Location(
        file=str(item.get("file", ""))[:255],
        notebook_cell=cell if isinstance(cell, int) and cell >= 0 else None,
    )
