"""static/vendor/ holds exactly what scripts/vendor-frontend builds from
frontend/package-lock.json: the versions pinned there, unmodified since, each library
with its licence."""

import hashlib
import json
from pathlib import Path

from django.conf import settings

REPO = Path(__file__).resolve().parents[2]
VENDOR = REPO / "static" / "vendor"


def _versions_file():
    lines = (VENDOR / "VERSIONS").read_text().splitlines()
    blank = lines.index("")
    versions = dict(line.split(" ") for line in lines[1:blank])
    checksums = {
        path.removeprefix("./"): digest
        for digest, path in (line.split("  ") for line in lines[blank + 1 :] if line)
    }
    return versions, checksums


def test_vendored_files_are_the_ones_built_and_nothing_else():
    _, checksums = _versions_file()
    on_disk = {
        str(path.relative_to(VENDOR)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in VENDOR.rglob("*")
        if path.is_file() and path.name != "VERSIONS"
    }

    assert on_disk == checksums


def test_vendored_versions_are_the_locked_ones():
    versions, _ = _versions_file()
    lock = json.loads((REPO / "frontend" / "package-lock.json").read_text())["packages"]

    assert versions == {
        name: lock[f"node_modules/{name}"]["version"]
        for name in ("govuk-frontend", "htmx.org", "jsqr", "sass")
    }


def test_every_vendored_library_carries_its_licence():
    for library in ("govuk-frontend", "htmx", "jsqr"):
        assert any(
            path.name.startswith("LICENSE") and path.stat().st_size > 0
            for path in (VENDOR / library).iterdir()
        ), library


def test_form_templates_target_the_vendored_govuk_frontend():
    versions, _ = _versions_file()

    assert versions["govuk-frontend"] == settings.CRISPY_GDS_FRONTEND_VERSION
    assert versions["htmx.org"].split(".")[0] == "2"


def test_built_stylesheet_loads_no_gov_uk_typeface_or_image():
    css = (VENDOR / "govuk-frontend" / "govuk-frontend.min.css").read_text()

    assert "GDS Transport" not in css
    assert "url(" not in css
