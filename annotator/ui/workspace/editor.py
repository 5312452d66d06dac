"""One document being annotated: its header, its pane, its layer and its undo history.

Every key or click becomes a command from `annotator.core.commands`; the command stores
itself through the layer before anything is repainted.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import replace
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from annotator.core.annotations import AnnotationLayer, Change, SpanValue, StanceValue
from annotator.core.changes import ProjectChange
from annotator.core.commands import (
    AddSpan,
    AddStance,
    ChangeSpan,
    ChangeStance,
    Command,
    DeleteStance,
    Group,
    SetDocumentLabel,
    UndoStack,
    delete_spans,
)
from annotator.core.errors import StaleEdit
from annotator.core.suggestions import Suggestion, find_mentions
from annotator.core.vocabulary import Vocabulary
from annotator.store.deferred import DeferredLayerStore
from annotator.ui.text.pane import DocumentPane

# The store (and SQLAlchemy) load after the first window is painted: see store.first_look.
if TYPE_CHECKING:
    from annotator.store.annotations import LayerStore
    from annotator.store.deferred import Project
    from annotator.store.first_look import FirstDocument

_WORD = re.compile(r"\w+", re.UNICODE)


class DocumentEditor(QWidget):
    changed = Signal(object)  # the Change of the last edit
    current_changed = Signal(object)  # SpanValue | None
    notice = Signal(str)  # one line for the status bar: an edit that met a change elsewhere

    def __init__(
        self, database: Project, vocabulary: Vocabulary, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.database = database
        self.vocabulary = vocabulary
        self.header = QLabel()
        self.header.setTextFormat(Qt.TextFormat.PlainText)  # titles come from scraped pages
        self.header.setWordWrap(True)
        font = self.header.font()
        font.setBold(True)
        self.header.setFont(font)
        self.details = QLabel()
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setWordWrap(True)  # two panes on a 1024-pixel screen: it wraps, not widens
        self.pane = DocumentPane()
        # A bar in the highlight colour over the pane the keys act on (two panes shown).
        self.active_bar = QFrame()
        self.active_bar.setFixedHeight(4)
        self.active_bar.setAutoFillBackground(True)
        self.active_bar.setBackgroundRole(QPalette.ColorRole.Highlight)
        self.active_bar.setToolTip("Label keys and the panels act on this pane (F6: the other)")
        self.active_bar.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.active_bar)
        layout.addWidget(self.header)
        layout.addWidget(self.details)
        layout.addWidget(self.pane, 1)
        self.document_id: uuid.UUID | None = None
        self.annotator_id: uuid.UUID | None = None  # whose layer is shown
        self.story: str | None = None
        self.store: LayerStore | DeferredLayerStore | None = None
        self.stack: UndoStack | None = None
        self.current: SpanValue | None = None
        self.suggestions: list[Suggestion] = []
        self.suggestion: Suggestion | None = None  # the one clicked or stepped to
        self.pane.label_key.connect(self.apply_label)
        self.pane.delete_pressed.connect(self._delete_pressed)
        self.pane.enter_pressed.connect(self._enter_pressed)
        self.pane.resize_pressed.connect(self.resize_current)
        self.pane.clicked.connect(self._clicked)
        self.set_vocabulary(vocabulary)

    def set_active(self, active: bool) -> None:
        """Marked as the pane the keys and panels act on (or not)."""
        self.active_bar.setVisible(active)

    # -- loading ---------------------------------------------------------------------------

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.pane.label_keys = {
            label.key: label.name for label in vocabulary.schema.labels if label.key
        }
        self.colours = {label.name: QColor(label.color) for label in vocabulary.schema.labels}

    @property
    def layer(self) -> AnnotationLayer:
        assert self.stack is not None, "no document open"
        return self.stack.layer

    def open(
        self, document_id: uuid.UUID, annotator_id: uuid.UUID, first: FirstDocument | None = None
    ) -> None:
        """Show the document and the annotator's layer of it: read now, or as `first` (the
        first look's read of this document) has it."""
        if first is not None and first.row.id == document_id and first.row.text is not None:
            row = first.row
            text, title = first.row.text, row.title
            details = [row.source, row.published, row.story]
            self.story = row.story
            self.store = DeferredLayerStore(
                self.database.sessions, document_id, annotator_id, first.status
            )
            layer = AnnotationLayer(
                row.length, self.store, first.spans, first.stances, first.labels
            )
        else:
            from annotator.store.annotations import LayerStore
            from annotator.store.documents import get_document

            with self.database.sessions() as session:
                document = get_document(session, document_id)
                if document is None:
                    raise LookupError(f"no document {document_id}")
                text, title = document.text, document.title
                details = [document.source, document.published, document.story]
                self.story = document.story
            self.store = LayerStore(self.database.sessions, document_id, annotator_id)
            layer = self.store.load()
        self.document_id, self.annotator_id = document_id, annotator_id
        self.stack = UndoStack(layer)
        self.stack.subscribe(self._after_edit)
        self.header.setText(title)
        self.details.setText(" · ".join(d for d in details if d))
        self.current = None
        self.suggestions = []
        self.suggestion = None
        self.pane.set_document(text, self.layer.spans.values(), self.colours)
        self.changed.emit(Change())
        self.current_changed.emit(None)

    # -- edits -----------------------------------------------------------------------------

    def reread(self) -> None:
        """Show the document's layer as stored now, where the reader was in the text; the
        undo history starts anew (its steps were made on what is gone)."""
        if self.document_id is None or self.annotator_id is None:
            return
        place = self.pane.verticalScrollBar().value()
        self.open(self.document_id, self.annotator_id)
        self.pane.verticalScrollBar().setValue(place)

    def push(self, command: Command) -> Change | None:
        if self.stack is None:
            return None
        try:
            return self.stack.push(command)
        except StaleEdit as error:
            self._met_change_elsewhere(error)
            return None

    def _met_change_elsewhere(self, error: StaleEdit) -> None:
        """Nothing of the edit was stored: show what is, and say so in one line."""
        self.reread()
        self.notice.emit(str(error))

    def apply_label(self, label: str) -> SpanValue | None:
        """A label key: mark the selection, or relabel the current span."""
        if self.stack is None:
            return None
        selection = self.pane.selection()
        current = self.current
        if current is not None and selection == (current.start, current.end):
            selection = None  # the current span is shown selected: the key relabels it
        if selection is not None:
            span = SpanValue(uuid.uuid4(), selection[0], selection[1], label)
            if label == self.vocabulary.actor_label:
                span = replace(span, actor_id=self._actor_named(self.pane.text[slice(*selection)]))
            same = [s for s in self.layer.spans_at(span.start) if replace(s, id=span.id) == span]
            if same:  # this very span is marked already: a duplicate would be a bug
                self.select_span(same[0].id)
                return same[0]
            self.push(AddSpan(span, quote=self.pane.text[span.start : span.end]))
            self.select_span(span.id)
            return span
        if self.current is not None and self.current.label != label:
            old = self.current
            # An ACTOR span's link says who the mention is: it goes when the span stops
            # being a mention (a CLAIM is nobody). A span becoming an ACTOR is linked to the
            # actor of its exact name, if there is one. Other links (a claim linked to its
            # speaker with Ctrl+L) stay between other labels.
            actor_label = self.vocabulary.actor_label
            actor_id = old.actor_id
            if old.label == actor_label:
                actor_id = None
            if label == actor_label:
                actor_id = actor_id or self._actor_named(self.pane.text[old.start : old.end])
            new = replace(old, label=label, actor_id=actor_id)
            self.push(ChangeSpan(old, new, text=f"relabel as {label}"))
            self.select_span(new.id)
            return new
        return None

    def _actor_named(self, text: str) -> uuid.UUID | None:
        """The one actor whose name or alias is exactly `text`, to link a new mention."""
        found = {actor_id for actor_id, name in self.vocabulary.names if name == text}
        return found.pop() if len(found) == 1 else None

    def delete_current(self) -> None:
        if self.current is not None:
            quote = self.pane.text[self.current.start : self.current.end]
            self.push(delete_spans(self.layer, [self.current], quote))
            self.select_span(None)

    def resize_current(self, edge: str, direction: int, by_word: bool = False) -> None:
        span = self.current
        if span is None:
            return
        start, end = span.start, span.end
        step = self._word_step if by_word else (lambda offset, d: offset + d)
        if edge == "end":
            end = step(end, direction)
        else:
            start = step(start, direction)
        if 0 <= start < end <= len(self.pane.text):
            new = span.moved(start, end)
            self.push(ChangeSpan(span, new, text="resize span"))
            self.select_span(new.id)

    def _word_step(self, offset: int, direction: int) -> int:
        text = self.pane.text
        words = [m.span() for m in _WORD.finditer(text)]
        if direction > 0:
            return next((end for _, end in words if end > offset), len(text))
        return next((start for start, _ in reversed(words) if start < offset), 0)

    def change_current(self, **fields: object) -> None:
        """Link an actor or issue, or set the note, of the current span."""
        if self.current is None:
            return
        new = replace(self.current, **fields)  # type: ignore[arg-type]
        what = (
            "link actor"
            if "actor_id" in fields
            else "set issue"
            if "issue_id" in fields
            else "edit note"
        )
        self.push(ChangeSpan(self.current, new, text=what))
        self.select_span(new.id)

    def add_stance(
        self,
        actor_id: uuid.UUID,
        issue_id: uuid.UUID,
        polarity: str,
        evidence: tuple[uuid.UUID, ...],
        confidence: float | None = None,
        note: str = "",
    ) -> StanceValue:
        stance = StanceValue(uuid.uuid4(), actor_id, issue_id, polarity, evidence, confidence, note)
        self.push(AddStance(stance))
        return stance

    def change_stance(self, stance_id: uuid.UUID, **fields: object) -> None:
        old = self._stored_stance(stance_id, "changed")
        if old is not None:
            new = replace(old, **fields)  # type: ignore[arg-type]
            if new != old:
                self.push(ChangeStance(old, new))

    def delete_stance(self, stance_id: uuid.UUID) -> None:
        old = self._stored_stance(stance_id, "deleted")
        if old is not None:
            self.push(DeleteStance(old))

    def _stored_stance(self, stance_id: uuid.UUID, verb: str) -> StanceValue | None:
        """The stance as this layer holds it; if it is gone meanwhile (undone, or deleted
        elsewhere and read again), say that nothing was `verb`."""
        stance = self.layer.stances.get(stance_id) if self.stack is not None else None
        if stance is None:
            self.notice.emit(f"That stance is no longer stored: nothing was {verb}.")
        return stance

    def toggle_document_label(self, label: str) -> None:
        present = label not in self.layer.document_labels
        self.push(SetDocumentLabel(label, present))

    def set_status(self, status: str) -> ProjectChange:
        if self.store is None:
            return ProjectChange()
        return self.store.set_status(status)

    def status(self) -> str:
        return self.store.status() if self.store is not None else "todo"

    def undo(self) -> None:
        self._replay(undo=True)

    def redo(self) -> None:
        self._replay(undo=False)

    def _replay(self, *, undo: bool) -> None:
        if self.stack is None:
            return
        try:
            change = self.stack.undo() if undo else self.stack.redo()
        except StaleEdit as error:
            self._met_change_elsewhere(error)
            return
        if change is not None:
            self._keep_current()

    # -- suggestions -----------------------------------------------------------------------

    def suggest_actors(self) -> list[Suggestion]:
        """Show the registry's names found in the text that no ACTOR span covers yet; the
        first is the current one (Enter accepts it, Del rejects it, both go to the next)."""
        label = self.vocabulary.actor_label
        taken = [(s.start, s.end) for s in self.layer.spans.values() if s.label == label]
        self.suggestions = find_mentions(self.pane.text, self.vocabulary.names, taken)
        self.pane.set_suggestions((s.start, s.end) for s in self.suggestions)
        self.choose_suggestion(self.suggestions[0] if self.suggestions else None)
        self.changed.emit(Change())
        return self.suggestions

    def choose_suggestion(self, suggestion: Suggestion | None) -> None:
        """Make `suggestion` the current one: selected in the text, no span current."""
        if suggestion is not None:
            self.select_span(None)
        self.suggestion = suggestion
        if suggestion is not None:
            self.pane.select_range(suggestion.start, suggestion.end)

    def accept_suggestions(self, chosen: list[Suggestion]) -> None:
        """Store the chosen suggestions as linked ACTOR spans, as one undoable step."""
        label = self.vocabulary.actor_label
        commands: list[Command] = [
            AddSpan(
                SpanValue(uuid.uuid4(), s.start, s.end, label, actor_id=s.actor_id),
                quote=s.matched,
            )
            for s in chosen
        ]
        if commands:
            text = f"accept {len(commands)} suggestions" if len(commands) > 1 else None
            self.push(Group(commands, text=text) if text else commands[0])
        self.reject_suggestions(chosen)

    def reject_suggestions(self, chosen: list[Suggestion]) -> None:
        """Drop `chosen` from the outlined suggestions; if the current one was among them,
        the next one in the text becomes current."""
        following = self.suggestion
        if following is not None and following in chosen:
            following = self._next_suggestion(following.start, chosen)
        self.suggestions = [s for s in self.suggestions if s not in chosen]
        self.pane.set_suggestions((s.start, s.end) for s in self.suggestions)
        self.suggestion = None
        self.choose_suggestion(following)
        self.changed.emit(Change())

    def accept_current_suggestion(self) -> None:
        """Accept the current suggestion and go to the next; without one, go to the next
        after the cursor (nothing is stored that was not shown as current first)."""
        if self.suggestion is not None:
            self.accept_suggestions([self.suggestion])
        else:
            self._step_to_suggestion()

    def reject_current_suggestion(self) -> None:
        if self.suggestion is not None:
            self.reject_suggestions([self.suggestion])
        else:
            self._step_to_suggestion()

    def _step_to_suggestion(self) -> None:
        cursor = self.pane.positions.to_code_point(self.pane.textCursor().position())
        self.choose_suggestion(self._next_suggestion(cursor))
        self.changed.emit(Change())

    def _next_suggestion(
        self, offset: int, leaving: list[Suggestion] | None = None
    ) -> Suggestion | None:
        """The first suggestion from `offset` on, else the first of all (the list wraps
        round), not counting those `leaving`."""
        left = [s for s in self.suggestions if not leaving or s not in leaving]
        return next((s for s in left if s.start >= offset), left[0] if left else None)

    def _enter_pressed(self) -> None:
        if self.suggestion is not None:
            self.accept_current_suggestion()

    def _delete_pressed(self) -> None:
        if self.suggestion is not None and self.current is None:
            self.reject_current_suggestion()
        else:
            self.delete_current()

    # -- selection -------------------------------------------------------------------------

    def select_span(self, span_id: uuid.UUID | None) -> None:
        self.current = self.layer.spans.get(span_id) if span_id is not None else None
        if self.current is not None:
            self.suggestion = None
        self.pane.set_current(self.current)
        self.current_changed.emit(self.current)

    def _clicked(self, offset: int) -> None:
        if self.stack is None:
            return
        # A click on an outlined suggestion makes it the current one: the keys act on it.
        clicked = next((s for s in self.suggestions if s.start <= offset < s.end), None)
        if clicked is not None:
            self.choose_suggestion(clicked)
            self.changed.emit(Change())
            return
        self.suggestion = None
        under = self.layer.spans_at(offset)
        self.select_span(under[0].id if under else None)

    def _keep_current(self) -> None:
        if self.current is not None:
            self.select_span(self.current.id if self.current.id in self.layer.spans else None)

    def _after_edit(self, change: Change) -> None:
        if change.ranges:
            self.pane.update_spans(self.layer.spans.values(), change.ranges)
        self.changed.emit(change)
