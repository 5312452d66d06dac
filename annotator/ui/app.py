"""Starting the GUI: the QApplication, the project database, the annotator, the window."""

from __future__ import annotations

import getpass
import importlib
import os
import sys
import uuid
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from annotator.core.errors import AnnotatorError
from annotator.paths import DATABASE_ENV_VAR, project_file, project_key

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication

    from annotator.settings import Settings
    from annotator.store.deferred import Project
    from annotator.store.first_look import FirstLook
    from annotator.ui.main_window import MainWindow

# The Qt-free modules the first window uses, imported before PySide6. Importing PySide6
# installs shiboken's import hook (its `__feature__` support), which reads the source of every
# module imported after it (inspect.getsource, to see whether it uses PySide): SQLAlchemy and
# the store cost about 60 ms more when they come after Qt. tests/ui/test_startup_imports.py
# checks that the GUI start imports none of them after PySide6; add a module here if it fails.
# A start painted from the first look (store.first_look) needs only the core before its window
# and imports the store after it, once; any other start needs the store first.
CORE_MODULES = (
    "annotator.settings",
    "annotator.core.annotations",
    "annotator.core.colours",
    "annotator.core.commands",
    "annotator.core.offsets",
    "annotator.core.segments",
    "annotator.core.suggestions",
    "annotator.store.deferred",  # Qt-free and SQLAlchemy-free, as is store.first_look
    "annotator.store.project_file",
    "annotator.store.changes",  # the window looks for changes made elsewhere (sqlite3 only)
)
STORE_MODULES = (
    "sqlalchemy.orm",
    "annotator.store.database",
    "annotator.store.models",
    "annotator.store.documents",
    "annotator.store.project",
    "annotator.store.vocabulary",
    "annotator.store.annotations",
    "annotator.store.actors",
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
    elif screenshot is None and not has_display():
        # Before any file is made: Qt would abort (status 134) with a message about a
        # missing xcb library, after the project file had been created.
        raise AnnotatorError("no graphical display: run it in a desktop session, or with xvfb-run")
    window, database, look = open_window(
        db=db, screenshot=screenshot, document=document, compare=compare
    )
    if screenshot is not None:
        status = _screenshot(window, screenshot)
        if look is not None:
            window.database  # noqa: B018 - opened as the app would next; a failure fails here too
            print("project opened")
        database.close()
        return status

    from PySide6.QtCore import QTimer

    app = _application()

    def offer_demo() -> None:
        window.offer_demo(lambda: _ask_demo(window))

    # Only the default project offers the demo, and only while it is empty.
    offer = db is None and not os.environ.get(DATABASE_ENV_VAR)
    if look is not None:
        # The offer waits for the store: asking it before the first paint would open it.
        _open_after_first_paint(window, then=offer_demo if offer and not look.total else None)
    else:
        if offer:
            QTimer.singleShot(0, offer_demo)
        from annotator.ui.collector import settle_after_start

        QTimer.singleShot(0, settle_after_start)  # the store is open: once the window is up
    window.show()
    status = app.exec()
    database.close()
    return status


def open_window(
    *,
    db: str | None,
    screenshot: Path | None = None,
    document: str | None = None,
    compare: str | None = None,
) -> tuple[MainWindow, Project, FirstLook | None]:
    """The first window of a start, not yet shown: the project opened (or its first look
    read), the annotator chosen, and the document open that the person left, or the one
    asked for (`document`, `compare`), or the list's first."""
    for name in CORE_MODULES:
        importlib.import_module(name)
    path = project_file(db)  # None for a server URL
    if screenshot is not None:
        from annotator.store.project_file import project_clash

        clash = project_clash(screenshot, path)
        if clash is not None:  # before anything is opened or drawn
            raise AnnotatorError(f"{screenshot}: {clash}")
    from annotator.settings import Settings

    settings = Settings.load()
    # Where the person was last time in this project (none when a document is asked for).
    place = settings.places.get(project_key(path, db)) if document is None else None
    look = (
        _first_look(path, settings, place.document if place else None)
        if path is not None and document is None and compare is None
        else None
    )
    if look is not None and path is not None:
        # Painted from the first look; the store opens once the window is on screen.
        from annotator.store.deferred import DeferredDatabase

        database: Project = DeferredDatabase(db, path)
        first_id = second_id = None
    else:
        for name in STORE_MODULES:
            importlib.import_module(name)
        from annotator.store.database import open_database

        try:
            # Still before Qt: opening the database imports SQLAlchemy's SQLite dialect.
            database = opened = open_database(db)
            first_id = _find_document(opened, document, "--document") if document else None
            second_id = _find_document(opened, compare, "--compare") if compare else None
        except AnnotatorError as error:
            if screenshot is None:
                from PySide6.QtWidgets import QMessageBox

                _application()
                QMessageBox.critical(None, "Annotator cannot open the project", str(error))
            raise

    from annotator.ui.dialogs.identity import ask_name, choose_annotator
    from annotator.ui.errors import install_exception_hook
    from annotator.ui.main_window import MainWindow

    _application()
    ask = ask_name(None)
    if screenshot is not None:  # never block on a question when rendering

        def ask(_known: list[str], suggestion: str) -> str:
            return suggestion or getpass.getuser() or "annotator"

    stand_in = False
    if look is not None:
        chosen: tuple[uuid.UUID, str] | None = look.annotator
    else:
        chosen = choose_annotator(opened, ask)
        if chosen is None:  # the name was not given: a stand-in for now, asked again next time
            stand_in = True
            chosen = choose_annotator(
                opened, lambda _k, _s: getpass.getuser() or "annotator", remember=False
            )
    assert chosen is not None
    window = MainWindow(database, chosen, ask=ask_name(None), first_look=look)
    install_exception_hook(lambda line: window.statusBar().showMessage(line, 30_000))
    if stand_in:
        window.statusBar().showMessage(
            f"No name given: working as {chosen[1]} for now. File › Switch annotator sets "
            "your name; it is asked again at the next start until you give one.",
            30_000,
        )
    if first_id is not None:
        window.show_documents(first_id, second_id)
    elif (place is None or not window.reopen(place)) and window.browser.current_document() is None:
        window.browser.step(1)
    return window, database, look


def has_display(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether a window can be shown: always on Windows and macOS; on Linux and the other
    Unixes, a Qt platform that needs no display server, or an X11 or Wayland display."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    if platform.startswith(("win", "darwin", "cygwin")):
        return True
    qpa = environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if qpa and qpa not in ("xcb", "wayland", "wayland-egl"):
        return True  # offscreen, vnc, eglfs, linuxfb...: they draw without a display server
    if qpa == "xcb":
        return bool(environ.get("DISPLAY"))
    if qpa.startswith("wayland"):
        return bool(environ.get("WAYLAND_DISPLAY"))
    return bool(environ.get("DISPLAY") or environ.get("WAYLAND_DISPLAY"))


def _first_look(path: Path, settings: Settings, last_document: str | None) -> FirstLook | None:
    """What the first window of the SQLite project `path` shows, if a quick read can tell
    (see store.first_look); a server's first window always goes through the store."""
    from annotator.core.documents import PAGE_SIZE
    from annotator.store.first_look import read_first_look

    return read_first_look(
        path, settings.annotator, page_size=PAGE_SIZE, last_document=last_document
    )


def _open_after_first_paint(window: MainWindow, then: Callable[[], None] | None = None) -> None:
    """Open the project's store right after the window's first paint, then call `then`.

    Whatever the user does first waits for it (a click that needs the store would open it
    itself). The first look made the store's own checks on the file, so what can still fail
    here is what the store finds inside it (a damaged file, a project changed since the first
    look): reported as at any start, and the app ends with status 1.
    """
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox

    from annotator.ui.collector import settle_after_start

    def open_store() -> None:
        try:
            window.database  # noqa: B018 - the property opens it
        except AnnotatorError as error:
            print(f"annotator: {error}", file=sys.stderr)
            QMessageBox.critical(window, "Annotator cannot open the project", str(error))
            QApplication.exit(1)
            return
        if then is not None:
            then()
        QTimer.singleShot(0, settle_after_start)  # once the start's work is done

    class FirstPaint(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
            if event.type() == QEvent.Type.Paint:
                window.removeEventFilter(self)
                # Queued behind the rest of this paint: runs once the window is on screen.
                QTimer.singleShot(0, open_store)
            return False

    watcher = FirstPaint(window)
    window.installEventFilter(watcher)


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
    from annotator.store.database import Database
    from annotator.store.documents import find_document

    assert isinstance(database, Database)
    with database.sessions() as session:
        found = find_document(session, given)
    if found is not None:
        return found
    raise AnnotatorError(
        f"{option} {given}: no such document in {database.display_name} (see 'annotator docs')"
    )


def _icon_path() -> Path | None:
    from annotator import APP_ID
    from annotator.core.resources import resource

    icon = resource("icons", f"{APP_ID}.svg")
    return icon if icon.is_file() else None


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
    window.resize(1440, 880)  # an image, not a screen: the full size whatever the display
    window.show()
    for _ in range(3):  # let layouts settle and the highlighter run before grabbing
        QApplication.processEvents()
    if not window.grab().save(str(path), "PNG"):
        raise AnnotatorError(f"{path}: could not write the screenshot")
    print(f"screenshot written to {path}")
    return 0
