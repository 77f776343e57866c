"""The illustrative Liverpool City Region datasets: deterministic, labelled, profilable."""

import csv
import hashlib

import pytest

from datasets.generator import (
    ACTIVE_TRAVEL_COLUMNS,
    CHUNK_ROWS,
    GENERATED_DATASETS,
    LOCAL_AUTHORITIES,
)
from datasets.profiling import profile_file

DCAT_THEMES = {
    "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI",
    "TECH", "TRAN",
}  # fmt: skip


def _rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.reader(handle))


def _digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_registry_describes_every_dataset_as_illustrative():
    assert set(GENERATED_DATASETS) == {
        "claimant-count", "mid-year-population", "active-travel-counts", "deprivation-index",
        "job-vacancies", "green-spaces", "public-services",
    }  # fmt: skip
    for key, dataset in GENERATED_DATASETS.items():
        assert dataset.key == key
        assert dataset.filename == f"{key}.csv"
        assert dataset.title.endswith("(illustrative)")
        assert "ILLUSTRATIVE DATA" in dataset.description
        assert dataset.keywords
        assert dataset.themes and set(dataset.themes) <= DCAT_THEMES
        assert dataset.geography_level in {"local_authority", "lsoa", "site"}
        assert dataset.default_rows > 0


@pytest.mark.parametrize("key", sorted(GENERATED_DATASETS))
def test_each_dataset_writes_its_columns_and_row_count(tmp_path, key):
    dataset = GENERATED_DATASETS[key]

    written = dataset.write(tmp_path / dataset.filename, rows=37, seed=3)

    rows = _rows(tmp_path / dataset.filename)
    assert written == len(rows) - 1 == 37
    assert rows[0] == list(dataset.columns)
    assert all(len(row) == len(dataset.columns) for row in rows)


@pytest.mark.parametrize("key", sorted(GENERATED_DATASETS))
def test_same_seed_writes_the_same_file_and_another_seed_another(tmp_path, key):
    dataset = GENERATED_DATASETS[key]
    first, again, other = tmp_path / "first.csv", tmp_path / "again.csv", tmp_path / "other.csv"

    dataset.write(first, seed=11)
    dataset.write(again, seed=11)
    dataset.write(other, seed=12)

    assert _digest(first) == _digest(again)
    assert _digest(first) != _digest(other)


def test_default_rows_are_used_without_a_count(tmp_path):
    dataset = GENERATED_DATASETS["green-spaces"]

    assert dataset.write(tmp_path / "g.csv") == dataset.default_rows


def test_negative_rows_are_refused(tmp_path):
    with pytest.raises(ValueError, match="rows must not be negative"):
        GENERATED_DATASETS["claimant-count"].write(tmp_path / "c.csv", rows=-1)


def test_local_authorities_carry_their_ons_codes(tmp_path):
    GENERATED_DATASETS["claimant-count"].write(tmp_path / "c.csv", rows=6, seed=1)

    rows = _rows(tmp_path / "c.csv")[1:]

    assert [(row[1], row[2]) for row in rows] == list(LOCAL_AUTHORITIES)
    assert ("E06000006", "Halton") in LOCAL_AUTHORITIES
    assert ("E08000013", "St. Helens") in LOCAL_AUTHORITIES


def test_public_services_favour_halton_and_widnes(tmp_path):
    GENERATED_DATASETS["public-services"].write(tmp_path / "s.csv", rows=400, seed=5)

    rows = _rows(tmp_path / "s.csv")[1:]

    halton = sum(row[4] == "Halton" for row in rows)
    widnes = sum(row[3] == "Widnes" for row in rows)
    assert halton > len(rows) * 0.4
    assert widnes > len(rows) * 0.25
    assert {row[2] for row in rows} == {"GP surgery", "library", "job centre", "advice service"}


def test_active_travel_does_not_depend_on_where_chunks_are_cut(tmp_path):
    dataset = GENERATED_DATASETS["active-travel-counts"]
    longer, shorter = tmp_path / "longer.csv", tmp_path / "shorter.csv"

    dataset.write(longer, rows=CHUNK_ROWS + 500, seed=4)
    dataset.write(shorter, rows=CHUNK_ROWS - 500, seed=4)

    with open(longer, encoding="utf-8") as long_file, open(shorter, encoding="utf-8") as short:
        first_lines = [next(long_file) for _ in range(CHUNK_ROWS - 499)]
        assert first_lines == short.readlines()


def test_active_travel_with_no_rows_is_a_header(tmp_path):
    dataset = GENERATED_DATASETS["active-travel-counts"]

    assert dataset.write(tmp_path / "t.csv", rows=0) == 0
    assert _rows(tmp_path / "t.csv") == [list(ACTIVE_TRAVEL_COLUMNS)]


def test_active_travel_profile_mixes_text_and_numbers(tmp_path):
    path = tmp_path / "t.csv"
    GENERATED_DATASETS["active-travel-counts"].write(path, rows=20_000, seed=2)

    profile = profile_file(path, file_format="csv")

    types = {field["name"]: field["type"] for field in profile.fields}
    assert types == {
        "timestamp": "datetime", "site_id": "string", "local_authority": "string",
        "mode": "string", "count": "integer", "latitude": "number", "longitude": "number",
        "weather": "string",
    }  # fmt: skip
    fields = {field["name"]: field for field in profile.fields}
    assert fields["mode"]["top_values"] == [["cycling", 10_000], ["walking", 10_000]]
    assert fields["local_authority"]["distinct"] == 6
    assert fields["count"]["nulls"] > 0
    # Nearly one distinct position per reading.
    assert fields["latitude"]["distinct"] > 15_000


@pytest.mark.parametrize("key", sorted(GENERATED_DATASETS))
def test_every_dataset_profiles_without_warnings(tmp_path, key):
    dataset = GENERATED_DATASETS[key]
    path = tmp_path / dataset.filename
    dataset.write(path, seed=1)

    profile = profile_file(path, file_format="csv")

    assert profile.rows == dataset.default_rows
    assert profile.warnings == []
    assert profile.preview_header == list(dataset.columns)
