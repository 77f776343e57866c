"""Catalogue editors' writes to a dataset's resources: files uploaded, links, their
descriptions and Table Schemas, replacing and deleting.

An upload is judged by its content (`common.uploads.check_upload`), stored under a
generated name, and queued for profiling; a file a change lets go leaves storage only
once that change has committed.
"""

from django.db import transaction
from django.db.models import Max, ProtectedError

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.files import display_filename, remove_after_commit
from common.services import full_clean_or_raise, reject_unknown_fields
from common.uploads import check_upload
from datasets.models import Dataset, Resource
from datasets.services.catalogue import insert_audited, update_audited
from datasets.services.profiling import profile_request
from datasets.services.search import dataset_reindex
from datasets.tableschema import check_table_schema

RESOURCE_FIELDS = ("name", "description", "format", "table_schema")

# A file's name stands in for a resource left unnamed, cut to what a name may hold.
NAME_LIMIT = Resource._meta.get_field("name").max_length
UPLOAD_FIELDS = (
    "url", "file", "format", "media_type", "original_filename", "size", "sha256", "updated_at",
)  # fmt: skip


def _store_upload(resource: Resource, uploaded_file) -> None:
    """Fill `resource` from an upload and store the file under a generated name."""
    upload = check_upload(uploaded_file)
    resource.url = ""
    resource.format, resource.media_type = upload.format, upload.media_type
    resource.original_filename, resource.size = upload.filename, upload.size
    resource.sha256 = upload.sha256
    # The name given is only passed to upload_to, which ignores it (generated_upload_name).
    resource.file.save(upload.filename, uploaded_file, save=False)
    stored = resource.file.name
    try:
        full_clean_or_raise(resource)
        if resource._state.adding:
            resource.save()
        else:
            # Only the content's fields: the row read before a long upload has stale
            # counts and statuses, which other requests and the profiler keep moving.
            resource.save(update_fields=UPLOAD_FIELDS)
    except Exception:
        resource.file.storage.delete(stored)
        raise


def _next_order(dataset: Dataset) -> int:
    newest = dataset.resources.aggregate(newest=Max("order"))["newest"]
    return 0 if newest is None else newest + 1


@transaction.atomic
def resource_create_upload(
    *, actor, dataset: Dataset, uploaded_file, name: str = "", description: str = ""
) -> Resource:
    resource = Resource(
        dataset=dataset,
        name=name or display_filename(uploaded_file.name or "")[:NAME_LIMIT],
        description=description,
        order=_next_order(dataset),
    )
    _store_upload(resource, uploaded_file)
    audit_record(
        actor=actor, action="resource.created", target=resource, data={"sha256": resource.sha256}
    )
    profile_request(resource=resource)
    dataset_reindex(dataset=dataset)
    return resource


@transaction.atomic
def resource_create_link(
    *,
    actor,
    dataset: Dataset,
    url: str,
    name: str,
    format: str = "",
    description: str = "",
) -> Resource:
    """A resource held elsewhere: its metadata only (nothing is fetched or profiled)."""
    resource = Resource(
        dataset=dataset,
        url=url,
        name=name,
        format=format.strip().upper(),
        description=description,
        order=_next_order(dataset),
    )
    insert_audited(resource, actor=actor, action="resource.created", duplicate="Already added.")
    profile_request(resource=resource)
    dataset_reindex(dataset=dataset)
    return resource


@transaction.atomic
def resource_replace_file(*, actor, resource: Resource, uploaded_file) -> Resource:
    """New content for a resource (a link becomes a file): profiled again; the old file
    leaves storage once this has committed."""
    old_name, old_sha256 = resource.file.name, resource.sha256
    _store_upload(resource, uploaded_file)
    remove_after_commit(old_name)
    audit_record(
        actor=actor,
        action="resource.replaced",
        target=resource,
        data={"sha256": resource.sha256, "previous_sha256": old_sha256},
    )
    profile_request(resource=resource)
    dataset_reindex(dataset=resource.dataset)
    return resource


@transaction.atomic
def resource_update(*, actor, resource: Resource, **fields) -> Resource:
    """A resource's name, description, format (links only: a file's format is read from
    its content) and Table Schema."""
    reject_unknown_fields(fields, RESOURCE_FIELDS)
    if "format" in fields:
        if resource.is_upload and fields["format"] != resource.format:
            raise ApplicationError(
                "An uploaded file's format is read from its content; replace the file instead.",
                details={"format": ["Read from the file."]},
            )
        fields["format"] = str(fields["format"]).strip().upper()
    check_table_schema(fields.get("table_schema"))
    before = (resource.name, resource.description)
    update_audited(
        resource, actor=actor, action="resource.updated", allowed=RESOURCE_FIELDS, fields=fields
    )
    if before != (resource.name, resource.description):
        dataset_reindex(dataset=resource.dataset)
    return resource


RESOURCE_IN_USE = (
    "“{resource}” has been downloaded, and that record is kept for its publisher. "
    "Replace its file instead, or unpublish the dataset."
)


@transaction.atomic
def resource_delete(*, actor, resource: Resource) -> None:
    """Delete a resource that nobody downloaded; one that was keeps its record of
    downloads for the publisher (its file can be replaced instead)."""
    if resource.downloads.exists():
        raise ApplicationError(
            RESOURCE_IN_USE.format(resource=resource), code="resource_in_use", status=409
        )
    dataset = resource.dataset
    remove_after_commit(resource.file.name)
    audit_record(actor=actor, action="resource.deleted", target=resource)
    try:
        resource.delete()
    except ProtectedError:  # downloaded between the check and the delete
        raise ApplicationError(
            RESOURCE_IN_USE.format(resource=resource), code="resource_in_use", status=409
        ) from None
    dataset_reindex(dataset=dataset)
