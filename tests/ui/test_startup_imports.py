"""What the GUI start imports: nothing the first window does not show, and no Qt-free module
after PySide6 (see `annotator.ui.app.QT_FREE_MODULES`). Import order and presence, never time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from annotator.cli import main

# Runs `annotator gui --screenshot` in a fresh process, noting each module as it is first
# imported, then prints that order and what is in sys.modules at the end as JSON.
PROBE = """
import json, sys

class Recorder:
    order = []

    def find_spec(self, name, path=None, target=None):
        self.order.append(name)
        return None  # the usual finders import it

sys.meta_path.insert(0, Recorder())
from annotator.cli import main

status = main(sys.argv[1:])
print(json.dumps({"status": status, "order": Recorder.order, "modules": sorted(sys.modules)}))
"""

# Opened only from a menu command or a subcommand other than `gui`: imported on demand.
LAZY = (
    "annotator.ui.review_window",
    "annotator.ui.import_dialog",
    "annotator.ui.export_dialog",
    "annotator.ui.registry_dialog",
    "annotator.ui.agreement_view",
    "annotator.io.importer",
    "annotator.io.import_layers",
    "annotator.io.import_actors",
    "annotator.io.planning",
    "annotator.io.demo",
    "annotator.io.export",
    "annotator.review",  # comparison, agreement, gold, bundles, and their command lines
    "alembic",  # the project is up to date: no migration runs
)
QT_FREE = ("sqlalchemy", "annotator.store", "annotator.core", "annotator.settings")


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


@pytest.fixture(scope="module")
def gui_start(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """The record of one `annotator gui --screenshot` on the demo project."""
    folder = tmp_path_factory.mktemp("start")
    db, png = folder / "demo.sqlite", folder / "window.png"
    assert main(["demo", "--db", str(db)]) == 0
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "gui", "--db", str(db), "--screenshot", str(png)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    record: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    assert record["status"] == 0 and png.stat().st_size > 10_000  # the window was painted
    return record


def test_the_gui_start_imports_nothing_the_first_window_does_not_show(
    gui_start: dict[str, object],
) -> None:
    modules = gui_start["modules"]
    assert isinstance(modules, list)
    assert "annotator.ui.main_window" in modules and "PySide6.QtWidgets" in modules
    eager = [name for name in modules if _within(name, LAZY)]
    assert eager == [], f"import these inside the slot or command that needs them: {eager}"


def test_no_qt_free_module_is_imported_after_pyside6(gui_start: dict[str, object]) -> None:
    order = gui_start["order"]
    assert isinstance(order, list)
    qt = order.index("PySide6")
    assert any(_within(name, QT_FREE) for name in order[:qt])  # the probe sees them at all
    late = [name for name in order[qt:] if _within(name, QT_FREE)]
    assert late == [], f"add these to annotator.ui.app.QT_FREE_MODULES: {late}"
