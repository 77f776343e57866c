"""A small catalogue for the interop tests: two published datasets of one publisher (an
open one with keywords, themes, coverage, an uploaded CSV and a link; a restricted one
with terms and a CSV) and an unpublished draft."""

import datetime
from dataclasses import dataclass

from datasets.models import Dataset, DatasetTheme, Keyword, Publisher, Resource
from datasets.services.search import dataset_reindex
from tests.factories import (
    DatasetFactory,
    DatasetTermsFactory,
    PublisherFactory,
    ResourceFactory,
)

LINK = "https://data.example.org/claimants-2025.csv"


@dataclass
class Catalogue:
    publisher: Publisher
    open: Dataset
    csv: Resource
    link: Resource
    restricted: Dataset
    restricted_csv: Resource
    draft: Dataset
    draft_csv: Resource


def make_catalogue() -> Catalogue:
    publisher = PublisherFactory(
        slug="city-region-data",
        name="City Region Data",
        contact_name="Data team",
        contact_email="data@city-region.example.org",
    )
    open_dataset = DatasetFactory(
        slug="claimants",
        title="Claimant count",
        description="People claiming unemployment benefits, by local authority and month.",
        publisher=publisher,
        contact_name="Claimant statistics",
        contact_email="claimants@city-region.example.org",
        issued=datetime.date(2025, 1, 15),
        modified=datetime.date(2026, 1, 15),
        update_frequency="MONTHLY",
        temporal_start=datetime.date(2020, 1, 1),
        temporal_end=datetime.date(2025, 12, 31),
        geography_coverage="Liverpool City Region",
        geography_level="local_authority",
        landing_page="https://data.example.org/claimants",
        provenance="Illustrative figures generated for the hackathon.",
        version="2.1",
    )
    open_dataset.keywords.set(
        [Keyword.objects.create(name="employment"), Keyword.objects.create(name="benefits")]
    )
    DatasetTheme.objects.create(dataset=open_dataset, theme="ECON")
    DatasetTheme.objects.create(dataset=open_dataset, theme="SOCI")
    csv = ResourceFactory(dataset=open_dataset, name="Claimants CSV", order=0)
    link = ResourceFactory(
        dataset=open_dataset,
        name="Claimants 2025 (publisher's copy)",
        file="",
        url=LINK,
        format="CSV",
        media_type="",
        size=None,
        sha256="",
        order=1,
    )
    restricted = DatasetFactory(
        slug="vacancies",
        title="Job vacancies",
        description="Vacancies by area and sector.",
        publisher=publisher,
        licence_id="other-closed",
        access_level="restricted",
        geography_level="msoa",
    )
    DatasetTermsFactory(dataset=restricted)  # a published restricted dataset has terms
    restricted.keywords.add(Keyword.objects.get(name="employment"))
    DatasetTheme.objects.create(dataset=restricted, theme="ECON")
    restricted_csv = ResourceFactory(dataset=restricted, name="Vacancies CSV", format="XLSX")
    draft = DatasetFactory(
        slug="draft-data", title="Draft data", publisher=publisher, is_published=False
    )
    for dataset in (open_dataset, restricted, draft):
        dataset_reindex(dataset=dataset)
    return Catalogue(
        publisher=publisher,
        open=open_dataset,
        csv=csv,
        link=link,
        restricted=restricted,
        restricted_csv=restricted_csv,
        draft=draft,
        draft_csv=ResourceFactory(dataset=draft, name="Draft CSV"),
    )
