"""The engine's one entry point: what a file is, then the checks its kind needs.

Integrity comes first and from the bytes alone: size, SHA-256, and the type read from the
content (common.files.sniff, refined here for notebooks, web pages, UTF-16 text and plain
text that is not a table) against the type the name promises. A name promising another
type fails, so nobody opens something other than what the submission lists, and an HTML
page renamed .csv never reaches a spreadsheet. Then each kind gets its checks: tables
(CSV/XLSX), notebooks, zip bundles; PDFs and images get integrity checks of their own
(data hidden after a PNG's or JPEG's end, a PDF cut short); a workbook carrying macros fails.

Nothing is executed. Nothing is written except by the zip check, into `workdir`.
"""

import contextlib
import logging
import mmap
import os
import re
import zipfile
import zlib
from collections import Counter
from dataclasses import replace
from pathlib import Path, PurePosixPath

from common.files import (
    MAX_SNIFFED_ENTRIES,
    SNIFF_BYTES,
    declared_zip_entries,
    sha256_of,
    sniff,
)
from common.uploads import EXTENSION_FORMATS, FORMAT_NAMES
from submissions.validation import archives
from submissions.validation.findings import FAIL, PASS, WARNING, FileReport, Finding
from submissions.validation.limits import Limits, as_resource_error

logger = logging.getLogger(__name__)

# What a name's extension promises: the catalogue's rule, plus the kinds a submission
# holds that a catalogue does not (notebooks; web pages and plain text inside bundles).
PROMISES = {
    **EXTENSION_FORMATS,
    "txt": {"TEXT"},
    "json": {"JSON", "IPYNB"},
    "ipynb": {"IPYNB"},
    "html": {"HTML"},
    "htm": {"HTML"},
}
NAMES = {
    **FORMAT_NAMES,
    "IPYNB": "a Jupyter notebook",
    "HTML": "a web page (HTML)",
    "TEXT": "plain text",
    "OFFICE": "an office document (Word, PowerPoint or OpenDocument), whose content is not checked",
    "": "binary data of no kind that is checked",
}
# Text read as a table only when its name says so: a README or a script is text too.
TABLE_EXTENSIONS = {"csv", "tsv"}
UTF16_MARKS = (b"\xff\xfe", b"\xfe\xff")
# UTF-32's little-endian mark opens with UTF-16's: it is looked for first.
UTF32_MARKS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
# Text a browser would take for a web page: the openings of the WHATWG MIME Sniffing
# standard's HTML rule (a tag name, then a space or ">"; or a comment).
HTML_OPENING = re.compile(
    rb"<(?:!--|(?:!doctype html|html|head|script|iframe|h1|div|font|table|a|style|title|b"
    rb"|body|br|p)[ \t\n\x0c\r>])",
    re.IGNORECASE,
)
# Parts of a workbook that hold code run when it is opened: a VBA project, or the
# Excel 4.0 macro sheets older than VBA and still run by Excel; an OpenDocument's macros.
MACRO_PARTS = re.compile(r"(^|/)vbaproject\.bin$|^xl/macrosheets/|^(basic|scripts)/", re.IGNORECASE)
PNG_END = b"IEND"
# A PNG holds tens of thousands of chunks at most; walking further costs seconds.
MAX_PNG_CHUNKS = 1_000_000
# JPEG markers: the end of image, the start of a scan (compressed data follows), and the
# restart markers that may stand inside compressed data.
JPEG_END, JPEG_SCAN, JPEG_RESTARTS = 0xD9, 0xDA, (0xD0, 0xD7)
MAX_JPEG_SEGMENTS = 1_000_000
# Readers accept %%EOF within the last kilobyte (trailing whitespace, a linearised tail).
PDF_TAIL = 1024
# [Content_Types].xml is a few kilobytes; more is not read.
MAX_CONTENT_TYPES_BYTES = 1024 * 1024
SEVERITY_ORDER = (FAIL, WARNING, PASS)


def validate_path(
    path,
    *,
    filename: str,
    table_schema: dict | None = None,
    limits: Limits,
    progress=None,
    workdir,
) -> FileReport:
    """Check the file at `path`, uploaded as `filename` (its extension is the promise
    judged; the name is never used as a path). `table_schema` is the team's Table Schema
    for a table. `progress(fraction)` is called as the checks advance. `workdir` is an
    empty directory the caller made and removes; zip members pass through it one at a
    time. Whatever the bytes, a report is returned (a MemoryError, the child process's
    limit, is left to the caller)."""
    report = check_file(
        Path(path),
        filename=filename,
        table_schema=table_schema,
        limits=limits,
        progress=progress,
        workdir=Path(workdir),
        in_archive=False,
    )
    return cap_findings(report, limits.max_findings_per_check)


def check_file(
    path: Path,
    *,
    filename: str,
    table_schema: dict | None,
    limits: Limits,
    progress,
    workdir: Path,
    in_archive: bool,
) -> FileReport:
    """validate_path without the cap; zip bundles call it for each member (with
    `in_archive`, so an archive inside one is refused, never opened)."""
    report = FileReport()
    try:
        return _check_file(
            report,
            path,
            filename=filename,
            table_schema=table_schema,
            limits=limits,
            progress=progress,
            workdir=workdir,
            in_archive=in_archive,
        )
    except MemoryError:
        raise
    except Exception as error:
        resource_error = as_resource_error(error)
        if resource_error is not None:
            raise resource_error from error
        # A last guard: the checks turn the failures they know into findings; anything
        # else is a gap in them, logged so it gets fixed, and still a clean report.
        logger.exception("Checking %s failed unexpectedly", filename)
        message = f"The file could not be checked ({type(error).__name__}); it may be damaged."
        # The facts read before the failure (size, format) still hold, and the SHA-256 a
        # table's pass would have given is still wanted (a bundle's members are matched
        # to datasets by it).
        facts = dict(report.facts)
        if facts and "sha256" not in facts:
            with contextlib.suppress(OSError):
                facts["sha256"] = sha256_of(path)
        return FileReport(findings=[Finding("integrity", FAIL, message)], facts=facts)


def _check_file(report, path, *, filename, table_schema, limits, progress, workdir, in_archive):
    """Fill `report`: its facts as soon as they are known, then its findings."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            head = handle.read(SNIFF_BYTES)
            handle.seek(0)
            sniffed = sniff(handle).format
            if sniffed == "ZIP" and office_package(handle):
                sniffed = "OFFICE"
    except OSError:
        report.findings.append(Finding("integrity", FAIL, "The file could not be read."))
        return report
    extension = PurePosixPath(filename.replace("\\", "/")).suffix.lower().lstrip(".")
    file_format = content_format(head, sniffed, extension)
    report.facts.update(size=size, format=file_format)
    problem = integrity_problem(head, size, file_format, extension, in_archive)
    if problem is not None:
        report.facts["sha256"] = sha256_of(path)
        report.findings.append(problem)
        return report
    found = run_checks(
        path,
        file_format,
        label=filename if in_archive else "",
        table_schema=table_schema,
        limits=limits,
        progress=progress,
        workdir=workdir,
    )
    own = [finding for finding in found.findings if not finding.location.file]
    if not any(finding.check == "integrity" for finding in own):
        # The kind's own integrity checks (a PNG's end, macros) speak for the file;
        # a bundle's members (located by file) speak only for themselves.
        passed = f"{size:,} bytes of {NAMES[file_format]}."
        report.findings.append(Finding("integrity", PASS, passed))
    report.findings.extend(found.findings)
    # A CSV read in pieces was hashed on the way; anything else is hashed here, once.
    sha256 = found.facts.get("sha256") or sha256_of(path)
    report.facts = {**found.facts, **report.facts, "sha256": sha256}
    return report


def content_format(head: bytes, sniffed: str, extension: str) -> str:
    """common.files.sniff's name for the content, made precise where a submission needs
    it: a JSON notebook is IPYNB, text opening as a web page is HTML, and text whose name
    does not make it a table is TEXT, as is UTF-16 or UTF-32 text (sniff calls it binary)."""
    if sniffed == "JSON" and (extension == "ipynb" or b'"nbformat"' in head):
        return "IPYNB"
    if sniffed == "CSV":
        if HTML_OPENING.match(head.lstrip(b"\xef\xbb\xbf \t\n\x0c\r")):
            return "HTML"
        if extension not in TABLE_EXTENSIONS:
            return "TEXT"
    if not sniffed and _utf_mark(head):
        return "TEXT"
    return sniffed


def office_package(handle) -> bool:
    """Whether the zip in `handle` is an office document: an Office Open XML package
    (Word, PowerPoint; a workbook is sniffed as XLSX) has [Content_Types].xml, an
    OpenDocument file a "mimetype" entry. A document, not a bundle of files to check."""
    entries = declared_zip_entries(handle)
    if entries is None or entries > MAX_SNIFFED_ENTRIES:
        return False
    try:
        with zipfile.ZipFile(handle) as package:
            names = set(package.namelist())
            if "mimetype" in names:
                with package.open("mimetype") as part:
                    return part.read(64).startswith(b"application/vnd.oasis.opendocument")
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, EOFError):
        return False
    finally:
        handle.seek(0)
    return "[Content_Types].xml" in names


def _utf_mark(head: bytes) -> str:
    """The encoding ("UTF-32" or "UTF-16") whose byte-order mark opens `head`, or ""."""
    if head.startswith(UTF32_MARKS):
        return "UTF-32"
    return "UTF-16" if head.startswith(UTF16_MARKS) else ""


def integrity_problem(
    head: bytes, size: int, file_format: str, extension: str, in_archive: bool
) -> Finding | None:
    """The finding that stops the checks of a file, or None when it may be read on."""
    if not size:
        # An upload with nothing in it is a mistake; an empty file in a bundle (a
        # package's __init__.py, a .gitkeep) is worth a word, no more.
        return Finding("integrity", WARNING if in_archive else FAIL, "The file is empty.")
    if _utf_mark(head) and extension in TABLE_EXTENSIONS:
        return Finding(
            "encoding",
            FAIL,
            f"The file is {_utf_mark(head)} text; tables are read as UTF-8. Save it as "
            "“CSV UTF-8” and upload it again.",
        )
    promised = PROMISES.get(extension)
    if promised is not None and file_format not in promised:
        return Finding(
            "integrity",
            FAIL,
            f"The file is named .{extension} but its content is {NAMES[file_format]}. "
            "Upload the file its name says, or rename it.",
        )
    if file_format == "ZIP" and in_archive:
        return Finding(
            "archive",
            FAIL,
            "This member is itself a zip archive; archives inside a bundle are not "
            "opened. Put its files in the bundle directly.",
        )
    if not file_format:
        return Finding(
            "integrity",
            WARNING,
            "The content is not a kind of file that is checked (CSV, XLSX, notebook, zip, "
            "PDF, PNG, JPEG, JSON or text); it was not read.",
        )
    return None


def run_checks(
    path: Path,
    file_format: str,
    *,
    label: str,
    table_schema: dict | None,
    limits: Limits,
    progress,
    workdir: Path,
) -> FileReport:
    """The checks of the file's kind, after its integrity passed. `label` is a bundle
    member's path ("" for the uploaded file), which the table checks name the file by."""
    match file_format:
        case "CSV" | "XLSX":
            macro = macro_finding(path) if file_format == "XLSX" else None
            if macro is not None:
                return FileReport(findings=[macro])
            # Imported here, as notebooks are below: each kind's libraries (pyarrow and
            # frictionless; IPython and nbformat) load only when a file of it is checked.
            from submissions.validation.tables import check_table

            return check_table(
                path,
                label=label,
                file_format=file_format,
                table_schema=table_schema,
                limits=limits,
                progress=progress,
            )
        case "IPYNB":
            from submissions.validation.notebooks import check_notebook

            return check_notebook(path, limits=limits, progress=progress)
        case "ZIP":

            def validate_member(member_path, *, filename, progress):
                return check_file(
                    member_path,
                    filename=filename,
                    table_schema=None,
                    limits=limits,
                    progress=progress,
                    workdir=workdir,
                    in_archive=True,
                )

            return archives.check_archive(
                path,
                limits=limits,
                workdir=workdir,
                validate_member=validate_member,
                progress=progress,
            )
        case "OFFICE":
            macro = macro_finding(path, file_format)
            found = FileReport(findings=[macro] if macro else [])
        case "PNG" | "JPEG" | "PDF":
            judge = {"PNG": png_finding, "JPEG": jpeg_finding, "PDF": pdf_finding}[file_format]
            with open(path, "rb") as handle:
                finding = judge(handle, os.fstat(handle.fileno()).st_size)
            found = FileReport(findings=[finding] if finding else [])
        case _:
            found = FileReport()
    if progress:
        progress(1.0)
    return found


def pdf_finding(handle, size: int) -> Finding | None:
    """A WARNING when the PDF has no %%EOF in its last kilobyte: cut short in transfer,
    or something appended after the document."""
    handle.seek(max(0, size - PDF_TAIL))
    if b"%%EOF" in handle.read():
        return None
    return Finding(
        "integrity",
        WARNING,
        "The PDF has no end-of-file marker (%%EOF) near its end: it may be cut short, "
        "or have something appended.",
    )


def png_finding(handle, size: int) -> Finding | None:
    """A FAIL when bytes follow the image's IEND chunk (an HTML page or a script hidden
    in an image: a polyglot) or the chunks run past the end; None for a whole PNG.
    The chunks are walked by their lengths, so an "IEND" inside pixel data fools
    nothing."""
    position = 8  # the signature
    for _ in range(MAX_PNG_CHUNKS):
        handle.seek(position)
        header = handle.read(8)
        if len(header) < 8:
            break
        chunk_end = position + 12 + int.from_bytes(header[:4], "big")
        if chunk_end > size:
            break
        if header[4:8] == PNG_END:
            return _after_image_end(chunk_end, size)
        position = chunk_end
    else:
        return Finding(
            "integrity",
            WARNING,
            f"The image has over {MAX_PNG_CHUNKS:,} parts; it was not checked to its end.",
        )
    return Finding("integrity", FAIL, "The image is cut short: it has no end (IEND).")


def _after_image_end(end: int, size: int) -> Finding | None:
    """A FAIL when bytes follow an image's end at `end` (a polyglot); None otherwise."""
    if end == size:
        return None
    return Finding(
        "integrity",
        FAIL,
        f"{size - end:,} bytes follow the end of the image; "
        "an image with something hidden after it is not accepted.",
    )


def jpeg_finding(handle, size: int) -> Finding | None:
    """png_finding for a JPEG: its segments are walked by their lengths (a thumbnail's
    own end marker inside one fools nothing), and compressed data to the next marker,
    up to the end of image (EOI)."""
    cut_short = Finding("integrity", FAIL, "The image is cut short: it has no end (EOI).")
    with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
        position = 2  # the start of image
        for _ in range(MAX_JPEG_SEGMENTS):
            if position + 2 > size or data[position] != 0xFF:
                return cut_short
            marker = data[position + 1]
            if marker == 0xFF:  # a fill byte before the marker
                position += 1
            elif marker == JPEG_END:
                return _after_image_end(position + 2, size)
            elif JPEG_RESTARTS[0] <= marker <= JPEG_RESTARTS[1] or marker == 0x01:
                position += 2  # markers without a length
            else:
                position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
                if marker == JPEG_SCAN:
                    position = _scan_end(data, position)
                    if position < 0:
                        return cut_short
    return Finding(
        "integrity",
        WARNING,
        f"The image has over {MAX_JPEG_SEGMENTS:,} parts; it was not checked to its end.",
    )


def _scan_end(data, position: int) -> int:
    """Where a JPEG's compressed data starting at `position` ends: at the first 0xFF
    that is neither a stuffed 0xFF00 nor a restart marker; -1 when the file ends first."""
    while True:
        position = data.find(b"\xff", position)
        if position < 0 or position + 1 >= len(data):
            return -1
        following = data[position + 1]
        if following == 0 or JPEG_RESTARTS[0] <= following <= JPEG_RESTARTS[1]:
            position += 2
        else:
            return position


MACROS = {
    "XLSX": "The workbook contains macros (it is really an .xlsm); macros run when it is "
    "opened, so it is not accepted. Save it as a plain Excel workbook (.xlsx).",
    "OFFICE": "The document contains macros; macros run when it is opened, so it is not "
    "accepted. Save it without them (.docx, .pptx or .odt).",
}
DAMAGED = {"XLSX": "The workbook is damaged", "OFFICE": "The document is damaged"}


def macro_finding(path: Path, file_format: str = "XLSX") -> Finding | None:
    """A FAIL when the workbook (or office document) carries a VBA project, an
    OpenDocument's Basic macros, or declares itself macro-enabled (an .xlsm renamed
    .xlsx): macros run when a judge opens it. None otherwise."""
    macro = Finding("integrity", FAIL, MACROS[file_format])
    try:
        with zipfile.ZipFile(path) as workbook:
            names = workbook.namelist()
            if any(MACRO_PARTS.search(name) for name in names):
                return macro
            if "[Content_Types].xml" not in names:
                return None
            with workbook.open("[Content_Types].xml") as part:
                content_types = part.read(MAX_CONTENT_TYPES_BYTES)
    except (zipfile.BadZipFile, zlib.error, OSError, ValueError, NotImplementedError, EOFError):
        message = f"{DAMAGED[file_format]}: its parts cannot be read."
        return Finding("integrity", FAIL, message)
    return macro if b"macroenabled" in content_types.lower() else None


def cap_findings(report: FileReport, limit: int) -> FileReport:
    """At most `limit` findings per check, the most severe kept (so the outcome does not
    change) in their order; the number left out is added to facts["omitted"][check]."""
    by_check: dict[str, list[Finding]] = {}
    for finding in report.findings:
        by_check.setdefault(finding.check, []).append(finding)
    omitted = Counter(report.facts.get("omitted", {}))
    kept = []
    for check, findings in by_check.items():
        if len(findings) > limit:
            omitted[check] += len(findings) - limit
            by_severity = sorted(findings, key=lambda f: SEVERITY_ORDER.index(f.outcome))
            chosen = {id(finding) for finding in by_severity[:limit]}
            findings = [finding for finding in findings if id(finding) in chosen]
        kept.extend(findings)
    facts = dict(report.facts)
    if omitted:
        facts["omitted"] = dict(omitted)
    return replace(report, findings=kept, facts=facts)
