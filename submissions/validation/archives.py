"""Zip bundles: judged from their central directory before one byte is extracted.

A bundle is refused whole, with a FAIL naming each offending member, when it declares
too many entries or too many bytes, when a member or the whole compresses more than a
real file does (a zip bomb), when a path would land outside the folder it is extracted
to (absolute, "..", backslashes or a drive), when a member is a symbolic link, is
encrypted, uses a compression method Python cannot read, or is itself an archive.
Only then are members read, one at a time, into the caller's work directory under
generated names, with the bytes actually read counted against the caps (declared sizes
are the archive's word: zipfile stops at them too, and a member that lies fails its
CRC), checked like standalone files, and removed.
"""

import lzma
import re
import stat
import unicodedata
import zipfile
import zlib
from dataclasses import replace
from pathlib import Path, PurePosixPath

from common.files import CONTROL_CHARACTERS, declared_zip_entries
from submissions.validation.findings import FAIL, PASS, WARNING, FileReport, Finding, Location
from submissions.validation.limits import MIB, Limits

CHUNK = 1024 * 1024
READABLE_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
ARCHIVE_SUFFIXES = {".zip", ".gz", ".tgz", ".tar", ".bz2", ".tbz2", ".xz", ".txz", ".7z", ".rar"}
# How the other archive formats begin (a zip member is recognised by the runner's sniff,
# which tells a workbook, itself a zip, from an archive).
ARCHIVE_MAGIC = (
    b"\x1f\x8b",  # gzip
    b"\xfd7zXZ\x00",  # xz
    b"7z\xbc\xaf\x27\x1c",  # 7-Zip
    b"Rar!\x1a\x07",  # RAR
    b"\x28\xb5\x2f\xfd",  # zstandard
)
BZIP2_MAGIC = re.compile(rb"BZh[1-9]1AY&SY")  # "BZh" alone may open a line of text
TAR_MAGIC_AT = 257
# What macOS's Finder adds to every zip it makes: resource forks, not the team's files.
APPLEDOUBLE_MAGIC = b"\x00\x05\x16\x07"
APPLEDOUBLE = "appledouble"
NESTED = (
    "It is itself an archive; archives inside a bundle are not opened. "
    "Put its files in the bundle directly."
)
REFUSALS = {
    "archive": NESTED,
    "too_large": "It expands to more than {cap}, the most a file (or what is left of the "
    "bundle's cap) may hold; the size it declares is not what it holds.",
    "damaged": "It cannot be read from the bundle: the archive is damaged.",
}
DRIVE = re.compile(r"^[A-Za-z]:")
READ_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    lzma.LZMAError,
    EOFError,
    OSError,
    ValueError,
    NotImplementedError,
    RuntimeError,
)


def check_archive(
    path: Path, *, limits: Limits, workdir: Path, validate_member, progress=None
) -> FileReport:
    """The findings of the zip at `path` and of each of its members.

    `validate_member(member_path, *, filename, progress) -> FileReport` checks one
    extracted member (the runner, told it is inside an archive). facts["members"] lists
    [{path, size, sha256, format, outcome}]; notebooks' inputs are gathered in
    facts["inputs"], each with the member's path as "file".
    """
    report = FileReport(facts={"members": []})
    with open(path, "rb") as handle:
        declared = declared_zip_entries(handle)
    if declared is not None and declared > limits.max_zip_entries:
        report.findings.append(_too_many(declared, limits))
        return report
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            problems = inspect(infos, limits)
            if problems:
                report.findings.extend(problems)
                return report
            files = [info for info in infos if not info.is_dir()]
            report.findings.append(_accepted(files))
            # Members are read one by one; one that is damaged is named, the rest checked.
            _read_members(archive, files, report, limits, workdir, validate_member, progress)
    except READ_ERRORS:
        report.findings.append(
            Finding("archive", FAIL, "The zip archive is damaged: its contents cannot be read.")
        )
    return report


def inspect(infos: list[zipfile.ZipInfo], limits: Limits) -> list[Finding]:
    """Every reason, from the central directory alone, not to extract this archive."""
    if len(infos) > limits.max_zip_entries:
        return [_too_many(len(infos), limits)]
    problems = []
    seen = set()
    for info in infos:
        name = shown(info.filename)
        problems.extend(
            Finding("archive", FAIL, message, Location(file=name))
            for message in member_problems(info, limits, seen)
        )
        seen.add(info.filename)
    total = sum(info.file_size for info in infos)
    packed = sum(info.compress_size for info in infos)
    if total > limits.max_zip_total_bytes:
        problems.append(
            Finding(
                "archive",
                FAIL,
                f"The bundle declares {_size(total)} uncompressed, more than the "
                f"{_size(limits.max_zip_total_bytes)} a bundle may hold.",
            )
        )
    elif limits.zip_bounds.over_ratio(total, packed):
        problems.append(
            Finding(
                "archive",
                FAIL,
                f"The bundle expands {_ratio(total, packed)} times when uncompressed (at most "
                f"{limits.max_zip_ratio} is accepted): it looks like a zip bomb.",
            )
        )
    return problems


def member_problems(info: zipfile.ZipInfo, limits: Limits, seen: set) -> list[str]:
    """What is wrong with one entry, as sentences (empty when nothing is)."""
    name = info.filename
    if not PurePosixPath(name).parts:
        # "" or ".": nothing to extract it as (and no last character for is_dir()).
        return ["It has no name; every entry in a bundle needs one."]
    problems = []
    if name.startswith("/") or DRIVE.match(name):
        problems.append("Its path is absolute; a bundle holds relative paths only.")
    if ".." in PurePosixPath(name).parts:
        problems.append("Its path climbs out of the bundle (“..”).")
    if "\\" in name or CONTROL_CHARACTERS.search(name):
        problems.append("Its path contains backslashes or control characters.")
    if name in seen:
        problems.append("The path appears twice in the bundle.")
    if stat.S_ISLNK(info.external_attr >> 16):
        problems.append("It is a symbolic link; a bundle holds files only.")
    if info.flag_bits & 0x1:
        problems.append("It is encrypted; upload the bundle without a password.")
    if info.compress_type not in READABLE_METHODS:
        problems.append("It is compressed with a method that cannot be read.")
    if not info.is_dir() and PurePosixPath(name).suffix.lower() in ARCHIVE_SUFFIXES:
        problems.append(NESTED)
    excess = limits.zip_bounds.excess(info)
    if excess == "size":
        problems.append(
            f"It declares {_size(info.file_size)}, more than the "
            f"{_size(limits.max_member_bytes)} a file may have."
        )
    elif excess == "ratio":
        problems.append(
            f"It expands {_ratio(info.file_size, info.compress_size)} times when "
            f"uncompressed (at most {limits.max_zip_ratio} is accepted): a zip bomb."
        )
    return problems


def _read_members(archive, files, report, limits, workdir, validate_member, progress):
    """Extract, check and remove each member in turn, keeping the running total of
    bytes really read under the bundle's cap."""
    budget = limits.max_zip_total_bytes
    for index, info in enumerate(files):
        name = shown(info.filename)
        target = Path(workdir) / f"member-{index}"
        member = None
        try:
            cap = min(limits.max_member_bytes, budget)
            read, refusal = extract(archive, info, target, cap)
            budget -= read
            if refusal is None:
                member_progress = _scaled(progress, index, len(files))
                member = validate_member(target, filename=info.filename, progress=member_progress)
        except READ_ERRORS:
            read, refusal = 0, "damaged"
        finally:
            target.unlink(missing_ok=True)
        if member is None:
            outcome = PASS if refusal == APPLEDOUBLE else FAIL
            if outcome == FAIL:
                message = REFUSALS[refusal].format(cap=_size(cap))
                report.findings.append(Finding("archive", FAIL, message, Location(file=name)))
            _record(report, name, read, "", "", outcome)
        else:
            _merge(report, name, member)
        if progress:
            progress((index + 1) / len(files))


def extract(archive, info, target: Path, cap: int) -> tuple[int, str | None]:
    """Copy one member to `target`, stopping once more than `cap` bytes have come out.
    Returns the bytes read and why the member is not checked (a key of REFUSALS, or
    APPLEDOUBLE for Finder's metadata), None when it may be."""
    read = 0
    with archive.open(info) as source, open(target, "xb") as copy:
        while chunk := source.read(CHUNK):
            if not read:
                if is_archive(chunk):
                    return len(chunk), "archive"
                if chunk.startswith(APPLEDOUBLE_MAGIC) and _is_appledouble(info.filename):
                    return len(chunk), APPLEDOUBLE
            read += len(chunk)
            if read > cap:
                return read, "too_large"
            copy.write(chunk)
    return read, None


def _merge(report: FileReport, name: str, member: FileReport) -> None:
    """A member's findings, located in the bundle, and its facts among the bundle's."""
    report.findings.extend(
        replace(finding, location=replace(finding.location, file=name))
        for finding in member.findings
    )
    facts = member.facts
    _record(
        report,
        name,
        facts.get("size", 0),
        facts.get("sha256", ""),
        facts.get("format", ""),
        member.outcome,
    )
    for item in facts.get("inputs", []):
        report.facts.setdefault("inputs", []).append({**item, "file": name})
    for check, count in facts.get("omitted", {}).items():
        omitted = report.facts.setdefault("omitted", {})
        omitted[check] = omitted.get(check, 0) + count


def is_archive(head: bytes) -> bool:
    """Whether a member's first bytes are a gzip, bzip2, xz, 7-Zip, RAR, zstandard or
    tar archive."""
    return (
        head.startswith(ARCHIVE_MAGIC)
        or BZIP2_MAGIC.match(head) is not None
        or head[TAR_MAGIC_AT:].startswith(b"ustar")
    )


def shown(name: str) -> str:
    """A member's path as it may appear in a report: no control or format characters
    (a right-to-left override, U+202E, would show "cod.exe" as "exe.doc"), bounded."""
    return "".join(
        "?" if unicodedata.category(character) in ("Cc", "Cf") else character
        for character in name[:500]
    )


def _is_appledouble(name: str) -> bool:
    path = PurePosixPath(name)
    return path.parts[:1] == ("__MACOSX",) or path.name.startswith("._")


def _record(report, path, size, sha256, file_format, outcome):
    report.facts["members"].append(
        {"path": path, "size": size, "sha256": sha256, "format": file_format, "outcome": outcome}
    )


def _accepted(files) -> Finding:
    if not files:
        return Finding("archive", WARNING, "The bundle holds no files.")
    total = sum(info.file_size for info in files)
    return Finding(
        "archive",
        PASS,
        f"{len(files)} files, {_size(total)} uncompressed; no unsafe paths, links, "
        "encryption or archives inside.",
    )


def _too_many(count: int, limits: Limits) -> Finding:
    return Finding(
        "archive",
        FAIL,
        f"The bundle declares {count:,} entries, more than the {limits.max_zip_entries:,} "
        "a bundle may hold.",
    )


def _ratio(size: int, packed: int) -> str:
    return f"{size / packed:,.0f}" if packed else "infinitely many"


def _size(count: int) -> str:
    return f"{count / MIB:,.1f} MB" if count >= MIB else f"{count:,} bytes"


def _scaled(progress, index: int, count: int):
    if progress is None:
        return None
    return lambda fraction: progress((index + fraction) / count)
