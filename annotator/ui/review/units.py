"""The units of the document under review: one row each, a column per annotator.

A span row says which version (1, 2, ...) each annotator marked, a stance row each
annotator's polarity; then the agreement and the decision. Selecting a row shows the unit
in every pane.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from annotator.core.vocabulary import Vocabulary
from annotator.review.adjudication.comparison import DocumentComparison
from annotator.review.adjudication.units import SpanUnit, Unit
from annotator.ui.review.panes import STATE_COLOURS, state_of

KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # the unit's key on every row
AGREEMENT_WORDS = {
    "all": "all agree",
    "partial": "some",
    "single": "one only",
    "conflict": "conflict",
}
DECISION_WORDS = {"open": "open", "accepted": "in gold", "rejected": "rejected"}


def describe(unit: Unit, comparison: DocumentComparison, vocabulary: Vocabulary) -> str:
    """A short name for a unit: its words, or "actor → issue" for a stance."""
    if isinstance(unit, SpanUnit):
        choice = unit.versions[0].choice
        words = " ".join(comparison.text[choice.start : choice.end].split())
        return words if len(words) <= 48 else words[:47] + "…"
    issue = vocabulary.issue(unit.issue_id)
    actor = vocabulary.actors.get(unit.actor_id, "?")
    return f"{actor} → {issue.name if issue else '?'}"


class UnitList(QTreeWidget):
    """Spans and stances of one document; the current row is the unit under review."""

    unit_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)
        self.setAlternatingRowColors(True)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAccessibleName("Units")
        self._items: dict[str, QTreeWidgetItem] = {}
        self._headers: list[str] = []
        self.currentItemChanged.connect(self._changed)

    def show_comparison(self, comparison: DocumentComparison, vocabulary: Vocabulary) -> None:
        """Fill the list; the same units as before are updated in place (no jump)."""
        current = self.current_key()
        keys = [u.key for u in comparison.units()]
        names = [x.name for x in comparison.layers]
        headers = ["Unit", "Label", *names, "Agreement", "Decision"]
        self.blockSignals(True)
        if keys != list(self._items) or headers != self._headers:
            self._headers = headers
            self.clear()
            self._items = {}
            self.setHeaderLabels(headers)
            for key in keys:
                item = QTreeWidgetItem(self)
                item.setData(0, KEY_ROLE, key)
                self._items[key] = item
            header = self.header()
            header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
            for column in range(1, len(headers)):
                header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
            header.setStretchLastSection(False)
        for unit in comparison.units():
            self._fill(self._items[unit.key], unit, comparison, vocabulary)
        if current in self._items:
            self.setCurrentItem(self._items[current])
        self.blockSignals(False)

    def _fill(
        self,
        item: QTreeWidgetItem,
        unit: Unit,
        comparison: DocumentComparison,
        vocabulary: Vocabulary,
    ) -> None:
        item.setText(0, describe(unit, comparison, vocabulary))
        item.setToolTip(0, item.text(0))
        column = 2
        if isinstance(unit, SpanUnit):
            item.setText(1, unit.label)
            for layer in comparison.layers:
                version = unit.version_of(layer.annotator_id)
                item.setText(column, "—" if version is None else str(version + 1))
                column += 1
        else:
            item.setText(1, "stance")
            for layer in comparison.layers:
                item.setText(column, "/".join(unit.polarities(layer.annotator_id)) or "—")
                column += 1
        agreement = AGREEMENT_WORDS[unit.agreement]
        if isinstance(unit, SpanUnit) and unit.links_differ:
            agreement += ", links differ"
        item.setText(column, agreement)
        item.setText(column + 1, DECISION_WORDS[unit.decision])
        tint = QColor(STATE_COLOURS[state_of(unit)])
        tint.setAlpha(90)
        item.setBackground(column + 1 if unit.decision != "open" else column, QBrush(tint))
        item.setBackground(column if unit.decision != "open" else column + 1, QBrush())
        for other in range(1, column + 2):
            item.setTextAlignment(other, Qt.AlignmentFlag.AlignCenter)

    def select(self, key: str | None) -> None:
        """Make `key` the current row without announcing it (the caller knows)."""
        item = self._items.get(key) if key else None
        self.blockSignals(True)
        if item is None:
            self.setCurrentIndex(self.rootIndex())  # no row is current
        else:
            self.setCurrentItem(item)
            self.scrollToItem(item)
        self.blockSignals(False)

    def current_key(self) -> str | None:
        item = self.currentItem()
        return str(item.data(0, KEY_ROLE)) if item is not None else None

    def _changed(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is not None:
            self.unit_chosen.emit(str(current.data(0, KEY_ROLE)))
