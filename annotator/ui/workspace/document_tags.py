"""Whole-document tags (genre labels and issues) and the document's status."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QLabel, QTreeWidget, QTreeWidgetItem, QVBoxLayout, QWidget

from annotator.core.vocabulary import Vocabulary

ISSUE_PREFIX = "issue:"
NAME = Qt.ItemDataRole.UserRole + 1


class DocumentPanel(QWidget):
    toggled = Signal(str)  # the document label to switch on or off

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = QLabel()
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(self.tree, 1)
        hint = QLabel("Ctrl+D marks the document done, Ctrl+K skips it.")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.tree.itemChanged.connect(self._changed)
        # A click on the name ticks it too, not only one on the box (Space does, by keys).
        self.tree.itemClicked.connect(self._clicked)
        self._ticked_by_box: QTreeWidgetItem | None = None
        self.tree.viewport().installEventFilter(self)

    def show_document(self, vocabulary: Vocabulary, present: set[str], status: str) -> None:
        self.status.setText(f"Status: {status.replace('_', ' ')}")
        self.tree.blockSignals(True)
        self.tree.clear()
        genre = QTreeWidgetItem(self.tree, ["Document labels"])
        for label in vocabulary.schema.document_labels:
            self._item(genre, label, label, present)
        issues = QTreeWidgetItem(self.tree, ["Issues of the whole document"])
        for issue in vocabulary.issues:
            self._item(issues, "    " * issue.depth + issue.name, ISSUE_PREFIX + issue.key, present)
        self.tree.expandAll()
        self.tree.blockSignals(False)

    def _item(self, parent: QTreeWidgetItem, text: str, name: str, present: set[str]) -> None:
        item = QTreeWidgetItem(parent, [text])
        item.setData(0, NAME, name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(0, Qt.CheckState.Checked if name in present else Qt.CheckState.Unchecked)

    def _changed(self, item: QTreeWidgetItem, _column: int) -> None:
        name = item.data(0, NAME)
        if name:
            self._ticked_by_box = item  # the click that did it comes next: not a second tick
            self._toggle_soon(name)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() == QEvent.Type.MouseButtonPress:
            self._ticked_by_box = None  # a new click: what Space ticked before is not it
        return False

    def _clicked(self, item: QTreeWidgetItem | None, _column: int) -> None:
        by_box, self._ticked_by_box = self._ticked_by_box, None
        if by_box is not None or item is None or not item.data(0, NAME):
            return
        self._toggle_soon(item.data(0, NAME))

    def _toggle_soon(self, name: str) -> None:
        # After the click or key is done with: the change redraws this tree, and the item
        # that sent the signal must not be deleted under it.
        QTimer.singleShot(0, lambda: self.toggled.emit(name))
