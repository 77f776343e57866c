"""The one-way data flow between apps is a contract import-linter checks (make lint, CI)."""

import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps

REPO_ROOT = Path(__file__).resolve().parent.parent
CONTRACT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]


def test_every_project_app_is_a_layer_of_the_data_flow():
    project_apps = {
        config.name for config in apps.get_app_configs() if Path(config.path).parent == REPO_ROOT
    }
    layers = set(CONTRACT["contracts"][0]["layers"])

    assert project_apps - layers == set()
    assert set(CONTRACT["root_packages"]) == layers


def test_import_contract_holds():
    lint_imports = Path(sys.executable).parent / "lint-imports"
    result = subprocess.run(  # noqa: S603 (a fixed command from this venv)
        [lint_imports], cwd=REPO_ROOT, capture_output=True, text=True, check=False
    )

    assert result.returncode == 0, result.stdout[-2000:]


def test_import_contract_catches_a_backward_import(tmp_path):
    # Negative control: the same contract on a copy where common imports from teams.
    for package in CONTRACT["root_packages"]:
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("")
    (tmp_path / "common" / "backward.py").write_text("import teams\n")
    (tmp_path / "pyproject.toml").write_text((REPO_ROOT / "pyproject.toml").read_text())
    lint_imports = Path(sys.executable).parent / "lint-imports"

    result = subprocess.run(  # noqa: S603 (a fixed command from this venv)
        [lint_imports],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
        env={"PYTHONPATH": str(tmp_path)},
    )

    assert result.returncode == 1
    assert "common.backward -> teams" in result.stdout
