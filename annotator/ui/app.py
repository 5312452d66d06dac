"""Starting the GUI: the QApplication, the project database, the annotator, the window."""

from __future__ import annotations

import getpass
import importlib
import os
import sys
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

# The Qt-free modules the first window uses, imported before PySide6. Importing PySide6
# installs shiboken's import hook (its `__feature__` support), which reads the source of every
# module imported after it (inspect.getsource, to see whether it uses PySide): SQLAlchemy and
# the store cost about 60 ms more when they come after Qt. tests/ui/test_startup_imports.py
# checks that the GUI start imports none of them after PySide6; add a module here if it fails.
QT_FREE_MODULES = (
    "sqlalchemy.orm",
    "annotator.settings",
    "annotator.store.database",
    "annotator.store.models",
    "annotator.store.documents",
    "annotator.store.project",
    "annotator.store.vocabulary",
    "annotator.store.annotations",
    "annotator.store.actors",
    "annotator.core.annotations",
    "annotator.core.commands",
    "annotator.core.offsets",
    "annotator.core.segments",
    "annotator.core.suggestions",
)


def run_app(
    *,
    db: str | None,
    screenshot: Path | None = None,
    document: str | None = None,
    compare: str | None = None,
) -> int:
    """Open the app on the project `db`; with `screenshot`, render the window to PNG and exit."""
    if screenshot is not None and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    for name in QT_FREE_MODULES:
        importlib.import_module(name)
    from annotator.store.database import ENV_VAR, open_database

    try:
        # Still before Qt: opening the database imports SQLAlchemy's SQLite dialect.
        database = open_database(db)
        first_id = _find_document(database, document, "--document") if document else None
        second_id = _find_document(database, compare, "--compare") if compare else None
    except AnnotatorError as error:
        if screenshot is None:
            from PySide6.QtWidgets import QMessageBox

            _application()
            QMessageBox.critical(None, "Annotator cannot open the project", str(error))
        raise

    from PySide6.QtCore import QTimer

    from annotator.ui.identity import ask_name, choose_annotator
    from annotator.ui.main_window import MainWindow

    app = _application()
    ask = ask_name(None)
    if screenshot is not None:  # never block on a question when rendering

        def ask(_known: list[str], suggestion: str) -> str:
            return suggestion or getpass.getuser() or "annotator"

    chosen = choose_annotator(database, ask)
    if chosen is None:
        chosen = choose_annotator(database, lambda _k, _s: getpass.getuser() or "annotator")
    assert chosen is not None
    window = MainWindow(database, chosen, ask=ask_name(None))
    if first_id is not None:
        window.show_documents(first_id, second_id)
    elif window.browser.current_document() is None:
        window.browser.step(1)
    if screenshot is not None:
        return _screenshot(window, screenshot)
    window.show()
    if db is None and not os.environ.get(ENV_VAR):  # only the default project offers the demo
        QTimer.singleShot(0, lambda: window.offer_demo(lambda: _ask_demo(window)))
    status = app.exec()
    database.close()
    return status


def _application() -> QCoreApplication:
    """The QApplication (made once), named and with the app's icon."""
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication

    from annotator import APP_ID

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    QGuiApplication.setDesktopFileName(APP_ID)
    icon = _icon_path()
    if icon is not None:
        QGuiApplication.setWindowIcon(QIcon(str(icon)))
    return app


def _find_document(database: object, given: str, option: str) -> uuid.UUID:
    """A document by id (or its first characters) or by external id."""
    from sqlalchemy import String, cast, select

    from annotator.store.database import Database
    from annotator.store.models import Document

    assert isinstance(database, Database)
    with database.sessions() as session:
        try:
            found = session.get(Document, uuid.UUID(given))
            if found is not None:
                return found.id
        except ValueError:
            pass
        by_external = session.scalars(
            select(Document.id).where(Document.external_id == given)
        ).first()
        if by_external is not None:
            return by_external
        prefix = list(
            session.scalars(
                select(Document.id)
                .where(cast(Document.id, String).like(given.replace("-", "") + "%"))
                .limit(2)
            )
        )
        if len(prefix) == 1:
            return prefix[0]
    raise AnnotatorError(
        f"{option} {given}: no such document in {database.display_name} (see 'annotator docs')"
    )


def _icon_path() -> Path | None:
    from importlib import resources

    from annotator import APP_ID

    icon = resources.files("annotator.resources").joinpath("icons", f"{APP_ID}.svg")
    return Path(str(icon)) if icon.is_file() else None


def _ask_demo(parent: object) -> bool:
    from PySide6.QtWidgets import QMessageBox, QWidget

    answer = QMessageBox.question(
        parent if isinstance(parent, QWidget) else None,
        "Load the demo project?",
        "This project is empty. Load the demo project (8 short news articles on three "
        "stories, a label schema and an actor registry) to try Annotator?",
    )
    return answer == QMessageBox.StandardButton.Yes


def _screenshot(window: object, path: Path) -> int:
    from PySide6.QtWidgets import QApplication, QWidget

    assert isinstance(window, QWidget)
    if not path.parent.is_dir():
        raise AnnotatorError(f"{path}: folder {path.parent} does not exist")
    window.show()
    for _ in range(3):  # let layouts settle and the highlighter run before grabbing
        QApplication.processEvents()
    if not window.grab().save(str(path), "PNG"):
        raise AnnotatorError(f"{path}: could not write the screenshot")
    print(f"screenshot written to {path}")
    return 0
