"""Recording a stance: actor, issue, polarity and the spans that show it, by keyboard.

Ctrl+T (from the workspace) focuses the actor field; the actor and issue are filled in from
the current span when it is linked; Tab moves on; Ctrl+Return adds the stance.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QWidget,
)

from annotator.core.annotations import AnnotationLayer, SpanValue
from annotator.core.vocabulary import Vocabulary
from annotator.ui.actors.picker import ActorPicker
from annotator.ui.workspace.annotation_list import snippet


def fill_issues(combo: QComboBox, vocabulary: Vocabulary, empty: str | None = None) -> None:
    """Issues as an indented tree in a combo box; item data is the issue id."""
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for issue in vocabulary.issues:
        # As text: QComboBox.findData compares Python objects by identity, not by value.
        combo.addItem("    " * issue.depth + issue.name, str(issue.id))


def select_data(combo: QComboBox, value: object) -> None:
    """Show the item whose data is `value` (ids are kept as strings: see `fill_issues`)."""
    wanted = str(value) if isinstance(value, uuid.UUID) else value
    combo.setCurrentIndex(max(combo.findData(wanted), 0))


def issue_of(combo: QComboBox) -> uuid.UUID | None:
    """The issue id of the combo's current item, or None."""
    data = combo.currentData()
    return uuid.UUID(data) if data else None


class StanceEditor(QWidget):
    stance_requested = Signal(object, object, str, tuple)  # actor, issue, polarity, evidence

    def __init__(self, picker: ActorPicker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = picker
        self.actor_id: uuid.UUID | None = None
        self.actor_name = QLabel("no actor chosen")
        self.issue = QComboBox()
        self.polarity = QComboBox()
        self.evidence = QListWidget()
        self.evidence.setMaximumHeight(110)
        self.add_button = QPushButton("Add stance (Ctrl+Return)")
        self.add_button.clicked.connect(self.submit)
        form = QFormLayout(self)
        form.addRow("Actor", picker)
        form.addRow("", self.actor_name)
        form.addRow("Issue", self.issue)
        form.addRow("Polarity", self.polarity)
        form.addRow("Evidence", self.evidence)
        form.addRow("", self.add_button)
        picker.actor_chosen.connect(self.set_actor)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.submit)
        self.vocabulary: Vocabulary | None = None

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        fill_issues(self.issue, vocabulary)
        self.polarity.clear()
        for polarity in vocabulary.schema.polarities:
            self.polarity.addItem(polarity, polarity)

    def set_actor(self, actor_id: uuid.UUID | None) -> None:
        self.actor_id = actor_id
        name = self.vocabulary.actors.get(actor_id) if self.vocabulary and actor_id else None
        self.actor_name.setText(name or "no actor chosen")

    def show_layer(self, layer: AnnotationLayer, text: str, current: SpanValue | None) -> None:
        """List the layer's spans as possible evidence; the current span is ticked."""
        self.evidence.clear()
        for span in layer.sorted_spans():
            item = QListWidgetItem(f"{span.label}: {snippet(text, span, 50)}")
            item.setData(Qt.ItemDataRole.UserRole, span.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            ticked = current is not None and span.id == current.id
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.evidence.addItem(item)
        if current is not None:
            if current.actor_id is not None:
                self.set_actor(current.actor_id)
            if current.issue_id is not None:
                select_data(self.issue, current.issue_id)

    def tick(self, span_ids: Sequence[uuid.UUID]) -> None:
        for row in range(self.evidence.count()):
            item = self.evidence.item(row)
            if item is not None and item.data(Qt.ItemDataRole.UserRole) in span_ids:
                item.setCheckState(Qt.CheckState.Checked)

    def chosen_evidence(self) -> tuple[uuid.UUID, ...]:
        chosen = []
        for row in range(self.evidence.count()):
            item = self.evidence.item(row)
            if item is not None and item.checkState() == Qt.CheckState.Checked:
                chosen.append(item.data(Qt.ItemDataRole.UserRole))
        return tuple(chosen)

    def submit(self) -> None:
        issue_id = issue_of(self.issue)
        if self.actor_id is None or issue_id is None:
            self.actor_name.setText("choose an actor and an issue first")
            return
        self.stance_requested.emit(
            self.actor_id, issue_id, self.polarity.currentData(), self.chosen_evidence()
        )

    def focus_actor(self) -> None:
        self.picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
