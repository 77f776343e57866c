"""The demo catalogue seed_demo makes: published, profiled, featured, used."""

import io

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command

from accounts.models import User
from datasets.enums import AccessLevel, ProfileStatus
from datasets.generator import GENERATED_DATASETS
from datasets.models import Dataset, DatasetFeature, Download, Resource, TermsAcceptance
from datasets.rules import is_catalogue_editor
from datasets.selectors.search import catalogue_search

pytestmark = pytest.mark.django_db


def test_demo_publishes_every_generated_dataset_once(demo_seeded):
    assert sorted(Dataset.objects.filter(is_published=True).values_list("slug", flat=True)) == (
        sorted(GENERATED_DATASETS)
    )
    restricted = Dataset.objects.get(access_level=AccessLevel.RESTRICTED)
    assert restricted.slug == "job-vacancies"
    assert list(restricted.terms.values_list("version", flat=True)) == [1]


def test_demo_resources_are_profiled_with_a_preview(demo_seeded):
    resources = Resource.objects.select_related("profile")

    assert resources.count() == len(GENERATED_DATASETS)
    for resource in resources:
        assert resource.profile_status == ProfileStatus.DONE, resource.profile_error
        assert resource.profile.sha256 == resource.sha256
        assert resource.profile.rows == 400
        assert len(resource.profile.preview) == 50


def test_demo_search_finds_datasets_by_column_name(demo_seeded):
    found = catalogue_search(user=AnonymousUser(), q="claimant_rate_pct").datasets

    assert [dataset.slug for dataset in found] == ["claimant-count"]


def test_demo_features_datasets_per_challenge_on_both_events(demo_seeded):
    features = DatasetFeature.objects.select_related("event", "challenge", "dataset")

    by_event = {}
    for feature in features:
        by_event.setdefault(feature.event.slug, set()).add(
            (feature.challenge.slug if feature.challenge else "", feature.dataset.slug)
        )
    expected = {
        ("", "claimant-count"),
        ("", "mid-year-population"),
        ("access-to-services-widnes", "public-services"),
        ("jobs-and-green-space", "job-vacancies"),
        ("jobs-and-green-space", "green-spaces"),
        ("active-travel-and-deprivation", "active-travel-counts"),
        ("active-travel-and-deprivation", "deprivation-index"),
    }
    assert by_event == {
        "community-data-hackathon-2024": expected,
        "community-data-hackathon-2": expected,
    }


def test_demo_has_a_catalogue_editor_and_past_downloads(demo_seeded):
    editor = User.objects.get(email="catalogue@civichack.test")

    assert is_catalogue_editor(editor)
    assert Download.objects.count() == 5
    assert list(TermsAcceptance.objects.values_list("user__email", "dataset__slug", "version")) == [
        ("student@civichack.test", "job-vacancies", 1)
    ]


def test_demo_catalogue_twice_changes_nothing(demo_seeded):
    counts = [model.objects.count() for model in (Dataset, Resource, DatasetFeature, Download)]

    call_command("seed_demo", stdout=io.StringIO())

    assert [model.objects.count() for model in (Dataset, Resource, DatasetFeature, Download)] == (
        counts
    )
