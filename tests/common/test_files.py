"""Shared upload handling: type from content, generated names, the cap, the download."""

import hashlib
import io
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from common.files import (
    attachment_response,
    declared_zip_entries,
    display_filename,
    generated_upload_name,
    sha256_of,
    sniff,
    upload_cap_message,
)
from datasets.models import Resource

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 40


def _xlsx_bytes() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["area", "claimants"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _zip_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("notes.txt", "hello")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"area,claimants\nHalton,3120\n", ("CSV", "text/csv")),
        ("área;número\nSefton;12\n".encode("cp1252"), ("CSV", "text/csv")),
        (b"\xef\xbb\xbfarea,claimants\n", ("CSV", "text/csv")),
        (b'  {"a": 1}', ("JSON", "application/json")),
        (b"%PDF-1.7\n...", ("PDF", "application/pdf")),
        (PNG, ("PNG", "image/png")),
        (
            _xlsx_bytes(),
            ("XLSX", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ),
        (_zip_bytes(), ("ZIP", "application/zip")),
        (b"PK\x03\x04 not really a zip", ("", "application/octet-stream")),
        (b"area,claimants\n\x00\x01\x02\x03binary", ("", "application/octet-stream")),
        (bytes(range(1, 32)) * 10, ("", "application/octet-stream")),
        (b"", ("", "application/octet-stream")),
    ],
    ids=[
        "csv",
        "cp1252-csv",
        "bom-csv",
        "json",
        "pdf",
        "png",
        "xlsx",
        "zip",
        "broken-zip",
        "nul-bytes",
        "control-bytes",
        "empty",
    ],
)
def test_sniff_reads_format_from_content(content, expected):
    fileobj = io.BytesIO(content)

    sniffed = sniff(fileobj)

    assert (sniffed.format, sniffed.media_type) == expected
    assert fileobj.tell() == 0


def test_sniff_keeps_the_callers_position():
    fileobj = io.BytesIO(b"xx" + PNG)
    fileobj.seek(2)

    assert sniff(fileobj).format == "PNG"
    assert fileobj.tell() == 2


def test_generated_upload_name_owes_nothing_to_the_filename():
    resource = Resource()

    first = generated_upload_name(resource, "../../etc/passwd\x00.csv")
    second = generated_upload_name(resource, "../../etc/passwd\x00.csv")

    assert first.startswith("datasets/resource/")
    assert "passwd" not in first and ".." not in first
    assert first != second


def test_sha256_of_a_path_reads_the_file(tmp_path):
    path = tmp_path / "data.bin"
    path.write_bytes(b"abc" * 100_000)

    assert sha256_of(path) == sha256_of(str(path)) == hashlib.sha256(b"abc" * 100_000).hexdigest()


def test_sha256_of_reads_whole_file_and_keeps_position():
    fileobj = io.BytesIO(b"a" * (3 * 1024 * 1024 + 7))

    digest = sha256_of(fileobj)

    assert digest == hashlib.sha256(b"a" * (3 * 1024 * 1024 + 7)).hexdigest()
    assert fileobj.tell() == 0


@pytest.mark.parametrize(
    ("uploaded", "shown"),
    [
        ("C:\\Users\\me\\claimants.csv", "claimants.csv"),
        ("../../secret/data.csv", "data.csv"),
        ("bad\x00name\x1f.csv", "badname.csv"),
        ("", "file"),
        ("x" * 300 + ".csv", ("x" * 300 + ".csv")[-255:]),
    ],
)
def test_display_filename_keeps_only_a_safe_name(uploaded, shown):
    assert display_filename(uploaded) == shown


def test_attachment_response_is_a_download_that_is_never_sniffed():
    response = attachment_response(
        io.BytesIO(b"<script>alert(1)</script>"),
        filename='claimants"; filename=evil.html',
        content_type="text/csv",
    )

    # The quote and semicolon cannot close the parameter and start another.
    assert response["Content-Disposition"] == 'attachment; filename="claimants_filenameevil.html"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "text/csv"
    assert b"".join(response.streaming_content) == b"<script>alert(1)</script>"


@pytest.mark.urls("tests.common.upload_urls")
def test_upload_over_cap_is_skipped_and_named(client, settings):
    settings.UPLOAD_MAX_BYTES = 1000

    response = client.post(
        "/upload/",
        {
            "big": SimpleUploadedFile("big.csv", b"a" * 5000),
            "small": SimpleUploadedFile("small.csv", b"a" * 10),
            "title": "Claimants",
        },
    )

    assert response.json() == {
        "files": {"small": 10},
        "fields": {"title": "Claimants"},
        "refused": ["big"],
    }


@pytest.mark.urls("tests.common.upload_urls")
def test_upload_at_cap_is_kept(client, settings):
    settings.UPLOAD_MAX_BYTES = 1000

    response = client.post("/upload/", {"exact": SimpleUploadedFile("a.csv", b"a" * 1000)})

    assert response.json()["files"] == {"exact": 1000}
    assert response.json()["refused"] == []


def test_upload_cap_message_names_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 50 * 1024 * 1024

    assert upload_cap_message() == "The file is larger than 50 MB, the most that can be uploaded."


def test_sniff_does_not_list_a_zip_declaring_many_entries():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(1500):
            archive.writestr(f"xl/part{number}.xml", "")
        archive.writestr("xl/workbook.xml", "<workbook/>")
    buffer.seek(0)

    # Listed, this would be a workbook; unlisted, it is only known to be a zip.
    assert sniff(buffer).format == "ZIP"


def test_sniff_zip_needing_a_later_zip_version_is_unknown():
    content = bytearray(_zip_bytes())
    central = content.index(b"PK\x01\x02")
    content[central + 6] = 64  # "version needed to extract": 6.4, later than Python reads

    assert sniff(io.BytesIO(bytes(content))).format == ""


def test_declared_zip_entries_reads_the_end_record_and_keeps_position():
    buffer = io.BytesIO(b"x" + _zip_bytes())
    buffer.seek(1)

    assert declared_zip_entries(buffer) == 1
    assert buffer.tell() == 1
    assert declared_zip_entries(io.BytesIO(b"PK\x03\x04 no end record")) is None


def _declaring_one_entry(content: bytes) -> bytes:
    """The zip with its end record's entry counts set to 1, whatever its directory holds."""
    end = content.rindex(b"PK\x05\x06")
    one = (1).to_bytes(2, "little")
    return content[: end + 8] + one + one + content[end + 12 :]


def test_a_directory_larger_than_its_declared_count_needs_is_counted_by_its_size(monkeypatch):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for number in range(6000):
            archive.writestr(f"{number:05}", "")
    content = _declaring_one_entry(buffer.getvalue())
    directory = content.rindex(b"PK\x05\x06") - content.index(b"PK\x01\x02")

    assert declared_zip_entries(io.BytesIO(content)) == directory // 46
    # Refused on the end record alone: zipfile would read the whole directory.
    monkeypatch.setattr(zipfile, "ZipFile", None)
    assert sniff(io.BytesIO(content)).format == "ZIP"


def test_a_zip64_end_record_gives_the_count_and_directory_size():
    content = _zip_bytes()
    end = content.rindex(b"PK\x05\x06")
    directory_at = content.index(b"PK\x01\x02")
    zip64 = (
        b"PK\x06\x06" + (44).to_bytes(8, "little") + b"\x2d\x00\x2d\x00" + bytes(8)
        + (1).to_bytes(8, "little") * 2
        + (end - directory_at).to_bytes(8, "little") + directory_at.to_bytes(8, "little")
        + b"PK\x06\x07" + bytes(4) + end.to_bytes(8, "little") + (1).to_bytes(4, "little")
    )  # fmt: skip
    record = b"PK\x05\x06" + bytes(4) + b"\xff" * 16 + bytes(2)
    content = content[:end] + zip64 + record

    assert zipfile.ZipFile(io.BytesIO(content)).namelist() == ["notes.txt"]
    assert declared_zip_entries(io.BytesIO(content)) == 1


@pytest.mark.parametrize("chosen", ["", "..", "///"])
def test_attachment_response_falls_back_when_nothing_of_the_name_is_usable(chosen):
    response = attachment_response(io.BytesIO(b"x"), filename=chosen, content_type="text/csv")

    assert response["Content-Disposition"] == 'attachment; filename="download"'
