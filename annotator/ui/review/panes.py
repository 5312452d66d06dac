"""The annotators' layers of one document side by side, coloured by agreement.

One read-only `DocumentPane` per visible annotator, plus a gold pane, in a grid (2-3 panes
in a row, 4-6 in two rows). An annotator's spans are painted with a pseudo-label for the
state of their unit (all agree, some, one only, accepted, rejected), so the panes' own
highlighter and overlap underlines do the painting. After a decision only the spans whose
state changed are repainted. The panes scroll together: they show the same text.
"""

from __future__ import annotations

import html
import math
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QGridLayout, QLabel, QVBoxLayout, QWidget

from annotator.core.annotations import SpanValue
from annotator.review.adjudication.comparison import DocumentComparison
from annotator.review.adjudication.units import SpanUnit, StanceUnit, Unit
from annotator.ui.text.pane import DocumentPane

# Pseudo-labels: prefixed so they never meet a schema label of the same name.
STATE_COLOURS = {
    "review:all": "#59a14f",  # green: everyone marked it alike
    "review:partial": "#f1a340",  # amber: some annotators, or different extents
    "review:single": "#e15759",  # red: one annotator only
    "review:accepted": "#4e79a7",  # blue: decided, in gold
    "review:rejected": "#b8b0ac",  # grey: decided, left out
}
STATE_NAMES = {
    "review:all": "all agree",
    "review:partial": "some",
    "review:single": "one only",
    "review:accepted": "in gold",
    "review:rejected": "rejected",
}


def state_of(unit: Unit) -> str:
    """The pseudo-label a unit is painted (and listed) with."""
    if unit.decision != "open":
        return f"review:{unit.decision}"
    if unit.agreement == "conflict" or (unit.is_disagreement and unit.agreement == "all"):
        return "review:partial"  # a polarity conflict, or differing actor links
    return f"review:{unit.agreement}"


@dataclass
class _Slot:
    """One pane: an annotator's layer, or the gold layer (annotator_id None)."""

    box: QWidget
    header: QLabel
    pane: DocumentPane
    annotator_id: uuid.UUID | None
    spans: dict[uuid.UUID, SpanValue] = field(default_factory=dict)


class ReviewPanes(QWidget):
    unit_clicked = Signal(str)  # the key of the unit under a click

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.grid = QGridLayout(self)
        self.grid.setContentsMargins(0, 0, 0, 0)
        self.grid.setSpacing(6)
        self.slots: list[_Slot] = []
        self.comparison: DocumentComparison | None = None
        self.gold_visible = True
        self.label_colours: dict[str, QColor] = {}
        self._syncing = False

    def set_label_colours(self, colours: Mapping[str, str]) -> None:
        """The schema's label colours, for the gold pane."""
        self.label_colours = {name: QColor(colour) for name, colour in colours.items()}

    def show_comparison(self, comparison: DocumentComparison) -> None:
        """Show `comparison`; the same document with the same layers is only repainted."""
        old = self.comparison
        self.comparison = comparison
        same_layers = [x.annotator_id for x in comparison.layers]
        if (
            old is None
            or old.document_id != comparison.document_id
            or [x.annotator_id for x in old.layers] != same_layers
        ):
            self._rebuild(comparison)
            return
        for slot in self.slots:
            spans = self._spans(slot.annotator_id, comparison)
            changed = {
                (s.start, s.end)
                for s in set(spans.values()).symmetric_difference(slot.spans.values())
            }
            slot.spans = spans
            if changed:
                slot.pane.update_spans(spans.values(), sorted(changed))
            slot.header.setText(self._header(slot.annotator_id, comparison))

    def set_gold_visible(self, visible: bool) -> None:
        self.gold_visible = visible
        self._place()

    def select(self, unit: Unit | None) -> None:
        """Show `unit` in every pane: framed where the layer has it, selected where not."""
        if self.comparison is None or unit is None:
            return
        self._syncing = True  # each pane scrolls to the unit itself
        try:
            for slot in self.slots:
                span = self._span_of(slot, unit)
                slot.pane.set_current(span)  # a frame round what this layer has
                missing = (
                    span is None
                    and unit.start < len(self.comparison.text)
                    and not self._has_stance(slot, unit)  # a stance without evidence
                )
                # A dashed outline where this layer has nothing of the unit.
                slot.pane.set_suggestions([(unit.start, unit.end)] if missing else [])
                if missing:
                    slot.pane.select_range(unit.start, unit.end)  # scrolls there
                cursor = slot.pane.textCursor()
                cursor.clearSelection()  # a selection would hide the agreement colour
                slot.pane.setTextCursor(cursor)
        finally:
            self._syncing = False

    # -- building --------------------------------------------------------------------------

    def _rebuild(self, comparison: DocumentComparison) -> None:
        for slot in self.slots:
            self.grid.removeWidget(slot.box)
            slot.box.deleteLater()
        self.slots = []
        colours = {name: QColor(colour) for name, colour in STATE_COLOURS.items()}
        owners: list[uuid.UUID | None] = [x.annotator_id for x in comparison.layers]
        for annotator_id in [*owners, None]:
            box = QWidget()
            header = QLabel()
            header.setTextFormat(Qt.TextFormat.RichText)
            pane = DocumentPane()
            pane.setMinimumWidth(220)
            pane.setAccessibleName("gold" if annotator_id is None else "layer")
            layout = QVBoxLayout(box)
            layout.setContentsMargins(0, 0, 0, 0)
            layout.setSpacing(2)
            layout.addWidget(header)
            layout.addWidget(pane, 1)
            slot = _Slot(box, header, pane, annotator_id, self._spans(annotator_id, comparison))
            header.setText(self._header(annotator_id, comparison))
            pane.set_document(
                comparison.text,
                slot.spans.values(),
                self.label_colours if annotator_id is None else colours,
            )
            pane.clicked.connect(lambda offset, s=slot: self._clicked(s, offset))
            pane.verticalScrollBar().valueChanged.connect(lambda _, s=slot: self._sync(s))
            self.slots.append(slot)
        self._place()

    def _place(self) -> None:
        """Lay the shown panes out in rows of up to three."""
        for slot in self.slots:
            self.grid.removeWidget(slot.box)
        shown = [s for s in self.slots if s.annotator_id is not None or self.gold_visible]
        columns = len(shown) if len(shown) <= 3 else math.ceil(len(shown) / 2)
        for index, slot in enumerate(shown):
            self.grid.addWidget(slot.box, index // columns, index % columns)
        for slot in self.slots:
            slot.box.setVisible(slot in shown)

    def _spans(
        self, annotator_id: uuid.UUID | None, comparison: DocumentComparison
    ) -> dict[uuid.UUID, SpanValue]:
        if annotator_id is None:
            return {
                g.id: SpanValue(g.id, g.start, g.end, g.label, g.actor_id, g.issue_id)
                for g in comparison.gold_spans
            }
        spans = {}
        for unit in comparison.span_units:
            member = unit.member(annotator_id)
            if member is not None:
                spans[member.id] = SpanValue(member.id, member.start, member.end, state_of(unit))
        return spans

    def _header(self, annotator_id: uuid.UUID | None, comparison: DocumentComparison) -> str:
        if annotator_id is None:
            counts = _count(len(comparison.gold_spans), len(comparison.gold_stances))
            used = sorted({g.label for g in comparison.gold_spans})
            legend = " ".join(  # gold is painted in label colours, as in the workspace
                f"<span style='color:{self.label_colours[label].name()}'>■</span>{label}"
                for label in used
                if label in self.label_colours
            )
            return f"<b>Gold</b> · {counts}" + (f" · {legend}" if legend else "")
        layer = next(x for x in comparison.layers if x.annotator_id == annotator_id)
        status = layer.status.replace("_", " ")
        counts = _count(len(layer.spans), len(layer.stances))
        return f"<b>{html.escape(layer.name)}</b> · {status} · {counts}"

    # -- the current unit and clicks -----------------------------------------------------------

    def _span_of(self, slot: _Slot, unit: Unit) -> SpanValue | None:
        """What the slot's layer has of `unit`: its span, or its stance's first evidence."""
        comparison = self.comparison
        assert comparison is not None
        if slot.annotator_id is None:
            gold_span_ids: list[uuid.UUID] = []
            if isinstance(unit, SpanUnit):
                gold_span_ids = [g.id for g in unit.gold]
            else:
                gold_span_ids = [e for g in unit.gold for e in g.evidence]
            return next((slot.spans[i] for i in gold_span_ids if i in slot.spans), None)
        if isinstance(unit, SpanUnit):
            member = unit.member(slot.annotator_id)
            return slot.spans.get(member.id) if member else None
        cited = [e for a, s in unit.members if a == slot.annotator_id for e in s.evidence]
        found = [slot.spans[e] for e in cited if e in slot.spans]
        return min(found, key=lambda s: (s.start, s.end)) if found else None

    def _has_stance(self, slot: _Slot, unit: Unit) -> bool:
        if not isinstance(unit, StanceUnit):
            return False
        if slot.annotator_id is None:
            return bool(unit.gold)
        return any(a == slot.annotator_id for a, _ in unit.members)

    def _clicked(self, slot: _Slot, offset: int) -> None:
        comparison = self.comparison
        if comparison is None:
            return
        hits = [s for s in slot.spans.values() if s.start <= offset < s.end]
        if not hits:
            return
        span = min(hits, key=lambda s: s.end - s.start)  # the innermost, as in the workspace
        for unit in comparison.units():
            if isinstance(unit, StanceUnit):
                continue
            if span.id in unit.span_ids or span.id in {g.id for g in unit.gold}:
                self.unit_clicked.emit(unit.key)
                return

    def _sync(self, source: _Slot) -> None:
        if self._syncing:
            return
        self._syncing = True
        try:
            bar = source.pane.verticalScrollBar()
            share = bar.value() / bar.maximum() if bar.maximum() else 0.0
            for slot in self.slots:
                if slot is not source:
                    other = slot.pane.verticalScrollBar()
                    other.setValue(round(share * other.maximum()))
        finally:
            self._syncing = False


def _count(spans: int, stances: int) -> str:
    return f"{spans} span{'s' * (spans != 1)}, {stances} stance{'s' * (stances != 1)}"
