"""The bad-input corpus's binary and large files, made at test time (the committed ones
are small text files beside this module). `python -m tests.submissions.corpus.generate
DIR` writes them all to DIR, to look at them with other tools.

Each builder writes one file and returns its path; the name it is given is the name the
file is "uploaded" under.
"""

import io
import json
import stat
import struct
import sys
import zipfile
import zlib
from pathlib import Path

MIB = 1024 * 1024
LOCAL_HEADER = b"PK\x03\x04"
CENTRAL_HEADER = b"PK\x01\x02"


def zip_bytes(members: dict, *, compression=zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of {name or ZipInfo: bytes}."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def png_bytes() -> bytes:
    """A whole 1-by-1 grey PNG: signature, IHDR, IDAT, IEND."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


def set_encrypted_flag(data: bytes) -> bytes:
    """Mark every entry encrypted (general-purpose flag bit 0) in its local and central
    headers. Python's zipfile cannot write encrypted archives; the flag is all a reader
    judges before decrypting, which is what the check must refuse to try."""
    patched = bytearray(data)
    for signature, offset in ((LOCAL_HEADER, 6), (CENTRAL_HEADER, 8)):
        at = patched.find(signature)
        while at >= 0:
            patched[at + offset] |= 0x01
            at = patched.find(signature, at + 4)
    return bytes(patched)


def zip_bomb(path: Path) -> Path:
    """50 MB of zeros that deflate to about 50 KB: a ratio near 1,000."""
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive,
        archive.open("data.csv", "w") as member,
    ):
        for _ in range(50):
            member.write(b"\x00" * MIB)
    return path


def zip_with_member(name: str):
    def build(path: Path) -> Path:
        path.write_bytes(zip_bytes({name: b"area,claimants\nHalton,3120\n"}))
        return path

    return build


def zip_with_symlink(path: Path) -> Path:
    link = zipfile.ZipInfo("data.csv")
    link.create_system = 3  # Unix: external_attr's high bits are the file's mode
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    path.write_bytes(zip_bytes({link: b"/etc/passwd"}))
    return path


def nested_zip(path: Path) -> Path:
    inner = zip_bytes({"data.csv": b"area,claimants\nHalton,3120\n"})
    path.write_bytes(zip_bytes({"inner.zip": inner}))
    return path


def encrypted_zip(path: Path) -> Path:
    path.write_bytes(set_encrypted_flag(zip_bytes({"data.csv": b"area,claimants\n"})))
    return path


def png_with_html(path: Path) -> Path:
    path.write_bytes(png_bytes() + b"<html><script>alert(document.cookie)</script></html>")
    return path


def macro_workbook(path: Path) -> Path:
    """An .xlsm's parts (macro-enabled content type, a VBA project) named .xlsx."""
    content_types = (
        b'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats'
        b'.org/package/2006/content-types"><Override PartName="/xl/workbook.xml" '
        b'ContentType="application/vnd.ms-excel.sheet.macroEnabled.main+xml"/></Types>'
    )
    path.write_bytes(
        zip_bytes(
            {
                "[Content_Types].xml": content_types,
                "xl/workbook.xml": b"<workbook/>",
                "xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 VBA project",
            }
        )
    )
    return path


def one_megabyte_line(path: Path) -> Path:
    """A header and one data line of a single 1 MB cell, no line break at the end."""
    path.write_bytes(b"area,notes\nHalton," + b"x" * MIB)
    return path


def invalid_notebook(path: Path) -> Path:
    """A notebook cut short: not valid JSON. (Made here, not committed: linters and
    formatters read committed .ipynb files and would stop at it.)"""
    path.write_text('{\n "cells": [\n  {"cell_type": "code", "source": "import pandas",\n')
    return path


def notebook(cells: list[dict], **extra) -> dict:
    """A valid nbformat 4.5 notebook of `cells` (dicts with at least cell_type and
    source; ids, metadata and outputs are filled in)."""
    filled = []
    for number, cell in enumerate(cells, start=1):
        cell = {"id": f"cell-{number}", "metadata": {}, **cell}
        if cell["cell_type"] == "code":
            cell = {"execution_count": None, "outputs": [], **cell}
        filled.append(cell)
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "cells": filled,
        **extra,
    }


def html_output(frame) -> dict:
    """A code cell's output displaying a pandas DataFrame, as Jupyter saves it."""
    return {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {"text/html": frame.to_html(), "text/plain": str(frame)},
    }


def downloading_notebook(path: Path) -> Path:
    """A notebook that fetches its data with !curl and runs a helper with %run."""
    cells = [
        {"cell_type": "markdown", "source": "# Claimants and green space"},
        {
            "cell_type": "code",
            "source": [
                "!curl -sSL -o claimants.csv https://data.example.org/claimants.csv\n",
                "%run helpers/clean.py --strict\n",
            ],
        },
        {
            "cell_type": "code",
            "source": [
                "import pandas as pd\n",
                'claimants = pd.read_csv("claimants.csv")\n',
                'parks = pd.read_excel("https://data.example.org/parks.xlsx")',
            ],
        },
    ]
    path.write_text(json.dumps(notebook(cells), indent=1))
    return path


GENERATED = {
    "bomb.zip": zip_bomb,
    "slip.zip": zip_with_member("../../outside.csv"),
    "absolute.zip": zip_with_member("/etc/cron.d/outside.csv"),
    "symlink.zip": zip_with_symlink,
    "nested.zip": nested_zip,
    "encrypted.zip": encrypted_zip,
    "image.png": png_with_html,
    "macros.xlsx": macro_workbook,
    "long_line.csv": one_megabyte_line,
    "invalid.ipynb": invalid_notebook,
    "downloads.ipynb": downloading_notebook,
}


def build(name: str, directory: Path) -> Path:
    return GENERATED[name](Path(directory) / name)


if __name__ == "__main__":
    for name in GENERATED:
        print(build(name, Path(sys.argv[1])))
