"""The menu of documents to show beside the open one: same story first, then every other.

It reads its list when someone first looks at it (opens it, or asks for the next partner),
not on every document opened: a project of 100,000 documents would otherwise read and lay out
2,000 entries per document, and the first window would wait for them.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QWheelEvent
from PySide6.QtWidgets import QComboBox, QWidget

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from annotator.store.documents import Partner  # id, title, source, story
LIMIT = 2000  # entries in the menu


class PartnerMenu(QComboBox):
    """ "One document", then the partners of the document given to `reset`.

    `partner_chosen(uuid.UUID | None)`: the user picked a document (None: "One document").
    """

    partner_chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMinimumContentsLength(12)  # long titles are elided; the popup is wider
        # Sized by that length, not by measuring up to 2,000 titles.
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setToolTip("The second document, side by side: same story first")
        self._read: Callable[[], list[Partner]] | None = None
        self._story: str | None = None
        self._ids: list[uuid.UUID | None] = [None]  # by index; separators take one too
        self._same_story: list[uuid.UUID] = []
        self.addItem("One document")
        self.activated.connect(
            lambda index: self.partner_chosen.emit(
                self._ids[index] if 0 <= index < len(self._ids) else None
            )
        )

    def reset(self, read: Callable[[], list[Partner]], story: str | None) -> None:
        """A document of `story` was opened; `read` lists the others (called when needed)."""
        self._read, self._story = read, story
        self._ids, self._same_story = [None], []
        self.blockSignals(True)
        self.clear()
        self.addItem("One document")
        self.blockSignals(False)

    def same_story(self) -> list[uuid.UUID]:
        """Documents of the same story, in the order the menu offers them."""
        self._fill()
        return list(self._same_story)

    def show_partner(self, document_id: uuid.UUID | None) -> None:
        """Show which document is beside the open one (None: none)."""
        if document_id is not None:
            self._fill()
        self.setCurrentIndex(self._ids.index(document_id) if document_id in self._ids else 0)

    # Read when someone reaches for it: by the popup, or by keys and the wheel, which step
    # through the entries of a closed combo box.
    def showPopup(self) -> None:  # noqa: N802 - Qt API
        self._fill()
        super().showPopup()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802 - Qt API
        self._fill()
        super().focusInEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt API
        self._fill()
        super().keyPressEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt API
        self._fill()
        super().wheelEvent(event)

    def _fill(self) -> None:
        if self._read is None:
            return
        rows, self._read = self._read(), None
        story = self._story
        same = [row for row in rows if story and row[3] == story]
        others = [row for row in rows if not (story and row[3] == story)]
        self.blockSignals(True)
        # One addItems call per group: up to 2,000 entries.
        self.addItems([f"Beside: {source or '?'} — {title}" for _, title, source, _ in same])
        self._same_story = [row[0] for row in same]
        self._ids.extend(self._same_story)
        if others:
            self.insertSeparator(self.count())
            self._ids.append(None)
        self.addItems([f"Other story: {source or '?'} — {title}" for _, title, source, _ in others])
        self._ids.extend(row[0] for row in others)
        self.blockSignals(False)


def read_partners(
    sessions: Callable[[], Session], document_id: uuid.UUID, story: str | None
) -> list[Partner]:
    """The menu's entries: every other document of `story` first (`store.documents.partners`)."""
    from annotator.store.documents import partners

    with sessions() as session:
        return partners(session, document_id, story, limit=LIMIT)
