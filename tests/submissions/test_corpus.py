"""The bad-input corpus: every file the issue lists reaches its expected clean outcome.
At upload, the artifact form's check (common.uploads.check_upload, as
submissions.services.artifacts calls it) refuses some with a clear message; through
validate_path, each gets a failed or warning check naming what is wrong (the refused
ones too: inside a zip bundle they reach it), never an exception, writes nothing outside
the work directory and leaves that empty.

Small text files are committed in tests/submissions/corpus/; binary and large ones are
made at test time by tests/submissions/corpus/generate.py.
"""

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile

from common.exceptions import ApplicationError
from common.uploads import check_upload
from submissions.services.artifacts import ARTIFACTS_TAKE, KIND_OF_FORMAT
from submissions.validation import FAIL, PASS, WARNING, Limits
from submissions.validation.runner import validate_path
from tests.submissions.corpus import generate

CORPUS = Path(generate.__file__).parent


@dataclass(frozen=True)
class Expected:
    outcome: str
    # Every finding that is not a pass, as (check, outcome, member path or "").
    problems: tuple[tuple[str, str, str], ...]
    # Words the first of them says, so the team learns what is wrong.
    says: str
    # The code the upload is refused with, or "" when it is taken and validated.
    at_upload: str = ""


EXPECTED = {
    "bomb.zip": Expected(
        FAIL, (("archive", FAIL, "data.csv"), ("archive", FAIL, "")), "a zip bomb"
    ),
    "slip.zip": Expected(
        FAIL, (("archive", FAIL, "../../outside.csv"),), "climbs out of the bundle"
    ),
    "absolute.zip": Expected(
        FAIL, (("archive", FAIL, "/etc/cron.d/outside.csv"),), "Its path is absolute"
    ),
    "symlink.zip": Expected(FAIL, (("archive", FAIL, "data.csv"),), "symbolic link"),
    "nested.zip": Expected(FAIL, (("archive", FAIL, "inner.zip"),), "itself an archive"),
    "encrypted.zip": Expected(FAIL, (("archive", FAIL, "data.csv"),), "encrypted"),
    "html_renamed.csv": Expected(FAIL, (("integrity", FAIL, ""),), "a web page (HTML)"),
    "image.png": Expected(FAIL, (("integrity", FAIL, ""),), "follow the end of the image"),
    "empty.csv": Expected(FAIL, (("integrity", FAIL, ""),), "empty", at_upload="invalid"),
    "nul_bytes.csv": Expected(
        FAIL, (("integrity", FAIL, ""),), "binary data", at_upload="unknown_format"
    ),
    "utf16.csv": Expected(FAIL, (("encoding", FAIL, ""),), "UTF-16", at_upload="unknown_format"),
    "ragged.csv": Expected(FAIL, (("structure", FAIL, ""),) * 3, "fewer cells than the header"),
    "long_line.csv": Expected(WARNING, (("structure", WARNING, ""),), "32,767 characters"),
    "invalid.ipynb": Expected(FAIL, (("notebook", FAIL, ""),), "not valid JSON"),
    "downloads.ipynb": Expected(
        WARNING, (("inputs", WARNING, ""), ("inputs", WARNING, "")), "Downloads data"
    ),
    "macros.xlsx": Expected(FAIL, (("integrity", FAIL, ""),), "macros"),
}

# Bad input that never reaches validate_path, and where it is tested.
TESTED_ELSEWHERE = {
    "over the size cap": "refused while it arrives by common.files.CappedUploadHandler "
    "(tests/common/test_files.py) and by the artifact upload form",
    "exhausts the memory limit": "the validation child process's memory limit (the "
    "pipeline's tests of submissions.services)",
}

# The issue's list ("Bad input"), item by item.
ISSUE_LIST = {
    "Zip bomb (extreme ratio)": "bomb.zip",
    'zip with "../" path': "slip.zip",
    "absolute path": "absolute.zip",
    "symlink": "symlink.zip",
    "nested zip": "nested.zip",
    "encrypted zip": "encrypted.zip",
    "HTML renamed .csv": "html_renamed.csv",
    "PNG with HTML appended": "image.png",
    "empty file": "empty.csv",
    "CSV with NUL bytes": "nul_bytes.csv",
    "UTF-16 CSV": "utf16.csv",
    "ragged CSV": "ragged.csv",
    "one 1 MB line": "long_line.csv",
    "notebook of invalid JSON": "invalid.ipynb",
    "notebook with !curl and %run": "downloads.ipynb",
    "a macro workbook renamed .xlsx": "macros.xlsx",
    "a file over the size cap": "over the size cap",
    "a CSV that exhausts the memory limit": "exhausts the memory limit",
}


def test_corpus_covers_the_issue_list():
    assert sorted(ISSUE_LIST.values()) == sorted([*EXPECTED, *TESTED_ELSEWHERE])


def _corpus_file(name: str, directory: Path) -> Path:
    committed = CORPUS / name
    return committed if committed.exists() else generate.build(name, directory)


def _listing(root) -> list[str]:
    root = Path(root)
    if not root.exists():
        return []
    return sorted(str(path.relative_to(root)) for path in root.rglob("*"))


@pytest.fixture
def sealed(tmp_path, monkeypatch):
    """Fresh, empty temporary, home and current directories, so anything a check (or a
    library it calls) writes outside the work directory is seen."""
    places = {name: tmp_path / name for name in ("tmp", "home", "cwd")}
    for place in places.values():
        place.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(places["tmp"]))
    monkeypatch.setenv("TMPDIR", str(places["tmp"]))
    monkeypatch.setenv("HOME", str(places["home"]))
    monkeypatch.chdir(places["cwd"])
    return places


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_is_refused_or_taken_at_upload(name, tmp_path):
    path = _corpus_file(name, tmp_path)
    uploaded = SimpleUploadedFile(name, path.read_bytes())

    try:
        check_upload(
            uploaded,
            formats=frozenset(KIND_OF_FORMAT),
            takes=ARTIFACTS_TAKE,
            max_bytes=settings.SUBMISSIONS_FILE_MAX_BYTES,
        )
    except ApplicationError as error:
        refused = error.code
    else:
        refused = ""

    assert refused == EXPECTED[name].at_upload


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_corpus_file_reaches_its_expected_outcome(name, tmp_path, sealed):
    expected = EXPECTED[name]
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    path = _corpus_file(name, inputs)
    workdir = tmp_path / "work"
    workdir.mkdir()
    watched = [settings.MEDIA_ROOT, CORPUS, inputs]
    before = {str(place): _listing(place) for place in watched}

    report = validate_path(path, filename=name, limits=Limits(), workdir=workdir)

    problems = [f for f in report.findings if f.outcome != PASS]
    assert report.outcome == expected.outcome
    assert tuple((f.check, f.outcome, f.location.file) for f in problems) == expected.problems
    assert expected.says in (problems[0].message if problems else "")
    assert list(workdir.iterdir()) == []
    assert {place: _listing(place) for place in sealed.values()} == {
        place: [] for place in sealed.values()
    }
    assert {str(place): _listing(place) for place in watched} == before
    assert report.facts["size"] == os.path.getsize(path)
