"""Whether an uploaded file is acceptable, judged by its content.

A file's format is what `common.files.sniff` reads in it; its name may say nothing, but
a name that promises another format (a PNG called "data.csv") is refused, so nobody
downloads something other than what a page lists. Each app says which formats it takes
and how large a file may be (the catalogue: anything listed here up to UPLOAD_MAX_BYTES;
submissions: their outputs up to SUBMISSIONS_FILE_MAX_BYTES).
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
    "ipynb": {"JSON"},
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


CATALOGUE_TAKES = (
    "the catalogue takes: upload CSV, JSON, an Excel workbook (XLSX), a zip archive, a PDF "
    "or an image"
)


def check_upload(
    uploaded_file, *, formats=frozenset(FORMAT_NAMES), takes: str = CATALOGUE_TAKES,
    max_bytes: int | None = None,
) -> CheckedUpload:  # fmt: skip
    """What an acceptable upload is, or an ApplicationError naming what is wrong with it
    (empty, over the size cap, not one of `formats` — `takes` finishes the sentence
    "not a kind of file …" —, or named as another format than its content)."""
    filename = display_filename(uploaded_file.name or "")
    size = uploaded_file.size
    if not size:
        raise ApplicationError(f"“{filename}” is empty.", details={"file": ["Empty file."]})
    limit = settings.UPLOAD_MAX_BYTES if max_bytes is None else max_bytes
    if size > limit:
        raise ApplicationError(upload_cap_message(limit), details={"file": ["Too large."]})
    sniffed = sniff(uploaded_file)
    if sniffed.format not in formats:
        raise ApplicationError(
            f"“{filename}” is not a kind of file {takes}.",
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
