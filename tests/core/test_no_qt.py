"""`annotator.core` must import with PySide6 and SQLAlchemy absent (DESIGN.md: layers)."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import annotator.core

CORE_MODULES = sorted(
    f"annotator.core.{info.name}" for info in pkgutil.iter_modules(annotator.core.__path__)
)

BLOCKED = """
import importlib, sys
for name in ("PySide6", "shiboken6", "sqlalchemy", "alembic"):
    sys.modules[name] = None  # any import of these now raises ImportError
for module in sys.argv[1:]:
    importlib.import_module(module)
leaked = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "sqlalchemy")
                and sys.modules[m] is not None)
assert not leaked, leaked
print(len(sys.argv) - 1)
"""


def test_every_core_module_imports_without_qt_or_sqlalchemy() -> None:
    assert len(CORE_MODULES) >= 5
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED, *CORE_MODULES], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(len(CORE_MODULES))


def test_blocking_really_blocks() -> None:
    """The check above would pass vacuously if blocking did not work; show that it does."""
    result = subprocess.run(
        [sys.executable, "-c", BLOCKED, "annotator.ui.documents.table"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode != 0
    assert "ImportError" in result.stderr or "ModuleNotFoundError" in result.stderr
