"""Starting the GUI: the QApplication, the project database, the annotator, the window."""

from __future__ import annotations

import getpass
import os
import sys
import uuid
from pathlib import Path

from annotator.core.errors import AnnotatorError


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
    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication, QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator import APP_ID
    from annotator.store.database import ENV_VAR, open_database
    from annotator.ui.identity import ask_name, choose_annotator
    from annotator.ui.main_window import MainWindow

    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    QGuiApplication.setDesktopFileName(APP_ID)
    icon = _icon_path()
    if icon is not None:
        QGuiApplication.setWindowIcon(QIcon(str(icon)))
    try:
        database = open_database(db)
        first_id = _find_document(database, document, "--document") if document else None
        second_id = _find_document(database, compare, "--compare") if compare else None
    except AnnotatorError as error:
        if screenshot is None:
            QMessageBox.critical(None, "Annotator cannot open the project", str(error))
        raise
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
