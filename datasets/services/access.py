"""Writes about who uses the data: accepting a restricted dataset's terms, and
recording a download."""

from django.db import transaction
from django.db.models import F

from common.audit import audit_record
from common.exceptions import ApplicationError
from datasets.enums import AccessLevel
from datasets.models import Dataset, Download, Resource, TermsAcceptance
from datasets.rules import forget_terms_cache
from datasets.selectors import current_terms_version

TERMS_CHANGED = (
    "The terms of this dataset have changed since you opened them. Read the current terms "
    "and accept them again."
)


@transaction.atomic
def terms_accept(*, user, dataset: Dataset, version: int) -> TermsAcceptance:
    """Record that `user` accepted version `version` of `dataset`'s terms.

    The version must be the current one (the text the person read); accepting the same
    version again returns the existing acceptance, so there is one row per person,
    dataset and version (also a database constraint).
    """
    if dataset.access_level != AccessLevel.RESTRICTED:
        raise ApplicationError("This dataset has no terms to accept.", code="no_terms")
    current = current_terms_version(dataset)
    if current is None:
        raise ApplicationError("This dataset has no terms to accept.", code="no_terms")
    if version != current:
        raise ApplicationError(
            TERMS_CHANGED, code="terms_changed", details={"version": [TERMS_CHANGED]}, status=409
        )
    # Validated before the lookup; the unique constraint is what get_or_create relies on.
    TermsAcceptance(user=user, dataset=dataset, version=version).full_clean(
        validate_constraints=False
    )
    # A second tab accepting at the same moment finds the row the first one made.
    acceptance, created = TermsAcceptance.objects.get_or_create(
        user=user, dataset=dataset, version=version
    )
    if created:
        audit_record(
            actor=user, action="dataset.terms_accepted", target=dataset, data={"version": version}
        )
    forget_terms_cache(user)
    return acceptance


@transaction.atomic
def download_record(*, resource: Resource, user) -> Download:
    """Count a download of `resource` (by `user`, None when signed out): the counter is
    raised in the database, so simultaneous downloads are all counted."""
    Resource.objects.filter(pk=resource.pk).update(download_count=F("download_count") + 1)
    person = user if user is not None and user.is_authenticated else None
    download = Download(resource=resource, user=person)
    download.full_clean()
    download.save()
    return download
