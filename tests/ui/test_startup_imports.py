"""What the GUI start imports: nothing the first window does not show, no SQLAlchemy before
a window painted from the first look, and no Qt-free module after PySide6 that could have come
before it (see `annotator.ui.app.CORE_MODULES`). Import order and presence, never time.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotator.cli import main
from annotator.store.database import open_database
from annotator.store.project import annotator_named

# Runs `annotator gui --screenshot` in a fresh process, noting each module as it is first
# imported (and "<painted>" where the screenshot was written), then prints that order and
# what is in sys.modules at the end as JSON.
PROBE = """
import json, sys

class Recorder:
    order = []

    def find_spec(self, name, path=None, target=None):
        self.order.append(name)
        return None  # the usual finders import it

class Marker:
    def __init__(self, stream):
        self.stream = stream

    def write(self, text):
        if text.startswith("screenshot written"):
            Recorder.order.append("<painted>")
        return self.stream.write(text)

    def flush(self):
        self.stream.flush()

sys.meta_path.insert(0, Recorder())
sys.stdout = Marker(sys.stdout)
from annotator.cli import main

status = main(sys.argv[1:])
print(json.dumps({"status": status, "order": Recorder.order, "modules": sorted(sys.modules)}))
"""
PAINTED = "<painted>"

# Opened only from a menu command or a subcommand other than `gui`: imported on demand.
LAZY = (
    "annotator.ui.review.window",
    "annotator.ui.dialogs.imports",
    "annotator.ui.dialogs.export",
    "annotator.ui.actors.registry_dialog",
    "annotator.ui.agreement.view",
    "annotator.io.imports.importer",
    "annotator.io.imports.layers",
    "annotator.io.imports.actors",
    "annotator.io.imports.planning",
    "annotator.io.demo",
    "annotator.io.export",
    "annotator.io.bundles",
    "annotator.review",  # the agreement report, comparison and gold
    "annotator.core.agreement",
    "annotator.cli.export",  # the command lines of export, bundles and agreement
    "annotator.cli.bundle",
    "annotator.cli.agreement",
    "alembic",  # the project is up to date: no migration runs
)
QT_FREE = ("sqlalchemy", "annotator.store", "annotator.core", "annotator.settings")
CORE = ("annotator.core", "annotator.settings")
# What a start painted from the first look may import of the store before its window.
FIRST_LOOK = (
    "annotator.store.first_look",
    "annotator.store.deferred",
    "annotator.store.sessions",
    "annotator.store.changes",  # stdlib sqlite3 only: PRAGMA data_version
    "annotator.store.revision",
    "annotator.store.project_file",
)


def _within(name: str, packages: tuple[str, ...]) -> bool:
    return any(name == package or name.startswith(package + ".") for package in packages)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo project, with one annotator ("tester")."""
    db = tmp_path_factory.mktemp("start") / "demo.sqlite"
    assert main(["demo", "--db", str(db)]) == 0
    database = open_database(str(db))
    with database.sessions.begin() as session:
        annotator_named(session, "tester")
    database.close()
    return db


def _start(project: Path, folder: Path, annotator: str) -> dict[str, object]:
    """The record of one `annotator gui --screenshot` with `annotator` in the settings."""
    env = {**os.environ, "XDG_CONFIG_HOME": str(folder), "XDG_STATE_HOME": str(folder)}
    env.pop("ANNOTATOR_DB", None)
    (folder / "annotator").mkdir()
    (folder / "annotator" / "settings.toml").write_text(f'format = 1\nannotator = "{annotator}"\n')
    png = folder / "window.png"
    done = subprocess.run(
        [sys.executable, "-c", PROBE, "gui", "--db", str(project), "--screenshot", str(png)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    record: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    assert record["status"] == 0 and png.stat().st_size > 10_000  # the window was painted
    record["stdout"] = done.stdout
    return record


@pytest.fixture(scope="module")
def first_look_start(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A start as a known annotator on an up-to-date file: painted from the first look."""
    return _start(project, tmp_path_factory.mktemp("known"), "tester")


@pytest.fixture(scope="module")
def store_start(project: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A start as a new annotator (added by the store): the window is filled through the store."""
    return _start(project, tmp_path_factory.mktemp("new"), "newcomer")


@pytest.mark.parametrize("start", ["first_look_start", "store_start"])
def test_the_gui_start_imports_nothing_the_first_window_does_not_show(
    start: str, request: pytest.FixtureRequest
) -> None:
    modules = request.getfixturevalue(start)["modules"]
    assert isinstance(modules, list)
    assert "annotator.ui.main_window" in modules and "PySide6.QtWidgets" in modules
    eager = [name for name in modules if _within(name, LAZY)]
    assert eager == [], f"import these inside the slot or command that needs them: {eager}"


def test_a_first_look_start_paints_before_importing_sqlalchemy_and_then_opens_the_store(
    first_look_start: dict[str, object],
) -> None:
    order = first_look_start["order"]
    assert isinstance(order, list)
    painted = order.index(PAINTED)
    before = [
        name
        for name in order[:painted]
        if _within(name, ("sqlalchemy", "annotator.store"))
        and not _within(name, FIRST_LOOK)
        and name != "annotator.store"  # the package itself (empty)
    ]
    assert before == [], f"the first window needs these only after it is painted: {before}"
    assert "annotator.store.first_look" in order[:painted]
    # Then the project is opened through the store, as the app does after the first paint.
    assert "annotator.store.database" in order[painted:]
    assert "project opened" in str(first_look_start["stdout"])


def test_a_first_look_start_imports_the_core_before_pyside6(
    first_look_start: dict[str, object],
) -> None:
    order = first_look_start["order"]
    assert isinstance(order, list)
    qt = order.index("PySide6")
    assert any(_within(name, CORE) for name in order[:qt])  # the probe sees them at all
    late = [name for name in order[qt:] if _within(name, CORE)]
    assert late == [], f"add these to annotator.ui.app.CORE_MODULES: {late}"


def test_a_start_through_the_store_imports_no_qt_free_module_after_pyside6(
    store_start: dict[str, object],
) -> None:
    order = store_start["order"]
    assert isinstance(order, list)
    assert PAINTED in order and "annotator.store.first_look" in order[: order.index("PySide6")]
    qt = order.index("PySide6")
    late = [name for name in order[qt:] if _within(name, QT_FREE)]
    assert late == [], f"add these to annotator.ui.app.CORE_MODULES or STORE_MODULES: {late}"
