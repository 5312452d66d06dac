"""The current span: its label, linked actor and issue, note; edits go through commands."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from annotator.core.annotations import SpanValue
from annotator.core.vocabulary import Vocabulary
from annotator.ui.actors.picker import ActorPicker
from annotator.ui.workspace.stance_form import buddy, fill_issues, issue_of, select_data


class _ArrowsOpenList(QObject):
    """Up or Down on a closed combo box opens its list instead of changing the choice: each
    change here is stored as an edit, so only the entry picked in the list should be."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            isinstance(watched, QComboBox)
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down)
            and not event.modifiers() & Qt.KeyboardModifier.AltModifier
        ):
            watched.showPopup()
            return True
        return False


def opens_on_arrows(combo: QComboBox) -> None:
    combo.installEventFilter(_ArrowsOpenList(combo))


class SpanInspector(QWidget):
    relabel = Signal(str)
    link_actor = Signal(object)  # uuid.UUID | None
    set_issue = Signal(object)  # uuid.UUID | None
    set_note = Signal(str)
    delete = Signal()

    def __init__(self, picker: ActorPicker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = picker
        self.text = QLabel("Click a span, or select text and press a label key.")
        self.text.setWordWrap(True)
        self.label = QComboBox()
        self.actor = QLabel("—")
        self.unlink = QPushButton("Unlink")
        self.issue = QComboBox()
        self.note = QLineEdit()
        self.note.setPlaceholderText("a note for the reviewer (Enter to save)")
        self.delete_button = QPushButton("Delete span (Del)")
        actor_row = QHBoxLayout()
        actor_row.addWidget(self.actor, 1)
        actor_row.addWidget(self.unlink)
        form = QFormLayout(self)
        form.addRow(self.text)
        # Alt and the underlined letter reach a field while this tab is shown.
        form.addRow(buddy("La&bel", self.label), self.label)
        form.addRow("Actor", actor_row)
        form.addRow(buddy("Lin&k to", picker.edit), picker)
        form.addRow(buddy("&Issue", self.issue), self.issue)
        form.addRow(buddy("&Note", self.note), self.note)
        for combo in (self.label, self.issue):
            opens_on_arrows(combo)
        form.addRow("", self.delete_button)
        keys = QLabel(
            "Edges: ] and [ move the end, Shift+] and Shift+[ the start (with Ctrl: a word). "
            "A mouse drag takes whole words; hold Ctrl while dragging for single characters. "
            "Esc returns to the text."
        )
        keys.setWordWrap(True)
        keys.setEnabled(False)  # a hint, drawn in the palette's quieter text colour
        form.addRow(keys)
        self.label.activated.connect(lambda _: self.relabel.emit(self.label.currentData()))
        self.issue.activated.connect(lambda _: self.set_issue.emit(issue_of(self.issue)))
        self.note.editingFinished.connect(lambda: self.set_note.emit(self.note.text()))
        self.unlink.clicked.connect(lambda: self.link_actor.emit(None))
        self.delete_button.clicked.connect(self.delete.emit)
        picker.actor_chosen.connect(self.link_actor.emit)
        self.vocabulary: Vocabulary | None = None
        self.show_span(None, "")

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.label.clear()
        for label in vocabulary.schema.labels:
            self.label.addItem(label.title, label.name)
        fill_issues(self.issue, vocabulary, empty="(no issue)")

    def show_span(self, span: SpanValue | None, text: str) -> None:
        enabled = span is not None
        for widget in (
            self.label,
            self.picker,
            self.issue,
            self.note,
            self.delete_button,
            self.unlink,
        ):
            widget.setEnabled(enabled)
        if span is None:
            self.text.setText("Click a span, or select text and press a label key.")
            self.actor.setText("—")
            self.note.clear()
            self.issue.setCurrentIndex(0)
            return
        quoted = " ".join(text[span.start : span.end].split())
        self.text.setText(f"“{quoted[:160]}” ({span.start}–{span.end})")
        select_data(self.label, span.label)
        self.actor.setText(self._actor_name(span.actor_id))
        self.unlink.setEnabled(span.actor_id is not None)
        select_data(self.issue, span.issue_id)
        self.note.setText(span.note)
        if span.actor_id is None:
            self.picker.edit.setText(quoted[:80])  # prefilled; the list opens on typing

    def _actor_name(self, actor_id: uuid.UUID | None) -> str:
        if actor_id is None or self.vocabulary is None:
            return "not linked"
        return self.vocabulary.actors.get(actor_id, "?")
