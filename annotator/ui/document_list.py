"""The document list: a table model over the project's documents."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from annotator.store.documents import DocumentRow

Index = QModelIndex | QPersistentModelIndex


class DocumentRole(IntEnum):
    """Custom item-data roles of the document list."""

    ID = Qt.ItemDataRole.UserRole + 1
    STORY = Qt.ItemDataRole.UserRole + 2


COLUMNS = ("Title", "Source", "Published", "Story", "Status")


class DocumentListModel(QAbstractTableModel):
    """Rows are `DocumentRow`s; the model never talks to the database itself."""

    def __init__(self, rows: list[DocumentRow] | None = None) -> None:
        super().__init__()
        self._rows: list[DocumentRow] = rows or []

    def set_rows(self, rows: list[DocumentRow]) -> None:
        self.beginResetModel()
        self._rows = rows
        self.endResetModel()

    def row_at(self, row: int) -> DocumentRow:
        return self._rows[row]

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            values = (row.title, row.source, row.published, row.story, row.status.replace("_", " "))
            return values[index.column()] or ""
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.title}\n{row.source or ''} {row.published or ''}\n{row.length} characters"
        if role == DocumentRole.ID:
            return str(row.id)
        if role == DocumentRole.STORY:
            return row.story
        return None

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section]
        return None
