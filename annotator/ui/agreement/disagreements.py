"""The disagreements behind a figure of the agreement report, as a list to work through.

Opened from a headline number, a pair, a confusion cell or a document of the report
(`AgreementView.wants_disagreements`). Enter or a double click on a row opens the review
window on that document at that span (`open_at`, given by the main window).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.review.agreement.disagreements import Disagreement, Disagreements

OpenAt = Callable[[uuid.UUID, int | None, int | None], None]
HEADERS = ["Document", "Annotators", "Where", "Disagreement", "Text"]


class DisagreementTable(QTableWidget):
    """Rows of disagreements; Enter opens the current one, as a double click does."""

    def __init__(self, opened: Callable[[int], None]) -> None:
        super().__init__()
        self.opened = opened
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.verticalHeader().setVisible(False)
        self.cellDoubleClicked.connect(lambda row, _column: self.opened(row))

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.currentRow() >= 0:
            self.opened(self.currentRow())
            return
        super().keyPressEvent(event)


class DisagreementsDialog(QDialog):
    """What two annotators did differently, behind one figure."""

    def __init__(
        self, title: str, found: Disagreements, open_at: OpenAt | None, parent: QWidget | None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Disagreements: {title}")
        self.rows: tuple[Disagreement, ...] = found.rows
        self.open_at = open_at
        shown = len(found.rows)
        more = f" (the first {shown} shown)" if found.total > shown else ""
        hint = " Enter or a double click opens one in the review window." if shown else ""
        self.summary = QLabel(f"{found.total} disagreements behind {title}{more}.{hint}")
        self.summary.setWordWrap(True)
        self.table = DisagreementTable(self.open_row)
        self.table.setColumnCount(len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setRowCount(shown)
        for row, item in enumerate(found.rows):
            where = f"{item.start}–{item.end}" if item.start is not None else ""
            cells = [item.document, f"{item.a} / {item.b}", where, item.kind, item.detail]
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.resize(860, 480)
        if shown:
            self.table.selectRow(0)
        self.table.setFocus()

    def open_row(self, row: int) -> None:
        if self.open_at is None or not 0 <= row < len(self.rows):
            return
        item = self.rows[row]
        self.open_at(item.document_id, item.start, item.end)
