"""The unit under review: its versions, an editor for "edit, then accept", a note.

The window owns the decisions (its actions); this panel only shows the unit and says
what the reviewer picked or typed: `chosen_version`, `edited_choice`, `edited_polarity`,
`note`.
"""

from __future__ import annotations

import html
import re
import uuid

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.vocabulary import Vocabulary
from annotator.review.adjudication.comparison import DocumentComparison
from annotator.review.adjudication.units import SpanChoice, SpanUnit, Unit
from annotator.ui.review.units import AGREEMENT_WORDS, DECISION_WORDS, describe

_WORD = re.compile(r"\w+", re.UNICODE)  # the workspace's word steps


class DecisionPanel(QWidget):
    note_entered = Signal(str)  # Enter in the note field
    accept_requested = Signal()  # Enter in the editor

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vocabulary: Vocabulary | None = None
        self.comparison: DocumentComparison | None = None
        self.unit: Unit | None = None
        self.editing = False
        self.title = QLabel("Pick a unit in the list, or press N for the next disagreement.")
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.versions = QListWidget()
        self.versions.setAccessibleName("Versions")
        self.versions.setToolTip("What each annotator marked; 1-4 picks one, A accepts it")
        self.versions.setMaximumHeight(96)
        self.editor = QGroupBox("Edit, then accept (A or Enter) · Esc cancels")
        self.preview = QLabel()
        self.preview.setWordWrap(True)
        self.preview.setTextFormat(Qt.TextFormat.RichText)
        self.label = QComboBox()
        self.start = QSpinBox()
        self.end = QSpinBox()
        self.start.setToolTip("{ and } move the start; with Ctrl by a word")
        self.end.setToolTip("[ and ] move the end; with Ctrl by a word")
        self.actor = QComboBox()
        self.issue = QComboBox()
        self.polarity = QComboBox()
        bounds = QHBoxLayout()
        bounds.addWidget(QLabel("start"))
        bounds.addWidget(self.start)
        bounds.addWidget(QLabel("end"))
        bounds.addWidget(self.end)
        bounds.addStretch(1)
        self.form = QFormLayout(self.editor)
        self.form.addRow(self.preview)
        self.form.addRow("Offsets", bounds)
        self.form.addRow("Label", self.label)
        self.form.addRow("Actor", self.actor)
        self.form.addRow("Issue", self.issue)
        self.form.addRow("Polarity", self.polarity)
        self.editor.hide()
        for key in ("Return", "Enter"):  # wherever the focus is in the editor, spin boxes too
            enter = QShortcut(QKeySequence(key), self.editor)
            enter.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            enter.activated.connect(self.accept_requested.emit)
        self.note = QLineEdit()
        self.note.setPlaceholderText("Note (M): kept with the decision; Enter saves it")
        self.note.setClearButtonEnabled(True)
        self.buttons = QHBoxLayout()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.versions)
        layout.addWidget(self.editor)
        layout.addWidget(self.note)
        layout.addLayout(self.buttons)
        self.start.valueChanged.connect(self._preview)
        self.end.valueChanged.connect(self._preview)
        self.note.returnPressed.connect(lambda: self.note_entered.emit(self.note.text()))

    def add_buttons(self, actions: list[QAction]) -> None:
        """A button for each action (the same command as its key and menu entry)."""
        for action in actions:
            button = QToolButton()
            button.setDefaultAction(action)
            button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
            self.buttons.addWidget(button)
        self.buttons.addStretch(1)

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.label.clear()
        for label in vocabulary.schema.labels:
            self.label.addItem(label.title, label.name)
        # Ids as strings: QComboBox.findData compares Python objects by identity.
        self.actor.clear()
        self.actor.addItem("(no actor)", "")
        for actor_id, name in sorted(vocabulary.actors.items(), key=lambda item: item[1]):
            self.actor.addItem(name, str(actor_id))
        self.issue.clear()
        self.issue.addItem("(no issue)", "")
        for issue in vocabulary.issues:
            self.issue.addItem("    " * issue.depth + issue.name, str(issue.id))
        self.polarity.clear()
        self.polarity.addItems(list(vocabulary.schema.polarities))

    # -- showing ---------------------------------------------------------------------------

    def show_unit(self, comparison: DocumentComparison | None, unit: Unit | None) -> None:
        """Show `unit`; another unit than before ends an edit and clears the note."""
        if unit is None or self.unit is None or unit.key != self.unit.key:
            self.cancel_edit()
            self.note.setText(_decided_note(comparison, unit))
        self.comparison, self.unit = comparison, unit
        row = max(self.versions.currentRow(), 0)
        self.versions.clear()
        if comparison is None or unit is None or self.vocabulary is None:
            self.title.setText("No unit chosen: N steps to the next open disagreement.")
            return
        words = html.escape(describe(unit, comparison, self.vocabulary))
        kind = unit.label if isinstance(unit, SpanUnit) else "stance"
        agreement = AGREEMENT_WORDS[unit.agreement]
        self.title.setText(
            f"<b>{words}</b><br>{kind} · {agreement} · {DECISION_WORDS[unit.decision]}"
        )
        names = {x.annotator_id: x.name for x in comparison.layers}
        if isinstance(unit, SpanUnit):
            for number, version in enumerate(unit.versions, 1):
                choice = version.choice
                text = " ".join(comparison.text[choice.start : choice.end].split())
                who = ", ".join(names.get(a, "?") for a in version.annotators)
                self.versions.addItem(f"{number}. ‘{text}’ {self._links(choice)} — {who}")
        else:
            for number, (polarity, annotators) in enumerate(unit.versions, 1):
                who = ", ".join(names.get(a, "?") for a in annotators)
                self.versions.addItem(f"{number}. {polarity} — {who}")
        self.versions.setCurrentRow(min(row, self.versions.count() - 1))

    def _links(self, choice: SpanChoice) -> str:
        assert self.vocabulary is not None
        parts = [choice.label]
        if choice.actor_id is not None:
            parts.append(f"→ {self.vocabulary.actors.get(choice.actor_id, '?')}")
        issue = self.vocabulary.issue(choice.issue_id)
        if issue is not None:
            parts.append(f"· {issue.name}")
        return " ".join(parts)

    def chosen_version(self) -> int:
        return max(self.versions.currentRow(), 0)

    def choose_version(self, index: int) -> bool:
        if not 0 <= index < self.versions.count():
            return False
        self.versions.setCurrentRow(index)
        if self.editing:
            self.start_edit()  # the editor starts again from the picked version
        return True

    # -- editing ---------------------------------------------------------------------------

    def start_edit(self) -> None:
        """Open the editor on the picked version of the current unit."""
        unit, comparison = self.unit, self.comparison
        if unit is None or comparison is None:
            return
        span = isinstance(unit, SpanUnit)
        for row in range(1, 5):  # offsets, label, actor, issue
            self.form.setRowVisible(row, span)
        self.form.setRowVisible(5, not span)
        self.preview.setVisible(span)
        if isinstance(unit, SpanUnit):
            choice = unit.versions[self.chosen_version()].choice
            for box in (self.start, self.end):
                box.setRange(0, len(comparison.text))
            self.start.setValue(choice.start)
            self.end.setValue(choice.end)
            for combo, value in (
                (self.label, choice.label),
                (self.actor, choice.actor_id),
                (self.issue, choice.issue_id),
            ):
                combo.setCurrentIndex(max(combo.findData(str(value) if value else ""), 0))
            self._preview()
        else:
            self.polarity.setCurrentText(unit.versions[self.chosen_version()][0])
        self.editing = True
        self.editor.show()
        (self.label if span else self.polarity).setFocus()

    def cancel_edit(self) -> None:
        self.editing = False
        self.editor.hide()

    def edited_choice(self) -> SpanChoice:
        actor, issue = self.actor.currentData(), self.issue.currentData()
        return SpanChoice(
            self.start.value(),
            self.end.value(),
            str(self.label.currentData()),
            uuid.UUID(actor) if actor else None,
            uuid.UUID(issue) if issue else None,
        )

    def edited_polarity(self) -> str:
        return self.polarity.currentText()

    def nudge(self, edge: str, direction: int, by_word: bool) -> None:
        """Move the edited span's start or end by a character or a word."""
        if self.comparison is None:
            return
        text = self.comparison.text
        box = self.start if edge == "start" else self.end
        offset = box.value() + direction
        if by_word:
            words = [m.span() for m in _WORD.finditer(text)]
            if direction > 0:
                offset = next((e for _, e in words if e > box.value()), len(text))
            else:
                offset = next((s for s, _ in reversed(words) if s < box.value()), 0)
        start = offset if edge == "start" else self.start.value()
        end = offset if edge == "end" else self.end.value()
        if 0 <= start < end <= len(text):
            box.setValue(offset)

    def _preview(self) -> None:
        if self.comparison is None:
            return
        text, start, end = self.comparison.text, self.start.value(), self.end.value()
        before = html.escape(text[max(start - 40, 0) : start]).replace("\n", " ⏎ ")
        chosen = html.escape(text[start:end]).replace("\n", " ⏎ ")
        after = html.escape(text[end : end + 40]).replace("\n", " ⏎ ")
        self.preview.setText(f"…{before}<b><u>{chosen}</u></b>{after}…")


def _decided_note(comparison: DocumentComparison | None, unit: Unit | None) -> str:
    """The note a decided unit carries: on its gold row, or on its rejection."""
    if unit is None or comparison is None:
        return ""
    if unit.gold:
        return unit.gold[0].note
    rejections = [r for r in comparison.rejections if r.kind == unit.kind and r.ids & unit.ids]
    return rejections[0].note if unit.decision == "rejected" and rejections else ""
