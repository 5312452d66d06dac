"""Recording a stance: actor, issue, polarity and the spans that show it, by keyboard.

Ctrl+T (from the workspace) starts a new stance with the actor field focused; Tab moves on;
Ctrl+Return adds it. Choosing a stance in the List tab opens it here to change or delete.
What is stored is what the form shows when it is submitted: the actor named in the actor
field (chosen from its list, or typed as an actor's exact name or alias), the issue and the
polarity picked. Nothing is chosen for the person: a missing choice is said in one line.
"""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from annotator.core.annotations import AnnotationLayer, SpanValue, StanceValue
from annotator.core.vocabulary import Vocabulary
from annotator.ui.actors.picker import ERROR_STYLE, ActorPicker
from annotator.ui.workspace.annotation_list import snippet
from annotator.ui.workspace.rows import KeyedRows, same_objects, sync_rows

CHOOSE_ISSUE = "(choose an issue)"
CHOOSE_POLARITY = "(choose a polarity)"


def fill_issues(combo: QComboBox, vocabulary: Vocabulary, empty: str | None = None) -> None:
    """Issues as an indented tree in a combo box; item data is the issue id."""
    combo.clear()
    if empty is not None:
        combo.addItem(empty, None)
    for issue in vocabulary.issues:
        # As text: QComboBox.findData compares Python objects by identity, not by value.
        combo.addItem("    " * issue.depth + issue.name, str(issue.id))


def buddy(text: str, widget: QWidget) -> QLabel:
    """A form label whose underlined letter, with Alt, moves to `widget`."""
    label = QLabel(text)
    label.setBuddy(widget)
    return label


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
    stance_saved = Signal(object, object, object, str, tuple)  # stance id, then the same
    stance_deleted = Signal(object)  # stance id
    done = Signal()  # added, saved, deleted or Esc: the text has the keyboard again

    def __init__(self, picker: ActorPicker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.picker = picker
        self.vocabulary: Vocabulary | None = None
        self.editing: StanceValue | None = None  # None: a new stance
        self._auto_ticked: uuid.UUID | None = None  # the current span, ticked for the user
        # The evidence rows, kept in step with the layer, and which of them are ticked (the
        # list's own check states, mirrored: asking 5,000 items on every key press costs).
        self._rows: KeyedRows[QListWidgetItem] = KeyedRows(
            self._insert_row, self._remove_row, self._update_row
        )
        self._showing: tuple[object, ...] = ()
        self._row_texts: dict[SpanValue, tuple[str, ...]] = {}
        self._checked: set[uuid.UUID] = set()
        self._synced: int | None = None  # the layer version the evidence rows show
        self.title = QLabel()
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        self.issue = QComboBox()
        self.polarity = QComboBox()
        self.evidence = QListWidget()
        self.evidence.setMinimumHeight(80)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.hide()
        self.add_button = QPushButton("Add stance (Ctrl+Return)")
        self.add_button.clicked.connect(self.submit)
        self.delete_button = QPushButton("Delete stance")
        self.delete_button.clicked.connect(self.delete)
        self.new_button = QPushButton("New stance")
        self.new_button.clicked.connect(lambda: self.start_new())
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(buddy("&Actor", picker.edit), picker)
        form.addRow(buddy("&Issue", self.issue), self.issue)
        form.addRow(buddy("&Polarity", self.polarity), self.polarity)
        form.addRow(buddy("Evidence", self.evidence), self.evidence)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.delete_button)
        buttons.addWidget(self.new_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(form, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        picker.actor_chosen.connect(lambda _actor: self._say(""))
        for combo in (self.issue, self.polarity):
            combo.activated.connect(lambda _index: self._say(""))
        self.evidence.itemChanged.connect(self._ticked)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self.submit)
        self._show_mode()

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        issue, polarity = issue_of(self.issue), self.polarity.currentData()
        fill_issues(self.issue, vocabulary, empty=CHOOSE_ISSUE)
        self.polarity.clear()
        self.polarity.addItem(CHOOSE_POLARITY, None)
        for name in vocabulary.schema.polarities:
            self.polarity.addItem(name, name)
        select_data(self.issue, issue)
        select_data(self.polarity, polarity)

    # -- what the form shows -----------------------------------------------------------------

    def start_new(self, current: SpanValue | None = None) -> None:
        """An empty form for a new stance; a linked `current` span fills in what it knows."""
        self.editing = None
        self.picker.edit.clear()
        self.picker.chosen_id = None
        self.issue.setCurrentIndex(0)
        self.polarity.setCurrentIndex(0)
        self._set_ticks(())
        self._auto_ticked = None
        self._say("")
        if current is not None:
            self._follow(current)
        self._show_mode()

    def edit(self, stance: StanceValue) -> None:
        """Show `stance` to change or delete it."""
        self.editing = stance
        self._set_actor(stance.actor_id)
        select_data(self.issue, stance.issue_id)
        select_data(self.polarity, stance.polarity)
        self._auto_ticked = None
        self._set_ticks(stance.evidence)
        self._say("")
        self._show_mode()

    def _show_mode(self) -> None:
        stance = self.editing
        if stance is None:
            self.title.setText("New stance")
            self.add_button.setText("Add stance (Ctrl+Return)")
        else:
            names = self.vocabulary.actors if self.vocabulary else {}
            issue = self.vocabulary.issue(stance.issue_id) if self.vocabulary else None
            self.title.setText(
                f"Editing: {names.get(stance.actor_id, '?')} {stance.polarity} "
                f"{issue.name if issue else '?'}"
            )
            self.add_button.setText("Save stance (Ctrl+Return)")
        self.delete_button.setVisible(stance is not None)
        self.new_button.setVisible(stance is not None)

    def show_layer(
        self,
        layer: AnnotationLayer,
        text: str,
        current: SpanValue | None,
        changed: Collection[uuid.UUID] | None = None,
    ) -> None:
        """List the layer's spans as possible evidence, keeping what is ticked (after an
        edit only the rows of the `changed` spans are touched). For a new stance the current
        span is ticked, and a linked span fills in an empty actor or issue."""
        if self.editing is not None:
            stored = layer.stances.get(self.editing.id)
            if stored is None:  # deleted (undo, or elsewhere): nothing left to edit
                self.start_new()
            elif stored != self.editing:
                self.edit(stored)
        ticked = set(self.chosen_evidence())
        if self.editing is None and self._auto_ticked != (current.id if current else None):
            ticked.discard(self._auto_ticked)
            self._auto_ticked = None
            if current is not None and current.id not in ticked:
                ticked.add(current.id)
                self._auto_ticked = current.id
        blocked = self.evidence.blockSignals(True)  # rows made or relabelled: no tick by hand
        if not same_objects((layer, text), self._showing):
            self.forget()
            self._showing = (layer, text)
        sync_rows(self._rows, self._synced, layer, changed, lambda s: self._texts_of(s, text))
        self._synced = layer.version
        self._set_ticks(tuple(ticked))
        self.evidence.blockSignals(blocked)
        if self.editing is None and current is not None:
            self._follow(current)

    def forget(self) -> None:
        """List no evidence (a new layer's rows are on their way); ticks go too."""
        blocked = self.evidence.blockSignals(True)
        self.evidence.clear()
        self.evidence.blockSignals(blocked)
        self._rows.forget()
        self._row_texts.clear()
        self._checked = set()
        self._showing = ()
        self._synced = None

    def _follow(self, span: SpanValue) -> None:
        """Fill in an empty actor or issue from a linked span (a choice made is kept)."""
        if span.actor_id is not None and not self.picker.text().strip():
            self._set_actor(span.actor_id)
        if span.issue_id is not None and issue_of(self.issue) is None:
            select_data(self.issue, span.issue_id)

    def _set_actor(self, actor_id: uuid.UUID) -> None:
        name = self.vocabulary.actors.get(actor_id) if self.vocabulary else None
        self.picker.edit.setText(name or "")
        self.picker.chosen_id = actor_id if name else None

    def _texts_of(self, span: SpanValue, text: str) -> tuple[str, ...]:
        found = self._row_texts.get(span)
        if found is None:
            found = self._row_texts[span] = (f"{span.label}: {snippet(text, span, 50)}",)
        return found

    def _insert_row(self, row: int, key: object, texts: tuple[str, ...]) -> QListWidgetItem:
        item = QListWidgetItem(texts[0])
        item.setData(Qt.ItemDataRole.UserRole, key)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        self.evidence.insertItem(row, item)
        return item

    def _remove_row(self, item: QListWidgetItem) -> None:
        self._checked.discard(item.data(Qt.ItemDataRole.UserRole))
        self.evidence.takeItem(self.evidence.row(item))

    def _update_row(self, item: QListWidgetItem, texts: tuple[str, ...]) -> None:
        item.setText(texts[0])

    def _set_ticks(self, span_ids: Sequence[uuid.UUID]) -> None:
        """Tick exactly these rows (those the list has), touching only rows that change."""
        wanted = set(span_ids) & self._rows.items.keys()
        blocked = self.evidence.blockSignals(True)
        for span_id in wanted ^ self._checked:
            state = Qt.CheckState.Checked if span_id in wanted else Qt.CheckState.Unchecked
            self._rows.items[span_id].setCheckState(state)
        self.evidence.blockSignals(blocked)
        self._checked = wanted

    def _ticked(self, item: QListWidgetItem) -> None:
        """The person ticked or unticked a row (itemChanged)."""
        span_id = item.data(Qt.ItemDataRole.UserRole)
        if item.checkState() == Qt.CheckState.Checked:
            self._checked.add(span_id)
        else:
            self._checked.discard(span_id)
        if span_id == self._auto_ticked:
            self._auto_ticked = None  # the person's own choice now: kept when spans change

    def tick(self, span_ids: Sequence[uuid.UUID]) -> None:
        for span_id in span_ids:
            item = self._rows.items.get(span_id)
            if item is not None:
                item.setCheckState(Qt.CheckState.Checked)  # itemChanged keeps the mirror

    def chosen_evidence(self) -> tuple[uuid.UUID, ...]:
        """The ticked spans, in the list's (the text's) order."""
        return tuple(key for key in self._rows.order if key in self._checked)  # type: ignore[misc]

    def chosen_actor(self) -> uuid.UUID | None:
        """The actor the actor field names now: the one picked from its list while its name
        is still what the field says, else the one actor of that exact name or alias."""
        text = self.picker.text().strip()
        if not text:
            return None
        chosen = self.picker.chosen_id
        names = self.vocabulary.actors if self.vocabulary else {}
        if chosen is not None and names.get(chosen, text) == text:
            return chosen  # picked (a new actor may not be in the vocabulary yet)
        return self.vocabulary.actor_named(text) if self.vocabulary else None

    # -- submitting --------------------------------------------------------------------------

    def submit(self) -> None:
        actor_id = self.chosen_actor()
        issue_id = issue_of(self.issue)
        polarity = self.polarity.currentData()
        text = self.picker.text().strip()
        if actor_id is None:
            self._say(
                f"No actor is named “{text}”: pick one from the list under the actor field "
                "(Down, Enter), or create it there."
                if text
                else "Choose the actor who takes the stance."
            )
            self.picker.setFocus()
            return
        if issue_id is None or polarity is None:
            self._say("Choose the issue." if issue_id is None else "Choose the polarity.")
            (self.issue if issue_id is None else self.polarity).setFocus()
            return
        evidence = self.chosen_evidence()
        if self.editing is None:
            self.stance_requested.emit(actor_id, issue_id, polarity, evidence)
        else:
            self.stance_saved.emit(self.editing.id, actor_id, issue_id, polarity, evidence)
        self.start_new()
        self.done.emit()

    def delete(self) -> None:
        if self.editing is not None:
            stance_id = self.editing.id
            self.start_new()
            self.stance_deleted.emit(stance_id)
            self.done.emit()

    def _say(self, line: str) -> None:
        self.message.setText(line)
        self.message.setVisible(bool(line))

    def focus_actor(self) -> None:
        self.picker.setFocus(Qt.FocusReason.ShortcutFocusReason)
