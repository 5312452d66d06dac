"""The review window: compare the annotators' layers of a document and adjudicate into gold.

Layout and wiring only. What the units are comes from `review.comparison`, decisions go
through `review.gold.GoldReview` (each one committed, undoable); the panes, the unit list
and the decision panel are small views in `review_*.py`. After every decision the
document's comparison is read again and each view updates what changed.

An annotator account may open the window too (blind mode, see `visible_annotators`):
they see the layers they may see and cannot decide anything.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import replace

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from annotator.core.changes import ProjectChange
from annotator.review.adjudication.commands import ReviewStep
from annotator.review.adjudication.comparison import (
    DocumentComparison,
    DocumentOverview,
    load_comparison,
    review_overview,
)
from annotator.review.adjudication.gold_review import GoldReview
from annotator.review.adjudication.units import SpanUnit, Unit
from annotator.store.database import Database
from annotator.store.documents import get_document
from annotator.store.project import get_annotator
from annotator.store.vocabulary import load_vocabulary
from annotator.ui.changes import ChangeHub
from annotator.ui.review.actions import (
    RESIZE,
    REVIEW_SPECS,
    VERSIONS,
    ReviewAction,
    build_review_actions,
)
from annotator.ui.review.decision import DecisionPanel
from annotator.ui.review.panes import STATE_COLOURS, STATE_NAMES, ReviewPanes
from annotator.ui.review.units import UnitList
from annotator.ui.screen import fit_to_screen

REFRESH_DELAY_MS = 300  # after changes made elsewhere, read again once they pause

DECIDING = (
    ReviewAction.ACCEPT,
    ReviewAction.REJECT,
    ReviewAction.EDIT,
    ReviewAction.REOPEN,
    ReviewAction.ACCEPT_AGREED,
    ReviewAction.UNDO,
    ReviewAction.REDO,
)


class ReviewWindow(QMainWindow):
    """Side-by-side layers of one document, the units in a list, decisions by key."""

    def __init__(
        self,
        database: Database,
        reviewer_id: uuid.UUID,
        parent: QWidget | None = None,
        *,
        hub: ChangeHub | None = None,
    ) -> None:
        super().__init__(parent)
        self.database = database
        # Decisions are published; edits, imports and merges made elsewhere show here.
        self.hub = hub or ChangeHub(self)
        self.hub.changed.connect(self._project_changed)
        self._vocabulary_stale = False
        self._refresh_timer = QTimer(self)
        self._refresh_timer.setSingleShot(True)
        self._refresh_timer.setInterval(REFRESH_DELAY_MS)
        self._refresh_timer.timeout.connect(self._refresh_after_change)
        self.reviewer_id = reviewer_id
        with database.sessions() as session:
            viewer = get_annotator(session, reviewer_id)
            if viewer is None:
                raise LookupError(f"no annotator {reviewer_id}")
            self.viewer_name, self.can_decide = viewer.name, viewer.role == "reviewer"
            self.vocabulary = load_vocabulary(session)
        self.review = GoldReview(database.sessions, reviewer_id)
        self.comparison: DocumentComparison | None = None
        self.current: str | None = None  # the key of the unit under review
        self.overview: list[DocumentOverview] = []
        self.setWindowTitle(f"Review — {database.display_name}")
        fit_to_screen(self, 1500, 900)
        self.documents = QComboBox()
        self.documents.setMinimumContentsLength(40)
        self.documents.setToolTip("Documents with two or more layers (Alt+Left / Alt+Right)")
        self.step_on = QCheckBox("Step &on after deciding")
        self.step_on.setChecked(True)
        self.step_on.setToolTip("After A or R, go to the next open disagreement")
        self.panes = ReviewPanes()
        self.panes.set_label_colours({x.name: x.color for x in self.vocabulary.schema.labels})
        self.units = UnitList()
        self.panel = DecisionPanel()
        self.panel.set_vocabulary(self.vocabulary)
        self.counts = QLabel()
        # Why A, R and E are off, and how to turn them on: said where the person looks.
        self.role_banner = QLabel()
        self.role_banner.setWordWrap(True)
        self.role_banner.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.role_banner.setFrameShape(QFrame.Shape.StyledPanel)
        self.role_banner.setMargin(6)
        self.actions_by_id = build_review_actions(self)
        self._layout()
        self._build_menus()
        self._connect()
        self.refresh_documents()
        if self.overview:
            self.open_document(self.overview[0].document_id)
        else:
            self.statusBar().showMessage(self._empty_hint())
        self.units.setFocus()

    # -- construction ----------------------------------------------------------------------

    def _layout(self) -> None:
        top = QHBoxLayout()
        label = QLabel("&Document:")
        label.setBuddy(self.documents)
        top.addWidget(label)
        top.addWidget(self.documents, 1)
        top.addWidget(self.step_on)
        legend = " ".join(
            f"<span style='background:{colour}'>&nbsp;&nbsp;&nbsp;</span>&nbsp;{STATE_NAMES[s]}"
            for s, colour in STATE_COLOURS.items()
        )
        top.addWidget(QLabel(legend))
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.addWidget(self.units, 1)
        side_layout.addWidget(self.panel)
        splitter = QSplitter()
        splitter.addWidget(self.panes)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([900, 600])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.role_banner)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.setCentralWidget(central)
        self.statusBar().addPermanentWidget(self.counts)
        buttons = [ReviewAction.ACCEPT, ReviewAction.REJECT, ReviewAction.EDIT]
        self.panel.add_buttons(
            [self.actions_by_id[a] for a in (*buttons, ReviewAction.REOPEN, ReviewAction.NEXT)]
        )

    def _build_menus(self) -> None:
        menus: dict[str, object] = {}
        for action_id, spec in REVIEW_SPECS.items():
            menu = menus.get(spec.menu)
            if menu is None:
                menu = menus[spec.menu] = self.menuBar().addMenu(spec.menu)
            menu.addAction(self.actions_by_id[action_id])  # type: ignore[attr-defined]
            self.addAction(self.actions_by_id[action_id])  # keys work with the menu closed
        self._show_role()

    def _show_role(self) -> None:
        """Decisions are on for a reviewer; for anyone else the banner says why they are off."""
        for action_id in DECIDING:
            self.actions_by_id[action_id].setEnabled(self.can_decide)
        self.role_banner.setVisible(not self.can_decide)
        self.role_banner.setText(
            f"You are working as {self.viewer_name}, an annotator: only a reviewer accepts, "
            "rejects or edits gold, so those keys are off. To adjudicate, give "
            f"{self.viewer_name} the reviewer role in the main window's File › Annotators and "
            f"reviewers…, or run: annotator annotators set-role {self.viewer_name} reviewer. "
            "Until then you see the other layers of the documents you marked done."
        )

    def _reread_role(self) -> None:
        with self.database.sessions() as session:
            viewer = get_annotator(session, self.reviewer_id)
            can_decide = viewer is not None and viewer.role == "reviewer"
        if can_decide != self.can_decide:
            self.can_decide = can_decide
            self._show_role()
            self.statusBar().clearMessage()  # what was said of the old role no longer holds
            self.refresh()  # a reviewer sees every layer, an annotator only theirs until done

    def _connect(self) -> None:
        a = self.actions_by_id
        handlers: dict[ReviewAction, Callable[[], object]] = {
            ReviewAction.NEXT: lambda: self.step(1),
            ReviewAction.PREVIOUS: lambda: self.step(-1),
            ReviewAction.ACCEPT: self.accept,
            ReviewAction.REJECT: lambda: self._decide(
                lambda unit: self.review.reject(unit, self.panel.note.text()), "Rejected"
            ),
            ReviewAction.EDIT: self.panel.start_edit,
            ReviewAction.CANCEL_EDIT: self._cancel_edit,
            ReviewAction.REOPEN: lambda: self._decide(self.review.reopen, "Reopened"),
            ReviewAction.NOTE: self.panel.note.setFocus,
            ReviewAction.ACCEPT_AGREED: self.accept_agreed,
            ReviewAction.UNDO: lambda: self._replay(self.review.undo(), "Undone"),
            ReviewAction.REDO: lambda: self._replay(self.review.redo(), "Redone"),
            ReviewAction.NEXT_DOCUMENT: lambda: self._other_document(1),
            ReviewAction.PREVIOUS_DOCUMENT: lambda: self._other_document(-1),
            ReviewAction.FOCUS_LIST: self.units.setFocus,
            ReviewAction.REFRESH: self.refresh,
            ReviewAction.CLOSE: self.close,
        }
        for action_id, handler in handlers.items():
            a[action_id].triggered.connect(handler)
        for index, action_id in enumerate(VERSIONS):
            a[action_id].triggered.connect(lambda _=False, i=index: self.panel.choose_version(i))
        for action_id, (edge, direction, by_word) in RESIZE.items():
            a[action_id].triggered.connect(
                lambda _=False, e=edge, d=direction, w=by_word: self._nudge(e, d, w)
            )
        a[ReviewAction.TOGGLE_GOLD].toggled.connect(self.panes.set_gold_visible)
        self.documents.activated.connect(self._document_chosen)
        self.units.unit_chosen.connect(self.select_unit)
        self.panes.unit_clicked.connect(self.select_unit)
        self.panel.note_entered.connect(self._note_entered)
        self.panel.accept_requested.connect(self.accept)

    # -- documents -------------------------------------------------------------------------

    def refresh_documents(self) -> None:
        """The documents with two or more visible layers, with their open counts."""
        with self.database.sessions() as session:
            self.overview = review_overview(session, self.reviewer_id)
        self.documents.blockSignals(True)
        self.documents.clear()
        for entry in self.overview:
            self.documents.addItem(self._document_text(entry), str(entry.document_id))
        self.documents.blockSignals(False)

    def _project_changed(self, change: ProjectChange, origin: object) -> None:
        """Layers, gold or actors changed elsewhere: read again, soon (an annotator typing in
        the main window sends one change per key; one read follows the last of them)."""
        if origin is self or not change.review:
            return
        if change.annotators:
            self._reread_role()
        self._vocabulary_stale |= change.registry
        self._refresh_timer.start()

    def _refresh_after_change(self) -> None:
        if self._vocabulary_stale:
            self._vocabulary_stale = False
            with self.database.sessions() as session:
                self.vocabulary = load_vocabulary(session)
            self.panel.set_vocabulary(self.vocabulary)
            self.panes.set_label_colours({x.name: x.color for x in self.vocabulary.schema.labels})
        self.refresh()

    def refresh(self) -> None:
        """Read the document list and the current document again (after a merge, say)."""
        document_id = self.document_id()
        self.refresh_documents()
        index = self.documents.findData(str(document_id))
        if index >= 0:
            self.documents.setCurrentIndex(index)
            self.reload()
        elif document_id is not None:  # fewer than two layers now: still the one shown
            current = self.current
            self.open_document(document_id)
            if current and self.comparison and self.comparison.unit(current):
                self.select_unit(current)
        elif self.overview:
            self.open_document(self.overview[0].document_id)

    def open_document(self, document_id: uuid.UUID) -> None:
        """Show `document_id`, on its first open disagreement (any document may be shown)."""
        index = self.documents.findData(str(document_id))
        if index < 0:  # fewer than two layers: still worth a look, e.g. from the workspace
            with self.database.sessions() as session:
                document = get_document(session, document_id)
                if document is None:
                    raise LookupError(f"no document {document_id}")
                title = document.title
            index = 0
            self.documents.insertItem(index, f"{title} · fewer than two layers", str(document_id))
        self.documents.setCurrentIndex(index)
        self.comparison = None
        self.current = None
        self.reload()
        if self.comparison is not None:
            first = self.comparison.step(None, 1)
            self.select_unit(first.key if first else None)

    def show_at(self, document_id: uuid.UUID, start: int | None, end: int | None) -> None:
        """Show `document_id` with the unit most overlapping start..end under review (its
        first open disagreement when no stretch is given)."""
        self.open_document(document_id)
        if self.comparison is None or start is None or end is None:
            return
        best: tuple[int, str] | None = None
        for unit in self.comparison.units():
            shared = min(end, unit.end) - max(start, unit.start)
            if shared > 0 and (best is None or shared > best[0]):
                best = (shared, unit.key)
        if best is not None:
            self.select_unit(best[1])

    def document_id(self) -> uuid.UUID | None:
        """The document shown (item data are strings: QVariant compares UUIDs by identity)."""
        data = self.documents.currentData()
        return uuid.UUID(data) if data is not None else None

    def _document_chosen(self, index: int) -> None:
        data = self.documents.itemData(index)
        if data is not None:
            self.open_document(uuid.UUID(data))

    def _other_document(self, direction: int) -> None:
        index = self.documents.currentIndex() + direction
        if 0 <= index < self.documents.count():
            self._document_chosen(index)
        else:
            self.statusBar().showMessage("No more documents to review that way.", 4000)

    def _document_text(self, entry: DocumentOverview) -> str:
        source = f"{entry.source} — " if entry.source else ""
        return f"{source}{entry.title} · {entry.layers} layers · {entry.open} open"

    # -- showing ---------------------------------------------------------------------------

    def reload(self) -> None:
        """Read the current document's comparison again and update every view."""
        document_id = self.document_id()
        if document_id is None:
            return
        with self.database.sessions() as session:
            self.comparison = load_comparison(session, document_id, self.reviewer_id)
        self.panes.show_comparison(self.comparison)
        self.units.show_comparison(self.comparison, self.vocabulary)
        unit = self.comparison.unit(self.current) if self.current else None
        self.panel.show_unit(self.comparison, unit)
        self.panes.select(unit)
        self.units.select(self.current)
        counts = self.comparison.counts()
        self.counts.setText(
            f"{counts['open']} of {counts['disagreements']} disagreements open · "
            f"{counts['decided']} decided, {counts['undecided']} undecided · "
            f"gold: {counts['gold_spans']} spans, {counts['gold_stances']} stances · "
            f"{'reviewing' if self.can_decide else 'viewing (blind mode)'} as {self.viewer_name}"
        )
        for number, entry in enumerate(self.overview):
            if entry.document_id == document_id:  # its open count in the document menu
                entry = replace(entry, open=counts["open"], undecided=counts["undecided"])
                self.overview[number] = entry
                self.documents.setItemText(
                    self.documents.currentIndex(), self._document_text(entry)
                )

    def select_unit(self, key: str | None) -> None:
        """Make `key` the unit under review in the list, the panes and the panel."""
        self.current = key
        unit = self.comparison.unit(key) if self.comparison and key else None
        self.units.select(key)
        self.panes.select(unit)
        self.panel.show_unit(self.comparison, unit)

    def current_unit(self) -> Unit | None:
        return self.comparison.unit(self.current) if self.comparison and self.current else None

    def step(self, direction: int) -> None:
        """To the next (1) or previous (-1) open disagreement, round the document."""
        if self.comparison is None:
            return
        unit = self.comparison.step(self.current, direction)
        if unit is None:
            self.statusBar().showMessage(
                "No open disagreements here. Alt+Right: the next document.", 5000
            )
            return
        self.select_unit(unit.key)

    # -- deciding --------------------------------------------------------------------------

    def accept(self) -> None:
        """A: accept the picked version, or the edited one while the editor is open."""
        panel, note = self.panel, self.panel.note.text()
        comparison = self.comparison

        def accept(unit: Unit) -> ReviewStep | None:
            if isinstance(unit, SpanUnit):
                choice = panel.edited_choice() if panel.editing else None
                if choice is None and panel.chosen_version():
                    choice = unit.versions[panel.chosen_version()].choice
                return self.review.accept_span(unit, choice, note)
            assert comparison is not None
            polarity = unit.versions[panel.chosen_version()][0]
            if panel.editing:
                polarity = panel.edited_polarity()
            return self.review.accept_stance(comparison, unit, polarity, note)

        self._decide(accept, "Accepted into gold")

    def accept_agreed(self) -> None:
        if self.comparison is None:
            return
        step = self.review.accept_all_agreed(self.comparison)
        self._published(step)
        self.reload()
        message = f"{step.text} · saved" if step else "Nothing open that everyone agrees on."
        self.statusBar().showMessage(message[0].upper() + message[1:], 5000)

    def _decide(self, decision: Callable[[Unit], ReviewStep | None], done: str) -> None:
        unit = self.current_unit()
        if unit is None or not self.can_decide:
            self.statusBar().showMessage("Pick a unit first (N: the next disagreement).", 4000)
            return
        try:
            step = decision(unit)
        except ValueError as error:  # an edited span outside the text, for one
            self.statusBar().showMessage(str(error), 6000)
            return
        was_open = unit.decision == "open"
        self._published(step)
        self.panel.cancel_edit()
        self.reload()
        self.statusBar().showMessage(f"{done} · saved" if step else "Already so.", 5000)
        if step is not None and was_open and self.step_on.isChecked():
            following = self.comparison.step(unit.key, 1) if self.comparison else None
            if following is not None and following.key != unit.key:
                self.select_unit(following.key)

    def _replay(self, step: ReviewStep | None, done: str) -> None:
        if step is None:
            self.statusBar().showMessage("Nothing to undo or redo.", 4000)
            return
        self._published(step)
        if step.document_id != self.document_id():
            self.open_document(step.document_id)
        self.current = step.unit_key
        self.reload()
        self.select_unit(step.unit_key if self.current_unit() else None)
        self.statusBar().showMessage(f"{done}: {step.text} · saved", 5000)

    def _published(self, step: ReviewStep | None) -> None:
        if step is not None:
            self.hub.publish(step.change, self)

    def _nudge(self, edge: str, direction: int, by_word: bool) -> None:
        if not isinstance(self.current_unit(), SpanUnit) or not self.can_decide:
            return
        if not self.panel.editing:
            self.panel.start_edit()
        self.panel.nudge(edge, direction, by_word)

    def _cancel_edit(self) -> None:
        self.panel.cancel_edit()
        self.units.setFocus()

    def _note_entered(self, note: str) -> None:
        """Enter in the note: store it on a decided unit (an open one takes it when decided)."""
        unit = self.current_unit()
        if unit is not None and unit.decision != "open" and self.can_decide:
            step = self.review.set_note(unit, note)
            self._published(step)
            self.reload()
            self.statusBar().showMessage("Note saved" if step else "Note unchanged", 4000)
        else:
            self.statusBar().showMessage("The note goes with the next accept or reject.", 4000)
        self.units.setFocus()

    def _empty_hint(self) -> str:
        if self.can_decide:
            return "No document has two annotators' layers yet: import their bundles first."
        return "Blind mode: mark a document done to compare your layer with the others."
