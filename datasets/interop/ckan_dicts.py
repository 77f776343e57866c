"""The catalogue as CKAN's Action API shows it: package, resource, organization and
licence dicts with CKAN's field names (ckan/logic/action/get.py), so CKAN clients read
them unchanged.

Fields CKAN has and DCAT-AP needs but CKAN's core schema lacks (themes, coverage, update
frequency, access level) go in `extras`, named as ckanext-dcat names them where it has
a name. Only the dataset's and the publisher's contact addresses are ever shown.
"""

import datetime
import json

from datasets.interop.links import resource_url
from datasets.models import Dataset, Licence, Publisher, Resource

# The CKAN release whose Action API this one follows (status_show reports it).
CKAN_VERSION = "2.10.0"


def ckan_time(moment: datetime.datetime | None) -> str | None:
    """CKAN's timestamps: ISO 8601 in UTC without an offset."""
    if moment is None:
        return None
    return moment.astimezone(datetime.UTC).replace(tzinfo=None).isoformat()


def organization_dict(publisher: Publisher, *, package_count: int | None = None) -> dict:
    result = {
        "id": str(publisher.pk),
        "name": publisher.slug,
        "title": publisher.name,
        "display_name": publisher.name,
        "description": "",
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(publisher.created_at),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
        "type": "organization",
    }
    if package_count is not None:
        result["package_count"] = package_count
    return result


def licence_dict(licence: Licence) -> dict:
    return {
        "id": licence.id,
        "title": licence.title,
        "url": licence.url,
        "status": "active",
        "maintainer": "",
        "family": "",
        "is_generic": licence.id.startswith("other-") or licence.id == "notspecified",
        "od_conformance": "approved" if licence.is_open else "not reviewed",
        "osd_conformance": "not reviewed",
        "is_okd_compliant": licence.is_open,
        "is_osi_compliant": False,
        "domain_content": False,
        "domain_data": licence.is_open,
        "domain_software": False,
    }


def resource_dict(resource: Resource, request, *, position: int) -> dict:
    return {
        "id": str(resource.pk),
        "package_id": str(resource.dataset_id),
        "name": resource.name,
        "description": resource.description,
        "url": resource_url(resource, request),
        "format": resource.format,
        "mimetype": resource.media_type or None,
        "size": resource.size,
        "hash": f"sha256:{resource.sha256}" if resource.sha256 else "",
        "created": ckan_time(resource.created_at),
        "last_modified": ckan_time(resource.updated_at),
        "metadata_modified": ckan_time(resource.updated_at),
        "position": position,
        "state": "active",
    }


def dataset_extras(dataset: Dataset) -> dict[str, str]:
    """The DCAT fields CKAN's core schema has no place for, as text; empty ones left out.
    `theme` is a JSON list of EU data-theme codes (CKAN extras are strings)."""
    themes = [row.theme for row in dataset.themes.all()]
    extras = {
        "theme": json.dumps(themes) if themes else "",
        "issued": _date(dataset.issued),
        "modified": _date(dataset.modified),
        "frequency": dataset.update_frequency,
        "temporal_start": _date(dataset.temporal_start),
        "temporal_end": _date(dataset.temporal_end),
        "geography_coverage": dataset.geography_coverage,
        "geography_level": dataset.geography_level,
        "access_level": dataset.access_level,
        "provenance": dataset.provenance,
        "attribution": dataset.attribution,
    }
    return {key: value for key, value in extras.items() if value}


def package_dict(dataset: Dataset, request) -> dict:
    """A published dataset as CKAN's package_show returns it (with `published_datasets`'
    prefetches, this costs no query)."""
    publisher, licence = dataset.publisher, dataset.licence
    tags = [
        {"id": str(keyword.pk), "name": keyword.name, "display_name": keyword.name,
         "state": "active", "vocabulary_id": None}
        for keyword in dataset.keywords.all()
    ]  # fmt: skip
    resources = [
        resource_dict(resource, request, position=position)
        for position, resource in enumerate(dataset.resources.all())
    ]
    extras = dataset_extras(dataset)
    return {
        "id": str(dataset.pk),
        "name": dataset.slug,
        "title": dataset.title,
        "notes": dataset.description,
        "url": dataset.landing_page,
        "version": dataset.version or None,
        "license_id": licence.id,
        "license_title": licence.title,
        "license_url": licence.url,
        "isopen": licence.is_open,
        # Both name the dataset's contact (CKAN clients read either); the publisher is the
        # organization. So an export imported again keeps the contact as it was.
        "author": dataset.contact_name or None,
        "author_email": dataset.contact_email or None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "organization": organization_dict(publisher),
        "owner_org": str(publisher.pk),
        "private": False,
        "state": "active",
        "type": "dataset",
        "metadata_created": ckan_time(dataset.created_at),
        "metadata_modified": ckan_time(dataset.updated_at),
        "tags": tags,
        "num_tags": len(tags),
        "groups": [],
        "relationships_as_object": [],
        "relationships_as_subject": [],
        "resources": resources,
        "num_resources": len(resources),
        "extras": [{"key": key, "value": value} for key, value in sorted(extras.items())],
    }


def _date(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""
