"""Profiling tabular files: statistics on known files, and every bad input the issue lists."""

import datetime as dt
import hashlib
import io
import json
import random
import subprocess
import sys
import threading
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from datasets.profiling import ProfileError, profile_file, sha256_of
from datasets.profiling.delimited import _read_ahead


def _write(tmp_path, text: str | bytes, name: str = "data.csv"):
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8", newline="")
    else:
        path.write_bytes(text)
    return path


def _field(profile, name):
    return next(field for field in profile.fields if field["name"] == name)


KNOWN = (
    "id,amount,flag,day,moment,town\n"
    "1,1.50,true,2024-01-31,2024-01-31 08:00:00,Widnes\n"
    "2,,false,2024-02-29,2024-02-29 17:30:00,Runcorn\n"
    "3,-4.5,true,,2024-03-01 00:00:00,Widnes\n"
    "4,10,true,2023-12-01,,\n"
)


def test_profile_of_a_known_csv_has_exact_statistics(tmp_path):
    profile = profile_file(_write(tmp_path, KNOWN), file_format="csv")

    assert (profile.rows, profile.columns) == (4, 6)
    assert profile.encoding == "utf-8"
    assert profile.delimiter == ","
    assert profile.warnings == []
    assert _field(profile, "id") == {
        "name": "id",
        "type": "integer",
        "count": 4,
        "nulls": 0,
        "distinct": 4,
        "distinct_is_exact": True,
        "min": 1,
        "max": 4,
        "mean": 2.5,
        "top_values": [],
        "top_values_are_exact": None,
    }
    amount = _field(profile, "amount")
    assert (amount["type"], amount["nulls"], amount["distinct"]) == ("number", 1, 3)
    assert (amount["min"], amount["max"], amount["mean"]) == (-4.5, 10.0, 7 / 3)
    flag = _field(profile, "flag")
    assert flag["type"] == "boolean"
    assert flag["top_values"] == [["true", 3], ["false", 1]]
    day = _field(profile, "day")
    assert (day["type"], day["nulls"], day["min"], day["max"]) == (
        "date", 1, "2023-12-01", "2024-02-29",
    )  # fmt: skip
    moment = _field(profile, "moment")
    assert (moment["type"], moment["min"], moment["max"]) == (
        "datetime", "2024-01-31T08:00:00", "2024-03-01T00:00:00",
    )  # fmt: skip
    town = _field(profile, "town")
    assert (town["type"], town["nulls"], town["distinct"]) == ("string", 1, 2)
    assert town["top_values"] == [["Widnes", 2], ["Runcorn", 1]]
    assert town["top_values_are_exact"] is True


def test_preview_is_the_first_50_rows_as_written(tmp_path):
    lines = ["n,price"] + [f"{n},{n}.50" for n in range(1, 121)]
    path = _write(tmp_path, "\n".join(lines) + "\n")

    profile = profile_file(path, file_format="csv")

    assert profile.rows == 120
    assert profile.preview_header == ["n", "price"]
    assert len(profile.preview) == 50
    assert profile.preview[0] == ["1", "1.50"]
    assert profile.preview[49] == ["50", "50.50"]


def test_preview_shows_empty_cells_as_none(tmp_path):
    profile = profile_file(_write(tmp_path, KNOWN), file_format="csv")

    assert profile.preview[3] == ["4", "10", "true", "2023-12-01", None, None]


def test_preview_rows_is_a_parameter(tmp_path):
    profile = profile_file(_write(tmp_path, KNOWN), file_format="csv", preview_rows=2)

    assert [row[0] for row in profile.preview] == ["1", "2"]


def test_distinct_is_exact_below_k_and_estimated_above(tmp_path):
    lines = ["few,many"] + [f"{n % 100},{n}" for n in range(20_000)]

    profile = profile_file(_write(tmp_path, "\n".join(lines) + "\n"), file_format="csv")

    few, many = _field(profile, "few"), _field(profile, "many")
    assert (few["distinct"], few["distinct_is_exact"]) == (100, True)
    assert many["distinct_is_exact"] is False
    assert abs(many["distinct"] - 20_000) < 1_000


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
def test_delimiter_is_detected(tmp_path, delimiter):
    rows = [["town", "people", "note"], ["Widnes", "61000", "a, b"], ["Runcorn", "62000", "c"]]
    text = "\n".join(delimiter.join(row) for row in rows) + "\n"
    if delimiter == ",":
        text = text.replace("a, b", '"a, b"')

    profile = profile_file(_write(tmp_path, text), file_format="csv")

    assert profile.delimiter == delimiter
    assert profile.preview_header == ["town", "people", "note"]
    assert _field(profile, "people")["max"] == 62000
    assert profile.preview[0] == ["Widnes", "61000", "a, b"]


def test_tsv_format_reads_tabs_even_with_commas(tmp_path):
    path = _write(tmp_path, "a\tb\n1,5\tx,y\n2,5\tz\n", name="data.tsv")

    profile = profile_file(path, file_format="tsv")

    assert profile.preview_header == ["a", "b"]
    assert profile.preview == [["1,5", "x,y"], ["2,5", "z"]]


def test_cp1252_text_is_decoded(tmp_path):
    rows = ["name,price"] + [f"Café {n},£{n}.50" for n in range(3)]
    path = _write(tmp_path, ("\n".join(rows) + "\n").encode("cp1252"))

    profile = profile_file(path, file_format="csv")

    assert profile.encoding == "cp1252"
    assert profile.preview[0] == ["Café 0", "£0.50"]
    assert _field(profile, "name")["top_values"][0] == ["Café 0", 1]


def test_utf8_bom_is_not_part_of_the_first_name(tmp_path):
    path = _write(tmp_path, "\ufefftown,people\nWidnes,61000\n".encode())

    profile = profile_file(path, file_format="csv")

    assert profile.preview_header == ["town", "people"]
    assert profile.preview == [["Widnes", "61000"]]


def test_utf16_with_bom_is_decoded(tmp_path):
    path = _write(tmp_path, "town,people\nWidnes,61000\n".encode("utf-16"))

    profile = profile_file(path, file_format="csv")

    assert profile.rows == 1
    assert profile.preview == [["Widnes", "61000"]]


def test_text_that_stops_being_utf8_is_read_as_windows_1252_with_a_warning(tmp_path):
    # The first 64 KB (the sample) are plain ASCII; "é" in cp1252 comes much later.
    head = "".join(f"{n},plain\n" for n in range(20_000))
    path = _write(tmp_path, b"n,word\n" + head.encode() + "20000,café\n".encode("cp1252"))

    profile = profile_file(path, file_format="csv")

    assert profile.rows == 20_001
    assert profile.encoding == "cp1252"
    assert profile.warnings == [
        "Some text is not valid UTF-8, so the file was read as Windows-1252; if it mixes "
        "encodings, some accented letters or symbols may show wrongly."
    ]
    assert ["café", 1] in _field(profile, "word")["top_values"]


def test_undecodable_text_is_refused(tmp_path):
    rng = random.Random(1)
    path = _write(tmp_path, b"a,b\n" + bytes(rng.randrange(128, 256) for _ in range(3000)))

    with pytest.raises(ProfileError, match="encoding could not be recognised"):
        profile_file(path, file_format="csv")


def test_empty_file_is_refused(tmp_path):
    with pytest.raises(ProfileError, match=r"^The file is empty\.$"):
        profile_file(_write(tmp_path, b""), file_format="csv")


def test_blank_file_is_refused(tmp_path):
    with pytest.raises(ProfileError, match=r"^The file is empty\.$"):
        profile_file(_write(tmp_path, "\n\n  \r\n"), file_format="csv")


def test_header_only_csv_has_no_rows_and_a_warning(tmp_path):
    profile = profile_file(_write(tmp_path, "town,people\n"), file_format="csv")

    assert (profile.rows, profile.columns) == (0, 2)
    assert profile.preview == []
    assert profile.warnings == ["The file has a header row but no data rows."]
    assert [(field["name"], field["count"]) for field in profile.fields] == [
        ("town", 0),
        ("people", 0),
    ]


def test_binary_posing_as_csv_is_refused(tmp_path):
    rng = random.Random(2)
    path = _write(tmp_path, bytes(rng.randrange(256) for _ in range(5000)))

    with pytest.raises(ProfileError, match="binary data"):
        profile_file(path, file_format="csv")


def test_image_posing_as_csv_is_named(tmp_path):
    path = _write(tmp_path, b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)

    with pytest.raises(ProfileError, match="looks like a PNG image"):
        profile_file(path, file_format="csv")


def test_ragged_rows_are_skipped_and_counted(tmp_path):
    text = "a,b\n1,2\n3,4,5\n6\n7,8\n9,10,11,12\n13,14,15\n"

    profile = profile_file(_write(tmp_path, text), file_format="csv")

    assert profile.rows == 2
    assert _field(profile, "a")["max"] == 7
    assert profile.warnings == [
        "3 rows had more cells than the header and were skipped.",
        "1 row had fewer cells than the header and was skipped.",
    ]


def test_a_one_megabyte_line_is_profiled(tmp_path):
    big = "x" * (1024 * 1024)
    path = _write(tmp_path, f"id,text\n1,{big}\n2,short\n")

    profile = profile_file(path, file_format="csv")

    assert profile.rows == 2
    assert _field(profile, "text")["distinct"] == 2
    stored = profile.to_json()
    assert len(stored["preview"][0][1]) == 200
    assert len(json.dumps(stored)) < 10_000


def test_a_line_longer_than_the_largest_block_is_refused(tmp_path):
    path = _write(tmp_path, "id,text\n1," + "x" * 600_000 + "\n")

    with pytest.raises(ProfileError, match=r"longer than 256 KB"):
        profile_file(path, file_format="csv", block_size=16_384, max_block_size=262_144)


def test_a_long_line_is_refused_without_reading_more_than_its_limit_at_once(tmp_path, monkeypatch):
    # Longer than the largest block (which it makes the block grow to), shorter than
    # the four blocks a piece is.
    path = _write(tmp_path, "area,count\n" + "x" * 300_000 + ",1\nB,2\n")
    reads = []

    class Recorded(io.FileIO):
        def read(self, size=-1):
            reads.append(size)
            return super().read(size)

    monkeypatch.setattr("datasets.profiling.delimited.open", Recorded, raising=False)

    with pytest.raises(ProfileError, match=r"longer than 256 KB"):
        profile_file(path, file_format="csv", block_size=16_384, max_block_size=262_144)
    assert 0 < max(reads) <= 262_144


def test_a_line_longer_than_the_block_grows_the_block(tmp_path):
    path = _write(tmp_path, "id,text\n1," + "x" * 100_000 + "\n2,y\n")

    profile = profile_file(path, file_format="csv", block_size=16_384, max_block_size=262_144)

    assert profile.rows == 2


def test_a_column_whose_late_values_do_not_fit_is_widened(tmp_path):
    # Small blocks put the odd values many pieces after the rows types are inferred from.
    lines = ["n,code"] + [f"{n},{n}" for n in range(5_000)] + ["2.5,x9"]

    profile = profile_file(_write(tmp_path, "\n".join(lines) + "\n"), file_format="csv",
                           block_size=4096)  # fmt: skip

    assert profile.rows == 5_001
    assert _field(profile, "n")["type"] == "number"
    assert _field(profile, "n")["max"] == 4999.0
    code = _field(profile, "code")
    assert (code["type"], code["count"]) == ("string", 5_001)


def test_quoted_line_breaks_across_pieces_are_kept_in_their_values(tmp_path):
    lines = ["id,note"] + [f'{n},"line one\nline two {n}"' for n in range(3_000)]

    profile = profile_file(_write(tmp_path, "\n".join(lines) + "\n"), file_format="csv",
                           block_size=4096)  # fmt: skip

    assert profile.rows == 3_000
    assert profile.warnings == []
    assert profile.preview[1] == ["1", "line one\nline two 1"]
    assert _field(profile, "note")["distinct"] == 3_000


def test_blank_and_repeated_header_names_are_made_unique(tmp_path):
    profile = profile_file(_write(tmp_path, "a,a,,b\n1,2,3,4\n"), file_format="csv")

    assert profile.preview_header == ["a", "a_2", "column_3", "b"]
    assert [field["name"] for field in profile.fields] == ["a", "a_2", "column_3", "b"]


def test_to_json_has_no_nan_infinity_or_nul(tmp_path):
    path = _write(tmp_path, "x,y\ninf,1\n-inf,2\n1e400,3\n")

    stored = profile_file(path, file_format="csv").to_json()

    text = json.dumps(stored, allow_nan=False)
    assert "\\u0000" not in text
    x = next(field for field in stored["fields"] if field["name"] == "x")
    assert (x["min"], x["max"], x["mean"]) == (None, None, None)


def test_progress_rises_to_one(tmp_path):
    lines = ["n,word"] + [f"{n},w{n % 7}" for n in range(50_000)]
    path = _write(tmp_path, "\n".join(lines) + "\n")
    seen = []

    profile_file(path, file_format="csv", progress=seen.append, block_size=4096)

    assert len(seen) > 5
    assert seen == sorted(set(seen))
    assert seen[-1] == 1.0
    assert all(0 < fraction <= 1 for fraction in seen)


def test_unsupported_format_is_refused(tmp_path):
    with pytest.raises(ProfileError, match="Files in PDF format cannot be profiled"):
        profile_file(_write(tmp_path, KNOWN), file_format="pdf")


def test_missing_file_is_a_profile_error(tmp_path):
    with pytest.raises(ProfileError, match="could not be opened"):
        profile_file(tmp_path / "gone.csv", file_format="csv")


def test_csv_read_in_pieces_is_hashed_on_the_way(tmp_path):
    lines = ["n,word"] + [f"{n},w{n % 7}" for n in range(30_000)]
    path = _write(tmp_path, "\n".join(lines) + "\n")

    profile = profile_file(path, file_format="csv", block_size=4096)

    assert profile.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()


def test_csv_read_by_the_streaming_reader_leaves_the_hash_to_the_caller(tmp_path):
    path = _write(tmp_path, "town,people\nWidnes,61000\n".encode("utf-16"))

    assert profile_file(path, file_format="csv").sha256 is None


def test_sha256_of_matches_hashlib(tmp_path):
    path = _write(tmp_path, b"abc" * 100_000)

    assert sha256_of(path) == hashlib.sha256(b"abc" * 100_000).hexdigest()


# --- XLSX ---------------------------------------------------------------------------------


def _workbook(tmp_path, rows, name="data.xlsx", title="Sheet1"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def test_xlsx_profile_has_typed_statistics(tmp_path):
    path = _workbook(
        tmp_path,
        [
            ["town", "people", "share", "surveyed", "open"],
            ["Widnes", 61000, 0.25, dt.date(2024, 1, 31), True],
            ["Runcorn", 62000, 0.5, dt.date(2024, 3, 1), False],
            ["Widnes", None, 1.25, dt.date(2023, 12, 1), True],
        ],
    )

    profile = profile_file(path, file_format="xlsx")

    assert (profile.rows, profile.columns, profile.sheet) == (3, 5, "Sheet1")
    assert profile.warnings == []
    assert _field(profile, "town")["top_values"] == [["Widnes", 2], ["Runcorn", 1]]
    people = _field(profile, "people")
    assert (people["type"], people["nulls"], people["min"], people["max"], people["mean"]) == (
        "integer", 1, 61000, 62000, 61500.0,
    )  # fmt: skip
    assert _field(profile, "share")["type"] == "number"
    surveyed = _field(profile, "surveyed")
    assert surveyed["type"] in ("date", "datetime")
    assert surveyed["min"].startswith("2023-12-01")
    assert _field(profile, "open")["top_values"] == [["true", 2], ["false", 1]]
    assert profile.preview[0][:3] == ["Widnes", "61000", "0.25"]
    assert profile.preview[2][1] is None


def test_xlsx_with_formulas_warns(tmp_path):
    path = _workbook(tmp_path, [["a", "b"], [1, "=A2*2"], [2, "=A3*2"]])

    profile = profile_file(path, file_format="xlsx")

    assert profile.rows == 2
    assert profile.warnings[0].startswith("Formulas found: the values the spreadsheet program")


def test_corrupt_xlsx_is_refused(tmp_path):
    good = _workbook(tmp_path, [["a"], [1]]).read_bytes()
    path = _write(tmp_path, good[: len(good) // 2], name="broken.xlsx")

    with pytest.raises(ProfileError, match="not a valid XLSX workbook"):
        profile_file(path, file_format="xlsx")


def test_csv_named_xlsx_is_refused(tmp_path):
    path = _write(tmp_path, KNOWN, name="data.xlsx")

    with pytest.raises(ProfileError, match="not a valid XLSX workbook"):
        profile_file(path, file_format="xlsx")


def test_xlsx_over_the_size_cap_is_refused(tmp_path):
    path = _workbook(tmp_path, [["a"]] + [[n] for n in range(2_000)])

    with pytest.raises(ProfileError, match=r"workbooks up to 0\.0 MB can be profiled"):
        profile_file(path, file_format="xlsx", max_xlsx_bytes=1_000)


def test_xlsx_declaring_too_many_cells_is_refused_before_loading(tmp_path):
    path = _workbook(tmp_path, [["a", "b", "c"]] + [[n, n, n] for n in range(400)])

    with pytest.raises(ProfileError, match="401 rows and 3 columns, more than the 1,000 cells"):
        profile_file(path, file_format="xlsx", max_xlsx_cells=1_000)


def test_xlsx_declared_dimension_is_read_from_the_sheet_xml(tmp_path):
    # A workbook that declares a huge range but holds one cell: the declaration refuses it.
    path = _workbook(tmp_path, [["a"], [1]])
    patched = tmp_path / "declared.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b'<dimension ref="A1:A2" />', b'<dimension ref="A1:Z999999" />')
            target.writestr(item, data)

    with pytest.raises(ProfileError, match="999,999 rows and 26 columns"):
        profile_file(patched, file_format="xlsx")


def _lying_workbook(tmp_path, far_cell: bytes, row: int):
    """Declares A1:B2 but holds one more cell, far away: calamine would lay out a grid
    reaching it (half a terabyte for XFD1048576) before any cell count could be read."""
    return _with_rows(tmp_path, b'<row r="%d"><c r="%s" t="n"><v>7</v></c></row>' % (row, far_cell))


def _with_rows(tmp_path, rows_xml: bytes):
    """A workbook declaring A1:B2 whose sheet holds `rows_xml` after its two rows."""
    path = _workbook(tmp_path, [["a", "b"], [1, 2]])
    patched = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</sheetData>", rows_xml + b"</sheetData>")
            target.writestr(item, data)
    return patched


def test_xlsx_part_that_is_a_compression_bomb_is_refused_before_loading(tmp_path):
    path = _workbook(tmp_path, [["a"], ["b"]])
    bomb = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for item in source.infolist():
            target.writestr(item.filename, source.read(item))
        target.writestr("xl/media/padding.xml", b" " * 3_000_000)

    with pytest.raises(
        ProfileError, match=r"\(xl/media/padding.xml\) expands to 2.9 MB, [\d,]+ times"
    ):
        profile_file(bomb, file_format="xlsx")


def test_xlsx_reference_in_single_quotes_is_measured(tmp_path):
    path = _with_rows(tmp_path, b"<row r='1048576'><c r='XFD1048576'><v>7</v></c></row>")

    with pytest.raises(ProfileError, match="1,048,576 rows and 16,384 columns"):
        profile_file(path, file_format="xlsx")


def test_xlsx_rows_and_cells_without_references_are_measured_by_position(tmp_path):
    # Row 3 follows row 2; its 600 cells run from column A to column 600.
    path = _with_rows(tmp_path, b"<row>" + b"<c><v>1</v></c>" * 600 + b"</row>")

    with pytest.raises(ProfileError, match="3 rows and 600 columns, more than the 1,000"):
        profile_file(path, file_format="xlsx", max_xlsx_cells=1_000)


def test_xlsx_reference_outside_the_grid_is_refused(tmp_path):
    path = _with_rows(tmp_path, b'<row r="3"><c r="XFDA3"><v>7</v></c></row>')

    with pytest.raises(ProfileError, match="a cell or row reference is not valid"):
        profile_file(path, file_format="xlsx")


@pytest.mark.parametrize(
    ("far_cell", "row", "reach"),
    [(b"XFD1048576", 1_048_576, "1,048,576 rows and 16,384 columns"),
     (b"Z200000", 200_000, "200,000 rows and 26 columns")],
)  # fmt: skip
def test_xlsx_whose_cells_reach_past_its_declaration_is_refused_before_loading(
    tmp_path, far_cell, row, reach
):
    path = _lying_workbook(tmp_path, far_cell, row)

    with pytest.raises(ProfileError, match=reach):
        profile_file(path, file_format="xlsx")


def test_xlsx_named_sheet_is_profiled(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active.append(["first"])
    second = workbook.create_sheet("Counts")
    second.append(["site", "count"])
    second.append(["W-01", 5])
    path = tmp_path / "two.xlsx"
    workbook.save(path)

    profile = profile_file(path, file_format="xlsx", sheet="Counts")

    assert (profile.sheet, profile.rows, profile.preview_header) == ("Counts", 1, ["site", "count"])
    with pytest.raises(ProfileError, match="no sheet named 'Missing'"):
        profile_file(path, file_format="xlsx", sheet="Missing")


def test_empty_xlsx_sheet_is_refused(tmp_path):
    path = _workbook(tmp_path, [])

    with pytest.raises(ProfileError, match="The sheet is empty"):
        profile_file(path, file_format="xlsx")


def test_read_ahead_stops_its_thread_when_the_caller_stops_early():
    produced = []

    def numbers():
        for number in range(1_000):
            produced.append(number)
            yield number

    items = _read_ahead(numbers())
    assert [next(items), next(items)] == [0, 1]
    items.close()

    assert len(produced) < 10
    assert not [t for t in threading.enumerate() if t.name == "csv-read-ahead"]


def test_read_ahead_raises_the_readers_error_in_the_caller():
    def failing():
        yield 1
        raise ValueError("broken piece")

    items = _read_ahead(failing())
    assert next(items) == 1
    with pytest.raises(ValueError, match="broken piece"):
        next(items)


# Run in a process of its own, under a data-segment limit as the validation's child is:
# the reader's second item takes every byte left (small objects too) and fails, memory
# kept. Handing the MemoryError over then fails in the thread as well (waking the caller
# allocates), which used to leave the caller waiting for ever. Exit 3: it was raised.
EXHAUSTED_READER = """
import os, resource
from datasets.profiling.delimited import _read_ahead

class Exhausting:
    def __init__(self):
        self.given, self.hoard = 0, None
    def __iter__(self):
        return self
    def __next__(self):
        self.given += 1
        if self.given == 1:
            return 1
        try:
            while True:
                self.hoard = [self.hoard]
        except MemoryError:
            pass
        for size in range(1, 64):
            try:
                while True:
                    self.hoard = (self.hoard,) + (None,) * size
            except MemoryError:
                pass
        raise MemoryError
    def close(self):
        pass

data_kb = next(int(line.split()[1]) for line in open("/proc/self/status")
               if line.startswith("VmData:"))
limit = data_kb * 1024 + 64 * 1024 * 1024
resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))
items = _read_ahead(Exhausting())
next(items)
try:
    next(items)
except MemoryError:
    os._exit(3)
os._exit(0)
"""


def test_read_ahead_raises_a_memory_error_that_its_thread_could_not_hand_over():
    finished = subprocess.run(  # noqa: S603 — this interpreter, a fixed script, no shell
        [sys.executable, "-c", EXHAUSTED_READER],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        timeout=60,
        check=False,
    )

    assert finished.returncode == 3, finished.stderr.decode()[-2000:]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.lists(
        st.sampled_from(
            [
                b"a",
                b"1",
                b"2.5",
                b",",
                b";",
                b"\t",
                b'"',
                b"\n",
                b"\r\n",
                b" ",
                b"\xe9",
                b"\xc3\xa9",
                b"\xff",
                b"\x00",
                b"2024-01-01",
                b"true",
                b"NA",
                b"-",
                b"1e999",
            ]
        ),
        max_size=120,
    ),
    st.sampled_from(["csv", "tsv", "xlsx"]),
    st.sampled_from([64, 4096, 1024 * 1024]),
)
def test_any_bytes_give_a_profile_or_a_profile_error(tmp_path, pieces, file_format, block):
    path = _write(tmp_path, b"".join(pieces), name=f"fuzz.{file_format}")

    try:
        profile = profile_file(path, file_format=file_format, block_size=block)
    except ProfileError as error:
        assert error.message.endswith(".")
    else:
        json.dumps(profile.to_json(), allow_nan=False)
        assert profile.rows >= 0


def test_xlsx_with_an_unknown_compression_method_is_refused(tmp_path):
    path = _workbook(tmp_path, [["a"], [1]])
    data = bytearray(path.read_bytes())
    # Every central-directory entry claims compression method 99, which zipfile refuses
    # with NotImplementedError.
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        data[start + 10 : start + 12] = (99).to_bytes(2, "little")
        start += 4
    path.write_bytes(bytes(data))

    with pytest.raises(ProfileError, match="not a valid XLSX workbook"):
        profile_file(path, file_format="xlsx")


def test_xlsx_trailing_empty_rows_are_not_data(tmp_path):
    path = _workbook(tmp_path, [["a", "b"], [1, "x"], [None, None], [2, "y"], [None, None]])
    workbook = openpyxl.load_workbook(path)
    workbook.active["A9"] = ""  # a formatted but empty cell far below stretches the sheet
    workbook.save(path)

    profile = profile_file(path, file_format="xlsx")

    assert profile.rows == 3
    assert profile.preview == [["1", "x"], [None, None], ["2", "y"]]
    assert _field(profile, "a")["nulls"] == 1


def test_xlsx_header_only_has_no_rows_and_a_warning(tmp_path):
    profile = profile_file(_workbook(tmp_path, [["town", "people"]]), file_format="xlsx")

    assert (profile.rows, profile.columns, profile.preview) == (0, 2, [])
    assert profile.warnings == ["The sheet has a header row but no data rows."]


def test_a_column_empty_in_the_first_piece_takes_the_type_of_later_values(tmp_path):
    lines = ["n,late"] + [f"{n}," for n in range(5_000)] + ["5000,12", "5001,99999999999999999999"]

    profile = profile_file(_write(tmp_path, "\n".join(lines) + "\n"), file_format="csv",
                           block_size=4096)  # fmt: skip

    late = _field(profile, "late")
    assert (late["type"], late["count"], late["nulls"]) == ("number", 2, 5_000)
    assert late["max"] == 1e20


def test_bytes_outside_windows_1252_fall_back_to_latin_1_with_one_warning(tmp_path):
    head = "".join(f"{n},plain\n" for n in range(20_000))
    # 0x81 has no character in Windows-1252; in Latin-1 it is a control character.
    path = _write(tmp_path, b"n,word\n" + head.encode() + b"20000,caf\xe9\x81\n")

    profile = profile_file(path, file_format="csv")

    assert profile.rows == 20_001
    assert profile.encoding == "latin-1"
    assert len(profile.warnings) == 1
    assert "read as Latin-1" in profile.warnings[0]


def test_text_na_is_a_value_and_an_empty_cell_is_missing(tmp_path):
    path = _write(tmp_path, "country,people\nNA,1\nNA,2\nGB,3\n,4\n")

    country = _field(profile_file(path, file_format="csv"), "country")

    assert (country["count"], country["nulls"], country["distinct"]) == (3, 1, 2)
    assert country["top_values"] == [["NA", 2], ["GB", 1]]


class _TimeLimit(Exception):
    """Stands for a task's soft time limit, which Celery raises wherever the code is."""


def _interrupt(fraction):
    raise _TimeLimit


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_callers_interruption_reaches_it_as_itself(tmp_path, kind):
    if kind == "csv":
        path = _write(tmp_path, b"a,b\n" + b"1,2\n" * 1000)
    else:
        path = _workbook(tmp_path, [["a", "b"], [1, 2]])

    with pytest.raises(_TimeLimit):
        profile_file(path, file_format=kind, progress=_interrupt, interruptions=(_TimeLimit,))
    # Not named as the caller's: a damaged-file sentence, as before.
    with pytest.raises(ProfileError):
        profile_file(path, file_format=kind, progress=_interrupt)


def test_negative_zero_is_the_same_number_as_zero(tmp_path):
    path = _write(tmp_path, b"x\n0.0\n-0.0\n1.5\n")

    field = profile_file(path, file_format="csv").fields[0]

    assert (field["distinct"], field["distinct_is_exact"]) == (2, True)


def test_preview_shows_na_and_null_as_written(tmp_path):
    path = _write(tmp_path, b"code,n\nNA,1\nnull,2\nNaN,3\nGB,4\n,5\n")

    profile = profile_file(path, file_format="csv")

    assert [row[0] for row in profile.preview] == ["NA", "null", "NaN", "GB", None]


def test_quote_never_closed_is_reported(tmp_path):
    path = _write(tmp_path, b'a,b\n1,"x\n' + b"2,y\n" * 2000)

    profile = profile_file(path, file_format="csv")

    assert any("quoted value is never closed" in warning for warning in profile.warnings)


def test_quoted_line_breaks_that_close_are_not_reported(tmp_path):
    path = _write(tmp_path, b'a,b\n1,"two\nlines"\n2,y\n')

    profile = profile_file(path, file_format="csv")

    assert profile.rows == 2
    assert not any("never closed" in warning for warning in profile.warnings)


def test_header_without_a_line_break_is_a_header_only_file(tmp_path):
    profile = profile_file(_write(tmp_path, "town,people"), file_format="csv")

    assert (profile.rows, profile.preview_header) == (0, ["town", "people"])
    assert profile.warnings == ["The file has a header row but no data rows."]


def test_last_row_without_a_line_break_is_counted(tmp_path):
    profile = profile_file(_write(tmp_path, "town,people\nWidnes,61000"), file_format="csv")

    assert (profile.rows, profile.preview) == (1, [["Widnes", "61000"]])


def test_a_single_one_megabyte_line_without_a_break_is_one_long_header(tmp_path):
    profile = profile_file(_write(tmp_path, "x" * (1024 * 1024)), file_format="csv")

    assert (profile.rows, profile.columns) == (0, 1)
    assert len(profile.to_json()["preview_header"][0]) == 200


def test_too_many_columns_are_refused(tmp_path):
    with pytest.raises(ProfileError, match="The header has 20,001 columns; files with up to"):
        profile_file(_write(tmp_path, "," * 20_000 + "\n"), file_format="csv")


def test_a_header_too_wide_is_refused_before_pyarrow_reads_it(tmp_path, monkeypatch):
    # Past the first sample (64 KB), so the line is counted in pieces.
    header = ",".join(f"column{number:05}" for number in range(12_000))
    path = _write(tmp_path, header + "\n1\n")
    monkeypatch.setattr("pyarrow.csv.open_csv", None)

    with pytest.raises(ProfileError, match="The header has 12,000 columns; files with up to"):
        profile_file(path, file_format="csv")


def test_dates_meeting_a_time_of_day_widen_to_datetimes(tmp_path):
    early = b"2024-01-01\n" * 300_000  # past the first block, so the type was settled
    path = _write(tmp_path, b"when\n" + early + b"2024-02-01 10:00:00\n2024-02-02 11:30:00.25\n")

    field = profile_file(path, file_format="csv").fields[0]

    assert field["type"] == "datetime"
    assert (field["min"], field["max"]) == ("2024-01-01T00:00:00", "2024-02-02T11:30:00.250000")
