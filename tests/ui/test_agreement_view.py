"""Review › Agreement: the view shows the report's numbers, filters refresh, export writes."""

from __future__ import annotations

from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QTableWidget, QTableWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from annotator.io.demo import load_demo
from annotator.review.agreement.report import agreement_report
from annotator.store.database import Database, open_database
from annotator.ui.agreement.view import AgreementDialog, AgreementView
from annotator.ui.dialogs.progress import ProgressWindow
from tests.review.test_report import build_three


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    build_three(database)
    yield database
    database.close()


class Chooser:
    """Stands in for the save dialog: returns a set path and counts the questions."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.asked = 0

    def __call__(self, parent: QWidget) -> Path | None:
        self.asked += 1
        return self.path


def cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None, (row, column)
    return item


def text(table: QTableWidget, row: int, column: int) -> str:
    return cell(table, row, column).text()


def test_view_shows_the_report(qtbot: QtBot, project: Database) -> None:
    view = AgreementView()
    qtbot.addWidget(view)
    assert not view.export_button.isEnabled()
    report = agreement_report(project)
    view.set_report(report)
    # The hand-computed values of tests/review/test_report.py.
    assert view.values["overlap_f1"].text() == f"{(2 / 3 + 2 / 3 + 4 / 7) / 3:.3f}"
    assert view.values["stance_alpha"].text() == "0.333"
    assert view.values["fleiss_kappa"].text() == "0.500"  # mean of 1/4, 1/4, 1
    assert [name for name, _ in view.chart.bars] == ["all labels", "ACTOR", "ISSUE", "CLAIM"]
    assert view.pairs.rowCount() == 3
    assert text(view.pairs, 0, 0) == "ana / ben"
    assert text(view.pairs, 0, 3) == f"{4 / 9:.3f}"
    assert text(view.pairs, 1, 5) == "0.333"  # ana / cleo label kappa: mean of 0, 0, 1
    table = view.confusion
    assert (table.rowCount(), table.columnCount()) == (4, 4)
    header = table.horizontalHeaderItem(3)
    assert header is not None and header.text() == "none"
    assert [text(table, 0, j) for j in range(4)] == ["4", "1", "0", "3"]  # symmetric
    # Heat: counted cells are tinted, empty ones are not.
    no_brush = Qt.BrushStyle.NoBrush
    assert cell(table, 0, 0).background().style() != no_brush
    assert cell(table, 0, 2).background().style() == no_brush
    assert "merged" not in view.notes.text()


def test_export_button_writes_the_html(qtbot: QtBot, project: Database, tmp_path: Path) -> None:
    chooser = Chooser(tmp_path / "agreement.html")
    view = AgreementView(chooser=chooser)
    qtbot.addWidget(view)
    view.set_report(agreement_report(project))
    view.export_button.click()
    assert chooser.asked == 1
    page = (tmp_path / "agreement.html").read_text("utf-8")
    parser = HTMLParser()
    parser.feed(page)  # parses
    assert "<svg" in page and "ana" in page
    assert view.status.text() == f"Wrote {tmp_path / 'agreement.html'}"

    chooser.path = None  # the user cancelled the dialog
    assert view.export_html() is None
    chooser.path = tmp_path / "missing" / "a.html"
    assert view.export_html() is None
    assert "does not exist" in view.status.text()


def test_dialog_filters_and_refresh(qtbot: QtBot, project: Database) -> None:
    dialog = AgreementDialog(project)
    qtbot.addWidget(dialog)
    labels = [dialog.label.itemData(i) for i in range(dialog.label.count())]
    assert labels[0] is None and {"ACTOR", "ISSUE", "CLAIM", "ATTRIBUTION"} <= set(labels)
    assert dialog.view.report is not None and dialog.view.pairs.rowCount() == 3
    dialog.label.setCurrentIndex(dialog.label.findData("CLAIM"))
    dialog.refresh_button.click()
    assert dialog.view.report is not None and dialog.view.report.labels == ("CLAIM",)
    assert dialog.view.confusion.rowCount() == 2
    dialog.story.setCurrentIndex(dialog.story.findData("territory"))
    dialog.refresh_button.click()
    assert dialog.view.report is not None and dialog.view.report.documents_paired == 0
    assert dialog.view.values["overlap_f1"].text() == "n/a"
    assert "none of the 3 documents" in dialog.view.notes.text()


class CancelAtOnce(ProgressWindow):
    """A progress window whose Cancel was pressed before the first page."""

    def cancelled(self) -> bool:
        return True


def test_cancel_shows_why_and_keeps_the_dialog_usable(qtbot: QtBot, project: Database) -> None:
    dialog = AgreementDialog(project)
    qtbot.addWidget(dialog)
    dialog.progress_window = CancelAtOnce
    assert dialog.refresh() is None
    assert dialog.view.report is None and not dialog.view.export_button.isEnabled()
    assert dialog.view.status.text() == "agreement report cancelled"
    dialog.progress_window = ProgressWindow
    assert dialog.refresh() is not None and dialog.view.status.text() == ""


def dark_palette() -> QPalette:
    palette = QPalette()
    for role, colour in (
        (QPalette.ColorRole.Window, "#1f2226"),
        (QPalette.ColorRole.WindowText, "#e6e9ec"),
        (QPalette.ColorRole.Base, "#16191d"),
        (QPalette.ColorRole.AlternateBase, "#22272d"),
        (QPalette.ColorRole.Text, "#e6e9ec"),
        (QPalette.ColorRole.Button, "#2b3036"),
        (QPalette.ColorRole.ButtonText, "#e6e9ec"),
        (QPalette.ColorRole.PlaceholderText, "#8d96a0"),
    ):
        palette.setColor(role, QColor(colour))
    return palette


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_screenshot(qtbot: QtBot, project: Database, theme: str) -> None:
    dialog = AgreementDialog(project)
    qtbot.addWidget(dialog)
    if theme == "dark":
        dialog.setPalette(dark_palette())  # the view re-mixes its heat colours
    dialog.resize(960, 760)
    dialog.show()
    qtbot.waitExposed(dialog)
    QApplication.processEvents()
    name = "/tmp/agreement.png" if theme == "light" else "/tmp/agreement-dark.png"
    assert dialog.grab().save(name)
    assert Path(name).stat().st_size > 10_000
