"""The current document's annotations: spans, stances with their evidence, suggestions."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from annotator.core.annotations import AnnotationLayer, SpanValue
from annotator.core.suggestions import Suggestion
from annotator.core.vocabulary import Vocabulary
from annotator.ui.workspace.palette import swatch

KIND = Qt.ItemDataRole.UserRole + 1
ID = Qt.ItemDataRole.UserRole + 2
POLARITY_MARKS = {"support": "＋", "oppose": "−", "neutral": "○", "mixed": "±"}


def snippet(text: str, span: SpanValue, width: int = 60) -> str:
    words = " ".join(text[span.start : span.end].split())
    return words if len(words) <= width else words[: width - 1] + "…"


class AnnotationList(QTreeWidget):
    """Three sections; activating an item selects it in the document."""

    span_activated = Signal(object)  # uuid.UUID
    stance_activated = Signal(object)  # uuid.UUID
    stance_opened = Signal(object)  # uuid.UUID: Enter or a double click, to change it
    suggestion_activated = Signal(int)  # index into the editor's suggestions

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setHeaderLabels(["Annotation", "Details"])
        # The details (label, actor, issue) stay whole; the quoted text is cut short.
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.setRootIsDecorated(True)
        self.setUniformRowHeights(True)
        self.currentItemChanged.connect(self._activated)
        self.itemActivated.connect(self._opened)

    def show_layer(
        self,
        layer: AnnotationLayer,
        text: str,
        vocabulary: Vocabulary,
        suggestions: Sequence[Suggestion],
    ) -> None:
        self.blockSignals(True)
        self.clear()
        colours = {label.name: label.color for label in vocabulary.schema.labels}
        spans = QTreeWidgetItem(self, [f"Spans ({len(layer.spans)})", ""])
        for span in layer.sorted_spans():
            details = [vocabulary.actors.get(span.actor_id, "") if span.actor_id else ""]
            issue = vocabulary.issue(span.issue_id)
            details.append(issue.name if issue else "")
            item = QTreeWidgetItem(
                spans, [snippet(text, span), " · ".join([span.label, *filter(None, details)])]
            )
            item.setIcon(0, swatch(colours.get(span.label, "#9c9c9c")))
            item.setData(0, KIND, "span")
            item.setData(0, ID, span.id)
        stances = QTreeWidgetItem(self, [f"Stances ({len(layer.stances)})", ""])
        for stance in layer.stances.values():
            issue = vocabulary.issue(stance.issue_id)
            mark = POLARITY_MARKS.get(stance.polarity, "?")
            item = QTreeWidgetItem(
                stances,
                [
                    f"{mark} {vocabulary.actors.get(stance.actor_id, '?')}",
                    f"{stance.polarity} · {issue.name if issue else '?'}",
                ],
            )
            item.setData(0, KIND, "stance")
            item.setData(0, ID, stance.id)
            for span_id in stance.evidence:
                cited = layer.spans.get(span_id)
                if cited is not None:
                    child = QTreeWidgetItem(item, [snippet(text, cited), "evidence"])
                    child.setData(0, KIND, "span")
                    child.setData(0, ID, cited.id)
        if suggestions:
            section = QTreeWidgetItem(self, [f"Suggestions ({len(suggestions)})", "not stored"])
            for index, suggestion in enumerate(suggestions):
                item = QTreeWidgetItem(
                    section,
                    [suggestion.matched, f"→ {vocabulary.actors.get(suggestion.actor_id, '?')}"],
                )
                item.setData(0, KIND, "suggestion")
                item.setData(0, ID, index)
        self.expandAll()
        self.blockSignals(False)

    def select(self, span_id: uuid.UUID | None) -> None:
        """Follow the document's current span without re-emitting."""
        self.blockSignals(True)
        spans = self.topLevelItem(0)
        found = None
        if spans is not None and span_id is not None:
            for index in range(spans.childCount()):
                child = spans.child(index)
                if child is not None and child.data(0, ID) == span_id:
                    found = child
        if found is not None:
            self.setCurrentItem(found)
            self.scrollToItem(found)
        else:
            self.clearSelection()
        self.blockSignals(False)

    def _opened(self, item: QTreeWidgetItem, _column: int) -> None:
        if item.data(0, KIND) == "stance":
            self.stance_opened.emit(item.data(0, ID))

    def _activated(self, item: QTreeWidgetItem | None) -> None:
        if item is None:
            return
        kind = item.data(0, KIND)
        if kind == "span":
            self.span_activated.emit(item.data(0, ID))
        elif kind == "stance":
            self.stance_activated.emit(item.data(0, ID))
        elif kind == "suggestion":
            self.suggestion_activated.emit(int(item.data(0, ID)))
