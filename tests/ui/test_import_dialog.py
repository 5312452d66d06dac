"""File › Import: the preview strikes out what cleaning drops; importing stores the plan."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QTextCursor
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from annotator.core.schema import default_schema
from annotator.store.actors import create_actor
from annotator.store.database import Database, open_database
from annotator.store.models import Document
from annotator.store.project import install_schema
from annotator.ui.dialogs.identity import choose_annotator
from annotator.ui.dialogs.imports import ImportDialog, ImportSummaryDialog
from annotator.ui.main_window import MainWindow

FIXTURE = Path(__file__).parents[1] / "io" / "fixtures" / "harbour-2025-09-02-grain.txt"


def stored(database: Database) -> int:
    with database.sessions() as session:
        return session.scalar(select(func.count()).select_from(Document)) or 0


def struck_lines(dialog: ImportDialog) -> list[str]:
    """Lines of the preview whose first character is struck through."""
    document = dialog.preview.document()
    found = []
    for number in range(document.blockCount()):
        block = document.findBlockByNumber(number)
        if not block.text().strip():
            continue
        cursor = QTextCursor(block)
        cursor.movePosition(QTextCursor.MoveOperation.NextCharacter)
        if cursor.charFormat().fontStrikeOut():
            found.append(block.text())
    return found


def test_preview_strikes_out_chrome_and_import_stores_it(qtbot: QtBot, tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    dialog = ImportDialog(database, [FIXTURE])
    qtbot.addWidget(dialog)
    assert dialog.articles.count() == 1
    assert "1 article from 1 file" in dialog.status.text()
    struck = struck_lines(dialog)
    assert "TRENDING" in struck and "Facebook Twitter LinkedIn WhatsApp" in struck
    assert not any(line.startswith("ISTANBUL") for line in struck)
    assert "What each side wants" not in struck

    dialog.cleaning.setCurrentIndex(2)  # keep the text as it is
    assert struck_lines(dialog) == []
    dialog.cleaning.setCurrentIndex(0)
    dialog.story.setText("grain")
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.summary is not None and dialog.summary.added == 1
    with database.sessions() as session:
        document = session.scalars(select(Document)).one()
        assert document.story == "grain" and "TRENDING" not in document.text
    database.close()


def test_problems_block_the_import_until_skip_bad(qtbot: QtBot, tmp_path: Path) -> None:
    good = tmp_path / "good.jsonl"
    good.write_text(json.dumps({"text": "A good article about the talks."}) + "\n{broken\n")
    database = open_database(str(tmp_path / "p.sqlite"))
    dialog = ImportDialog(database, [good])
    qtbot.addWidget(dialog)
    assert dialog.articles.item(0).text().startswith(f"⚠ {good}:2: not valid JSON")
    assert not dialog.import_button.isEnabled()
    dialog.skip_bad.setChecked(True)
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    assert stored(database) == 1
    database.close()


def test_main_window_refreshes_after_an_import(qtbot: QtBot, tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    chosen = choose_annotator(database, lambda known, suggestion: "ana")
    assert chosen is not None
    window = MainWindow(database, chosen)
    qtbot.addWidget(window)
    dialog = window.import_paths([FIXTURE])
    dialog.import_button.click()
    window.browser.step(1)
    assert window.workspace.left.header.text().startswith("Black Sea Grain Talks")
    database.close()


# -- the summary after an import ---------------------------------------------------------------


def main_window(qtbot: QtBot, database: Database) -> MainWindow:
    chosen = choose_annotator(database, lambda known, suggestion: "ana")
    assert chosen is not None
    window = MainWindow(database, chosen)
    qtbot.addWidget(window)
    return window


def annotated_file(folder: Path) -> Path:
    """Two articles: one repeats a span, one gives a registry person another type (line 2)."""
    text = "Peskov said the Kremlin rejects the plan."
    peskov = {"start": 0, "end": 6, "label": "ACTOR", "actor": "Dmitry Peskov"}
    records = [
        {"text": text, "annotator": "ana", "spans": [peskov, peskov]},
        {
            "text": "Peskov spoke again on Tuesday.",
            "annotator": "ana",
            "spans": [{**peskov, "actor_type": "organisation"}],
        },
    ]
    path = folder / "ana-week-12.jsonl"
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def registry_with_peskov(database: Database) -> None:
    schema = default_schema()
    with database.sessions.begin() as session:
        install_schema(session, schema)
        create_actor(session, name="Dmitry Peskov", type="person", actor_types=schema.actor_types)


def test_an_import_with_notes_shows_them_all_and_the_headline_in_the_status_bar(
    qtbot: QtBot, tmp_path: Path
) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    registry_with_peskov(database)
    window = main_window(qtbot, database)
    path = annotated_file(tmp_path)
    dialog = window.import_paths([path])
    dialog.import_button.click()

    headline = "imported 2 new documents from 1 file · added 2 spans, 0 stances, 0 document labels"
    assert window.statusBar().currentMessage() == f"{headline} · saved"
    shown = dialog.summary_window
    assert shown is not None and shown.isVisible() and shown.parent() is window
    assert window.findChildren(ImportSummaryDialog) == [shown]
    assert shown.headline.text() == f"<b>I{headline[1:]}.</b>"
    notes = shown.notes.toPlainText()
    assert "1 duplicate span skipped" in notes
    assert (
        f"actor type not changed: 'Dmitry Peskov' is person in the project but organisation "
        f"in {path}:2; kept person"
    ) in notes
    assert headline.split(" · ")[0] not in notes  # the counts are the headline, not a note

    shown.copy_button.click()
    copied = QGuiApplication.clipboard().text()
    assert copied.splitlines()[:2] == headline.split(" · ")
    assert "1 duplicate span skipped" in copied and f"{path}:2" in copied

    shown.notes.setFocus()  # Enter closes even from the notes (they are read-only)
    qtbot.keyClick(shown.notes, Qt.Key.Key_Return)
    assert not shown.isVisible()
    with qtbot.waitSignal(shown.destroyed):  # closed windows do not pile up
        pass
    assert window.findChildren(ImportSummaryDialog) == []
    database.close()


def test_escape_closes_the_summary(qtbot: QtBot, tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    registry_with_peskov(database)
    window = main_window(qtbot, database)
    dialog = window.import_paths([annotated_file(tmp_path)])
    dialog.import_button.click()
    shown = dialog.summary_window
    assert shown is not None and shown.isVisible()
    qtbot.keyClick(shown, Qt.Key.Key_Escape)
    assert not shown.isVisible()
    database.close()


def test_a_plain_import_has_only_its_headline(qtbot: QtBot, tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    window = main_window(qtbot, database)
    dialog = window.import_paths([FIXTURE])
    dialog.import_button.click()
    assert dialog.summary is not None and dialog.summary.notes() == []
    assert window.findChildren(ImportSummaryDialog) == []
    assert window.findChildren(ImportSummaryDialog) == []
    message = window.statusBar().currentMessage()
    assert message.startswith("imported 1 new document from 1 file (") and message.endswith(
        "lines of page chrome removed) · saved"
    )
    # The finished dialog (its plan holds every article's text) is freed, not kept.
    qtbot.waitUntil(lambda: window.findChildren(ImportDialog) == [])
    database.close()
