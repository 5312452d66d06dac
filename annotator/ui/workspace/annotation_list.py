"""The current document's annotations: spans, stances with their evidence, suggestions."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from annotator.core.annotations import AnnotationLayer, SpanValue
from annotator.core.suggestions import Suggestion
from annotator.core.vocabulary import Vocabulary
from annotator.ui.workspace.palette import swatch
from annotator.ui.workspace.rows import KeyedRows, same_objects, sync_rows

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
        self._showing: tuple[object, ...] = ()  # (layer, text, vocabulary) the rows show
        self._colours: dict[str, str] = {}
        self._spans = QTreeWidgetItem()
        self._texts: dict[SpanValue, tuple[str, ...]] = {}
        self._vocabulary: Vocabulary | None = None
        self._synced: int | None = None  # the layer version the span rows show
        self._rows: KeyedRows[QTreeWidgetItem] = KeyedRows(
            self._insert_span, self._remove_span, self._update_span
        )

    def show_layer(
        self,
        layer: AnnotationLayer,
        text: str,
        vocabulary: Vocabulary,
        suggestions: Sequence[Suggestion],
        changed: Collection[uuid.UUID] | None = None,
    ) -> None:
        """Show the layer. The same layer again after an edit changes only the span rows
        that differ (those in `changed`, when the edit says); the stance and suggestion
        sections, which are few, are made anew."""
        self.blockSignals(True)
        if not same_objects((layer, text, vocabulary), self._showing):
            self.forget()
            self._vocabulary = vocabulary
            self._showing = (layer, text, vocabulary)
            self._colours = {label.name: label.color for label in vocabulary.schema.labels}
            self._spans = QTreeWidgetItem(self, ["", ""])
        while self.topLevelItemCount() > 1:
            self.takeTopLevelItem(1)
        self._spans.setText(0, f"Spans ({len(layer.spans)})")
        sync_rows(self._rows, self._synced, layer, changed, lambda s: self._span_texts(s, text))
        self._synced = layer.version
        self._spans.setExpanded(True)
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
            item.setExpanded(True)
        stances.setExpanded(True)
        if suggestions:
            section = QTreeWidgetItem(self, [f"Suggestions ({len(suggestions)})", "not stored"])
            for index, suggestion in enumerate(suggestions):
                item = QTreeWidgetItem(
                    section,
                    [suggestion.matched, f"→ {vocabulary.actors.get(suggestion.actor_id, '?')}"],
                )
                item.setData(0, KIND, "suggestion")
                item.setData(0, ID, index)
            section.setExpanded(True)
        self.blockSignals(False)

    def shows(self, layer: AnnotationLayer) -> bool:
        """Whether the rows are this layer's (made for it, perhaps behind by an edit)."""
        return bool(self._showing) and self._showing[0] is layer

    def forget(self) -> None:
        """Show nothing (a new layer's rows are on their way)."""
        blocked = self.blockSignals(True)
        self.clear()
        self._rows.forget()
        self._texts.clear()
        self._showing = ()
        self._synced = None
        self.blockSignals(blocked)

    def _span_texts(self, span: SpanValue, text: str) -> tuple[str, ...]:
        """(quote, details, colour) of a span row, made once per span value."""
        found = self._texts.get(span)
        if found is None:
            vocabulary = self._vocabulary
            assert vocabulary is not None, "rows are made after show_layer set it"
            details = [vocabulary.actors.get(span.actor_id, "") if span.actor_id else ""]
            issue = vocabulary.issue(span.issue_id)
            details.append(issue.name if issue else "")
            found = self._texts[span] = (
                snippet(text, span),
                " · ".join([span.label, *filter(None, details)]),
                self._colours.get(span.label, "#9c9c9c"),
            )
        return found

    def _insert_span(self, row: int, key: object, texts: tuple[str, ...]) -> QTreeWidgetItem:
        item = QTreeWidgetItem([texts[0], texts[1]])
        item.setIcon(0, swatch(texts[2]))
        item.setData(0, KIND, "span")
        item.setData(0, ID, key)
        self._spans.insertChild(row, item)
        return item

    def _remove_span(self, item: QTreeWidgetItem) -> None:
        self._spans.removeChild(item)

    def _update_span(self, item: QTreeWidgetItem, texts: tuple[str, ...]) -> None:
        item.setText(0, texts[0])
        item.setText(1, texts[1])
        item.setIcon(0, swatch(texts[2]))

    def select(self, span_id: uuid.UUID | None) -> None:
        """Follow the document's current span without re-emitting."""
        self.blockSignals(True)
        found = self._rows.items.get(span_id) if span_id is not None else None
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
