"""Journey: a lead brings in what annotators made in doccano and Label Studio, from the menu
and the file chooser, with keys and clicks only, and finds each person's layer stored."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QFileDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.store.database import Database
from annotator.store.models import Annotator, Document, Span
from annotator.ui.dialogs.imports import ImportDialog, ImportSummaryDialog
from tests.ui.journeys.person import CTRL, keys
from tests.ui.journeys.window import start

PEERS = Path(__file__).parents[2] / "io" / "peer_files"


def spans_by_annotator(database: Database) -> dict[str, set[str]]:
    with database.sessions() as session:
        names = {a.id: a.name for a in session.scalars(select(Annotator))}
        texts = dict(session.execute(select(Document.id, Document.text)).all())
        found: dict[str, set[str]] = {}
        for span in session.scalars(select(Span)):
            text = texts[span.document_id][span.start : span.end]
            found.setdefault(names[span.annotator_id], set()).add(f"{text}/{span.label}")
    return found


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    """The file the person picks in the chooser that opens next. The chooser is the
    desktop's own (outside the app, and not drawn offscreen), so its answer stands in."""
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *args, **kw: ([str(path)], ""))
    )


def import_dialog(qtbot: QtBot) -> ImportDialog:
    found: list[ImportDialog] = []

    def shown() -> bool:
        found[:] = [w for w in QApplication.topLevelWidgets() if isinstance(w, ImportDialog)]
        return any(w.isVisible() for w in found)

    qtbot.waitUntil(shown)
    return next(w for w in found if w.isVisible())


def read_and_close_summary(qtbot: QtBot) -> str:
    """The "Import finished" window's notes, read, then closed with Return."""
    found: list[ImportSummaryDialog] = []

    def shown() -> bool:
        found[:] = [
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, ImportSummaryDialog) and w.isVisible()
        ]
        return bool(found)

    qtbot.waitUntil(shown)
    summary = found[0]
    text = summary.notes.toPlainText()
    keys(qtbot, summary.notes, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not summary.isVisible())
    return text


def test_a_lead_imports_doccano_and_label_studio_exports(
    qtbot: QtBot, project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = start(qtbot, project, "lead")
    doccano = tmp_path / "doccano-export.zip"
    shutil.copy(PEERS / "doccano" / "seq-export.zip", doccano)

    # doccano: File > Import files (Ctrl+I), the zip doccano handed out; its spans were made
    # in doccano's web UI, so the person ticks the UTF-16 box, then clicks Import.
    choose_file(monkeypatch, doccano)
    keys(qtbot, window, Qt.Key.Key_I, CTRL)
    dialog = import_dialog(qtbot)
    qtbot.waitUntil(lambda: dialog.articles.count() == 2)
    assert "2 articles from 1 file" in dialog.status.text()
    box = dialog.utf16  # the box itself, at the row's left (the row is wider than its text)
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: dialog.utf16.isChecked())
    qtbot.mouseClick(
        dialog.import_button,
        Qt.MouseButton.LeftButton,
        pos=dialog.import_button.rect().center(),
    )
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert "new annotators added to the project: admin" in read_and_close_summary(qtbot)
    assert "saved" in window.statusBar().currentMessage()
    assert spans_by_annotator(project)["admin"] == {
        "Kyiv/ACTOR",
        "grain deal/PLACE",
        "Moscow/ACTOR",
        "北京/PLACE",
        "Zürich/PLACE",
        "NATO/ACTOR",
    }

    # Label Studio: its JSON export; two people's annotations, a skip and a prediction.
    with qtbot.waitActive(window):  # as the window manager does once a dialog is gone
        window.activateWindow()
    choose_file(monkeypatch, PEERS / "labelstudio" / "tasks.json")
    keys(qtbot, window, Qt.Key.Key_I, CTRL)
    dialog = import_dialog(qtbot)
    qtbot.waitUntil(lambda: dialog.articles.count() >= 2)
    qtbot.mouseClick(
        dialog.import_button,
        Qt.MouseButton.LeftButton,
        pos=dialog.import_button.rect().center(),
    )
    qtbot.waitUntil(lambda: not dialog.isVisible())
    notes = read_and_close_summary(qtbot)
    assert "1 cancelled annotation skipped" in notes and "1 prediction not imported" in notes
    found = spans_by_annotator(project)
    assert found["labelstudio-2"] == {"Kyiv/ACTOR", "grain deal/PLACE", "Moscow/ACTOR"}
    assert len(found["labelstudio-1"]) == 6
    # The documents are the same texts doccano had: one document, three layers.
    with project.sessions() as session:
        texts = session.scalars(select(Document.text)).all()
    assert sum(text.startswith("Kyiv 🇺🇦 said the grain deal") for text in texts) == 1
