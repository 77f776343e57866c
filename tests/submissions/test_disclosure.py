"""Disclosure control: which columns count people, and the cells each rule flags."""

import openpyxl
import pyarrow as pa
import pytest

from submissions.validation import PASS, WARNING, Limits, Location
from submissions.validation.disclosure import (
    count_columns,
    is_count_name,
    is_rate_name,
    name_words,
)
from submissions.validation.tables import check_rows, check_table


def _check(tmp_path, text, *, schema=None, limits=None, name="table.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return check_table(
        path, label="", file_format="CSV", table_schema=schema, limits=limits or Limits()
    )


def _disclosure(report):
    return [f for f in report.findings if f.check == "disclosure"]


def test_name_words_split_snake_camel_and_spaces():
    assert name_words("numberOfPeople") == ["number", "of", "people"]
    assert name_words("claimant_count") == ["claimant", "count"]
    assert name_words("Total persons 2024") == ["total", "persons", "2024"]
    assert name_words("ONSCode") == ["ons", "code"]


@pytest.mark.parametrize(
    "name",
    ["count", "n", "n_claimants", "claimant_count", "numberOfPeople", "Total persons",
     "respondents", "population", "number", "cases", "people_aged_65_plus",
     "population_aged_16_64", "respondents aged 18-24", "deaths_per_year", "cases_this_week"],
)  # fmt: skip
def test_count_names(name):
    assert is_count_name(name)


@pytest.mark.parametrize(
    "name",
    ["site_id", "count_code", "year", "age_count", "case_number", "phone number", "date",
     "rate", "claimant_rate", "people_pct", "deprivation_score", "lsoa", "total_spend_gbp",
     "total_distance_km", "total_income", "population_density", "persons_per_hectare",
     "people_year", "count_by_date_code"],
)  # fmt: skip
def test_not_count_names(name):
    assert not is_count_name(name)


def test_rate_names():
    assert [is_rate_name(n) for n in ["rate", "pct_walking", "% change", "share", "value"]] == [
        True, True, True, True, False,
    ]  # fmt: skip


def test_count_columns_are_whole_numbers_declared_or_named():
    schema = pa.schema(
        [("count", pa.int64()), ("visits", pa.int64()), ("people", pa.float64()),
         ("total", pa.string()), ("n", pa.int64())]
    )  # fmt: skip
    declared = {"visits": {"civichack:count": True}, "n": {"civichack:count": False}}

    assert count_columns(schema, declared) == [0, 1, 2, 3]


def test_small_counts_zeros_and_small_denominators_are_named_by_cell(tmp_path):
    report = _check(
        tmp_path,
        "ward,claimants,claimant_rate\nDitton,40,2.5\nAppleton,4,0.3\nHough Green,0,0\n"
        "Halton View,,1.5\n",
    )

    found = [(f.outcome, f.message, f.location) for f in _disclosure(report)]
    assert found == [
        (WARNING, "A count of 4 is under 10: suppress it (write “<10”), round it, or combine "
                  "categories.", Location(row=2, column="claimants")),
        (WARNING, "A rate or percentage on a count of 4, under 10: it gives the count away; "
                  "suppress it with the count, or combine categories.",
         Location(row=2, column="claimant_rate")),
        (WARNING, "A rate or percentage on a count of 0, under 10: it gives the count away; "
                  "suppress it with the count, or combine categories.",
         Location(row=3, column="claimant_rate")),
        (WARNING, "A zero count: check that it does not tell readers something about a group "
                  "(that nobody in it has a condition, say); suppress or combine if so.",
         Location(row=3, column="claimants")),
    ]  # fmt: skip
    assert report.facts["disclosure"] == {"small": 1, "denominator": 2, "zero": 1}
    assert report.facts["count_columns"] == ["claimants"]
    assert report.facts["rate_columns"] == ["claimant_rate"]


def test_counts_at_the_threshold_pass_and_say_what_was_checked(tmp_path):
    report = _check(tmp_path, "ward,people,rate\nDitton,10,5.0\nAppleton,250,7.5\n")

    assert [(f.outcome, f.message) for f in _disclosure(report)] == [
        (PASS, "Count-like columns checked (people; rates and percentages: rate): no count "
               "from 1 to 9, no zero, no rate or percentage on a small count."),
    ]  # fmt: skip


def test_the_threshold_comes_from_the_limits(tmp_path):
    report = _check(tmp_path, "ward,people\nDitton,10\n", limits=Limits(count_threshold=20))

    assert [f.message for f in _disclosure(report)] == [
        "A count of 10 is under 20: suppress it (write “<20”), round it, or combine categories."
    ]


def test_identifier_year_and_age_columns_are_not_counts(tmp_path):
    report = _check(tmp_path, "site_id,year,age,value\n1,2024,5,3\n2,2023,7,4\n")

    assert [(f.outcome, f.message) for f in _disclosure(report)] == [
        (PASS, "No count-like column (whole numbers in a column named count, total, people, "
               "…, or declared as a count): no disclosure rule applies."),
    ]  # fmt: skip


def test_a_column_declared_as_a_count_is_checked_whatever_its_name(tmp_path):
    schema = {
        "fields": [
            {"name": "ward", "type": "string"},
            {"name": "visits", "type": "integer", "civichack:count": True},
            {"name": "total", "type": "integer", "civichack:count": False},
        ]
    }

    report = _check(tmp_path, "ward,visits,total\nDitton,3,2\n", schema=schema)

    assert [(f.message[:16], f.location.column) for f in _disclosure(report)] == [
        ("A count of 3 is ", "visits"),
    ]


def test_suppressed_counts_read_as_text_still_have_their_small_cells_flagged(tmp_path):
    report = _check(tmp_path, "ward,count\nDitton,c\nAppleton,7\nHough Green,[x]\nRiverside,55\n")

    assert [(f.message[:16], f.location.row) for f in _disclosure(report)] == [
        ("A count of 7 is ", 2),
    ]
    assert [f.outcome for f in report.findings if f.check == "types"] == [PASS]


def test_each_rule_lists_a_share_of_the_cells_and_the_rest_are_counted(tmp_path):
    rows = "".join(f"Ward {n},{n % 5}\n" for n in range(1, 101))

    report = _check(tmp_path, "ward,count\n" + rows, limits=Limits(max_findings_per_check=6))

    findings = _disclosure(report)
    assert [(f.message, f.location.row) for f in findings[:2]] == [
        ("80 cells of column count hold counts from 1 to 9.", 1),
        ("20 cells of column count hold zero counts.", 5),
    ]
    assert [(f.message[:12], f.location.row) for f in findings[2:]] == [
        ("A count of 1", 1), ("A count of 2", 2), ("A zero count", 5), ("A zero count", 10),
    ]  # fmt: skip
    assert report.facts["omitted"] == {"disclosure": 96}


def test_a_small_count_in_a_workbook_sheet_is_named_by_sheet_and_cell(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.title = "Notes"
    workbook.active["A1"] = "Illustrative figures"
    sheet = workbook.create_sheet("Counts")
    sheet["B3"], sheet["C3"] = "ward", "claimants"
    for row, (ward, count) in enumerate([("Ditton", 40), ("Appleton", 4)], start=4):
        sheet.cell(row, 2, ward)
        sheet.cell(row, 3, count)
    path = tmp_path / "book.xlsx"
    workbook.save(path)

    report = check_table(
        path, label="out/book.xlsx", file_format="XLSX", table_schema=None, limits=Limits()
    )

    assert [(f.outcome, f.location) for f in _disclosure(report)] == [
        (WARNING, Location(file="out/book.xlsx", sheet="Counts", row=2, column="claimants",
                           cell="C5")),
    ]  # fmt: skip
    assert _disclosure(report)[0].location.describe() == (
        "out/book.xlsx, sheet Counts, row 2, column claimants, C5"
    )


def test_check_rows_flags_small_counts_in_a_notebook_output():
    findings = check_rows(
        ["area", "n"],
        [["Widnes", "12"], ["Runcorn", "3"]],
        location=Location(notebook_cell=7),
        limits=Limits(),
    )

    assert [(f.check, f.outcome, f.location) for f in findings] == [
        ("disclosure", WARNING, Location(notebook_cell=7, row=2, column="n")),
    ]


def test_whole_valued_floats_text_rates_and_negative_counts(tmp_path):
    # pandas writes a count column with a missing value as floats.
    report = _check(
        tmp_path,
        "ward,people,rate\nDitton,3.0,12.5%\nAppleton,,7.5%\nHough Green,-3,1.5%\nWidnes,2.5,c\n",
    )

    found = [(f.message, f.location) for f in _disclosure(report)]
    assert found == [
        ("A count of 3 is under 10: suppress it (write “<10”), round it, or combine "
         "categories.", Location(row=1, column="people")),
        ("A rate or percentage on a count of 3, under 10: it gives the count away; "
         "suppress it with the count, or combine categories.", Location(row=1, column="rate")),
    ]  # fmt: skip
