"""Checking CSV and XLSX tables: the bad inputs the issue lists, and what a clean table says."""

import hashlib
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from submissions.validation import CHECK_LABELS, FAIL, PASS, WARNING, Limits, Location
from submissions.validation.tables import check_table
from submissions.validation.workbook import column_letters


def _write(tmp_path, content: str | bytes, name="table.csv"):
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def _check(path, *, file_format="CSV", schema=None, limits=None, label=""):
    return check_table(
        path, label=label, file_format=file_format, table_schema=schema, limits=limits or Limits()
    )


def _of(report, check):
    return [(f.outcome, f.message, f.location) for f in report.findings if f.check == check]


def test_a_clean_table_passes_every_check_saying_what_was_checked(tmp_path):
    rows = "".join(f"2024-01-{n % 28 + 1:02d},Ward {n % 7},{20 + n % 50},{n / 7:.3f}\n"
                   for n in range(12_000))  # fmt: skip
    path = _write(tmp_path, "day,ward,people,score\n" + rows)

    report = _check(path)

    assert [(f.check, f.outcome, f.message) for f in report.findings] == [
        ("encoding", PASS, "Read as UTF-8 text, comma-separated."),
        ("structure", PASS, "12,000 rows and 4 columns read; every row has a cell for each "
                            "column, every column has a name of its own, and no row is blank."),
        ("types", PASS, "Every column holds one type of value (1 of dates, 1 of text, 1 of "
                        "whole numbers, 1 of numbers)."),
        ("disclosure", PASS, "Count-like columns checked (people): no count from 1 to 9, no "
                             "zero, no rate or percentage on a small count."),
        ("personal_data", PASS, "No email address, UK phone number, full UK postcode, NHS "
                                "number or National Insurance number in the 1 text column."),
    ]  # fmt: skip
    assert report.outcome == PASS
    assert report.facts == {
        "encoding": "utf-8",
        "delimiter": ",",
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(),
        "rows": 12_000,
        "columns": 4,
        "count_columns": ["people"],
        "rate_columns": [],
        "disclosure": {},
        "personal_data": {},
    }


def test_progress_rises_to_one_a_bounded_number_of_times(tmp_path):
    rows = "".join(f"{n},{n * 3}\n" for n in range(200_000))
    path = _write(tmp_path, "id,value\n" + rows)
    seen = []

    check_table(
        path, label="", file_format="CSV", table_schema=None, limits=Limits(),
        progress=seen.append,
    )  # fmt: skip

    assert 2 <= len(seen) <= 101
    assert seen == sorted(seen)
    assert seen[-1] == 1.0


def test_an_error_in_the_progress_function_reaches_the_caller(tmp_path):
    path = _write(tmp_path, "id,value\n" + "".join(f"{n},{n}\n" for n in range(1000)))

    def progress(fraction):
        raise LookupError("the artifact row is gone")

    with pytest.raises(LookupError, match="the artifact row is gone"):
        check_table(
            path, label="", file_format="CSV", table_schema=None, limits=Limits(),
            progress=progress,
        )  # fmt: skip


def test_nul_bytes_are_binary_data(tmp_path):
    report = _check(_write(tmp_path, b"a,b\n1,\x002\n"))

    assert _of(report, "encoding") == [
        (FAIL, "The file contains binary data, not text: it is not a CSV file even if its "
               "name says so.", Location()),
    ]  # fmt: skip
    assert [f.check for f in report.findings] == ["encoding"]


def test_utf16_csv_is_read_with_a_warning(tmp_path):
    path = _write(tmp_path, "ward\tpeople\nDitton\t12\nAppleton\t40\n".encode("utf-16"))

    report = _check(path)

    assert _of(report, "encoding") == [
        (WARNING, "The file is UTF-16 text. It was read, but many programs expect UTF-8: "
                  "save it as “CSV UTF-8”.", Location()),
    ]  # fmt: skip
    assert (report.facts["rows"], report.facts["columns"]) == (2, 2)
    assert report.facts["delimiter"] == "\t"
    assert "sha256" not in report.facts  # read by the streaming reader, not in pieces


def test_windows_1252_text_is_named(tmp_path):
    path = _write(tmp_path, "ward,cost\nDitton,£12\nAppleton,£40\n".encode("cp1252"))

    assert _of(_check(path), "encoding") == [
        (PASS, "Read as Windows-1252 text, comma-separated.", Location())
    ]


def test_ragged_rows_in_the_sample_are_named_row_by_row(tmp_path):
    report = _check(_write(tmp_path, "a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"))

    assert _of(report, "structure") == [
        (FAIL, "Row 2 has fewer cells than the header names columns.", Location(row=2)),
        (FAIL, "Row 3 has more cells than the header names columns.", Location(row=3)),
    ]
    assert report.facts["rows"] == 2  # the two ragged rows are left out of the pass


def test_ragged_rows_past_the_sample_are_counted_by_the_whole_file_pass(tmp_path):
    rows = "".join(f"{n},{n}\n" if n != 15 else "15,15,15\n" for n in range(1, 21))

    report = _check(_write(tmp_path, "a,b\n" + rows), limits=Limits(sample_rows=5))

    assert _of(report, "structure") == [
        (FAIL, "1 row has more cells than the header names columns; the checks left them "
               "out, and number the rows after them without them. Each row needs one cell "
               "per column.", Location()),
    ]  # fmt: skip


def test_a_one_megabyte_line_is_read_and_its_cell_flagged(tmp_path):
    path = _write(tmp_path, b"id,text\n1," + b"x" * (1024 * 1024) + b"\n2,short\n")

    report = _check(path)

    assert _of(report, "structure") == [
        (WARNING, "1 cell holds more than 32,767 characters, more than a spreadsheet cell "
                  "can: check for a missing line break or text pasted by mistake.",
         Location(row=1, column="text")),
    ]  # fmt: skip
    assert report.facts["rows"] == 2


def test_a_single_one_megabyte_line_is_a_header_without_rows(tmp_path):
    report = _check(_write(tmp_path, b"y" * (1024 * 1024)))

    assert _of(report, "structure") == [
        (WARNING, "The table has a header row but no data rows.", Location()),
    ]


def test_blank_and_repeated_column_names(tmp_path):
    report = _check(_write(tmp_path, "area,,area\nDitton,2,3\n"))

    assert _of(report, "structure") == [
        (WARNING, "Column 2 has no name in the header row: give every column a name.",
         Location(column="column_2")),
        (WARNING, "Column 3 is named “area”, like an earlier column: give every column a "
                  "name of its own.", Location(column="area_2")),
    ]  # fmt: skip


def test_a_very_wide_table_is_checked_without_its_sample(tmp_path):
    header = ",".join(f"c{n}" for n in range(250))
    rows = "".join(",".join(str(r * n % 7) for n in range(250)) + "\n" for r in range(3))

    report = _check(_write(tmp_path, header + "\n" + rows))

    assert _of(report, "structure") == [
        (WARNING, "The table has 250 columns: its first rows were not checked cell by cell, "
                  "as tables of up to 200 columns are (the checks of the whole file ran).",
         Location()),
    ]  # fmt: skip
    assert (report.facts["rows"], report.facts["columns"]) == (3, 250)


def test_blank_rows_in_and_past_the_sample(tmp_path):
    rows = "".join(",,\n" if n in (2, 9) else f"{n},x,{n}\n" for n in range(1, 12))

    report = _check(_write(tmp_path, "a,b,c\n" + rows), limits=Limits(sample_rows=4))

    assert _of(report, "structure") == [
        (WARNING, "Row 2 is blank.", Location(row=2)),
        (WARNING, "2 rows are blank (every cell empty), the first row 2.", Location(row=2)),
    ]


def test_a_declared_schema_that_does_not_match(tmp_path):
    schema = {
        "fields": [
            {"name": "ward", "type": "string"},
            {"name": "people", "type": "integer"},
            {"name": "share", "type": "number"},
        ]
    }
    path = _write(tmp_path, "ward,visits,share\nDitton,12,0.5\nAppleton,none,0.25\nRiver,7,a\n")

    report = _check(path, schema=schema, label="data/wards.csv")

    here = Location(file="data/wards.csv")
    assert _of(report, "structure") == [
        (FAIL, "The header names column 2 “visits”; the Table Schema names it “people”.",
         Location(file="data/wards.csv", column="visits")),
    ]  # fmt: skip
    assert _of(report, "types") == [
        (FAIL, "Row 2, column people: the value is not of type integer, as the Table Schema "
               "declares.", Location(file=here.file, row=2, column="visits")),
        (FAIL, "Row 3, column share: the value is not of type number, as the Table Schema "
               "declares.", Location(file=here.file, row=3, column="share")),
        (WARNING, "Column visits holds numbers (2 values), but 1 value is not (the first in "
                  "row 2): keep one type of value per column, and leave a missing value's "
                  "cell empty rather than writing a note in it.",
         Location(file=here.file, row=2, column="visits")),
        (FAIL, "Column share is declared as number in the Table Schema, but 1 value is not "
               "(the first in row 3).", Location(file=here.file, row=3, column="share")),
    ]  # fmt: skip


def test_a_declared_constraint_broken_in_the_sample(tmp_path):
    schema = {
        "fields": [
            {"name": "ward", "type": "string"},
            {"name": "people", "type": "integer", "constraints": {"minimum": 0}},
        ]
    }
    path = _write(tmp_path, "ward,people\nDitton,12\nAppleton,-3\n")

    report = _check(path, schema=schema)

    assert _of(report, "types") == [
        (FAIL, "Row 2, column people: the value breaks the Table Schema's “minimum” "
               "constraint (0).", Location(row=2, column="people")),
    ]  # fmt: skip


def test_declared_types_are_checked_over_the_whole_file(tmp_path):
    schema = {"fields": [{"name": "people", "type": "integer"}, {"name": "day", "type": "date"}]}
    rows = "".join(f"{n},{n}\n" for n in range(1, 30)) + "2.5,30\n"

    report = _check(_write(tmp_path, "people,day\n" + rows), schema=schema,
                    limits=Limits(sample_rows=3))  # fmt: skip

    sample = [
        (FAIL, f"Row {row}, column day: the value is not of type date, as the Table Schema "
               "declares.", Location(row=row, column="day"))
        for row in (1, 2, 3)
    ]  # fmt: skip
    assert _of(report, "types") == [
        *sample,
        (FAIL, "Column people is declared as integer in the Table Schema, but 1 value is not "
               "(the first in row 30).", Location(row=30, column="people")),
        (FAIL, "Column day is declared as date in the Table Schema, but its values read as "
               "whole numbers.", Location(row=1, column="day")),
    ]  # fmt: skip


def test_an_invalid_table_schema_is_a_finding_and_the_file_is_still_checked(tmp_path):
    path = _write(tmp_path, "ward,people\nDitton,12\n")

    report = _check(path, schema={"fields": "not a list"})

    structure = _of(report, "structure")
    assert structure[0][0] == FAIL
    assert structure[0][1].startswith(
        "The Table Schema given for this file is not valid, so the file was checked against "
        "the types found in it instead:"
    )
    assert report.facts["rows"] == 1


def test_a_header_too_wide_is_a_structure_failure_before_any_reader_sees_it(tmp_path, monkeypatch):
    path = _write(tmp_path, "a," * 10_000 + "a\n1\n")
    monkeypatch.setattr("pyarrow.csv.open_csv", None)
    monkeypatch.setattr("submissions.validation.tables._csv_sample", None)

    report = _check(path)

    assert _of(report, "structure") == [
        (FAIL, "The header has 10,001 columns; files with up to 10,000 columns can be read.",
         Location()),
    ]  # fmt: skip
    assert _of(report, "encoding") == []


def test_long_column_names_are_cut_short_in_locations_and_facts(tmp_path):
    name = "count_" + "x" * 100_000
    path = _write(tmp_path, f"{name}\n3\n")

    report = _check(path)

    shown = name[:199] + "…"
    assert [f.location.column for f in report.findings if f.location.column] == [shown]
    assert report.facts["count_columns"] == [shown]


def test_a_mostly_numeric_column_with_text_past_the_first_piece_is_flagged(tmp_path):
    rows = "".join(f"{n},{n if n != 150_000 else 'unknown'}\n" for n in range(1, 200_001))

    report = _check(_write(tmp_path, "id,value\n" + rows))

    assert _of(report, "types") == [
        (WARNING, "Column value holds numbers (199,999 values), but 1 value is not (the first "
                  "in row 150,000): keep one type of value per column, and leave a missing "
                  "value's cell empty rather than writing a note in it.",
         Location(row=150_000, column="value")),
    ]  # fmt: skip


def test_empty_and_binary_files_fail_the_encoding_check(tmp_path):
    empty = _check(_write(tmp_path, b"", "empty.csv"))
    binary = _check(_write(tmp_path, bytes(range(256)) * 8, "binary.csv"))

    assert _of(empty, "encoding") == [(FAIL, "The file is empty.", Location())]
    assert _of(binary, "encoding")[0][0] == FAIL
    assert empty.facts == binary.facts == {}


def test_header_only_table(tmp_path):
    report = _check(_write(tmp_path, "a,b\n"))

    assert _of(report, "structure") == [
        (WARNING, "The table has a header row but no data rows.", Location())
    ]
    assert report.facts["rows"] == 0


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.binary(max_size=2000))
def test_no_bytes_make_the_check_raise(tmp_path, content):
    path = _write(tmp_path, content, "any.csv")

    report = check_table(
        path, label="", file_format="CSV", table_schema=None, limits=Limits(sample_rows=20)
    )

    assert report.findings
    assert report.outcome in (PASS, WARNING, FAIL)
    # Every input is one the readers know how to describe: the last guard never fires.
    assert not any("could not be checked as a table" in f.message for f in report.findings)


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(alphabet=',;\t"\n\r ab1.-é@', max_size=400))
def test_no_delimited_text_makes_the_check_raise(tmp_path, text):
    path = _write(tmp_path, text.encode("utf-8"), "text.csv")

    report = check_table(
        path, label="", file_format="CSV", table_schema=None, limits=Limits(sample_rows=5)
    )

    assert report.findings
    assert all(finding.check in CHECK_LABELS for finding in report.findings)
    assert not any("could not be checked as a table" in f.message for f in report.findings)


def _workbook(tmp_path, rows, name="book.xlsx", title="Data"):
    workbook = openpyxl.Workbook()
    workbook.active.title = title
    for row in rows:
        workbook.active.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_a_workbook_is_checked_sheet_by_sheet(tmp_path):
    path = _workbook(tmp_path, [["ward", "people"], ["Ditton", 40], ["Appleton", 55]])

    report = _check(path, file_format="XLSX")

    assert [(f.check, f.outcome) for f in report.findings] == [
        ("structure", PASS), ("types", PASS), ("disclosure", PASS), ("personal_data", PASS),
    ]  # fmt: skip
    assert report.facts["sheets"] == [{"name": "Data", "rows": 2, "columns": 2}]
    assert (report.facts["rows"], report.facts["columns"]) == (2, 2)


def test_a_wide_workbook_is_refused_by_its_cell_cap(tmp_path):
    header = [f"c{n}" for n in range(1, 31)]
    path = _workbook(tmp_path, [header] + [list(range(30)) for _ in range(19)])

    report = _check(path, file_format="XLSX", limits=Limits(max_xlsx_cells=500))

    assert [(f.check, f.outcome, f.message, f.location) for f in report.findings] == [
        ("structure", FAIL, "The sheet has 20 rows and 30 columns, more than the 500 cells a "
                            "workbook may have to be checked. Save it as CSV and upload that "
                            "instead.", Location(sheet="Data")),
    ]  # fmt: skip


def test_the_cell_cap_holds_for_all_sheets_together(tmp_path):
    workbook = openpyxl.Workbook()
    for number, sheet in enumerate([workbook.active, workbook.create_sheet("Second")]):
        sheet.title = f"S{number}"
        for row in range(15):
            sheet.append([f"c{n}" if row == 0 else row * n for n in range(1, 21)])
    path = tmp_path / "two.xlsx"
    workbook.save(path)

    report = _check(path, file_format="XLSX", limits=Limits(max_xlsx_cells=500))

    assert _of(report, "structure") == [
        (FAIL, "The workbook's sheets have more than 500 cells together, the most a workbook "
               "may have to be checked. Save its sheets as CSV and upload those instead.",
         Location(sheet="S1")),
    ]  # fmt: skip


def test_a_workbook_over_the_size_cap_is_refused(tmp_path):
    path = _workbook(tmp_path, [["a"], [1]])

    report = _check(path, file_format="XLSX", limits=Limits(max_xlsx_bytes=1000))

    assert [f.message for f in report.findings] == [
        f"The workbook is {path.stat().st_size / 1048576:.1f} MB; workbooks up to 0.0 MB are "
        "checked. Save its sheets as CSV and upload those instead."
    ]


def test_a_workbook_whose_shared_strings_are_a_bomb_is_refused_before_it_is_opened(tmp_path):
    # calamine would read all 2.4 MB of shared strings (1.5 GB in a real bomb) on opening.
    path = _workbook(tmp_path, [["ward"], ["Ditton"]])
    bomb = tmp_path / "bomb.xlsx"
    shared = b"<sst>" + b"<si><t>a</t></si>" * 150_000 + b"</sst>"
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
        target.writestr("xl/sharedStrings.xml", shared)
        packed = target.getinfo("xl/sharedStrings.xml").compress_size

    report = _check(bomb, file_format="XLSX")

    assert _of(report, "structure") == [
        (FAIL, f"A part of the workbook (xl/sharedStrings.xml) expands to 2.4 MB, "
               f"{len(shared) // packed:,} times its packed size: it looks like a compression "
               "bomb, so it cannot be checked.", Location()),
    ]  # fmt: skip


def test_a_damaged_workbook_fails(tmp_path):
    report = _check(_write(tmp_path, b"PK\x03\x04 not really", "fake.xlsx"), file_format="XLSX")

    assert _of(report, "structure") == [
        (FAIL, "The file is not a valid XLSX workbook: it is damaged or in another format.",
         Location()),
    ]  # fmt: skip


def test_a_workbook_type_error_in_the_sample_names_the_cell(tmp_path):
    rows = [["ward", "score"]] + [[f"W{n}", n * 1.5] for n in range(12)] + [["W12", "n/a"]]
    path = _workbook(tmp_path, rows)

    report = _check(path, file_format="XLSX")

    assert _of(report, "types")[0] == (
        WARNING,
        "Row 13, column score: the value is not of type number, like the column's other "
        "values in the first rows.",
        Location(sheet="Data", row=13, column="score", cell="B14"),
    )


def test_column_letters():
    assert [column_letters(i) for i in (0, 25, 26, 27, 701, 702)] == [
        "A", "Z", "AA", "AB", "ZZ", "AAA",
    ]  # fmt: skip


def test_other_formats_are_not_tables(tmp_path):
    report = _check(_write(tmp_path, b"%PDF-1.7", "a.pdf"), file_format="PDF")

    assert [(f.check, f.outcome) for f in report.findings] == [("structure", FAIL)]


def test_a_nul_byte_past_the_files_head_is_named(tmp_path):
    path = tmp_path / "late.csv"
    path.write_bytes(b"area,n\n" + b"Halton,30\n" * 10_000 + b"Wid\x00nes,30\n")

    report = check_table(path, label="", file_format="CSV", table_schema=None, limits=Limits())

    assert [
        (f.outcome, f.message, f.location) for f in report.findings if f.check == "integrity"
    ] == [
        (
            FAIL,
            "1 cell holds a NUL byte, which text never has: the file may be damaged, or not be "
            "the table it seems.",
            Location(row=10_001, column="area"),
        )
    ]
