"""The engine's entry point: integrity facts, the type by content against the name, the
checks of PDFs, PNGs and macro workbooks, and the cap on findings."""

import hashlib
import logging

import openpyxl
import pyarrow as pa
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from common.files import sha256_of
from submissions.validation import (
    FAIL,
    PASS,
    WARNING,
    FileReport,
    Finding,
    Limits,
    Location,
    runner,
    tables,
)
from submissions.validation.runner import (
    cap_findings,
    content_format,
    macro_finding,
    validate_path,
)
from tests.submissions.corpus.generate import png_bytes, zip_bytes

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


@pytest.fixture
def workdir(tmp_path):
    path = tmp_path / "work"
    path.mkdir()
    return path


def _validate(tmp_path, workdir, content: bytes, filename: str, **options) -> FileReport:
    path = tmp_path / "upload"
    path.write_bytes(content)
    return validate_path(
        path, filename=filename, limits=options.pop("limits", Limits()), workdir=workdir, **options
    )


def _summary(report: FileReport) -> list[tuple[str, str, str]]:
    return [(finding.check, finding.outcome, finding.message) for finding in report.findings]


def test_validate_path_records_size_sha256_and_format(tmp_path, workdir):
    report = _validate(tmp_path, workdir, PDF, "slides.pdf")

    assert report.facts == {
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "format": "PDF",
    }
    assert _summary(report) == [("integrity", PASS, f"{len(PDF)} bytes of a PDF document.")]


@pytest.mark.parametrize(
    ("content", "filename", "hashed_by_runner"),
    [(b"area,claimants\nHalton,3120\n", "results.csv", 0), (PDF, "slides.pdf", 1)],
)
def test_the_sha256_is_computed_once(
    tmp_path, workdir, monkeypatch, content, filename, hashed_by_runner
):
    # A CSV's pass hashes the bytes it reads; the runner hashes only what no pass read.
    calls = []
    monkeypatch.setattr(runner, "sha256_of", lambda handle: calls.append(1) or sha256_of(handle))

    report = _validate(tmp_path, workdir, content, filename)

    assert report.facts["sha256"] == hashlib.sha256(content).hexdigest()
    assert len(calls) == hashed_by_runner


def test_a_check_failing_unexpectedly_keeps_the_files_facts(tmp_path, workdir, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a gap in the checks")

    monkeypatch.setattr("submissions.validation.runner.run_checks", broken)

    report = _validate(tmp_path, workdir, PDF, "slides.pdf")

    assert _summary(report) == [
        ("integrity", FAIL, "The file could not be checked (RuntimeError); it may be damaged.")
    ]
    assert report.facts == {
        "size": len(PDF),
        "sha256": hashlib.sha256(PDF).hexdigest(),
        "format": "PDF",
    }


def test_validate_path_empty_file_fails(tmp_path, workdir):
    report = _validate(tmp_path, workdir, b"", "results.csv")

    assert _summary(report) == [("integrity", FAIL, "The file is empty.")]
    assert report.facts["size"] == 0


@pytest.mark.parametrize(
    ("content", "filename", "named"),
    [
        (png_bytes(), "slides.pdf", "a PNG image"),
        (PDF, "results.csv", "a PDF document"),
        (b"<!DOCTYPE html><html></html>", "results.csv", "a web page (HTML)"),
        (b"area,claimants\n", "analysis.ipynb", "plain text"),
        (zip_bytes({"a.csv": b"a\n"}), "results.xlsx", "a zip archive"),
        (b"\x00\x01\x02binary", "results.csv", "binary data of no kind that is checked"),
    ],
    ids=["png-as-pdf", "pdf-as-csv", "html-as-csv", "text-as-notebook", "zip-as-xlsx", "nul"],
)
def test_validate_path_name_promising_another_type_fails(
    tmp_path, workdir, content, filename, named
):
    report = _validate(tmp_path, workdir, content, filename)

    extension = filename.rpartition(".")[2]
    assert _summary(report) == [
        (
            "integrity",
            FAIL,
            f"The file is named .{extension} but its content is {named}. "
            "Upload the file its name says, or rename it.",
        )
    ]


def test_validate_path_utf16_text_fails_its_encoding(tmp_path, workdir):
    content = "area,claimants\r\nHalton,3120\r\n".encode("utf-16")

    report = _validate(tmp_path, workdir, content, "results.csv")

    assert [(f.check, f.outcome) for f in report.findings] == [("encoding", FAIL)]
    assert "UTF-16" in report.findings[0].message


def test_validate_path_utf32_text_is_called_utf32(tmp_path, workdir):
    content = "area,claimants\r\nHalton,3120\r\n".encode("utf-32")

    report = _validate(tmp_path, workdir, content, "results.csv")

    assert _summary(report) == [
        ("encoding", FAIL, "The file is UTF-32 text; tables are read as UTF-8. Save it as "
                           "“CSV UTF-8” and upload it again."),
    ]  # fmt: skip


def test_validate_path_unknown_binary_without_a_promise_is_a_warning(tmp_path, workdir):
    report = _validate(tmp_path, workdir, b"PAR1\x00\x00\x15\x04binary", "results.parquet")

    assert [(f.check, f.outcome) for f in report.findings] == [("integrity", WARNING)]
    assert report.facts["format"] == ""


@pytest.mark.parametrize(
    ("content", "filename"),
    [(b"import pandas as pd\n", "clean.py"), (b"# Notes\n", "README.md"), (b"a,b\n", "LICENCE")],
)
def test_validate_path_plain_text_is_not_read_as_a_table(tmp_path, workdir, content, filename):
    report = _validate(tmp_path, workdir, content, filename)

    assert report.facts["format"] == "TEXT"
    assert _summary(report) == [("integrity", PASS, f"{len(content)} bytes of plain text.")]


def test_validate_path_utf16_text_that_is_not_a_table_passes(tmp_path, workdir):
    content = "Notes on the claimant counts\r\n".encode("utf-16")

    report = _validate(tmp_path, workdir, content, "README.txt")

    assert _summary(report) == [("integrity", PASS, f"{len(content)} bytes of plain text.")]


def test_validate_path_judges_the_extension_of_the_last_path_part(tmp_path, workdir):
    report = _validate(tmp_path, workdir, b"import os\n", "analysis.v2/clean")

    assert report.facts["format"] == "TEXT"
    assert report.outcome == PASS


def test_validate_path_jpeg_and_json_get_integrity_only(tmp_path, workdir):
    jpeg = _validate(tmp_path, workdir, _jpeg(b"\x12"), "a.jpg")
    data = _validate(tmp_path, workdir, b'{"area": "Halton"}', "data.json")

    assert [(f.check, f.outcome) for f in jpeg.findings] == [("integrity", PASS)]
    assert (jpeg.facts["format"], data.facts["format"]) == ("JPEG", "JSON")
    assert [(f.check, f.outcome) for f in data.findings] == [("integrity", PASS)]


def test_validate_path_unreadable_file_fails(tmp_path, workdir):
    report = validate_path(tmp_path / "missing", filename="a.csv", limits=Limits(), workdir=workdir)

    assert _summary(report) == [("integrity", FAIL, "The file could not be read.")]


def test_validate_path_pdf_without_end_marker_is_a_warning(tmp_path, workdir):
    report = _validate(tmp_path, workdir, b"%PDF-1.7\n1 0 obj <<>> endobj\n", "slides.pdf")

    assert [(f.check, f.outcome) for f in report.findings] == [("integrity", WARNING)]
    assert "%%EOF" in report.findings[0].message


def test_validate_path_pdf_end_marker_found_within_the_last_kilobyte(tmp_path, workdir):
    content = PDF + b" " * 1000

    report = _validate(tmp_path, workdir, content, "slides.pdf")

    assert report.outcome == PASS


def test_validate_path_whole_png_passes(tmp_path, workdir):
    report = _validate(tmp_path, workdir, png_bytes(), "map.png")

    assert _summary(report) == [("integrity", PASS, f"{len(png_bytes())} bytes of a PNG image.")]


def test_validate_path_png_with_html_after_its_end_fails(tmp_path, workdir):
    content = png_bytes() + b"<html><script>alert(1)</script></html>"

    report = _validate(tmp_path, workdir, content, "map.png")

    assert _summary(report) == [
        (
            "integrity",
            FAIL,
            "38 bytes follow the end of the image; an image with something hidden after it "
            "is not accepted.",
        )
    ]


def test_validate_path_png_end_marker_inside_pixel_data_does_not_hide_appended_bytes(
    tmp_path, workdir
):
    # "IEND" inside a chunk's data is not the end: the chunks are walked by their lengths.
    image = png_bytes()
    end = image.rindex(b"IEND") - 4
    text_chunk = b"\x00\x00\x00\x08tEXtIEND\x00\x00\x00\x00\x00\x00\x00\x00"
    content = image[:end] + text_chunk + image[end:] + b"<html>"

    report = _validate(tmp_path, workdir, content, "map.png")

    assert [(f.outcome, f.message[:8]) for f in report.findings] == [(FAIL, "6 bytes ")]


def test_validate_path_png_cut_short_fails(tmp_path, workdir):
    report = _validate(tmp_path, workdir, png_bytes()[:-12], "map.png")

    assert _summary(report) == [
        ("integrity", FAIL, "The image is cut short: it has no end (IEND).")
    ]


def _workbook_parts(**parts) -> bytes:
    return zip_bytes({"xl/workbook.xml": b"<workbook/>", **parts})


def test_validate_path_workbook_with_vba_project_fails(tmp_path, workdir):
    content = _workbook_parts(**{"xl/vbaProject.bin": b"VBA"})

    report = _validate(tmp_path, workdir, content, "results.xlsx")

    assert [(f.check, f.outcome) for f in report.findings] == [("integrity", FAIL)]
    assert report.findings[0].message.startswith("The workbook contains macros")


def test_macro_finding_finds_excel4_macro_sheets(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(_workbook_parts(**{"xl/macrosheets/sheet1.xml": b"<xm:macrosheet/>"}))

    assert macro_finding(path).outcome == FAIL


def test_macro_finding_reads_the_macro_enabled_content_type(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(
        _workbook_parts(
            **{
                "[Content_Types].xml": b'<Types ContentType="application/vnd.ms-excel.sheet.'
                b'macroEnabled.main+xml"/>'
            }
        )
    )

    assert macro_finding(path).outcome == FAIL


def test_macro_finding_workbook_without_content_types_is_none(tmp_path):
    path = tmp_path / "book.xlsx"
    path.write_bytes(_workbook_parts())

    assert macro_finding(path) is None


def test_macro_finding_plain_workbook_is_none(tmp_path):
    path = tmp_path / "book.xlsx"
    workbook = openpyxl.Workbook()
    workbook.active.append(["area", "claimants"])
    workbook.save(path)

    assert macro_finding(path) is None


def test_macro_finding_damaged_workbook_fails(tmp_path):
    content = _workbook_parts(**{"[Content_Types].xml": b"<Types/>" * 100})
    # Corrupt the deflated [Content_Types].xml (the second entry) so reading it fails.
    at = content.index(b"[Content_Types].xml") + len("[Content_Types].xml")
    path = tmp_path / "book.xlsx"
    path.write_bytes(content[:at] + b"\xff" * 8 + content[at + 8 :])

    assert macro_finding(path) == Finding(
        "integrity", FAIL, "The workbook is damaged: its parts cannot be read."
    )


@pytest.mark.parametrize(
    ("head", "sniffed", "extension", "expected"),
    [
        (b'{"cells": []}', "JSON", "ipynb", "IPYNB"),
        (b'{"nbformat": 4, "cells": []}', "JSON", "json", "IPYNB"),
        (b'{"area": 1}', "JSON", "json", "JSON"),
        (b"\xef\xbb\xbf\n  <!DOCTYPE HTML><html>", "CSV", "csv", "HTML"),
        (b"<script>alert(1)</script>", "CSV", "csv", "HTML"),
        (b"<!-- saved from Excel -->\n<table>", "CSV", "csv", "HTML"),
        (b"<b>area</b>,claimants", "CSV", "csv", "HTML"),
        (b"<bold>,claimants", "CSV", "csv", "CSV"),
        ("area\n".encode("utf-16"), "", "txt", "TEXT"),
        (b"<html><body>", "CSV", "html", "HTML"),
        (b"area,claimants\n", "CSV", "csv", "CSV"),
        (b"area\tclaimants\n", "CSV", "tsv", "CSV"),
        (b"area,claimants\n", "CSV", "txt", "TEXT"),
        (b"import os\n", "CSV", "", "TEXT"),
        (b"%PDF-1.7", "PDF", "csv", "PDF"),
    ],
)
def test_content_format_refines_sniff(head, sniffed, extension, expected):
    assert content_format(head, sniffed, extension) == expected


def test_validate_path_calls_progress_to_the_end(tmp_path, workdir):
    fractions = []

    _validate(tmp_path, workdir, PDF, "slides.pdf", progress=fractions.append)

    assert fractions == [1.0]


def test_cap_findings_keeps_the_most_severe_and_counts_the_rest():
    findings = [Finding("disclosure", PASS, f"ok {n}") for n in range(3)]
    findings += [Finding("disclosure", FAIL, "small count", Location(row=9))]
    findings += [Finding("integrity", PASS, "fine")]
    report = FileReport(findings=findings, facts={"omitted": {"disclosure": 5}})

    capped = cap_findings(report, 2)

    assert [(f.check, f.message) for f in capped.findings] == [
        ("disclosure", "ok 0"),
        ("disclosure", "small count"),
        ("integrity", "fine"),
    ]
    assert capped.outcome == FAIL
    assert capped.facts == {"omitted": {"disclosure": 7}}


def test_validate_path_caps_findings_per_check(tmp_path, workdir):
    members = {f"notes/{n}.md": b"# notes\n" for n in range(5)}

    report = _validate(
        tmp_path,
        workdir,
        zip_bytes(members),
        "bundle.zip",
        limits=Limits(max_findings_per_check=2),
    )

    assert [f.check for f in report.findings] == ["integrity", "integrity", "archive"]
    assert report.facts["omitted"] == {"integrity": 4}
    assert len(report.facts["members"]) == 5


def test_validate_path_report_survives_json(tmp_path, workdir):
    report = _validate(tmp_path, workdir, png_bytes() + b"<html>", "map.png")

    assert FileReport.from_json(report.to_json()) == report
    assert list(workdir.iterdir()) == []


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    head=st.sampled_from(
        [b"", b"\x89PNG\r\n\x1a\n", b"%PDF-1.7", b'{"nbformat": 4', b"PK\x03\x04"]
    ),
    body=st.binary(max_size=600),
    extension=st.sampled_from(["png", "pdf", "ipynb", "json", "zip", "txt", "md", ""]),
)
def test_validate_path_any_bytes_give_a_report(tmp_path, caplog, head, body, extension):
    workdir = tmp_path / "fuzz-work"
    workdir.mkdir(exist_ok=True)

    with caplog.at_level(logging.ERROR):
        report = _validate(tmp_path, workdir, head + body, f"upload.{extension}")

    assert report.outcome in (PASS, WARNING, FAIL)
    assert report.facts["size"] == len(head + body)
    assert list(workdir.iterdir()) == []
    assert [record.getMessage() for record in caplog.records] == []  # no unforeseen error


def _jpeg(scan: bytes) -> bytes:
    """The structure of a JPEG (not a picture): start, an APP1 segment whose thumbnail
    holds its own end marker, a scan header, compressed data, end."""
    app1 = b"Exif\x00\x00\xff\xd8\xff\xd9"
    scan_header = b"\x01\x01\x00\x00\x3f\x00"
    return (
        b"\xff\xd8"
        + b"\xff\xe1" + (len(app1) + 2).to_bytes(2, "big") + app1
        + b"\xff\xda" + (len(scan_header) + 2).to_bytes(2, "big") + scan_header
        + scan
        + b"\xff\xd9"
    )  # fmt: skip


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            _jpeg(b"\x12\xff\x00\x34\xff\xd0\x56"),
            [("integrity", PASS, "35 bytes of a JPEG image.")],
        ),
        (
            _jpeg(b"\x12\xff\x00\x34") + b"<html><script>alert(1)</script></html>",
            [
                (
                    "integrity",
                    FAIL,
                    "38 bytes follow the end of the image; an image with something hidden "
                    "after it is not accepted.",
                )
            ],
        ),
        (
            _jpeg(b"\x12\xff\x00\x34")[:-2],
            [("integrity", FAIL, "The image is cut short: it has no end (EOI).")],
        ),
    ],
)
def test_validate_path_jpeg_is_walked_to_its_end(tmp_path, workdir, content, expected):
    report = _validate(tmp_path, workdir, content, "photo.jpg")

    assert _summary(report) == expected


@pytest.mark.parametrize(
    "error",
    [
        pa.ArrowException("IOError: Failed to launch worker thread"),
        RuntimeError("can't start new thread"),
        pa.ArrowMemoryError("malloc of size 64 failed"),
    ],
)
def test_validate_path_lack_of_resources_is_the_callers_not_the_files(
    tmp_path, workdir, monkeypatch, error
):
    def fail(*args, **kwargs):
        raise error

    monkeypatch.setattr(tables, "_check_delimited", fail)

    with pytest.raises(MemoryError):
        _validate(tmp_path, workdir, b"area,n\nHalton,30\n", "data.csv")
