"""The first window painted from the first look (store.first_look) before the store is open.

It must show what a window filled through the store shows, ask the store nothing until it is
used, store an edit made before the store was opened, open the store right after its first
paint, and end with a message and status 1 if the project cannot be opened after all.
"""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.cli import main
from annotator.core.annotations import SpanValue
from annotator.core.documents import PAGE_SIZE
from annotator.io.demo import load_demo
from annotator.settings import Settings
from annotator.store import database as store_database
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, DatabaseError, open_database
from annotator.store.deferred import DeferredDatabase
from annotator.store.first_look import FirstLook, read_first_look
from annotator.store.models import DocumentStatus, Span
from annotator.store.project import annotator_named
from annotator.ui.app import _open_after_first_paint
from annotator.ui.main_window import MainWindow
from tests.ui.test_workspace import select_text


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """The demo project; "ana" has marked a span in the first document and finished another."""
    path = tmp_path / "demo.sqlite"
    database = open_database(str(path))
    load_demo(database)
    with database.sessions.begin() as session:
        ana = annotator_named(session, "ana").id
        annotator_named(session, "ben")
    look = read_first_look(path, "ana", page_size=PAGE_SIZE)
    assert look is not None and look.document is not None
    first = look.document.row
    text = look.document.row.text or ""
    start = text.index(" ") + 1
    store = LayerStore(database.sessions, first.id, ana)
    store.put_span(SpanValue(uuid.uuid4(), start, text.index(" ", start), "CLAIM"))
    LayerStore(database.sessions, look.rows[2].id, ana).set_status("done")
    database.close()
    return path


def first_look(path: Path) -> FirstLook:
    look = read_first_look(path, "ana", page_size=PAGE_SIZE)
    assert look is not None
    return look


def deferred_window(qtbot: QtBot, path: Path) -> tuple[MainWindow, DeferredDatabase]:
    look = first_look(path)
    deferred = DeferredDatabase(str(path), path)
    window = MainWindow(deferred, look.annotator, first_look=look)
    qtbot.addWidget(window)
    window.browser.step(1)
    return window, deferred


def what_it_shows(window: MainWindow) -> dict[str, object]:
    browser, workspace = window.browser, window.workspace
    annotations = workspace.annotations
    return {
        "title": window.windowTitle(),
        "rows": [browser.model.row_at(row) for row in range(browser.model.rowCount())],
        "total": browser.model.total,
        "progress": browser.progress.text(),
        "whose": [browser.whose.itemText(i) for i in range(browser.whose.count())],
        "header": workspace.left.header.text(),
        "details": workspace.left.details.text(),
        "text": workspace.left.pane.toPlainText(),
        "spans": sorted(workspace.left.layer.spans.values(), key=lambda s: s.start),
        "list": [
            annotations.topLevelItem(i).text(0) for i in range(annotations.topLevelItemCount())
        ],
        # The partner menu reads its list when first asked (store opened if need be).
        "same story": workspace.partner_ids(),
        "partners": [workspace.partner.itemText(i) for i in range(workspace.partner.count())],
        "labels": [button.text() for button in workspace.palette_bar.buttons.values()],
        "status line": window.progress_label.text(),
    }


def test_the_first_window_shows_what_the_store_would_and_asks_it_nothing(
    qtbot: QtBot, project: Path
) -> None:
    window, deferred = deferred_window(qtbot, project)
    assert window.workspace.partner.count() == 1  # "One document" until it is opened
    assert not deferred.is_open  # painted from the first look alone
    shown = what_it_shows(window)

    database = open_database(str(project))
    with database.sessions.begin() as session:
        ana = annotator_named(session, "ana")
        chosen = (ana.id, ana.name)
    through_store = MainWindow(database, chosen)
    qtbot.addWidget(through_store)
    through_store.browser.step(1)
    assert shown == what_it_shows(through_store)
    assert "Spans (1)" in shown["list"]  # type: ignore[operator]
    assert "1 of 8 done" in str(shown["progress"])
    database.close()


def test_an_edit_before_the_store_is_open_is_stored(qtbot: QtBot, project: Path) -> None:
    window, deferred = deferred_window(qtbot, project)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    word = window.workspace.left.pane.toPlainText().split()[-1].strip(".")
    select_text(window, word)
    qtbot.keyClick(window.workspace.left.pane, Qt.Key.Key_1)  # ACTOR
    assert deferred.is_open  # the edit opened the store and went through it

    database = open_database(str(project))
    with database.sessions() as session:
        labels = sorted(session.scalars(select(Span.label).where(Span.deleted_at.is_(None))))
        statuses = sorted(session.scalars(select(DocumentStatus.status)))
    assert labels == ["ACTOR", "CLAIM"]
    assert statuses == ["done", "in_progress"]  # the first edit starts the document
    assert window.workspace.left.status() == "in_progress"
    database.close()
    deferred.close()


def test_the_store_opens_right_after_the_first_paint(qtbot: QtBot, project: Path) -> None:
    window, deferred = deferred_window(qtbot, project)
    _open_after_first_paint(window)
    QApplication.processEvents()
    assert not deferred.is_open  # nothing painted yet
    window.show()
    qtbot.waitUntil(lambda: deferred.is_open)
    deferred.close()


def test_a_project_that_cannot_be_opened_after_all_says_so_and_exits_1(
    qtbot: QtBot, project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_db: str | None = None, **_keys: object) -> Database:
        raise DatabaseError(f"{project}: database disk image is malformed")

    messages: list[str] = []
    statuses: list[int] = []
    monkeypatch.setattr(store_database, "open_database", broken)
    monkeypatch.setattr(QMessageBox, "critical", lambda _p, _t, text: messages.append(text))
    monkeypatch.setattr(QApplication, "exit", lambda status=0: statuses.append(status))
    window, _ = deferred_window(qtbot, project)
    _open_after_first_paint(window)
    window.show()
    qtbot.waitUntil(lambda: bool(statuses))
    assert statuses == [1]
    assert messages == [f"{project}: database disk image is malformed"]


def test_gui_screenshot_paints_from_the_first_look_then_opens_the_project(
    project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Settings(annotator="ana").save()
    png = tmp_path / "window.png"
    assert main(["gui", "--db", str(project), "--screenshot", str(png)]) == 0
    printed = capsys.readouterr().out
    assert printed.index("screenshot written") < printed.index("project opened")
    assert png.stat().st_size > 10_000


def test_windows_opened_from_the_menus_get_the_open_project(qtbot: QtBot, project: Path) -> None:
    """Dialogs and the review window are handed the project itself, opened for them."""
    window, deferred = deferred_window(qtbot, project)
    assert isinstance(window.database, Database) and deferred.is_open
    for opened in (
        window.open_agreement(),
        window.open_review(),
        window.open_export(),
        window.open_registry(),
    ):
        qtbot.addWidget(opened)
        opened.close()
    deferred.close()


def test_what_waits_for_the_store_runs_once_it_is_open(qtbot: QtBot, project: Path) -> None:
    window, deferred = deferred_window(qtbot, project)
    seen: list[bool] = []
    _open_after_first_paint(window, then=lambda: seen.append(deferred.is_open))
    window.show()
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [True]
    deferred.close()


def test_the_status_shown_follows_other_writers_once_the_store_is_open(
    qtbot: QtBot, project: Path
) -> None:
    window, deferred = deferred_window(qtbot, project)
    editor = window.workspace.left
    assert editor.status() == "in_progress" and not deferred.is_open  # her span started it
    opened = window.database  # as after the first paint
    assert editor.document_id is not None
    ana = window.annotator_id
    LayerStore(opened.sessions, editor.document_id, ana).set_status("done")  # e.g. a bundle
    assert editor.status() == "done"
    deferred.close()
