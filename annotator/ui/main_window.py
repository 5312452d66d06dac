"""The main window: layout and wiring only.

The document list is on the left, the workspace (one or two documents and their panels) in
the middle, the guidelines in a dock. Menus and keys come from `annotator.ui.actions`.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer, QUrl
from PySide6.QtGui import QActionGroup, QCloseEvent, QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
)

from annotator import __version__
from annotator.core.changes import ProjectChange
from annotator.core.errors import AnnotatorError
from annotator.logs import log_file
from annotator.paths import project_key
from annotator.ui.actions import SPECS, ActionId, build_actions
from annotator.ui.changes import hub_for
from annotator.ui.dialogs.identity import Ask, choose_annotator
from annotator.ui.documents.browser import DocumentBrowser
from annotator.ui.screen import fit_to_screen
from annotator.ui.workspace.guidelines import GuidelinesDock
from annotator.ui.workspace.workspace import Workspace

# What only a menu command opens (dialogs, the review window, the importer, the demo) is
# imported inside the slot that opens it: importing it here would slow down every start for
# windows most sessions never open. tests/ui/test_startup_imports.py keeps it that way.
# The store (and SQLAlchemy) load after the first window is painted: see store.first_look.
if TYPE_CHECKING:
    from annotator.settings import Place, Settings
    from annotator.store.database import Database
    from annotator.store.deferred import Project
    from annotator.store.first_look import FirstLook
    from annotator.ui.actors.registry_dialog import RegistryDialog
    from annotator.ui.dialogs.export import ExportDialog
    from annotator.ui.dialogs.imports import ImportDialog
    from annotator.ui.review.window import ReviewWindow


WATCH_MS = 2000  # how often to look for changes made elsewhere
THEME_ACTIONS = {
    ActionId.THEME_SYSTEM: "system",
    ActionId.THEME_LIGHT: "light",
    ActionId.THEME_DARK: "dark",
}


class MainWindow(QMainWindow):
    def __init__(
        self,
        database: Project,
        annotator: tuple[uuid.UUID, str],
        ask: Ask | None = None,
        *,
        first_look: FirstLook | None = None,
    ) -> None:
        """`first_look`: what the first window shows, already read (the window then asks the
        database nothing until it is used; see store.first_look)."""
        super().__init__()
        self.project = database
        self.annotator_id, self.annotator_name = annotator
        self.ask = ask
        self.setWindowTitle(f"Annotator — {database.display_name}")
        self.place_key = project_key(database.path, database.url)
        fit_to_screen(self, 1440, 880)
        # Every view of this project hears every change through the hub (see ui.changes).
        self.hub = hub_for(database.path or database.display_name)
        # First: the status line is drawn again before a view says something in its place.
        self.hub.changed.connect(self._project_changed)
        self.browser = DocumentBrowser(
            database.sessions, annotator_id=self.annotator_id, first_look=first_look
        )
        self.browser.listen(self.hub)
        self.workspace = Workspace(database, self.annotator_id, first_look=first_look)
        self.workspace.listen(self.hub)
        self.splitter = splitter = QSplitter()
        splitter.addWidget(self.browser)
        splitter.addWidget(self.workspace)
        splitter.setSizes([330, 1110])
        splitter.setCollapsible(1, False)  # the list and the side panel fold away, not the text
        self.setCentralWidget(splitter)
        self.guidelines = GuidelinesDock(self)
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.guidelines)
        self.guidelines.hide()
        self.actions_by_id = build_actions(self)
        self._review: ReviewWindow | None = None  # the review window, while it is open
        self._build_menus()
        self._connect()
        self._set_up_view()
        self.saved = "nothing changed yet"
        # Who annotates, when it was saved and the progress stay in a corner of their own, so
        # a passing message (an import, an edit that met a change elsewhere) is not wiped by
        # the next count.
        self.progress_label = QLabel()
        self.statusBar().addPermanentWidget(self.progress_label)
        self._counts: dict[str, int] = {}  # the annotator's documents per status, as last counted
        self.browser.document_activated.connect(self.open_document)
        self.workspace.edited.connect(self._edited)
        self.workspace.history_changed.connect(self._update_undo_actions)
        self._update_undo_actions()
        self.workspace.notice.connect(lambda text: self.statusBar().showMessage(text, 10_000))
        # Changes made elsewhere (another window, `annotator import`, a bundle merge) are
        # looked for when the window comes to the front and every few seconds.
        from annotator.store.changes import watch_for

        self.watch = watch_for(self.project.path, self.project.url)
        self.watch_timer = QTimer(self)
        self.watch_timer.setInterval(WATCH_MS)
        self.watch_timer.timeout.connect(self.look_for_changes)
        self.watch_timer.start()
        self.update_status_bar(first_look.counts if first_look else None)
        self._show_empty_hint()

    @property
    def database(self) -> Database:
        """The open project: a window painted from the first look opens it here if it has
        not yet (dialogs, the review window and the importers get the project itself)."""
        from annotator.store.deferred import DeferredDatabase

        project = self.project
        return project.open() if isinstance(project, DeferredDatabase) else project

    # -- construction ----------------------------------------------------------------------

    def _build_menus(self) -> None:
        menus: dict[str, object] = {}
        for action_id, spec in SPECS.items():
            menu = menus.get(spec.menu)
            if menu is None:
                menu = menus[spec.menu] = self.menuBar().addMenu(spec.menu)
            menu.addAction(self.actions_by_id[action_id])  # type: ignore[attr-defined]
            self.addAction(self.actions_by_id[action_id])  # keys work with the menu closed

    def _connect(self) -> None:
        w = self.workspace
        handlers = {
            ActionId.IMPORT_FILES: self._choose_files,
            ActionId.IMPORT_FOLDER: self._choose_folder,
            ActionId.EXPORT: self.open_export,
            ActionId.LOAD_DEMO: self.load_demo,
            ActionId.IMPORT_BUNDLES: self._choose_bundles,
            ActionId.EXPORT_BUNDLE: self._choose_bundle_target,
            ActionId.SWITCH_ANNOTATOR: self.switch_annotator,
            ActionId.ANNOTATORS: self.open_annotators,
            ActionId.QUIT: self.close,
            ActionId.UNDO: lambda: w.active.undo(),
            ActionId.REDO: lambda: w.active.redo(),
            ActionId.DELETE_SPAN: lambda: w.active.delete_current(),
            ActionId.NEW_STANCE: w.focus_stance_editor,
            ActionId.LINK_ACTOR: w.focus_actor_link,
            ActionId.SUGGEST_ACTORS: self.suggest_actors,
            ActionId.ACCEPT_SUGGESTION: w.accept_current_suggestion,
            ActionId.REJECT_SUGGESTION: w.reject_current_suggestion,
            ActionId.ACCEPT_ALL_SUGGESTIONS: lambda: w.active.accept_suggestions(
                list(w.active.suggestions)
            ),
            ActionId.REJECT_ALL_SUGGESTIONS: lambda: w.active.reject_suggestions(
                list(w.active.suggestions)
            ),
            ActionId.ACTOR_REGISTRY: self.open_registry,
            ActionId.NEXT_DOCUMENT: lambda: self.browser.step(1),
            ActionId.PREVIOUS_DOCUMENT: lambda: self.browser.step(-1),
            ActionId.NEXT_PARTNER: self.next_partner,
            ActionId.CLOSE_PARTNER: lambda: w.compare_with(None),
            ActionId.OTHER_PANE: w.other_pane,
            ActionId.MARK_DONE: lambda: w.set_status("done"),
            ActionId.MARK_SKIPPED: lambda: w.set_status("skipped"),
            ActionId.MARK_IN_PROGRESS: lambda: w.set_status("in_progress"),
            ActionId.REVIEW: self.open_review,
            ActionId.AGREEMENT: self.open_agreement,
            ActionId.SHOW_GUIDELINES: lambda: self.guidelines.setVisible(
                not self.guidelines.isVisible()
            ),
            ActionId.OPEN_LOG_FOLDER: lambda: QDesktopServices.openUrl(
                QUrl.fromLocalFile(str(log_file().parent))
            ),
            ActionId.ABOUT: self.about,
        }
        for action_id, handler in handlers.items():
            self.actions_by_id[action_id].triggered.connect(handler)

    def _set_up_view(self) -> None:
        """View menu: the list and side panel shown, label names on the text, the theme."""
        from annotator.settings import Settings
        from annotator.ui.theme import apply_theme

        settings = Settings.load()
        a = self.actions_by_id
        for action_id, widget in (
            (ActionId.SHOW_DOCUMENT_LIST, self.browser),
            (ActionId.SHOW_SIDE_PANEL, self.workspace.side),
        ):
            a[action_id].setChecked(True)
            a[action_id].toggled.connect(widget.setVisible)
        a[ActionId.LABELS_ON_TEXT].setChecked(settings.labels_on_text)
        self.workspace.show_tags(settings.labels_on_text)
        a[ActionId.LABELS_ON_TEXT].toggled.connect(self._labels_on_text)
        self.themes = QActionGroup(self)
        for action_id, name in THEME_ACTIONS.items():
            action = a[action_id]
            self.themes.addAction(action)
            action.setChecked(name == settings.theme)
            action.triggered.connect(lambda _=False, n=name: self.use_theme(n))
        if settings.theme != "system":
            apply_theme(settings.theme)

    def _labels_on_text(self, shown: bool) -> None:
        from annotator.settings import Settings

        self.workspace.show_tags(shown)
        settings = Settings.load()
        settings.labels_on_text = shown
        self._save_settings(settings)

    def use_theme(self, name: str) -> None:
        """View › Theme: apply it now and keep it for the next start."""
        from annotator.settings import Settings
        from annotator.ui.theme import apply_theme

        apply_theme(name)
        settings = Settings.load()
        settings.theme = name
        self._save_settings(settings)

    def _save_settings(self, settings: Settings) -> None:
        try:
            settings.save()
        except OSError as error:  # a read-only home: kept for this session only
            self.statusBar().showMessage(f"Could not save the settings: {error}", 5000)

    # -- documents -------------------------------------------------------------------------

    def open_document(self, document_id: uuid.UUID) -> None:
        self.workspace.open_document(document_id)
        self.workspace.left.pane.setFocus()
        self.remember_place()
        # Opening changes no status: show the line again (a timed message may have replaced
        # it) without counting every document again.
        self._show_status()

    def show_documents(self, document_id: uuid.UUID, compare: uuid.UUID | None = None) -> None:
        """Open `document_id` (and `compare` beside it), as `gui --document --compare` does."""
        if not self.browser.select_document(document_id):
            self.open_document(document_id)
        if compare is not None:
            self.workspace.compare_with(compare)

    def reopen(self, place: Place) -> bool:
        """Open the document of `place` where the reader was; False if it is gone."""
        try:
            document_id = uuid.UUID(place.document)
        except ValueError:
            return False
        if not self._document_exists(document_id):
            return False
        self.show_documents(document_id)
        pane = self.workspace.left.pane
        # Once laid out at its real width: the place is a character, not a scroll position.
        QTimer.singleShot(0, lambda: pane.scroll_to(place.offset))
        return True

    def _document_exists(self, document_id: uuid.UUID) -> bool:
        first = self.workspace._first
        if first is not None and first.row.id == document_id:
            return True  # read by the first look: no need to open the store for it
        from annotator.store.documents import get_document

        with self.database.sessions() as session:
            return get_document(session, document_id) is not None

    def remember_place(self) -> None:
        """Keep the open document and the first character on screen for the next start."""
        from annotator.settings import Place, Settings

        left = self.workspace.left
        if left.document_id is None:
            return
        settings = Settings.load()
        settings.remember(self.place_key, Place(str(left.document_id), left.pane.first_visible()))
        self._save_settings(settings)

    def next_partner(self) -> None:
        partners = self.workspace.partner_ids()
        if not partners:
            self.statusBar().showMessage("No other article of this story.", 4000)
            return
        shown = self.workspace.right.document_id if self.workspace.right.isVisible() else None
        index = partners.index(shown) + 1 if shown in partners else 0
        self.workspace.compare_with(partners[index % len(partners)])

    def _show_empty_hint(self) -> None:
        # The counts cover every document (one without a status counts as "todo").
        if not sum(self._counts.values()):
            self.workspace.left.header.setText(
                "This project has no documents yet: File › Import files (Ctrl+I), or "
                "File › Load the demo project."
            )

    def offer_demo(self, ask: object) -> bool:
        """On an empty project, ask whether to load the demo; returns whether it was loaded."""
        from annotator.store.documents import count_documents

        with self.database.sessions() as session:
            if count_documents(session):
                return False
        if not callable(ask) or not ask():
            return False
        self.load_demo()
        return True

    def load_demo(self) -> None:
        from annotator.io.demo import load_demo  # on demand: see the note on the imports

        summary = load_demo(self.database)
        self.hub.publish(summary.change)
        self.statusBar().showMessage(
            f"Demo loaded: {summary.documents_added} documents added · saved", 5000
        )
        if self.browser.current_document() is None:
            self.browser.step(1)

    # -- dialogs ---------------------------------------------------------------------------

    def _choose_files(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self,
            "Import articles",
            "",
            "Articles (*.txt *.md *.markdown *.html *.htm *.jsonl *.ndjson *.json *.csv *.tsv);;"
            "Annotated files of other tools (*.json *.jsonl *.csv *.tsv *.ann *.conll *.conllu "
            "*.bio *.iob *.spacy *.xmi);;All files (*)",
        )
        if names:
            self.import_paths([Path(name) for name in names])

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Import a folder of articles")
        if folder:
            self.import_paths([Path(folder)])

    def import_paths(self, paths: list[Path]) -> ImportDialog:
        from annotator.ui.dialogs.imports import ImportDialog  # on demand: see the imports

        dialog = ImportDialog(self.database, paths, self)
        dialog.accepted.connect(lambda: self._imported(dialog))
        # Its plan holds every article's text: free it once the import is done with.
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def _imported(self, dialog: ImportDialog) -> None:
        if dialog.summary is not None:
            self.hub.publish(dialog.summary.change)
            self.statusBar().showMessage(f"{dialog.summary.headline()} · saved", 8000)

    def _choose_bundles(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, "Import annotators' bundles", "", "Annotator bundles (*.zip);;All files (*)"
        )
        if names:
            self.import_bundles([Path(name) for name in names])

    def import_bundles(self, paths: list[Path]) -> list[str]:
        """Merge bundles; the summary (conflicts included) is shown, and returned for tests."""
        from annotator.io.bundles import import_bundles
        from annotator.ui.dialogs.progress import ProgressWindow

        # One transaction, all or nothing: no Cancel half-way.
        progress = ProgressWindow(self, "Merging bundles…", can_cancel=False)
        try:
            summary = progress.run(lambda: import_bundles(self.database, paths=paths))
        except AnnotatorError as error:
            QMessageBox.warning(self, "Bundles not imported", f"{error}\n\nNothing was changed.")
            return [str(error)]
        finally:
            progress.close()
        self.hub.publish(summary.change)
        lines = summary.lines()
        conflicts = [line for line in lines if line.startswith("conflict:")]
        text = "\n".join(lines)
        if conflicts:  # the lead decides: merge them in the registry if they are one actor
            text += (
                "\n\nConflicting actors were kept apart. If two of them are the same "
                "actor, merge them in Edit › Actor registry."
            )
        QMessageBox.information(self, "Bundles imported", text)
        return lines

    def _choose_bundle_target(self) -> None:
        from annotator.io.bundles import export_bundle

        name, _ = QFileDialog.getSaveFileName(
            self,
            "Export my work as a bundle",
            f"{self.annotator_name}.zip",
            "Annotator bundles (*.zip)",
        )
        if not name:
            return
        try:
            export_bundle(self.database, annotator=self.annotator_name, out=Path(name))
        except AnnotatorError as error:
            QMessageBox.warning(self, "Bundle not written", str(error))
            return
        self.statusBar().showMessage(f"Wrote {name}: send it to your lead.", 8000)

    def open_export(self) -> ExportDialog:
        from annotator.ui.dialogs.export import ExportDialog  # on demand: see the imports

        dialog = ExportDialog(self.database, self)
        dialog.open()
        return dialog

    def open_review(self) -> ReviewWindow:
        """The annotators' layers side by side; adjudicate into gold (read-only for annotators)."""
        from annotator.ui.review.window import ReviewWindow  # on demand: see the imports

        open_ = self._review
        if open_ is not None and open_.reviewer_id == self.annotator_id:
            open_.show()  # F7 again: the review window already open comes to the front
            open_.raise_()
            open_.activateWindow()
            return open_
        if open_ is not None:  # opened for the annotator before a switch
            open_.close()
        window = ReviewWindow(self.database, self.annotator_id, self, hub=self.hub)
        window.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self._review = window
        window.destroyed.connect(lambda: setattr(self, "_review", None))
        current = self.workspace.left.document_id
        if current is not None and any(e.document_id == current for e in window.overview):
            window.open_document(current)
        window.show()
        window.activateWindow()  # its single-letter keys (A, R, N) work from the start
        return window

    def open_annotators(self) -> QDialog:
        """Who works on the project; make someone a reviewer."""
        from annotator.ui.dialogs.annotators import AnnotatorsDialog

        dialog = AnnotatorsDialog(self.database, self.hub, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        return dialog

    def open_agreement(self) -> QDialog:
        from annotator.ui.agreement.view import AgreementDialog

        dialog = AgreementDialog(self.database, self, hub=self.hub, open_at=self.review_at)
        # Modeless: from its disagreements the review window opens, and must take keys.
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def review_at(self, document_id: uuid.UUID, start: int | None, end: int | None) -> None:
        """The review window on `document_id`, at the disagreement over start..end."""
        self.open_review().show_at(document_id, start, end)

    def open_registry(self) -> RegistryDialog:
        from annotator.ui.actors.registry_dialog import RegistryDialog  # on demand: see the imports

        dialog = RegistryDialog(
            self.database.sessions,
            self.workspace.vocabulary.schema.actor_types,
            parent=self,
            hub=self.hub,
        )
        dialog.open()
        return dialog

    def _update_undo_actions(self) -> None:
        """Edit › Undo and Redo name the step they would take, and are off without one."""
        stack = self.workspace.active.stack
        for action_id, verb, step in (
            (ActionId.UNDO, "&Undo", stack.undo_text() if stack else None),
            (ActionId.REDO, "&Redo", stack.redo_text() if stack else None),
        ):
            action = self.actions_by_id[action_id]
            action.setEnabled(step is not None)
            # "&" in the quoted text is a letter, not a menu mnemonic.
            action.setText(f"{verb} {step.replace('&', '&&')}" if step else verb)

    def switch_annotator(self) -> None:
        if self.ask is None:
            return
        from annotator.store.project import annotator_choices

        with self.database.sessions() as session:
            known = {annotator_id for annotator_id, _ in annotator_choices(session)}
        chosen = choose_annotator(self.database, self.ask, switch=True)
        # Back from the question: this window and its text have the keys again.
        if not self.isActiveWindow():
            self.activateWindow()
        self.workspace.focus_text()
        if chosen is None:
            return
        if chosen[0] not in known:  # a new annotator: lists of annotators show them now
            self.hub.publish(ProjectChange(annotators=True))
        self.annotator_id, self.annotator_name = chosen
        self.workspace.set_annotator(self.annotator_id)
        self.browser.set_annotator(self.annotator_id)
        current = self.browser.current_document()
        if current is not None and current != self.workspace.left.document_id:
            self.open_document(current)
        self.update_status_bar()

    def suggest_actors(self) -> None:
        if self.workspace.active.stack is None:
            return
        found = self.workspace.active.suggest_actors()
        self.statusBar().showMessage(
            f"{len(found)} possible actor mentions outlined: click one, Enter accepts it, Del "
            "rejects it. Nothing is stored until accepted.",
            8000,
        )

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About Annotator",
            f"<b>Annotator {__version__}</b><br>Label news articles side by side: "
            "spans, actors, issues and stances.<br>MIT licence.<br>"
            f"Log file: {log_file()}",
        )

    # -- status ----------------------------------------------------------------------------

    def _edited(self) -> None:
        """The window's own edit was stored (the progress is counted when the hub says)."""
        self.saved = f"saved {datetime.now():%H:%M:%S}"
        self._show_status()

    def _project_changed(self, change: ProjectChange, _origin: object) -> None:
        # Documents or statuses: the progress line counts again (spans alone change no count).
        if change.elsewhere or change.documents or change.statuses:
            self.update_status_bar()

    def update_status_bar(self, counts: dict[str, int] | None = None) -> None:
        """Count the annotator's documents per status again (unless given) and show them."""
        if counts is None:
            from annotator.store.documents import progress_counts

            with self.database.sessions() as session:
                counts = progress_counts(session, self.annotator_id)
        self._counts = counts
        self._show_status()

    def _show_status(self) -> None:
        counts = self._counts
        self.progress_label.setText(
            f"Annotating as {self.annotator_name} · {self.saved} · "
            f"{counts.get('done', 0)} of {sum(counts.values())} documents done"
        )

    def look_for_changes(self) -> bool:
        """Show what another program or window stored since the last look: the list, the
        progress, and the open layers that differ (read again, the place in the text kept)."""
        if not self.watch.changed():
            return False
        self.hub.publish(ProjectChange.unknown())
        return True

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt API
        super().changeEvent(event)
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.look_for_changes()

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt API
        # Every edit was committed when it was made; nothing is pending here.
        self.remember_place()
        self.watch_timer.stop()
        self.watch.close()
        event.accept()
