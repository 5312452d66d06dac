"""Starting the GUI: the QApplication, the project database, the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from annotator.core.errors import AnnotatorError


def run_app(*, db: str | None, screenshot: Path | None = None) -> int:
    """Open the app on the project `db`; with `screenshot`, render the window to PNG and exit."""
    import os

    from PySide6.QtCore import QTimer
    from PySide6.QtGui import QGuiApplication
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator import APP_ID
    from annotator.store.database import ENV_VAR, open_database
    from annotator.ui.main_window import MainWindow

    if screenshot is not None and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"  # a screenshot needs no screen
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setApplicationName("Annotator")
    QGuiApplication.setDesktopFileName(APP_ID)
    try:
        database = open_database(db)
    except AnnotatorError as error:
        if screenshot is None:
            QMessageBox.critical(None, "Annotator cannot open the project", str(error))
        raise
    window = MainWindow(database)
    if screenshot is not None:
        return _screenshot(window, screenshot)
    window.show()
    if db is None and not os.environ.get(ENV_VAR):  # only the default project offers the demo
        QTimer.singleShot(0, lambda: window.offer_demo(lambda: _ask_demo(window)))
    status = app.exec()
    database.close()
    return status


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
    QApplication.processEvents()
    if not window.grab().save(str(path), "PNG"):
        raise AnnotatorError(f"{path}: could not write the screenshot")
    print(f"screenshot written to {path}")
    return 0
