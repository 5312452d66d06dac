"""Changes made elsewhere reach the open window: a second window, `annotator import`."""

from __future__ import annotations

import json
import sqlite3
import uuid
from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.core.annotations import SpanValue
from annotator.io.bundles.export import export_bundle
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.models import Document, Span
from annotator.store.project import annotator_named
from tests.elsewhere import annotator_elsewhere
from tests.ui.test_workspace import document_id, project, select_text, window_for

__all__ = ["project"]  # the fixture, shared


def test_a_span_made_in_a_second_window_shows_in_the_first(qtbot: QtBot, project: Database) -> None:
    first = window_for(qtbot, project, "ana")
    first.show_documents(document_id(project, "troops-meridian"))
    first_pane = first.workspace.left.pane
    place = first_pane.verticalScrollBar().value()
    second = window_for(qtbot, project, "ana")  # the same annotator, in another window
    second.show_documents(document_id(project, "troops-meridian"))
    select_text(second, "Peskov")
    qtbot.keyClick(second.workspace.left.pane, Qt.Key.Key_1)
    made = second.workspace.left.current
    assert made is not None
    qtbot.waitUntil(lambda: made.id in first.workspace.left.layer.spans, timeout=6000)
    assert first_pane.verticalScrollBar().value() == place
    assert "Changed elsewhere" in first.statusBar().currentMessage()
    # The second window made it: to itself that is no news, its history is kept.
    assert second.workspace.left.stack is not None
    assert second.workspace.left.stack.undo_text() == "add ACTOR 'Peskov'"
    # An edit in the first window now builds on what is stored: one span, not two.
    first.workspace.left.select_span(made.id)
    qtbot.keyClick(first_pane, Qt.Key.Key_3)
    with project.sessions() as session:
        rows = session.execute(select(Span.id, Span.label).where(Span.deleted_at.is_(None)))
        assert rows.all() == [(made.id, "CLAIM")]


def test_an_import_from_the_command_line_shows_in_the_open_list(
    qtbot: QtBot, project: Database, tmp_path: Path
) -> None:
    window = window_for(qtbot, project, "ana")
    before = window.browser.model.rowCount()
    source = tmp_path / "late.jsonl"
    article = {"id": "late", "title": "A late wire", "text": "The Kremlin said nothing."}
    source.write_text(json.dumps(article) + "\n", encoding="utf-8")
    assert project.path is not None
    annotator_elsewhere("import", str(source), "--db", str(project.path))
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == before + 1, timeout=6000)


def test_a_change_elsewhere_just_before_an_edit_here_still_shows(
    qtbot: QtBot, project: Database, tmp_path: Path
) -> None:
    """The window's own edit after another program's commit must not hide that commit."""
    window = window_for(qtbot, project, "ana")
    window.show_documents(document_id(project, "troops-meridian"))
    before = window.browser.model.rowCount()
    window.watch_timer.stop()  # the other program commits between two looks
    source = tmp_path / "late.jsonl"
    source.write_text(json.dumps({"id": "late", "text": "The Kremlin said nothing."}) + "\n")
    assert project.path is not None
    annotator_elsewhere("import", str(source), "--db", str(project.path))
    select_text(window, "Peskov")
    qtbot.keyClick(window.workspace.left.pane, Qt.Key.Key_1)  # an edit here, then the look
    window.watch_timer.start()
    qtbot.waitUntil(lambda: window.browser.model.rowCount() == before + 1, timeout=6000)


def test_an_edit_of_a_span_deleted_meanwhile_elsewhere_says_so_and_stores_nothing(
    qtbot: QtBot, project: Database
) -> None:
    """Another program deletes a span before the window has looked; the person relabels it
    there: one line in the status bar, the pane shows what is stored, nothing comes back."""
    window = window_for(qtbot, project, "ana")
    window.show_documents(document_id(project, "troops-meridian"))
    editor = window.workspace.left
    select_text(window, "Peskov")
    qtbot.keyClick(editor.pane, Qt.Key.Key_1)
    made = editor.current
    assert made is not None and editor.document_id is not None
    window.watch_timer.stop()  # the other program commits between two looks
    other = open_database(project.url)
    try:
        assert editor.annotator_id is not None
        layer = LayerStore(other.sessions, editor.document_id, editor.annotator_id).load()
        layer.remove_span(made.id)
    finally:
        other.close()
    qtbot.keyClick(editor.pane, Qt.Key.Key_3)  # relabel the span the window still shows
    assert "deleted meanwhile" in window.statusBar().currentMessage()
    assert made.id not in editor.layer.spans and editor.current is None
    assert editor.stack is not None and editor.stack.undo_text() is None
    with project.sessions() as session:
        assert session.scalars(select(Span.id).where(Span.deleted_at.is_(None))).all() == []


def test_deleting_a_span_changed_meanwhile_elsewhere_keeps_the_other_change(
    qtbot: QtBot, project: Database
) -> None:
    window = window_for(qtbot, project, "ana")
    window.show_documents(document_id(project, "troops-meridian"))
    editor = window.workspace.left
    select_text(window, "Peskov")
    qtbot.keyClick(editor.pane, Qt.Key.Key_1)
    made = editor.current
    assert made is not None and editor.document_id is not None
    window.watch_timer.stop()
    other = open_database(project.url)
    try:
        assert editor.annotator_id is not None
        layer = LayerStore(other.sessions, editor.document_id, editor.annotator_id).load()
        layer.put_span(replace(made, note="checked by the lead"))
    finally:
        other.close()
    qtbot.keyClick(editor.pane, Qt.Key.Key_Delete)
    assert "changed meanwhile" in window.statusBar().currentMessage()
    assert editor.layer.spans[made.id].note == "checked by the lead"
    with project.sessions() as session:
        rows = session.execute(select(Span.id, Span.note).where(Span.deleted_at.is_(None)))
        assert rows.all() == [(made.id, "checked by the lead")]


def test_on_a_server_an_import_from_the_command_line_shows_in_the_open_list(
    qtbot: QtBot, db_url: str, tmp_path: Path
) -> None:
    """The same on either backend: SQLite by data_version, PostgreSQL by LISTEN/NOTIFY."""
    database = open_database(db_url)
    try:
        window = window_for(qtbot, database, "ana")
        before = window.browser.model.rowCount()
        source = tmp_path / "late.txt"
        source.write_text("The Kremlin said nothing.\n", encoding="utf-8")
        annotator_elsewhere("import", str(source), "--db", db_url)
        qtbot.waitUntil(lambda: window.browser.model.rowCount() == before + 1, timeout=6000)
        window.close()
    finally:
        database.close()


def test_a_bundle_merged_by_another_program_shows_in_the_open_pane(
    qtbot: QtBot, project: Database, tmp_path: Path
) -> None:
    """ana's laptop marked "Peskov"; the lead merges her bundle from the command line while
    the lead's window shows that document as ana: the pane shows the span, undo starts anew."""
    with project.sessions.begin() as session:
        ana = annotator_named(session, "ana").id
    assert project.path is not None
    copy = tmp_path / "laptop.sqlite"  # ana's laptop started from the lead's project
    with sqlite3.connect(project.path) as source, sqlite3.connect(copy) as target:
        source.backup(target)  # a copy of the file alone could miss what is in its WAL
    laptop = open_database(str(copy))
    try:
        shown = document_id(laptop, "troops-meridian")
        with laptop.sessions() as session:
            text = session.scalars(select(Document.text).where(Document.id == shown)).one()
        layer = LayerStore(laptop.sessions, shown, ana).load()
        start = text.index("Peskov")
        layer.put_span(SpanValue(uuid.uuid4(), start, start + len("Peskov"), "ACTOR"))
        bundle = tmp_path / "ana.zip"
        export_bundle(laptop, annotator="ana", out=bundle)
    finally:
        laptop.close()
    window = window_for(qtbot, project, "ana")
    window.show_documents(document_id(project, "troops-meridian"))
    editor = window.workspace.left
    assert editor.layer.spans == {}
    assert project.path is not None
    annotator_elsewhere("bundle", "import", str(bundle), "--db", str(project.path))
    qtbot.waitUntil(lambda: len(editor.layer.spans) == 1, timeout=6000)
    (span,) = editor.layer.spans.values()
    assert editor.pane.text[span.start : span.end] == "Peskov"
    assert "Changed elsewhere" in window.statusBar().currentMessage()
