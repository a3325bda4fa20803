"""The layer contract (.importlinter) holds, and it would catch an upward import, even one
hidden inside a function."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LINT = Path(sys.executable).with_name("lint-imports")


def _packages():
    return [p for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name != "tests"]


def _lint(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT), "--no-cache"], cwd=cwd, capture_output=True, text=True, timeout=300
    )


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A copy of the apps' sources (no tests, no migrations needed by the contract)."""
    dest = tmp_path_factory.mktemp("layers")
    for package in _packages():
        shutil.copytree(
            package, dest / package.name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
        )
    shutil.copy(ROOT / ".importlinter", dest / ".importlinter")
    return dest


def test_the_code_keeps_the_layers(tree):
    result = _lint(tree)
    assert result.returncode == 0, result.stdout + result.stderr


def test_an_upward_import_inside_a_function_breaks_the_contract(tree):
    probe = tree / "core" / "upward_probe.py"
    probe.write_text("def figures():\n    from registry import selectors\n\n    return selectors\n")
    try:
        result = _lint(tree)
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert "core.upward_probe -> registry.selectors" in result.stdout
