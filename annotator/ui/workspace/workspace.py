"""The annotation workspace: one or two documents side by side and the panels about them.

Layout and wiring only: behaviour lives in `DocumentEditor` (edits as commands) and the
small panels. The editor that last had focus is the one the panels and keys act on.
"""

from __future__ import annotations

import uuid
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from annotator.core.annotations import Change, SpanValue
from annotator.core.changes import ProjectChange
from annotator.core.vocabulary import Vocabulary
from annotator.ui.actors.picker import ActorPicker
from annotator.ui.changes import ChangeHub
from annotator.ui.text.pane import TAG_LIMIT
from annotator.ui.workspace.annotation_list import AnnotationList
from annotator.ui.workspace.document_tags import DocumentPanel
from annotator.ui.workspace.editor import DocumentEditor
from annotator.ui.workspace.matrix import StanceMatrix
from annotator.ui.workspace.palette import LabelPalette
from annotator.ui.workspace.partner_menu import PartnerMenu, read_partners
from annotator.ui.workspace.span_inspector import SpanInspector
from annotator.ui.workspace.stance_form import StanceEditor

# The store (and SQLAlchemy) load after the first window is painted: see store.first_look.
if TYPE_CHECKING:
    from annotator.store.deferred import Project
    from annotator.store.first_look import FirstDocument, FirstLook

# A layer with more spans than this gets its side lists after the opening is painted.
LISTS_LATER = 500


class Workspace(QWidget):
    edited = Signal()  # something was stored; the window shows "saved"
    history_changed = Signal()  # the active pane's undo history: what Edit › Undo/Redo do
    notice = Signal(str)  # a line for the status bar (a document re-read after a change)

    def __init__(
        self,
        database: Project,
        annotator_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        first_look: FirstLook | None = None,
    ) -> None:
        """`first_look`: the vocabulary and first document already read for the first window."""
        super().__init__(parent)
        self.database = database
        self.annotator_id = annotator_id
        self._first: FirstDocument | None = None
        if first_look is not None:
            self.vocabulary: Vocabulary = first_look.vocabulary
            self._first = first_look.document
        else:
            self.vocabulary = self._read_vocabulary()
        actor_types = self.vocabulary.schema.actor_types
        self.left = DocumentEditor(database, self.vocabulary)
        self.right = DocumentEditor(database, self.vocabulary)
        self.active = self.left
        self.palette_bar = LabelPalette()
        self.partner = PartnerMenu()
        self.synced = QCheckBox("Scroll together")
        self.inspector = SpanInspector(ActorPicker(database.sessions, actor_types))
        self.stance_editor = StanceEditor(ActorPicker(database.sessions, actor_types))
        self._lists_planned = False  # a long layer's side lists are to be made after a paint
        self.annotations = AnnotationList()
        self.matrix = StanceMatrix()
        self.document_panel = DocumentPanel()
        self.side = QTabWidget()
        self.side.setDocumentMode(True)
        self.side.addTab(self.annotations, "List")
        self.side.addTab(self.inspector, "Span")
        self.side.addTab(self.stance_editor, "Stance")
        self.side.addTab(self.document_panel, "Document")
        self.side.addTab(self.matrix, "Matrix")
        self.side.setTabToolTip(4, "Actors × issues: who took which position")
        self._same_story: list[uuid.UUID] = []
        self._syncing = False  # one pane is following the other's scrolling
        self.hub = ChangeHub(self)  # the project's hub once `listen` is called
        self._layout()
        self._wire()
        self.set_vocabulary(self.vocabulary)
        self.right.hide()

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.palette_bar, 1)
        top.addWidget(self.partner)
        top.addWidget(self.synced)
        documents = QSplitter()
        documents.addWidget(self.left)
        documents.addWidget(self.right)
        outer = QSplitter()
        outer.addWidget(documents)
        outer.addWidget(self.side)
        outer.setStretchFactor(0, 3)
        outer.setStretchFactor(1, 1)
        outer.setSizes([740, 370])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(outer, 1)

    def _wire(self) -> None:
        for editor in (self.left, self.right):
            editor.changed.connect(lambda change, e=editor: self._changed(e, change))
            editor.current_changed.connect(lambda span, e=editor: self._current(e, span))
            editor.notice.connect(self._met_change_elsewhere)
            editor.pane.installEventFilter(self)
            editor.pane.viewport().installEventFilter(self)  # a click there, focused or not
        self.palette_bar.label_chosen.connect(lambda label: self.active.apply_label(label))
        self.inspector.relabel.connect(lambda label: self.active.apply_label(label))
        self.inspector.link_actor.connect(self._link_actor)
        self.inspector.set_issue.connect(self._set_issue)
        self.inspector.set_note.connect(self._note)
        self.inspector.delete.connect(lambda: self.active.delete_current())
        self.stance_editor.stance_requested.connect(self._add_stance)
        self.stance_editor.stance_saved.connect(self._save_stance)
        self.stance_editor.stance_deleted.connect(lambda i: self.active.delete_stance(i))
        self.stance_editor.done.connect(self._back_to_text)
        self.annotations.span_activated.connect(lambda s: self.active.select_span(s))
        self.annotations.stance_activated.connect(self._stance_chosen)
        self.annotations.stance_opened.connect(self._stance_opened)
        self.annotations.suggestion_activated.connect(self._suggestion_chosen)
        self.document_panel.toggled.connect(lambda name: self.active.toggle_document_label(name))
        self.partner.partner_chosen.connect(self.compare_with)
        self.partner.partner_chosen.connect(lambda _id: self.focus_text())
        self.document_panel.toggled.connect(lambda _name: self.focus_text())
        # Esc anywhere in the side panel gives the keyboard back to the text (a list that is
        # open takes its Esc first: see ActorPicker).
        escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.side)
        escape.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        escape.activated.connect(self.focus_text)
        for widget in (self.partner, self.synced):
            escape = QShortcut(QKeySequence(Qt.Key.Key_Escape), widget)
            escape.setContext(Qt.ShortcutContext.WidgetShortcut)
            escape.activated.connect(self.focus_text)
        for source, target in ((self.left, self.right), (self.right, self.left)):
            source.pane.verticalScrollBar().valueChanged.connect(
                lambda _, s=source, t=target: self._sync_scroll(s, t)
            )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if event.type() in (QEvent.Type.FocusIn, QEvent.Type.MouseButtonPress):
            for editor in (self.left, self.right):
                # The panels already show the active editor: only a switch refreshes them.
                touched = watched in (editor.pane, editor.pane.viewport())
                if touched and editor is not self.active:
                    self._activate(editor)
        return False

    def listen(self, hub: ChangeHub) -> None:
        """Publish this workspace's edits to `hub`, and follow what others publish there."""
        self.hub = hub
        hub.changed.connect(self._project_changed)

    def _project_changed(self, change: ProjectChange, origin: object) -> None:
        """Another view, a service or another program changed the project: read again what
        the panes show, if it may differ (the panes' own edits are shown already)."""
        if origin in (self, self.left, self.right):
            return
        if change.registry:
            self.reload_vocabulary(gone=change.actors_gone)
        elif change.actors_gone:
            self._reopen_panes()
        reread = self.reload_changed_layers(change)
        if reread:
            self.notice.emit(
                "Changed elsewhere (another window, an import or a bundle): "
                "shown as stored now; undo starts again."
            )

    def _met_change_elsewhere(self, line: str) -> None:
        """A pane's edit met a change made elsewhere and read its layer again: the panels
        follow, and the rest of the project may have changed too, so the views hear it."""
        self._refresh_panels()
        self.history_changed.emit()
        self.notice.emit(line)
        self.hub.publish(ProjectChange.unknown(), self)

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        for editor in (self.left, self.right):
            editor.set_vocabulary(vocabulary)
        self.palette_bar.set_schema(vocabulary.schema)
        self.inspector.set_vocabulary(vocabulary)
        self.stance_editor.set_vocabulary(vocabulary)

    def reload_vocabulary(self, gone: frozenset[uuid.UUID] = frozenset()) -> None:
        """After the registry or schema changed. When an actor is gone (merged into another,
        or deleted: named in `gone`, or no longer read), the open layers are read again: their
        spans and stances may have moved to the kept actor, and an undo step that named the
        gone actor could not be replayed."""
        before = set(self.vocabulary.actors)
        self.set_vocabulary(self._read_vocabulary())
        if gone or before - set(self.vocabulary.actors):
            self._reopen_panes()
        self._refresh_panels()

    def _read_vocabulary(self) -> Vocabulary:
        from annotator.store.vocabulary import load_vocabulary

        with self.database.sessions() as session:
            return load_vocabulary(session)

    # -- documents -------------------------------------------------------------------------

    def open_document(self, document_id: uuid.UUID) -> None:
        # The first document becomes the active one before it opens, so the `changed` signal
        # its editor sends on opening refreshes the panels, once.
        self.active = self.left
        # The first look's read of the first document stands for one opening of it.
        first, self._first = self._first, None
        if first is not None and first.row.id != document_id:
            first = None
        self.left.open(document_id, self.annotator_id, first)
        if self.left.pane.tags_left_off:
            self.notice.emit(
                f"Label names are not drawn on this document: it has more than "
                f"{TAG_LIMIT:,} spans, and drawing them would slow every key press."
            )
        # The partner menu reads its list when first opened (or asked for the next partner).
        self.partner.reset(
            partial(read_partners, self.database.sessions, document_id, self.left.story),
            self.left.story,
        )
        # The one beside stays while it is of the same story and not the one now opened
        # (one document in both panes would be two views of one layer).
        beside = self.right.document_id
        if self.right.isVisible() and (
            self.right.story != self.left.story or beside == document_id
        ):
            self.compare_with(None)
        elif self.right.isVisible():
            self.partner.show_partner(self.right.document_id)

    def set_annotator(self, annotator_id: uuid.UUID) -> None:
        """Work as `annotator_id` from now on: every open pane shows, and writes to, that
        annotator's layer (a pane left on the previous annotator's layer would store the new
        annotator's spans in it)."""
        self.annotator_id = annotator_id
        self._reopen_panes()
        self._refresh_panels()

    def _open_editors(self) -> list[tuple[DocumentEditor, uuid.UUID]]:
        """The panes on screen that show a document, with the document's id."""
        shown = [self.left, self.right] if self.right.isVisible() else [self.left]
        return [(editor, editor.document_id) for editor in shown if editor.document_id is not None]

    def _reopen_panes(self) -> None:
        """Read the open documents' layers again (of `annotator_id`), with a new undo history."""
        for editor, document_id in self._open_editors():
            editor.open(document_id, self.annotator_id)

    def reload_changed_layers(self, change: ProjectChange | None = None) -> int:
        """After a change made elsewhere (another window, an import or a bundle merge): the
        open panes whose layer `change` may touch (any, without one) and is no longer what
        is stored are read again, keeping where the reader was in the text; their undo
        history starts anew (its steps were made on what is gone). Returns how many panes
        were read again."""
        from annotator.store.annotations import LayerStore

        reread = 0
        for editor, document_id in self._open_editors():
            if editor.stack is None:
                continue
            if change is not None and not change.touches_layer(document_id, self.annotator_id):
                continue
            stored = LayerStore(self.database.sessions, document_id, self.annotator_id)
            now = stored.load()
            layer = editor.layer
            if (now.spans, now.stances, now.document_labels) == (
                layer.spans,
                layer.stances,
                layer.document_labels,
            ):
                continue
            editor.reread()
            reread += 1
        if reread:
            self._refresh_panels()
        return reread

    def compare_with(self, document_id: uuid.UUID | None) -> None:
        """Show `document_id` beside the first document (None, or the first document itself,
        closes the second pane: one document in both would be two views of one layer)."""
        if document_id is None or document_id == self.left.document_id:
            self.right.hide()
            self._activate(self.left)
            self.partner.show_partner(None)
            return
        self.right.open(document_id, self.annotator_id)
        self.right.show()
        self.partner.show_partner(document_id)
        self._mark_active()
        self._refresh_panels()

    def partner_ids(self) -> list[uuid.UUID]:
        """Documents of the same story, in the order the partner menu offers them."""
        return self.partner.same_story()

    def _sync_scroll(self, source: DocumentEditor, target: DocumentEditor) -> None:
        # Not by blocking the scroll bar's signals: the text follows its bar by that signal.
        if self._syncing or not self.synced.isChecked() or not target.isVisible():
            return
        bar, other = source.pane.verticalScrollBar(), target.pane.verticalScrollBar()
        share = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self._syncing = True
        try:
            other.setValue(round(share * other.maximum()))
        finally:
            self._syncing = False

    # -- panels ----------------------------------------------------------------------------

    def _activate(self, editor: DocumentEditor) -> None:
        if editor.stack is None:
            return
        self.active = editor
        self._mark_active()
        self._refresh_panels()
        self.history_changed.emit()

    def _mark_active(self) -> None:
        """With two panes, the one the label keys and panels act on is marked."""
        both = not self.right.isHidden()  # shown beside (the window itself may not be yet)
        for editor in (self.left, self.right):
            editor.set_active(both and editor is self.active)

    def other_pane(self) -> None:
        """F6: work in the other pane (when two are shown)."""
        target = self.right if self.active is self.left else self.left
        if target.isVisible() and target.stack is not None:
            target.pane.setFocus(Qt.FocusReason.ShortcutFocusReason)
            self._activate(target)

    def show_tags(self, shown: bool) -> None:
        """Label names drawn on the text of both panes, or not."""
        for editor in (self.left, self.right):
            editor.pane.show_tags(shown)

    def focus_text(self) -> None:
        """Esc in a panel, or a choice made there: the active text has the keys again."""
        self.active.pane.setFocus(Qt.FocusReason.OtherFocusReason)

    def _changed(self, editor: DocumentEditor, change: Change) -> None:
        if editor is self.active:
            self.history_changed.emit()
            self._refresh_panels(change)
        elif editor.stack is not None:
            self._refresh_matrix()
        if (change.spans or change.stances or change.document_labels) and editor.document_id:
            # The document's status is in the change only when this edit started it: the
            # progress line then counts again, and not on every other key press.
            started = editor.store is not None and editor.store.take_status_change()
            self.hub.publish(
                ProjectChange.of_layers(
                    [(editor.document_id, self.annotator_id)], statuses=started
                ),
                editor,
            )
            self.edited.emit()

    def _current(self, editor: DocumentEditor, span: SpanValue | None) -> None:
        if editor is not self.active:
            if not editor.pane.hasFocus():
                return  # opened or read again beside: the keys stay where the person is
            self._activate(editor)
        self.inspector.show_span(span, editor.pane.text)
        self.annotations.select(span.id if span else None)
        if editor.stack is not None and not self._lists_planned:  # else: with the lists
            self.stance_editor.show_layer(editor.layer, editor.pane.text, span)

    def _refresh_panels(self, change: Change | None = None) -> None:
        """Show the active layer in the side panels; after an edit (`change`) the lists
        touch only the rows of the spans it changed."""
        editor = self.active
        if editor.stack is None:
            return
        text = editor.pane.text
        if not self.annotations.shows(editor.layer) and len(editor.layer.spans) > LISTS_LATER:
            # A layer of thousands of spans opened: its rows are made once the text is on
            # screen (tests/perf/bench_workspace.window_open); the old ones go at once.
            self.annotations.forget()
            self.stance_editor.forget()
            if not self._lists_planned:
                self._lists_planned = True
                QTimer.singleShot(0, self, self._fill_lists)
        else:
            self._show_lists(change)
        self.inspector.show_span(editor.current, text)
        self.document_panel.show_document(
            self.vocabulary, editor.layer.document_labels, editor.status()
        )
        self._refresh_matrix()

    def _show_lists(self, change: Change | None) -> None:
        editor = self.active
        text = editor.pane.text
        changed = change.spans if change is not None else None
        self.annotations.show_layer(
            editor.layer, text, self.vocabulary, editor.suggestions, changed
        )
        self.stance_editor.show_layer(editor.layer, text, editor.current, changed)

    def _fill_lists(self) -> None:
        """The side lists of the layer opened last (whichever pane is active now)."""
        self._lists_planned = False
        if self.active.stack is not None:
            self._show_lists(None)

    def _refresh_matrix(self) -> None:
        layers = [
            (e.details.text().split(" · ")[0] or e.header.text(), list(e.layer.stances.values()))
            for e in (self.left, self.right)
            if e.stack is not None and (e is self.left or e.isVisible())
        ]
        self.matrix.show_stances(layers, self.vocabulary)

    def _link_actor(self, actor_id: uuid.UUID | None) -> None:
        self.active.change_current(actor_id=actor_id)
        self.focus_text()  # Ctrl+L, type, Enter: the next key labels text again

    def _set_issue(self, issue_id: uuid.UUID | None) -> None:
        self.active.change_current(issue_id=issue_id)
        self.focus_text()

    def _note(self, note: str) -> None:
        current = self.active.current
        if current is not None and current.note != note:
            self.active.change_current(note=note)

    def _add_stance(
        self,
        actor_id: uuid.UUID,
        issue_id: uuid.UUID,
        polarity: str,
        evidence: tuple[uuid.UUID, ...],
    ) -> None:
        self.active.add_stance(actor_id, issue_id, polarity, evidence)

    def _save_stance(
        self,
        stance_id: uuid.UUID,
        actor_id: uuid.UUID,
        issue_id: uuid.UUID,
        polarity: str,
        evidence: tuple[uuid.UUID, ...],
    ) -> None:
        self.active.change_stance(
            stance_id, actor_id=actor_id, issue_id=issue_id, polarity=polarity, evidence=evidence
        )

    def _back_to_text(self) -> None:
        """A form is done with: the List shows the result, the text has the keys."""
        self.side.setCurrentWidget(self.annotations)
        self.focus_text()

    def _stance_chosen(self, stance_id: uuid.UUID) -> None:
        """A stance chosen in the list: its first evidence is shown in the text, and the
        Stance tab holds it, ready to change or delete."""
        stance = self.active.layer.stances.get(stance_id)
        if stance is None:
            return
        self.stance_editor.edit(stance)
        if stance.evidence:
            self.active.select_span(stance.evidence[0])

    def _stance_opened(self, stance_id: uuid.UUID) -> None:
        """Enter or a double click on a stance in the list: change it in the Stance tab."""
        self._stance_chosen(stance_id)
        if self.stance_editor.editing is not None:
            self.side.setCurrentWidget(self.stance_editor)
            self.stance_editor.focus_actor()

    def _suggestion_chosen(self, index: int) -> None:
        suggestions = self.active.suggestions
        if 0 <= index < len(suggestions):
            self.active.choose_suggestion(suggestions[index])

    # -- actions the window's menus and keys call --------------------------------------------

    def focus_stance_editor(self) -> None:
        """Ctrl+T: a new stance, filled in from the current span if it is linked."""
        self.stance_editor.start_new(self.active.current)
        if self.active.stack is not None:
            editor = self.active
            self.stance_editor.show_layer(editor.layer, editor.pane.text, editor.current)
        self.side.setCurrentWidget(self.stance_editor)
        self.stance_editor.focus_actor()

    def focus_actor_link(self) -> None:
        """Ctrl+L: type the actor of the current span; its text is already filled in."""
        self.side.setCurrentWidget(self.inspector)
        picker = self.inspector.picker
        picker.setFocus()
        picker.edit.selectAll()
        if picker.edit.text():
            picker.refresh()

    def accept_current_suggestion(self) -> None:
        self.active.accept_current_suggestion()

    def reject_current_suggestion(self) -> None:
        self.active.reject_current_suggestion()

    def set_status(self, status: str) -> None:
        change = self.active.set_status(status)
        self._refresh_panels()
        if change:
            self.hub.publish(change, self)
            self.edited.emit()
