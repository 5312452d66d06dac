"""The layer contracts in pyproject.toml hold, and each one fails when the code breaks it.

`lint-imports` (import-linter) checks the real tree; then a copy of the package with one
forbidden import added must fail the contract that forbids it, so a contract that checks
nothing (a typo in a module name, say) cannot pass unnoticed.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", str(project / "pyproject.toml")],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture(scope="module")
def copies(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder to hold copies of the package (only .py files: what the contracts read)."""
    return tmp_path_factory.mktemp("layers")


def copy_with(copies: Path, name: str, module: str, line: str) -> Path:
    project = copies / name
    shutil.copytree(
        ROOT / "annotator",
        project / "annotator",
        ignore=shutil.ignore_patterns("__pycache__", "migrations"),
    )
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    path = project / (module.replace(".", "/") + ".py")
    path.write_text(path.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    return project


def test_the_tree_keeps_every_contract() -> None:
    done = lint_imports(ROOT)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(
    ("module", "line", "contract"),
    [
        ("annotator.core.text", "import sqlalchemy", "core is pure Python"),
        ("annotator.core.offsets", "import annotator.store.models", "Layers point one way"),
        (
            "annotator.store.documents",
            "import PySide6.QtCore",
            "Qt (PySide6, shiboken6) only in ui",
        ),
        ("annotator.io.demo", "import shiboken6", "only in ui"),
        ("annotator.io.imports.readers", "import annotator.review.agreement.report", "Layers"),
        ("annotator.cli.docs", "import PySide6.QtWidgets", "only through the gui command"),
        ("annotator.ui.workspace.matrix", "import annotator.store.models", "never the models"),
        ("annotator.store.search", "import annotator.store.documents", "No import cycle"),
    ],
)
def test_a_forbidden_import_breaks_its_contract(
    copies: Path, module: str, line: str, contract: str
) -> None:
    project = copy_with(copies, module.replace(".", "_"), module, line)
    done = lint_imports(project)
    assert done.returncode == 1, done.stdout + done.stderr
    assert any(contract in name for name in broken_contracts(done.stdout)), done.stdout


def broken_contracts(output: str) -> list[str]:
    """The names of the contracts the summary calls BROKEN (a long name wraps over lines)."""
    summary = output.split("dependencies.", 1)[-1].split("Contracts:", 1)[0]
    parts = re.split(r"\b(KEPT|BROKEN)\b", " ".join(summary.split()))
    return [
        name for name, status in zip(parts[::2], parts[1::2], strict=False) if status == "BROKEN"
    ]
