"""Personal data in tables: what is found, how it is masked, and that no full value leaks."""

import json

import pyarrow as pa
import pytest
from hypothesis import given
from hypothesis import strategies as st

from submissions.validation import FAIL, Limits, Location
from submissions.validation.personal import (
    POSTCODE_AREAS,
    mask,
    nhs_check_digits_valid,
    nhs_number_valid,
    personal_matches,
)
from submissions.validation.tables import check_rows, check_table


def _nhs_number(first_nine: str) -> str | None:
    remainder = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True)) % 11
    check = (11 - remainder) % 11
    return None if check == 10 else first_nine + str(check)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("jane.doe@example.org", {"email": "j***@e***.org"}),
        ("call +44 20 7946 0018 now", {"phone": "*** *** 018"}),
        ("(0161) 496 0000", {"phone": "*** *** 000"}),
        ("07700900123", {"phone": "*** *** 123"}),
        ("SW1A 1AA", {"postcode": "SW1A ***"}),
        ("lives at M1 1AE", {"postcode": "M1 ***"}),
        ("943 476 5919", {"nhs": "*** *** 5919"}),
        ("AB123456C", {"nino": "AB ** ** ** *"}),
        ("ab 12 34 56 c", {"nino": "AB ** ** ** *"}),
        ("AB-12-34-56-C", {"nino": "AB ** ** ** *"}),
        ("sw1a 1aa", {"postcode": "SW1A ***"}),
        (" Sw1A 1AA ", {"postcode": "SW1A ***"}),
        ("call 943 476 5919.", {"nhs": "*** *** 5919"}),
    ],
)
def test_personal_matches_find_and_mask_each_kind(text, expected):
    assert personal_matches(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "9434765918",  # the check digit is wrong
        "A4 5PM",  # no postcode area A
        "a4 5pm",
        "QQ 12 34 56 C",  # Q never starts a National Insurance number
        "GB123456A",  # a prefix never issued
        "2021-01-01 00:00:00",
        "E08000012",  # an ONS area code
        "WID-01",
        "53.4084",
        "12345",
        "logo@2x.png",
        "53.0123456789",
        "0.01234567890",
        "1,943,476,5919",
        "lives at sw1a 1aa",
    ],
)
def test_personal_matches_ignore_what_only_looks_like_personal_data(text):
    assert personal_matches(text) == {}


def test_nhs_number_checksum_known_values():
    assert nhs_number_valid("9434765919")
    assert not nhs_number_valid("9434765918")
    assert not nhs_number_valid("943476591")
    assert not nhs_number_valid("94347659a9")


@given(st.text(alphabet="0123456789", min_size=9, max_size=9))
def test_nhs_number_with_its_check_digit_is_valid_and_one_changed_digit_is_not(first_nine):
    number = _nhs_number(first_nine)
    if number is None:  # no NHS number has these nine digits
        assert not any(nhs_number_valid(first_nine + str(digit)) for digit in range(10))
        return
    assert nhs_number_valid(number)
    for position in range(10):
        for digit in "0123456789":
            if digit != number[position]:
                changed = number[:position] + digit + number[position + 1 :]
                assert not nhs_number_valid(changed)


_LETTER = st.sampled_from("abcdefghijklmnopqrstuvwxyz")
_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789", min_size=1, max_size=12)
_emails = st.builds(lambda a, b, c, d: f"{a}{b}@{c}.{d}", _LETTER, _WORD, _WORD,
                    st.sampled_from(["org", "co.uk", "com", "ac.uk"]))  # fmt: skip
_nhs = st.text(alphabet="0123456789", min_size=9, max_size=9).map(_nhs_number).filter(bool)
_phones = st.builds(
    lambda prefix, rest, spaced: prefix + (f" {rest[:3]} {rest[3:]}" if spaced else rest),
    st.sampled_from(["07700", "01514", "020", "0161"]).map(lambda p: p.ljust(5, "9")),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.booleans(),
)
_postcodes = st.builds(
    lambda area, district, sector, unit: f"{area}{district} {sector}{unit}",
    st.sampled_from(sorted(POSTCODE_AREAS)),
    st.integers(1, 9),
    st.integers(0, 9),
    st.text(alphabet="ABDEFGHJLNPQRSTUWXYZ", min_size=2, max_size=2),
)
_ninos = st.builds(
    lambda first, second, digits, suffix: f"{first}{second}{digits}{suffix}",
    st.sampled_from("ABCEGHJKLMNPRSTWXYZ"),
    st.sampled_from("ABCEGHJKLMNPRSTWXYZ"),
    st.text(alphabet="0123456789", min_size=6, max_size=6),
    st.sampled_from("ABCD"),
).filter(lambda value: value[:2] not in {"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})


@given(
    st.one_of(
        _emails.map(lambda v: ("email", v)),
        _nhs.map(lambda v: ("nhs", v)),
        _phones.map(lambda v: ("phone", v)),
        _postcodes.map(lambda v: ("postcode", v)),
        _ninos.map(lambda v: ("nino", v)),
    )
)
def test_masked_sample_never_holds_the_value(kind_and_value):
    kind, value = kind_and_value

    found = personal_matches(f"contact: {value}.")

    assert kind in found
    sample = found[kind]
    assert sample == mask(kind, value)
    assert value not in sample
    assert value.replace(" ", "") not in sample.replace(" ", "")


def test_check_rows_names_each_cell_with_a_masked_sample():
    location = Location(file="analysis.ipynb", notebook_cell=4)

    findings = check_rows(
        ["name", "contact", "note"],
        [["Ann", "ann@example.org", "fine"], ["Bob", "none", "NHS 943 476 5919"]],
        location=location,
        limits=Limits(),
    )

    assert [(f.check, f.outcome, f.location) for f in findings] == [
        ("personal_data", FAIL, Location(file="analysis.ipynb", notebook_cell=4, row=1,
                                         column="contact")),
        ("personal_data", FAIL, Location(file="analysis.ipynb", notebook_cell=4, row=2,
                                         column="note")),
    ]  # fmt: skip
    assert findings[0].message == (
        "An email address (a***@e***.org): personal data must not be shared; remove it, or "
        "the column, before you submit."
    )
    assert findings[1].message.startswith("An NHS number (*** *** 5919)")


def test_a_column_of_emails_lists_the_first_cells_and_counts_the_rest(tmp_path):
    path = tmp_path / "people.csv"
    rows = "".join(f"person{n},person{n}@example.org\n" for n in range(1, 121))
    path.write_text("name,email\n" + rows)

    report = check_table(
        path, label="", file_format="CSV", table_schema=None,
        limits=Limits(max_findings_per_check=5),
    )  # fmt: skip

    personal = [f for f in report.findings if f.check == "personal_data"]
    # The summary leads, and counts within the bound.
    assert personal[0].message == "120 cells of column email hold email addresses."
    assert [f.location.row for f in personal] == [1, 1, 2, 3, 4]
    assert report.facts["personal_data"] == {"email": 120}
    assert report.facts["omitted"] == {"personal_data": 116}
    stored = json.dumps(report.to_json())
    assert "person7@example.org" not in stored
    assert "example.org" not in stored


def test_no_full_value_anywhere_in_a_report(tmp_path):
    values = ["jo@widnes.example", "07700 900123", "WA8 7QT", "943 476 5919", "AB123456C"]
    path = tmp_path / "mixed.csv"
    path.write_text("id,detail\n" + "".join(f"{n},{v}\n" for n, v in enumerate(values)))

    report = check_table(path, label="", file_format="CSV", table_schema=None, limits=Limits())

    stored = json.dumps(report.to_json())
    assert report.facts["personal_data"] == {
        "email": 1, "phone": 1, "postcode": 1, "nhs": 1, "nino": 1,
    }  # fmt: skip
    for value in values:
        assert value not in stored
        assert value.replace(" ", "") not in stored.replace(" ", "")


def test_a_table_without_personal_data_passes_saying_what_was_looked_at(tmp_path):
    path = tmp_path / "clean.csv"
    path.write_text("ward,mode\nDitton,walking\nAppleton,cycling\n")

    report = check_table(path, label="", file_format="CSV", table_schema=None, limits=Limits())

    personal = [f for f in report.findings if f.check == "personal_data"]
    assert [(f.outcome, f.message) for f in personal] == [
        (
            "pass",
            "No email address, UK phone number, full UK postcode, NHS number or National "
            "Insurance number in the 2 text columns.",
        )
    ]


@given(st.lists(st.integers(10**9, 10**10 - 1), min_size=1, max_size=50))
def test_vectorised_check_digits_agree_with_the_python_check(numbers):
    valid = nhs_check_digits_valid(pa.array(numbers, type=pa.int64())).to_pylist()

    assert valid == [nhs_number_valid(str(number)) for number in numbers]


def test_nhs_numbers_written_as_whole_numbers_are_found(tmp_path):
    path = tmp_path / "patients.csv"
    path.write_text("ward,patient\nDitton,9434765919\nAppleton,4010232137\nRiver,4505577104\n")

    report = check_table(path, label="", file_format="CSV", table_schema=None, limits=Limits())

    personal = [(f.message[:27], f.location.row) for f in report.findings
                if f.check == "personal_data"]  # fmt: skip
    assert personal == [
        ("An NHS number (*** *** 5919", 1),
        ("An NHS number (*** *** 2137", 2),
        ("An NHS number (*** *** 7104", 3),
    ]
    assert "9434765919" not in json.dumps(report.to_json())


def test_a_column_of_other_ten_digit_numbers_is_not_taken_for_nhs_numbers(tmp_path):
    # Two of these carry a valid check digit (as one in eleven numbers does); one does not.
    path = tmp_path / "ids.csv"
    path.write_text("ward,reference\nDitton,9434765919\nAppleton,1234567890\nRiver,5555555555\n")

    report = check_table(path, label="", file_format="CSV", table_schema=None, limits=Limits())

    assert [f.outcome for f in report.findings if f.check == "personal_data"] == ["pass"]


def test_a_column_named_nhs_is_flagged_for_a_single_number(tmp_path):
    path = tmp_path / "one.csv"
    path.write_text("ward,nhs_number\nDitton,9434765919\nAppleton,\n")

    report = check_table(path, label="", file_format="CSV", table_schema=None, limits=Limits())

    assert [(f.outcome, f.location.column) for f in report.findings
            if f.check == "personal_data"] == [("fail", "nhs_number")]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # Each took seconds when the email pattern's local part was unbounded.
        ("a" * 30_000 + " x@example.org", {"email": "x***@e***.org"}),
        ("a." * 15_000 + "@example", {}),
        ("x@" + "a." * 15_000 + "a", {}),
        ("1" * 30_000 + " 943 476 5919", {"nhs": "*** *** 5919"}),
        ("A1" * 15_000 + " M1 1AE", {"postcode": "M1 ***"}),
    ],
)
def test_long_runs_before_a_value_are_read_in_linear_time(text, expected):
    assert personal_matches(text) == expected


def test_past_the_findings_bound_cells_are_counted_without_visiting_each(tmp_path):
    # 100,000 rows took seconds: each address was checked, and each row visited, in Python.
    path = tmp_path / "people.csv"
    rows = "".join(
        f"{n},person{n}@example.org,{'07700 900123' if n % 1000 == 0 else 'none'}\n"
        for n in range(1, 100_001)
    )
    path.write_text("id,email,phone\nx,logo@2x.png,none\n" + rows)

    report = check_table(
        path, label="", file_format="CSV", table_schema=None,
        limits=Limits(max_findings_per_check=5),
    )  # fmt: skip

    personal = [f for f in report.findings if f.check == "personal_data"]
    assert [f.message for f in personal[:2]] == [
        "100,000 cells of column email hold email addresses.",
        "100 cells of column phone hold UK phone numbers.",
    ]
    assert [(f.location.row, f.location.column) for f in personal] == [
        (2, "email"), (1001, "phone"), (2, "email"), (3, "email"), (4, "email"),
    ]  # fmt: skip
    assert report.facts["personal_data"] == {"email": 100_000, "phone": 100}
    assert report.facts["omitted"] == {"personal_data": 100_100 - 5 + 2}
