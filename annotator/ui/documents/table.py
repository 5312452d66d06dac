"""The document list: a lazy table model over the filtered documents, and the table showing it.

It knows how many documents match (one count query) and loads rows in pages as the view
scrolls (canFetchMore/fetchMore), so 100,000 documents cost one page of memory and queries
until someone scrolls through them.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import replace
from enum import IntEnum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from annotator.core.documents import PAGE_SIZE, DocumentFilter, DocumentRow
from annotator.core.errors import AnnotatorError

# The store (and SQLAlchemy) load after the first window is painted: see store.first_look.
if TYPE_CHECKING:
    from sqlalchemy.orm import Session

Index = QModelIndex | QPersistentModelIndex
SessionFactory = Callable[[], "Session"]


class DocumentRole(IntEnum):
    """Custom item-data roles of the document list."""

    ID = Qt.ItemDataRole.UserRole + 1  # the document id as a string
    STORY = Qt.ItemDataRole.UserRole + 2
    STATUS = Qt.ItemDataRole.UserRole + 3  # the stored key: "todo", "in_progress", ...
    ROW = Qt.ItemDataRole.UserRole + 4  # the whole DocumentRow


class Column(IntEnum):
    TITLE = 0
    SOURCE = 1
    PUBLISHED = 2
    STORY = 3
    STATUS = 4


COLUMNS = ("Title", "Source", "Published", "Story", "Status")
STATUS_WORDS = {"todo": "to do", "in_progress": "in progress", "done": "done", "skipped": "skipped"}


class DocumentListModel(QAbstractTableModel):
    """The documents a `DocumentFilter` lets through, in list order, loaded page by page."""

    def __init__(
        self,
        sessions: SessionFactory,
        where: DocumentFilter | None = None,
        *,
        page_size: int = PAGE_SIZE,
        first_page: tuple[list[DocumentRow], int] | None = None,
    ) -> None:
        """`first_page`: the rows and total `where` gives, already read (store.first_look)."""
        super().__init__()
        self._sessions = sessions
        self._filter = where or DocumentFilter()
        self._page_size = page_size
        self._rows: list[DocumentRow] = []
        self._row_of: dict[uuid.UUID, int] = {}
        self._total = 0
        if first_page is None:
            self._load()
        else:
            self._show(*first_page)

    @property
    def filter(self) -> DocumentFilter:
        """The filter the rows were loaded with."""
        return self._filter

    @property
    def total(self) -> int:
        """How many documents match, loaded or not."""
        return self._total

    def set_filter(self, where: DocumentFilter) -> str | None:
        """Show the documents `where` lets through, from the first page.

        Returns None, or why the documents could not be read (one line). The model then keeps
        its previous filter and rows: it is never left half reset, nor with a filter that fails.
        """
        kept = (self._filter, self._rows, self._row_of, self._total)
        self.beginResetModel()
        try:
            self._filter = where
            self._load()
        except Exception as error:
            from sqlalchemy.exc import DBAPIError, SQLAlchemyError

            self._filter, self._rows, self._row_of, self._total = kept
            if not isinstance(error, SQLAlchemyError | AnnotatorError):
                raise
            logging.getLogger(__name__).warning("Listing %s failed", where, exc_info=True)
            lines = str(error.orig if isinstance(error, DBAPIError) else error).strip().splitlines()
            return (
                f"Could not list the documents: {lines[0][:200] if lines else type(error).__name__}"
            )
        finally:
            self.endResetModel()
        return None

    def refresh(self) -> None:
        """Query again (documents or statuses changed), from the first page."""
        self.set_filter(self._filter)

    def _load(self) -> None:
        from annotator.store.documents import first_page

        with self._sessions() as session:
            self._show(*first_page(session, self._filter, self._page_size))

    def _show(self, rows: list[DocumentRow], total: int) -> None:
        self._rows, self._total = rows, total
        self._row_of = {row.id: number for number, row in enumerate(rows)}

    def row_at(self, row: int) -> DocumentRow:
        """The loaded document in `row` (0 <= row < rowCount())."""
        return self._rows[row]

    def row_of(self, document_id: uuid.UUID) -> int | None:
        """The row of a loaded document; None if it is not (yet) loaded."""
        return self._row_of.get(document_id)

    def load_document(self, document_id: uuid.UUID) -> int | None:
        """The document's row, loading pages up to it; None if the filter hides it."""
        row = self._row_of.get(document_id)
        if row is not None:
            return row
        from annotator.store.documents import document_position

        with self._sessions() as session:
            position = document_position(session, self._filter, document_id)
        if position is None:
            return None
        # Round up to whole pages so later scrolling continues from a page boundary.
        wanted = (position // self._page_size + 1) * self._page_size
        self._fetch(min(wanted, self._total) - len(self._rows))
        return self._row_of.get(document_id)

    def show_status(self, document_id: uuid.UUID, status: str) -> bool:
        """Show a loaded document's new status in place; whether its row changed.

        The row stays where it is even if the filter would now hide it, as after "Mark done"
        until the list is read again: it does not jump away under the user's eyes.
        """
        row = self._row_of.get(document_id)
        if row is None or self._rows[row].status == status:
            return False
        self._rows[row] = replace(self._rows[row], status=status)
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return True

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008, N802 - Qt API
        return 0 if parent.isValid() else len(COLUMNS)

    def canFetchMore(self, parent: Index) -> bool:  # noqa: N802 - Qt API
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: Index) -> None:  # noqa: N802 - Qt API
        if not parent.isValid():
            self._fetch(self._page_size)

    def _fetch(self, count: int) -> None:
        if count <= 0:
            return
        from annotator.store.documents import document_page

        start = len(self._rows)
        last = self._rows[-1] if self._rows else None
        with self._sessions() as session:
            rows = document_page(session, self._filter, 0 if last else start, count, after=last)
        if len(rows) < count:
            # The list ends here (documents may have gone since the count): stop asking.
            self._total = start + len(rows)
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), start, start + len(rows) - 1)
        self._rows.extend(rows)
        for number, row in enumerate(rows, start):
            self._row_of[row.id] = number
        self.endInsertRows()

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return _display(row, column)
        if role == Qt.ItemDataRole.ToolTipRole:
            return _tooltip(row)
        if role == DocumentRole.ID:
            return str(row.id)
        if role == DocumentRole.STORY:
            return row.story
        if role == DocumentRole.STATUS:
            return row.status
        if role == DocumentRole.ROW:
            return row
        return None

    def headerData(  # noqa: N802 - Qt API
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return COLUMNS[section] if 0 <= section < len(COLUMNS) else None
        return None


def _display(row: DocumentRow, column: int) -> str:
    if column == Column.TITLE:
        return row.title or "(untitled)"
    if column == Column.SOURCE:
        return row.source or ""
    if column == Column.PUBLISHED:
        return (row.published or "")[:10]  # the date; the tooltip has the full timestamp
    if column == Column.STORY:
        return row.story or ""
    return status_word(row)


def status_word(row: DocumentRow) -> str:
    """The row's status in the user's words ("in progress", not "in_progress")."""
    return STATUS_WORDS.get(row.status, row.status)


def _tooltip(row: DocumentRow) -> str:
    where = " · ".join(part for part in (row.source, row.published, row.story) if part)
    return f"{row.title or '(untitled)'}\n{where}\n{row.length:,} characters · {status_word(row)}"


class DocumentTable(QTableView):
    """One line per document, long titles elided; columns give way to titles when narrow.

    The title is what people pick a document by, so it keeps at least `TITLE_SHARE` of the
    width: the story, then the date, then the source column hide until it fits (the tooltip
    still names them all). Columns a filter makes redundant are hidden as well.
    """

    TITLE_SHARE = 0.45
    # Columns that may hide, least needed first; sized by a typical value.
    OPTIONAL = (
        (Column.STORY, "ceasefire-or-treaty"),
        (Column.PUBLISHED, "2025-08-28"),
        (Column.SOURCE, "Continental Daily"),
    )

    def __init__(self, model: DocumentListModel) -> None:
        super().__init__()
        self.setModel(model)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setShowGrid(False)
        self.setAlternatingRowColors(True)
        self.setTabKeyNavigation(False)
        rows = self.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # no per-row size queries
        rows.setDefaultSectionSize(self.fontMetrics().height() + 6)
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.TITLE, QHeaderView.ResizeMode.Stretch)
        metrics = self.fontMetrics()
        # Kept here: a hidden section reports a size of 0.
        self._widths = {
            column: metrics.horizontalAdvance(sample) + 16
            for column, sample in (*self.OPTIONAL, (Column.STATUS, "in progress"))
        }
        for column, width in self._widths.items():
            header.resizeSection(column, width)
        self._redundant: set[int] = set()

    def set_redundant(self, columns: set[int]) -> None:
        """Hide these columns whatever the width (their value is the same on every row)."""
        self._redundant = columns
        self.fit_columns()

    def fit_columns(self) -> None:
        """Show the optional columns that leave the title its share of the width."""
        width = self.viewport().width()
        shown = [column for column, _ in self.OPTIONAL if column not in self._redundant]
        used = self._widths[Column.STATUS] + sum(self._widths[column] for column in shown)
        for column in list(shown):
            if width - used >= width * self.TITLE_SHARE:
                break
            shown.remove(column)
            used -= self._widths[column]
        for column, _ in self.OPTIONAL:
            self.setColumnHidden(column, column not in shown)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt API
        super().resizeEvent(event)
        self.fit_columns()
