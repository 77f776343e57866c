"""Handling uploaded files: what they are, where they are stored, how they leave.

The rules (docs/architecture.md, "Files"): a file's type is read from its content, not
from its name; it is stored under a generated name in MEDIA_ROOT (never the uploader's
filename as a path, and there is no MEDIA_URL, so nothing is served directly); an upload
over the size cap is refused while it arrives; and a file leaves only through
`attachment_response`, behind a view that has checked permission.
"""

import hashlib
import os
import re
import uuid
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import puremagic
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation
from django.core.files.storage import default_storage
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.db import transaction
from django.utils.text import get_valid_filename

CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# Enough of a file to recognise it; text is judged on the same sample.
SNIFF_BYTES = 64 * 1024
HASH_CHUNK = 1024 * 1024
# An Office file has tens of parts; a zip declaring more is not read for them.
MAX_SNIFFED_ENTRIES = 1000
# The end-of-central-directory record: 22 bytes and a comment of at most 64 KiB.
EOCD_SEARCH = 22 + 0xFFFF
# The ZIP64 end record (56 bytes, as zipfile reads it) and its locator (20), just before.
ZIP64_END_LENGTH = 56
ZIP64_LOCATOR_LENGTH = 20
# A central directory entry is 46 bytes, then a name, an extra field and a comment of at
# most 64 KiB each.
CENTRAL_ENTRY_MIN = 46
CENTRAL_ENTRY_MAX = 46 + 3 * 0xFFFF
# A directory larger than this lists tens of thousands of entries, whatever it declares.
MAX_CENTRAL_DIRECTORY = 1024 * 1024


@dataclass(frozen=True)
class Sniffed:
    """What a file's content says it is: a short format name and its media type."""

    format: str  # CSV, JSON, XLSX, ZIP, PDF, PNG, JPEG, TEXT, or "" when unknown
    media_type: str

    @property
    def known(self) -> bool:
        return bool(self.format)


UNKNOWN = Sniffed("", "application/octet-stream")
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Magic-number families puremagic recognises, by the media type it reports.
MAGIC_FORMATS = {
    "application/pdf": Sniffed("PDF", "application/pdf"),
    "image/png": Sniffed("PNG", "image/png"),
    "image/jpeg": Sniffed("JPEG", "image/jpeg"),
}


def sniff(fileobj) -> Sniffed:
    """The format of an open binary file, read from its content; the position is kept."""
    start = fileobj.tell()
    head = fileobj.read(SNIFF_BYTES)
    try:
        if head.startswith(b"PK\x03\x04"):
            fileobj.seek(start)
            return _sniff_zip(fileobj)
        return _sniff_head(head)
    finally:
        fileobj.seek(start)


def _sniff_zip(fileobj) -> Sniffed:
    # Office files are zip archives; the part names say which (nothing is extracted). An
    # archive declaring more entries than any workbook has is a zip, whatever it holds:
    # listing millions of entries would cost the request seconds and gigabytes.
    entries = declared_zip_entries(fileobj)
    if entries is None:
        return UNKNOWN  # no central directory: not an archive anything can read
    if entries > MAX_SNIFFED_ENTRIES:
        return Sniffed("ZIP", "application/zip")
    try:
        with zipfile.ZipFile(fileobj) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError):
        # NotImplementedError: a central directory asking for a zip version Python lacks.
        return UNKNOWN
    if "xl/workbook.xml" in names:
        return Sniffed("XLSX", XLSX_TYPE)
    return Sniffed("ZIP", "application/zip")


def declared_zip_entries(fileobj) -> int | None:
    """How many entries a zip's central directory may hold, from its end record alone
    (the ZIP64 one when there is one): the count it declares or, when the directory is
    larger than that count could need or over MAX_CENTRAL_DIRECTORY, the most its size
    has room for. zipfile reads the whole directory, whatever count is declared, so a
    caller refusing large counts never has a huge directory read. None when there is no
    end record. The position is kept."""
    start = fileobj.tell()
    fileobj.seek(0, 2)
    size = fileobj.tell() - start
    tail_length = min(size, EOCD_SEARCH)
    fileobj.seek(start + size - tail_length)
    tail = fileobj.read(tail_length)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) < at + 22:
        fileobj.seek(start)
        return None
    entries = int.from_bytes(tail[at + 10 : at + 12], "little")
    directory = int.from_bytes(tail[at + 12 : at + 16], "little")
    # As zipfile does: a ZIP64 locator just before the end record, and the ZIP64 record
    # just before it, replace the record's 16- and 32-bit fields.
    end = start + size - tail_length + at
    zip64_start = end - ZIP64_LOCATOR_LENGTH - ZIP64_END_LENGTH
    if zip64_start >= start:
        fileobj.seek(zip64_start)
        zip64 = fileobj.read(ZIP64_END_LENGTH + ZIP64_LOCATOR_LENGTH)
        if zip64[ZIP64_END_LENGTH:].startswith(b"PK\x06\x07") and zip64.startswith(b"PK\x06\x06"):
            entries = int.from_bytes(zip64[32:40], "little")
            directory = int.from_bytes(zip64[40:48], "little")
    fileobj.seek(start)
    if directory > MAX_CENTRAL_DIRECTORY or directory > entries * CENTRAL_ENTRY_MAX:
        return max(entries, directory // CENTRAL_ENTRY_MIN)
    return entries


@dataclass(frozen=True)
class ZipBounds:
    """How far a zip's members may expand when read: each to at most `max_member_bytes`
    and, past `min_ratio_bytes`, to at most `max_ratio` times its compressed size (no
    real file compresses so well: more is a zip bomb). Judged from the central
    directory, before anything is read; a member lying about its size fails its CRC."""

    max_member_bytes: int
    max_ratio: int
    min_ratio_bytes: int

    def over_ratio(self, size: int, packed: int) -> bool:
        return size > self.min_ratio_bytes and size > packed * self.max_ratio

    def excess(self, info: zipfile.ZipInfo) -> str | None:
        """ "size" or "ratio" when the member is out of bounds, else None."""
        if info.file_size > self.max_member_bytes:
            return "size"
        if self.over_ratio(info.file_size, info.compress_size):
            return "ratio"
        return None


def _sniff_head(head: bytes) -> Sniffed:
    if not head:
        return UNKNOWN
    try:
        media_type = puremagic.from_string(head, mime=True)
    except (puremagic.PureError, ValueError):
        media_type = ""
    if media_type in MAGIC_FORMATS:
        return MAGIC_FORMATS[media_type]
    if not _looks_like_text(head):
        return UNKNOWN
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped[:1] in (b"{", b"["):
        return Sniffed("JSON", "application/json")
    return Sniffed("CSV", "text/csv")


def _looks_like_text(head: bytes) -> bool:
    """No NUL bytes and few control characters: text in some 8-bit or UTF encoding.

    (UTF-16 text has NULs and is treated as binary; nobody exports CSV that way here.)
    """
    if b"\x00" in head:
        return False
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls <= len(head) // 100


def generated_upload_name(instance, filename: str) -> str:
    """A storage name for an upload that owes nothing to what the uploader called it."""
    return f"{instance._meta.app_label}/{instance._meta.model_name}/{uuid.uuid4().hex}"


def sha256_of(fileobj) -> str:
    """The SHA-256 of an open binary file, read in chunks from its position, which is
    kept; or of the file at a path (str or Path)."""
    if isinstance(fileobj, str | os.PathLike):
        with open(fileobj, "rb") as handle:
            return sha256_of(handle)
    start = fileobj.tell()
    digest = hashlib.sha256()
    for chunk in iter(lambda: fileobj.read(HASH_CHUNK), b""):
        digest.update(chunk)
    fileobj.seek(start)
    return digest.hexdigest()


def display_filename(filename: str) -> str:
    """The uploader's filename cut to something safe to show and to store (not a path)."""
    name = PurePath(str(filename).replace("\\", "/")).name
    name = CONTROL_CHARACTERS.sub("", name).encode("utf-8", "replace").decode("utf-8")
    return name[-255:] or "file"


def attachment_response(fileobj, *, filename: str, content_type: str):
    """Send a stored file as a download: never shown inline, never sniffed by the browser.

    `filename` is chosen by the caller (e.g. the dataset's slug and the format), reduced
    to letters, digits, dots, dashes and underscores.
    """
    try:
        safe_name = get_valid_filename(filename)
    except SuspiciousFileOperation:  # nothing usable left of it ("", "..")
        safe_name = "download"
    # Imported here: django.http loads the ORM, which the validation engine's child
    # process (it sniffs and hashes through this module) would otherwise pay to start.
    from django.http import FileResponse

    response = FileResponse(
        fileobj, as_attachment=True, filename=safe_name, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class CappedUploadHandler(FileUploadHandler):
    """Refuses any uploaded file over `settings.UPLOAD_MAX_BYTES` while it arrives.

    It runs first among FILE_UPLOAD_HANDLERS: once a file passes the cap the rest of it is
    skipped (nothing is kept, in memory or on disk), and the field's name is noted on the
    request, so the form can say why the file is missing (`refused_uploads`).
    """

    def new_file(self, field_name, *args, **kwargs):
        super().new_file(field_name, *args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.UPLOAD_MAX_BYTES:
            refused = self.request.__dict__.setdefault("refused_uploads", set())
            refused.add(self.field_name)
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None  # the next handler stores the file


def remove_after_commit(name: str) -> None:
    """Delete a stored file once nothing can roll back the change that dropped it."""
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def refused_uploads(request) -> set:
    """The names of the file fields whose upload was over the cap, in this request."""
    return request.__dict__.get("refused_uploads", set())


def upload_cap_message(limit: int | None = None) -> str:
    """Why a file over `limit` bytes (UPLOAD_MAX_BYTES unless a page has its own) was
    refused."""
    megabytes = (settings.UPLOAD_MAX_BYTES if limit is None else limit) / (1024 * 1024)
    return f"The file is larger than {megabytes:g} MB, the most that can be uploaded."
