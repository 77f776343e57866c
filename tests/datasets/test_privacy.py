import json

import pytest

from accounts.privacy import personal_data_erase
from accounts.services import account_delete
from datasets.models import Dataset, Download, TermsAcceptance
from tests.factories import DatasetFactory, DatasetTermsFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _person_with_use():
    person = UserFactory()
    terms = DatasetTermsFactory(dataset__title="Job vacancies")
    acceptance = TermsAcceptance.objects.create(
        user=person, dataset=terms.dataset, version=terms.version
    )
    resource = ResourceFactory(dataset=terms.dataset, name="Vacancies CSV")
    download = Download.objects.create(resource=resource, user=person)
    return person, acceptance, download


def test_data_export_includes_terms_accepted_and_downloads(client):
    person, acceptance, download = _person_with_use()
    Download.objects.create(resource=download.resource, user=UserFactory())  # someone else's
    client.force_login(person)

    data = json.loads(client.get("/accounts/my-data/").content)

    assert data["dataset_terms"] == [
        {
            "dataset": "Job vacancies",
            "version": 1,
            "accepted_at": acceptance.accepted_at.isoformat(),
        }
    ]
    assert data["dataset_downloads"] == [
        {
            "dataset": "Job vacancies",
            "resource": "Vacancies CSV",
            "downloaded_at": download.downloaded_at.isoformat(),
        }
    ]


def test_account_delete_erases_acceptances_and_keeps_downloads_unnamed():
    person, acceptance, download = _person_with_use()
    created = DatasetFactory(created_by=person)
    other = UserFactory()
    TermsAcceptance.objects.create(user=other, dataset=acceptance.dataset, version=1)

    account_delete(user=person)

    assert list(TermsAcceptance.objects.values_list("user", flat=True)) == [other.pk]
    download.refresh_from_db()
    assert download.user is None
    assert Download.objects.filter(resource=download.resource).count() == 1
    assert Dataset.objects.get(pk=created.pk).created_by is None


def test_erasers_unname_dataset_use_before_the_account_row_goes():
    # The database's own on_delete would do the same at the end; the eraser must do it
    # itself, inside the deletion, with the account still there.
    person, acceptance, download = _person_with_use()
    created = DatasetFactory(created_by=person)

    ran = personal_data_erase(user=person)

    assert "datasets" in ran
    assert not TermsAcceptance.objects.filter(pk=acceptance.pk).exists()
    assert Download.objects.get(pk=download.pk).user is None
    assert Dataset.objects.get(pk=created.pk).created_by is None
