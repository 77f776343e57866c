"""Zip bundles: refused from the central directory before any extraction, members read
with a size cap into the work directory, checked like files, and removed."""

import hashlib
import io
import json
import logging
import stat
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from submissions.validation import FAIL, PASS, WARNING, Finding, Limits, Location
from submissions.validation.archives import check_archive, extract
from submissions.validation.runner import validate_path
from tests.submissions.corpus.generate import (
    CENTRAL_HEADER,
    LOCAL_HEADER,
    notebook,
    png_bytes,
    set_encrypted_flag,
    zip_bytes,
)

CSV = b"area,claimants\nHalton,3120\n"
MIB = 1024 * 1024


@pytest.fixture
def workdir(tmp_path):
    path = tmp_path / "work"
    path.mkdir()
    return path


def _check(tmp_path, workdir, content: bytes, limits=None, filename="bundle.zip"):
    path = tmp_path / "upload"
    path.write_bytes(content)
    return validate_path(path, filename=filename, limits=limits or Limits(), workdir=workdir)


def _refusals(report) -> list[tuple[str, str]]:
    return [
        (finding.location.file, finding.message)
        for finding in report.findings
        if finding.check == "archive" and finding.outcome == FAIL
    ]


def _zip_info(name: str, **attributes) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    for attribute, value in attributes.items():
        setattr(info, attribute, value)
    return info


def _patched_method(data: bytes, method: int) -> bytes:
    """Every entry's compression method set to `method` in both headers."""
    patched = bytearray(data)
    for signature, offset in ((LOCAL_HEADER, 8), (CENTRAL_HEADER, 10)):
        at = patched.find(signature)
        while at >= 0:
            patched[at + offset : at + offset + 2] = method.to_bytes(2, "little")
            at = patched.find(signature, at + 4)
    return bytes(patched)


NESTED = (
    "It is itself an archive; archives inside a bundle are not opened. "
    "Put its files in the bundle directly."
)

ZIP_INSIDE = (
    "This member is itself a zip archive; archives inside a bundle are not opened. "
    "Put its files in the bundle directly."
)


@pytest.mark.parametrize(
    ("member", "message"),
    [
        ("../outside.csv", "Its path climbs out of the bundle (“..”)."),
        ("data/../../outside.csv", "Its path climbs out of the bundle (“..”)."),
        ("/etc/cron.d/job", "Its path is absolute; a bundle holds relative paths only."),
        ("C:/Windows/job.csv", "Its path is absolute; a bundle holds relative paths only."),
        ("data\\..\\job.csv", "Its path contains backslashes or control characters."),
        ("data/re\x1bport.csv", "Its path contains backslashes or control characters."),
        ("data/old.tar.gz", NESTED),
        ("data/inner.zip", NESTED),
        ("data/inner.7z", NESTED),
    ],
)
def test_check_archive_refuses_unsafe_member_names(tmp_path, workdir, member, message):
    content = zip_bytes({"README.md": b"# Read me\n", member: CSV})

    report = _check(tmp_path, workdir, content)

    shown = member.replace("\x1b", "?")
    assert _refusals(report) == [(shown, message)]
    assert report.facts["members"] == []  # refused whole: nothing was extracted


def test_check_archive_refuses_a_symbolic_link(tmp_path, workdir):
    link = _zip_info("data.csv", create_system=3, external_attr=(stat.S_IFLNK | 0o777) << 16)

    report = _check(tmp_path, workdir, zip_bytes({link: b"/etc/passwd"}))

    assert _refusals(report) == [("data.csv", "It is a symbolic link; a bundle holds files only.")]


def test_check_archive_refuses_an_encrypted_member(tmp_path, workdir):
    content = set_encrypted_flag(zip_bytes({"data.csv": CSV}))

    report = _check(tmp_path, workdir, content)

    assert _refusals(report) == [
        ("data.csv", "It is encrypted; upload the bundle without a password.")
    ]


def test_check_archive_refuses_an_unreadable_compression_method(tmp_path, workdir):
    content = _patched_method(zip_bytes({"data.csv": CSV}, compression=zipfile.ZIP_STORED), 99)

    report = _check(tmp_path, workdir, content)

    assert _refusals(report) == [
        ("data.csv", "It is compressed with a method that cannot be read.")
    ]


def test_check_archive_refuses_a_duplicated_path(tmp_path, workdir):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("data.csv", CSV)
        with pytest.warns(UserWarning, match="Duplicate name"):
            archive.writestr("data.csv", b"area,claimants\nHalton,3\n")

    report = _check(tmp_path, workdir, buffer.getvalue())

    assert _refusals(report) == [("data.csv", "The path appears twice in the bundle.")]


def test_check_archive_refuses_more_entries_than_the_limit(tmp_path, workdir):
    content = zip_bytes({f"{n}.csv": CSV for n in range(4)})

    report = _check(tmp_path, workdir, content, Limits(max_zip_entries=3))

    assert _refusals(report) == [
        ("", "The bundle declares 4 entries, more than the 3 a bundle may hold.")
    ]


def test_check_archive_counts_entries_itself_when_the_end_record_understates(tmp_path, workdir):
    content = bytearray(zip_bytes({f"{n}.csv": CSV for n in range(4)}))
    end = content.rindex(b"PK\x05\x06")
    content[end + 8 : end + 12] = (2).to_bytes(2, "little") * 2  # entries: on disk, in all

    report = _check(tmp_path, workdir, bytes(content), Limits(max_zip_entries=3))

    assert _refusals(report) == [
        ("", "The bundle declares 4 entries, more than the 3 a bundle may hold.")
    ]


def test_check_archive_adds_up_what_members_left_out(tmp_path, workdir):
    ragged = b"area,claimants\n" + b"Halton\n" * 8
    content = zip_bytes({"a.csv": ragged, "b.csv": ragged})

    limits = Limits(max_findings_per_check=3)
    alone = _check(tmp_path, workdir, ragged, limits, filename="a.csv")

    report = _check(tmp_path, workdir, content, limits)

    # Each member's own omissions, and the 3 of the 6 kept by the members that the
    # bundle's cap leaves out.
    assert report.facts["omitted"]["structure"] == 2 * alone.facts["omitted"]["structure"] + 3
    assert len([f for f in report.findings if f.check == "structure"]) == 3


def test_check_archive_refuses_a_declared_total_over_the_cap(tmp_path, workdir):
    content = zip_bytes({"a.csv": CSV * 100, "b.csv": CSV * 100})

    report = _check(tmp_path, workdir, content, Limits(max_zip_total_bytes=4000))

    message = (
        "The bundle declares 5,400 bytes uncompressed, more than the 4,000 bytes a bundle may hold."
    )
    assert _refusals(report) == [("", message)]


def test_check_archive_refuses_a_member_declared_over_the_cap(tmp_path, workdir):
    content = zip_bytes({"a.csv": CSV * 100})

    report = _check(tmp_path, workdir, content, Limits(max_member_bytes=1000))

    assert _refusals(report) == [
        ("a.csv", "It declares 2,700 bytes, more than the 1,000 bytes a file may have.")
    ]


def test_check_archive_refuses_a_member_over_the_ratio(tmp_path, workdir):
    content = zip_bytes({"zeros.csv": b"0" * (2 * MIB), "data.csv": CSV})

    report = _check(tmp_path, workdir, content)

    [(member, message), (whole, _)] = _refusals(report)
    assert (member, whole) == ("zeros.csv", "")
    assert message.startswith("It expands ")
    assert message.endswith(" times when uncompressed (at most 100 is accepted): a zip bomb.")


def test_check_archive_small_compressible_member_is_not_judged_by_ratio(tmp_path, workdir):
    content = zip_bytes({"zeros.txt": b"0" * 100_000})

    report = _check(tmp_path, workdir, content)

    assert report.outcome == PASS
    assert [m["path"] for m in report.facts["members"]] == ["zeros.txt"]


def test_check_archive_refuses_an_overall_ratio_over_the_limit(tmp_path, workdir):
    # Each member is under the size a ratio is judged at; together they are not.
    content = zip_bytes({f"{n}.txt": b"0" * 60_000 for n in range(20)})

    report = _check(tmp_path, workdir, content, Limits(min_ratio_bytes=100_000))

    assert [member for member, _ in _refusals(report)] == [""]
    assert "looks like a zip bomb" in _refusals(report)[0][1]


def test_check_archive_refuses_an_archive_inside_by_content(tmp_path, workdir):
    gzip_member = b"\x1f\x8b\x08\x00" + b"\x00" * 20
    tar_member = b"data.csv".ljust(257, b"\x00") + b"ustar\x0000" + b"\x00" * 250
    zip_member = zip_bytes({"data.csv": CSV})
    content = zip_bytes(
        {"a.bin": gzip_member, "b.bin": tar_member, "c.bin": zip_member, "d.csv": CSV}
    )

    report = _check(tmp_path, workdir, content)

    assert _refusals(report) == [
        ("a.bin", NESTED),
        ("b.bin", NESTED),
        ("c.bin", ZIP_INSIDE),
    ]
    outcomes = [(m["path"], m["outcome"]) for m in report.facts["members"]]
    assert outcomes == [("a.bin", FAIL), ("b.bin", FAIL), ("c.bin", FAIL), ("d.csv", PASS)]


def test_check_archive_workbook_inside_is_not_an_archive(tmp_path, workdir):
    workbook = zip_bytes({"xl/workbook.xml": b"<workbook/>", "xl/vbaProject.bin": b"VBA"})

    report = _check(tmp_path, workdir, zip_bytes({"results.xlsx": workbook}))

    [member] = report.facts["members"]
    assert (member["format"], member["outcome"]) == ("XLSX", FAIL)
    assert [(f.check, f.location.file) for f in report.findings if f.outcome == FAIL] == [
        ("integrity", "results.xlsx")
    ]


def test_check_archive_lists_members_and_locates_their_findings(tmp_path, workdir):
    image = png_bytes() + b"<script>"
    cells = [{"cell_type": "code", "source": "import pandas as pd\npd.read_csv('data.csv')"}]
    analysis = json.dumps(notebook(cells)).encode()
    content = zip_bytes(
        {"docs/": b"", "docs/map.png": image, "analysis.ipynb": analysis, "slides.pdf": b"%PDF-1.4"}
    )

    report = _check(tmp_path, workdir, content)

    assert report.facts["members"] == [
        {
            "path": "docs/map.png",
            "size": len(image),
            "sha256": hashlib.sha256(image).hexdigest(),
            "format": "PNG",
            "outcome": FAIL,
        },
        {
            "path": "analysis.ipynb",
            "size": len(analysis),
            "sha256": hashlib.sha256(analysis).hexdigest(),
            "format": "IPYNB",
            "outcome": PASS,
        },
        {
            "path": "slides.pdf",
            "size": 8,
            "sha256": hashlib.sha256(b"%PDF-1.4").hexdigest(),
            "format": "PDF",
            "outcome": WARNING,
        },
    ]
    assert report.facts["inputs"] == [
        {"kind": "file", "value": "data.csv", "cell": 1, "file": "analysis.ipynb"}
    ]
    located = [(f.check, f.outcome, f.location) for f in report.findings if f.outcome != PASS]
    assert located == [
        ("integrity", FAIL, Location(file="docs/map.png")),
        ("integrity", WARNING, Location(file="slides.pdf")),
    ]
    assert report.facts["format"] == "ZIP"
    assert list(workdir.iterdir()) == []


def test_check_archive_members_pass_through_workdir_under_generated_names(tmp_path, workdir):
    content = zip_bytes({"a/b/results.csv": CSV, "c.md": b"#"})
    path = tmp_path / "bundle.zip"
    path.write_bytes(content)
    seen = []

    def validate_member(member_path, *, filename, progress):
        seen.append((member_path.parent, member_path.name, filename, member_path.read_bytes()))
        return validate_path(member_path, filename=filename, limits=Limits(), workdir=workdir)

    check_archive(path, limits=Limits(), workdir=workdir, validate_member=validate_member)

    assert seen == [
        (workdir, "member-0", "a/b/results.csv", CSV),
        (workdir, "member-1", "c.md", b"#"),
    ]
    assert list(workdir.iterdir()) == []


def test_extract_stops_at_the_cap_whatever_the_declared_size(tmp_path):
    path = tmp_path / "bundle.zip"
    path.write_bytes(zip_bytes({"zeros.csv": b"0" * (3 * MIB)}))
    target = tmp_path / "member"

    with zipfile.ZipFile(path) as archive:
        read, refusal = extract(archive, archive.getinfo("zeros.csv"), target, MIB)

    assert (read, refusal) == (2 * MIB, "too_large")
    assert target.stat().st_size == MIB  # the chunk past the cap was never written


def test_check_archive_damaged_member_is_named_and_the_rest_checked(tmp_path, workdir):
    content = bytearray(zip_bytes({"a.csv": CSV, "b.md": b"# notes\n"}, compression=0))
    at = content.index(CSV)
    content[at : at + 4] = b"AREA"  # the stored bytes no longer match their CRC

    report = _check(tmp_path, workdir, bytes(content))

    assert _refusals(report) == [
        ("a.csv", "It cannot be read from the bundle: the archive is damaged.")
    ]
    assert [(m["path"], m["outcome"]) for m in report.facts["members"]] == [
        ("a.csv", FAIL),
        ("b.md", PASS),
    ]


def test_check_archive_damaged_central_directory_fails_cleanly(tmp_path, workdir):
    content = bytearray(zip_bytes({"a.csv": CSV}))
    at = content.index(CENTRAL_HEADER)
    content[at : at + 4] = b"XXXX"
    path = tmp_path / "bundle.zip"
    path.write_bytes(bytes(content))

    report = check_archive(path, limits=Limits(), workdir=workdir, validate_member=None)

    assert report.findings == [
        Finding("archive", FAIL, "The zip archive is damaged: its contents cannot be read.")
    ]


def test_check_archive_empty_bundle_is_a_warning(tmp_path, workdir):
    report = _check(tmp_path, workdir, zip_bytes({"docs/": b""}))

    assert [(f.check, f.outcome, f.message) for f in report.findings] == [
        ("integrity", PASS, f"{len(zip_bytes({'docs/': b''}))} bytes of a zip archive."),
        ("archive", WARNING, "The bundle holds no files."),
    ]


def test_check_archive_empty_member_is_a_warning(tmp_path, workdir):
    report = _check(tmp_path, workdir, zip_bytes({"pkg/__init__.py": b"", "data.csv": CSV}))

    problems = [(f.check, f.outcome, f.message, f.location.file) for f in report.findings]
    assert [problem for problem in problems if problem[1] != PASS] == [
        ("integrity", WARNING, "The file is empty.", "pkg/__init__.py")
    ]
    assert report.facts["members"][0]["outcome"] == WARNING


def test_check_archive_macos_metadata_is_not_checked(tmp_path, workdir):
    fork = b"\x00\x05\x16\x07\x00\x02\x00\x00Mac OS X        " + b"\x00" * 20
    content = zip_bytes({"results.csv": CSV, "__MACOSX/._results.csv": fork})

    report = _check(tmp_path, workdir, content)

    assert report.facts["members"][1] == {
        "path": "__MACOSX/._results.csv",
        "size": len(fork),
        "sha256": "",
        "format": "",
        "outcome": PASS,
    }
    assert [f for f in report.findings if f.location.file.startswith("__MACOSX")] == []


def test_check_archive_reports_progress_per_member(tmp_path, workdir):
    path = tmp_path / "bundle.zip"
    path.write_bytes(zip_bytes({"a.md": b"#", "b.md": b"#", "c.pdf": b"%PDF-1.4 %%EOF"}))
    fractions = []

    validate_path(
        path, filename="b.zip", limits=Limits(), workdir=workdir, progress=fractions.append
    )

    assert fractions == [pytest.approx(value) for value in (1 / 3, 1 / 3, 2 / 3, 2 / 3, 1, 1)]


BASE_BUNDLE = zip_bytes(
    {
        "README.md": b"# Claimants\n" * 20,
        "map.png": png_bytes(),
        "analysis.ipynb": json.dumps(notebook([{"cell_type": "code", "source": "x = 1"}])).encode(),
        "slides.pdf": b"%PDF-1.4\n%%EOF\n",
    }
)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    changes=st.lists(
        st.tuples(st.integers(0, len(BASE_BUNDLE) - 1), st.integers(0, 255)), min_size=1, max_size=8
    )
)
def test_check_archive_damaged_anywhere_gives_a_report(tmp_path, caplog, changes):
    content = bytearray(BASE_BUNDLE)
    for position, value in changes:
        content[position] = value
    workdir = tmp_path / "fuzz-work"
    workdir.mkdir(exist_ok=True)

    with caplog.at_level(logging.ERROR):
        report = _check(tmp_path, workdir, bytes(content))

    assert report.outcome in (PASS, WARNING, FAIL)
    assert list(workdir.iterdir()) == []
    assert [record.getMessage() for record in caplog.records] == []  # no unforeseen error


@pytest.mark.parametrize("name", ["", ".", "./"])
def test_an_entry_without_a_name_is_refused(tmp_path, workdir, name):
    # A ZipInfo, as writestr cannot name an entry "" itself.
    content = zip_bytes({"data.csv": CSV, _zip_info(name, compress_type=zipfile.ZIP_STORED): b"x"})

    report = _check(tmp_path, workdir, content)

    assert _refusals(report) == [(name, "It has no name; every entry in a bundle needs one.")]


@pytest.mark.parametrize(
    ("name", "parts"),
    [("report.docx", {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
     ("slides.odp", {"mimetype": b"application/vnd.oasis.opendocument.presentation",
                     "content.xml": b"<office/>"})],
)  # fmt: skip
def test_an_office_document_in_a_bundle_is_a_document_not_a_nested_archive(
    tmp_path, workdir, name, parts
):
    document = zip_bytes(parts)
    content = zip_bytes({name: document, "data.csv": CSV})

    report = _check(tmp_path, workdir, content)

    assert _refusals(report) == []
    assert [(f.outcome, f.message) for f in report.findings if f.location.file == name] == [
        (PASS, f"{len(document)} bytes of an office document (Word, PowerPoint or "
               "OpenDocument), whose content is not checked."),
    ]  # fmt: skip
    assert report.facts["members"][0]["format"] == "OFFICE"


def test_an_office_document_with_macros_in_a_bundle_fails(tmp_path, workdir):
    document = zip_bytes({"[Content_Types].xml": b"<Types/>", "word/vbaProject.bin": b"x"})

    report = _check(tmp_path, workdir, zip_bytes({"report.docx": document}))

    assert [(f.location.file, f.outcome, f.message) for f in report.findings][1] == (
        "report.docx",
        FAIL,
        "The document contains macros; macros run when it is opened, so it is not accepted. "
        "Save it without them (.docx, .pptx or .odt).",
    )


def test_format_characters_in_a_members_path_are_not_shown(tmp_path, workdir):
    # U+202E would show "report\u202ecod.exe" as "reportexe.doc".
    content = zip_bytes({"report\u202ecod.exe.zip": b"x"})

    report = _check(tmp_path, workdir, content)

    assert _refusals(report) == [("report?cod.exe.zip", NESTED)]
