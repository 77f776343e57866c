"""common.csv_export: cells a spreadsheet cannot run as formulas, and a streamed file
that says so when it stops early."""

import csv
import io

import pytest

from common.csv_export import INCOMPLETE, csv_download, spreadsheet_cell


@pytest.mark.parametrize(
    ("value", "cell"),
    [
        ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
        ("+44 151 000", "'+44 151 000"),
        ("-1+2", "'-1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("a=b", "a=b"),
        ("Halton", "Halton"),
        ("", ""),
        (None, ""),
        (True, "yes"),
        (False, "no"),
        (3120, "3120"),
        (-4, "'-4"),
        (["=x", "Python"], "'=x; Python"),
        (("Cycling", "Walking"), "Cycling; Walking"),
    ],
)
def test_spreadsheet_cell_neutralises_a_leading_formula_character(value, cell):
    assert spreadsheet_cell(value) == cell


def _read(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_download_streams_headings_then_rows_as_an_attachment():
    response = csv_download(
        iter([["Halton", "=1+1"], ["Widnes", None]]),
        headings=["place", "@note"],
        filename="places.csv",
        name="of places",
    )

    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="places.csv"'
    assert _read(response) == [["place", "'@note"], ["Halton", "'=1+1"], ["Widnes", ""]]


def test_csv_download_failing_mid_stream_ends_with_the_incomplete_line_and_fails(caplog):
    def rows():
        yield ["first"]
        raise OSError("disk gone")

    response = csv_download(rows(), headings=["h"], filename="f.csv", name="of tests")
    received = []
    with pytest.raises(OSError, match="disk gone"):
        for chunk in response.streaming_content:
            received.append(chunk)

    assert b"".join(received).decode().splitlines() == ["h", "first", INCOMPLETE]
    assert "The CSV export of tests stopped early" in caplog.text
