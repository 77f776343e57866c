"""What the catalogue accepts as an uploaded file, judged by its content.

A file's format is what `common.files.sniff` reads in it; its name may say nothing, but
a name that promises another format (a PNG called "data.csv") is refused, so nobody
downloads something other than what the catalogue lists.
"""

from dataclasses import dataclass

from django.conf import settings

from common.exceptions import ApplicationError
from common.files import display_filename, sha256_of, sniff, upload_cap_message

# What a filename's extension promises, as common.files.sniff names formats.
EXTENSION_FORMATS = {
    "csv": {"CSV"},
    "tsv": {"CSV"},
    "txt": {"CSV"},
    "json": {"JSON"},
    "geojson": {"JSON"},
    "xlsx": {"XLSX"},
    "zip": {"ZIP"},
    "pdf": {"PDF"},
    "png": {"PNG"},
    "jpg": {"JPEG"},
    "jpeg": {"JPEG"},
}
FORMAT_NAMES = {
    "CSV": "text (CSV)",
    "JSON": "JSON",
    "XLSX": "an Excel workbook (XLSX)",
    "ZIP": "a zip archive",
    "PDF": "a PDF document",
    "PNG": "a PNG image",
    "JPEG": "a JPEG image",
}


@dataclass(frozen=True)
class CheckedUpload:
    format: str
    media_type: str
    filename: str  # for display only, never a path
    size: int
    sha256: str


def check_upload(uploaded_file) -> CheckedUpload:
    """What an acceptable upload is, or an ApplicationError naming what is wrong with it
    (empty, over the size cap, not a kind of file the catalogue takes, or named as
    another format than its content)."""
    filename = display_filename(uploaded_file.name or "")
    size = uploaded_file.size
    if not size:
        raise ApplicationError(f"“{filename}” is empty.", details={"file": ["Empty file."]})
    if size > settings.UPLOAD_MAX_BYTES:
        raise ApplicationError(upload_cap_message(), details={"file": ["Too large."]})
    sniffed = sniff(uploaded_file)
    if not sniffed.known:
        raise ApplicationError(
            f"“{filename}” is not a kind of file the catalogue takes: upload CSV, JSON, an "
            "Excel workbook (XLSX), a zip archive, a PDF or an image.",
            code="unknown_format",
            details={"file": ["Unknown kind of file."]},
        )
    extension = filename.rpartition(".")[2].lower() if "." in filename else ""
    promised = EXTENSION_FORMATS.get(extension)
    if promised is not None and sniffed.format not in promised:
        raise ApplicationError(
            f"“{filename}” is named as .{extension} but its content is "
            f"{FORMAT_NAMES[sniffed.format]}. Upload the file its name says, or rename it.",
            code="format_mismatch",
            details={"file": ["The content does not match the name."]},
        )
    return CheckedUpload(
        format=sniffed.format,
        media_type=sniffed.media_type,
        filename=filename,
        size=size,
        sha256=sha256_of(uploaded_file),
    )
