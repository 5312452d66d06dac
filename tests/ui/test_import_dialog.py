"""File › Import: the preview strikes out what cleaning drops; importing stores the plan."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot
from sqlalchemy import func, select

from annotator.store.database import Database, open_database
from annotator.store.models import Document
from annotator.ui.identity import choose_annotator
from annotator.ui.import_dialog import ImportDialog
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
    assert "1 articles from 1 files" in dialog.status.text()
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
