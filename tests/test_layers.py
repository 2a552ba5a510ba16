"""The import contracts in pyproject.toml hold for the tree, and each one can fail: a copy of
the package with one forbidden import added breaks that contract (and, for a Django-free
package, the contracts of what imports it)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")
CONTRACTS = [
    c["name"] for c in tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
]

LAYERS = "House layers"
# (contract, module that gains the import, the import): one or more per contract.
PROBES = [
    (LAYERS, "rtwcomp.frameworks", "import rtwcomp.surveys.models"),  # a layer above
    (LAYERS, "rtwcomp.elicitation", "import rtwcomp.site.models"),  # an independent sibling
    (LAYERS, "rtwcomp.site.views", "import rtwcomp.api.auth"),  # only urls may wire the API
    (LAYERS, "rtwcomp.commands", "import rtwcomp.api"),  # sibling entry points
    (LAYERS, "rtwcomp.permissions", "import rtwcomp.frameworks.models"),
    (LAYERS, "rtwcomp.stats", "import rtwcomp.interop"),
    (LAYERS, "rtwcomp.surveys", "import rtwcomp.assessments.models"),  # a layer above
    (LAYERS, "rtwcomp.assessments", "import rtwcomp.development"),  # a layer above
    (LAYERS, "rtwcomp.mentoring", "import rtwcomp.selection"),  # an independent sibling
    (LAYERS, "rtwcomp.simulation", "import rtwcomp.reports"),  # a layer above
    ("Django-free: stats, interop, reports", "rtwcomp.stats", "import django"),
    ("Django-free: stats, interop, reports", "rtwcomp.interop", "import django.db"),
    ("Django-free: stats, interop, reports", "rtwcomp.reports", "import ninja"),
    (
        "Django-free: clustering, matching, dendrogram",
        "rtwcomp.elicitation.clustering",
        "import django",
    ),
    (
        "Django-free: clustering, matching, dendrogram",
        "rtwcomp.elicitation.matching",
        "import django",
    ),
    (
        "Django-free: clustering, matching, dendrogram",
        "rtwcomp.elicitation.dendrogram",
        "import django",
    ),
    ("Django-free: simulation, mentor matching", "rtwcomp.simulation", "import django"),
    ("Django-free: simulation, mentor matching", "rtwcomp.mentoring.matching", "import rules"),
    ("Django-free: rtwcomp --help, rtwcomp analyze", "rtwcomp.cli", "import django"),
    (
        "Django-free: rtwcomp --help, rtwcomp analyze",
        "rtwcomp.commands.analyze",
        "import rtwcomp.frameworks.models",
    ),
]


def lint_imports(src: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(src), "COLUMNS": "200", "NO_COLOR": "1"}
    return subprocess.run(
        [str(LINT_IMPORTS), str(PYPROJECT), "--no-cache"],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def python_only(folder: str, names: list[str]) -> list[str]:
    return [n for n in names if not n.endswith(".py") and not Path(folder, n).is_dir()]


@pytest.fixture
def copy(tmp_path: Path) -> Path:
    """The package's Python files, copied: probes never touch the working tree."""
    shutil.copytree(ROOT / "src" / "rtwcomp", tmp_path / "rtwcomp", ignore=python_only)
    return tmp_path


def module_file(src: Path, module: str) -> Path:
    path = src.joinpath(*module.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def test_every_contract_has_a_probe():
    assert sorted(CONTRACTS) == sorted({contract for contract, _, _ in PROBES})


def test_the_tree_keeps_every_contract():
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in result.stdout


@pytest.mark.parametrize(("contract", "module", "line"), PROBES, ids=lambda v: str(v))
def test_a_forbidden_import_breaks_its_contract(copy, contract, module, line):
    target = module_file(copy, module)
    target.write_text(target.read_text() + f"\n{line}  # probe\n")
    result = lint_imports(copy)
    assert result.returncode != 0
    assert f"{contract} BROKEN" in result.stdout, result.stdout
