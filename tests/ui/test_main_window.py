"""The main window on a real database: the document list, the demo offer, screenshots."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from pytestqt.qtbot import QtBot

from annotator.cli import main
from annotator.store.database import open_database
from annotator.store.models import Document
from annotator.ui.document_list import DocumentRole
from annotator.ui.main_window import MainWindow


def test_an_empty_project_offers_the_demo_and_loads_it(qtbot: QtBot, tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    window = MainWindow(database)
    qtbot.addWidget(window)
    assert window.documents.rowCount() == 0
    assert "no documents yet" in window.placeholder.text()

    assert window.offer_demo(lambda: False) is False
    assert window.documents.rowCount() == 0

    asked: list[bool] = []
    assert window.offer_demo(lambda: asked.append(True) or True) is True
    assert asked == [True]
    assert window.documents.rowCount() == 8
    stories = {window.documents.index(r, 0).data(DocumentRole.STORY) for r in range(8)}
    assert stories == {"nato-troops", "ceasefire-or-treaty", "territory"}
    # Choosing a document shows its stored text.
    window.document_view.selectRow(2)
    chosen = window.documents.row_at(2)
    assert window.reader.isVisibleTo(window)
    with database.sessions() as session:
        stored = session.get(Document, chosen.id)
        assert stored is not None
        assert window.reader.toPlainText() == stored.text  # demo texts are plain BMP prose
    # A project with documents is never asked again.
    assert window.offer_demo(lambda: asked.append(True) or True) is False
    assert asked == [True]
    database.close()


def test_the_document_model_passes_qt_model_checks(
    qtbot: QtBot, qtmodeltester: object, tmp_path: Path
) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    window = MainWindow(database)
    qtbot.addWidget(window)
    window.load_demo()
    qtmodeltester.check(window.documents)  # type: ignore[attr-defined]
    database.close()


def test_gui_screenshot_writes_a_png_of_the_window(tmp_path: Path) -> None:
    db = str(tmp_path / "p.sqlite")
    assert main(["demo", "--db", db]) == 0
    png = tmp_path / "window.png"
    assert main(["gui", "--db", db, "--screenshot", str(png)]) == 0
    image = QImage(str(png))
    assert not image.isNull()
    assert image.width() >= 800 and image.height() >= 500
