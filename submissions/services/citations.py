"""The catalogue datasets a submission says it used, and how.

Only a dataset its authors can see may be cited (a published one, as the catalogue
shows them); a cited resource must be one of that dataset's. Citations are compared with
what the checks find the files reading (the "linkage" check).
"""

from django.db import IntegrityError, transaction

from common.audit import audit_record
from common.exceptions import ApplicationError
from common.services import full_clean_or_raise
from datasets.selectors.search import datasets_visible_to
from submissions.models import DatasetCitation
from submissions.services.lifecycle import check_editable, lock_submission, version_keep


def _check_citable(actor, dataset, resource) -> None:
    if not datasets_visible_to(actor).filter(pk=dataset.pk).exists():
        raise ApplicationError(
            "That dataset is not in the catalogue.", details={"dataset": ["Unknown dataset."]}
        )
    if resource is not None and resource.dataset_id != dataset.pk:
        raise ApplicationError(
            f"That file is not one of “{dataset}”'s.",
            details={"resource": ["Not a resource of this dataset."]},
        )


@transaction.atomic
def citation_add(
    *, actor, submission, dataset, resource=None, how_used: str = ""
) -> DatasetCitation:
    current = lock_submission(submission)
    check_editable(current)
    _check_citable(actor, dataset, resource)
    already = ApplicationError(
        f"Your submission already cites “{dataset}”.", code="duplicate", status=409
    )
    if current.citations.filter(dataset=dataset).exists():
        raise already
    citation = DatasetCitation(
        submission=current, dataset=dataset, resource=resource, how_used=how_used
    )
    full_clean_or_raise(citation)
    try:
        with transaction.atomic():
            citation.save()
    except IntegrityError:  # cited by a teammate since the check
        raise already from None
    version_keep(actor=actor, submission=current, changes={"datasets": [None, str(dataset)]})
    audit_record(actor=actor, action="citation.added", target=citation)
    return citation


@transaction.atomic
def citation_update(*, actor, citation, resource=None, how_used: str = "") -> DatasetCitation:
    current = lock_submission(citation.submission)
    check_editable(current)
    _check_citable(actor, citation.dataset, resource)
    changes = {}
    if citation.resource_id != (resource.pk if resource else None):
        changes["resource"] = [str(citation.resource or ""), str(resource or "")]
    if citation.how_used != how_used:
        changes["how_used"] = [citation.how_used, how_used]
    if not changes:
        return citation
    citation.resource, citation.how_used = resource, how_used
    full_clean_or_raise(citation)
    citation.save(update_fields=["resource", "how_used"])
    version_keep(
        actor=actor, submission=current,
        changes={f"citation of {citation.dataset}: {name}": pair for name, pair in changes.items()},
    )  # fmt: skip
    audit_record(actor=actor, action="citation.updated", target=citation)
    return citation


@transaction.atomic
def citation_remove(*, actor, citation) -> None:
    current = lock_submission(citation.submission)
    check_editable(current)
    audit_record(actor=actor, action="citation.removed", target=citation)
    version_keep(
        actor=actor, submission=current, changes={"datasets": [str(citation.dataset), None]}
    )
    citation.delete()
