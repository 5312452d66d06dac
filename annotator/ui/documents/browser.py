"""The document browser: filters, the lazy document list and the annotator's progress.

It owns no database state: it gets a session factory, asks the store for pages and counts,
and tells the window which document became current (`document_activated`).
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import ProjectChange
from annotator.core.documents import DocumentFilter
from annotator.ui.changes import ChangeHub
from annotator.ui.documents.facet_combo import FacetCombo, fit_for_many
from annotator.ui.documents.table import Column, DocumentListModel, DocumentTable, SessionFactory

# The store (and SQLAlchemy) load after the first window is painted: see store.first_look.
if TYPE_CHECKING:
    from annotator.store.first_look import FirstLook

SEARCH_DELAY_MS = 200  # typing pauses longer than this run the search
ROW_UPDATES = 20  # more statuses changed at once than this: the list is read again
STATUS_CHOICES = (
    ("Any status", None),
    ("To do", "todo"),
    ("In progress", "in_progress"),
    ("Done", "done"),
    ("Skipped", "skipped"),
)


class DocumentBrowser(QWidget):
    """Pick a document: filter by story, source, status and text; step through the list.

    `document_activated(uuid.UUID)` is emitted whenever the current document changes, by
    keyboard, mouse, `step()` or `select_document()`; never twice in a row for one document.
    """

    document_activated = Signal(object)

    def __init__(
        self,
        sessions: SessionFactory,
        *,
        annotator_id: uuid.UUID | None = None,
        first_look: FirstLook | None = None,
        parent: QWidget | None = None,
    ) -> None:
        """`first_look`: the list, annotators and counts already read for the first window."""
        super().__init__(parent)
        self._sessions = sessions
        self._annotator_id = annotator_id
        # The last document made current; stepping continues from it even after a filter
        # (or a status change) took it out of the list.
        self._anchor: uuid.UUID | None = None

        self.search = QLineEdit()
        self.search.setPlaceholderText("Search words in title and text…")
        self.search.setClearButtonEnabled(True)
        self.story = FacetCombo(
            "All stories", partial(_facet, sessions, "story"), "Show the documents of one story"
        )
        self.source = FacetCombo(
            "All sources", partial(_facet, sessions, "source"), "Show the documents of one outlet"
        )
        self.status = _combo("Show the documents with this status for the current annotator")
        for label, key in STATUS_CHOICES:
            self.status.addItem(label, key)

        # Whose status the list shows: yours, or (for a lead) another annotator's.
        self.whose = _combo("Whose status the list shows, filters on and counts")
        self._whose_ids: list[uuid.UUID] = []

        self.model = DocumentListModel(
            sessions,
            self._filter(),
            first_page=(first_look.rows, first_look.total) if first_look else None,
        )
        self.view = DocumentTable(self.model)
        self.progress = QLabel()
        self.progress.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress.setContentsMargins(4, 0, 4, 2)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)

        filters = QGridLayout()
        filters.setContentsMargins(0, 0, 0, 0)
        filters.addWidget(self.search, 0, 0, 1, 3)
        filters.addWidget(self.story, 1, 0)
        filters.addWidget(self.source, 1, 1)
        filters.addWidget(self.status, 1, 2)
        filters.addWidget(self.whose, 2, 0, 1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.progress)

        self.search.textChanged.connect(self._search_timer.start)
        self.search.returnPressed.connect(self._filter_changed)
        self._search_timer.timeout.connect(self._filter_changed)
        self.story.value_changed.connect(self._filter_changed)
        self.source.value_changed.connect(self._filter_changed)
        self.status.currentIndexChanged.connect(self._filter_changed)
        self.whose.currentIndexChanged.connect(self._whose_changed)
        self.view.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self._load_annotators(first_look.annotators if first_look else None)
        self._update_status_choice()
        self._update_progress(first_look.counts if first_look else None)

    def set_annotator(self, annotator_id: uuid.UUID | None) -> None:
        """Show (and filter on) this annotator's statuses and progress."""
        self._annotator_id = annotator_id
        self._update_status_choice()
        self.refresh()

    def listen(self, hub: ChangeHub) -> None:
        hub.changed.connect(self._project_changed)

    def _project_changed(self, change: ProjectChange, _origin: object) -> None:
        """Show what changed: a few statuses an edit set on their rows, anything more (new
        documents, statuses set by hand, which a status filter may hide, a change made
        elsewhere) by reading the list again, the current document kept."""
        if change.elsewhere or change.documents or change.annotators:
            self.refresh()
            return
        annotator_id = self._annotator_id
        mine = {document for document, who in change.statuses if who == annotator_id}
        by_hand = {document for document, who in change.statuses - change.layers}
        if not mine or annotator_id is None:
            return
        if mine & by_hand or len(mine) > ROW_UPDATES:
            self.refresh()
            return
        from annotator.store.documents import document_status

        with self._sessions() as session:
            statuses = {d: document_status(session, d, annotator_id) for d in mine}
        for document_id, status in statuses.items():
            self.model.show_status(document_id, status)
        self._update_progress()

    def refresh(self) -> None:
        """Query again (after an import or a status change), keeping the current document.

        The story and source lists are read again when someone next looks at them.
        """
        self._load_annotators()
        self.story.invalidate()
        self.source.invalidate()
        self._requery(follow=True)

    def show_status(self, document_id: uuid.UUID, annotator_id: uuid.UUID, status: str) -> None:
        """A document's status changed by an edit (a first span makes it "in progress"):
        show it on its row and in the progress line, if the list shows that annotator's."""
        if annotator_id != self._annotator_id:
            return
        shown = self.model.show_status(document_id, status)
        # A document not on a loaded row (filtered out, not paged in yet) may still count.
        if shown or self.model.row_of(document_id) is None:
            self._update_progress()

    def current_document(self) -> uuid.UUID | None:
        """The document of the current row, if any."""
        index = self.view.currentIndex()
        return self.model.row_at(index.row()).id if index.isValid() else None

    def select_document(self, document_id: uuid.UUID) -> bool:
        """Make the document current (loading pages up to it); False if the list hides it.

        A hidden document (opened some other way) still becomes the one `step()` continues
        from, and no other row stays highlighted as if it were open.
        """
        row = self.model.load_document(document_id)
        if row is None:
            self._anchor = document_id
            self.view.selectionModel().clear()
            return False
        self._select_row(row)
        return True

    def step(self, delta: int) -> uuid.UUID | None:
        """Select the next (+1) or previous (-1) document; returns it, None at either end."""
        index = self.view.currentIndex()
        if index.isValid():
            target = index.row() + delta
            while target >= self.model.rowCount() and self.model.canFetchMore(QModelIndex()):
                self.model.fetchMore(QModelIndex())
            if not 0 <= target < self.model.rowCount():
                return None
            self._select_row(target)
            return self.model.row_at(target).id
        if self._anchor is not None:
            from annotator.store.documents import neighbour

            with self._sessions() as session:
                found = neighbour(session, self.model.filter, self._anchor, delta)
            return found if found is not None and self.select_document(found) else None
        if delta > 0 and self.model.rowCount():
            self._select_row(0)
            return self.model.row_at(0).id
        return None

    def _filter(self) -> DocumentFilter:
        return DocumentFilter(
            story=self.story.value(),
            source=self.source.value(),
            status=self.status.currentData(),
            annotator_id=self._annotator_id,
            search=self.search.text().strip() or None,
        )

    def _filter_changed(self) -> None:
        self._requery(follow=False)

    def _requery(self, *, follow: bool) -> None:
        """Run the filter again and reselect the current document where it is still listed.

        With `follow`, pages are loaded down to it wherever it is (a refresh keeps the place);
        a new filter only reselects it on the first page, as finding it deeper costs another
        query (a text search reads every text again) and the list starts from the top anyway.
        """
        self._search_timer.stop()
        keep = self.current_document() or self._anchor
        failure = self.model.set_filter(self._filter())
        where = self.model.filter  # the previous one if the new one failed
        # A column that would repeat the chosen story or source on every row gives way to titles.
        self.view.set_redundant(
            {
                column
                for column, value in ((Column.STORY, where.story), (Column.SOURCE, where.source))
                if value is not None
            }
        )
        self._update_progress()
        if failure:
            self.progress.setText(f"{failure} (still showing the previous list)")
        if keep is None:
            return
        row = self.model.load_document(keep) if follow else self.model.row_of(keep)
        if row is not None:
            self._select_row(row)

    def _select_row(self, row: int) -> None:
        index = self.model.index(row, Column.TITLE)
        # Lay out rows just loaded first: scrolling against the old, shorter scroll range
        # would reach its end and make the view fetch a page nobody asked for.
        self.view.doItemsLayout()
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        document_id = self.model.row_at(current.row()).id
        if document_id != self._anchor:
            self._anchor = document_id
            self.document_activated.emit(document_id)

    def _whose_changed(self, index: int) -> None:
        if 0 <= index < len(self._whose_ids) and self._whose_ids[index] != self._annotator_id:
            self._annotator_id = self._whose_ids[index]
            self._update_status_choice()
            self._requery(follow=True)

    def _load_annotators(self, annotators: list[tuple[uuid.UUID, str]] | None = None) -> None:
        """The "Status of" choice: these annotators (by name), or the project's."""
        if annotators is None:
            from annotator.store.project import annotator_choices

            with self._sessions() as session:
                annotators = annotator_choices(session)
        self.whose.blockSignals(True)
        self.whose.clear()
        self._whose_ids = [identifier for identifier, _ in annotators]
        for _, name in annotators:
            self.whose.addItem(f"Status of {name}")
        if self._annotator_id in self._whose_ids:
            self.whose.setCurrentIndex(self._whose_ids.index(self._annotator_id))
        self.whose.setVisible(len(annotators) > 1)  # one annotator: nothing to choose
        self.whose.blockSignals(False)

    def _update_status_choice(self) -> None:
        # Without an annotator nothing has a status yet; a status filter would only confuse.
        enabled = self._annotator_id is not None
        if not enabled:
            self.status.blockSignals(True)
            self.status.setCurrentIndex(0)
            self.status.blockSignals(False)
        self.status.setEnabled(enabled)

    def _update_progress(self, counts: dict[str, int] | None = None) -> None:
        """The progress line: these counts (the whole project's), or counted for the filter."""
        if counts is None:
            from annotator.store.documents import progress_counts

            where = self.model.filter
            # Progress is about the chosen story or source; a search or status only narrows
            # the view.
            scope = DocumentFilter(story=where.story, source=where.source)
            with self._sessions() as session:
                counts = progress_counts(session, self._annotator_id, scope)
        self.progress.setText(progress_text(counts, self.model.total, self._annotator_id))


def progress_text(counts: dict[str, int], shown: int, annotator_id: uuid.UUID | None) -> str:
    """The line under the list: "12 of 40 done · 3 in progress · 1 skipped · 5 shown"."""
    total = sum(counts.values())
    if total == 0:
        return "No documents here yet."
    if annotator_id is None:
        text = f"{total:,} documents · choose an annotator to track progress"
    else:
        text = (
            f"{counts['done']:,} of {total:,} done · {counts['in_progress']:,} in progress"
            f" · {counts['skipped']:,} skipped"
        )
    if shown != total:
        text += f" · {shown:,} shown"
    return text


def _combo(tooltip: str) -> QComboBox:
    combo = QComboBox()
    fit_for_many(combo, tooltip)
    return combo


def _facet(sessions: SessionFactory, column: str) -> list[str]:
    """The distinct stories or sources, for the filter lists (read when first opened)."""
    from annotator.store.documents import sources, stories

    with sessions() as session:
        return stories(session) if column == "story" else sources(session)
