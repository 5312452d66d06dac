"""The actor registry editor: actors as a tree by parent, and a form to edit one.

Left: a filter (names and aliases, accents ignored) over the tree "Russia ▸ Kremlin ▸ Dmitry
Peskov" with mention counts (`ui.actors.tree`). Right: name, type, parent and aliases of the
chosen actor. Every Save, New, Merge and Delete is its own committed transaction, announced by
`registry_changed`; refusals from the service appear in red under the form. Questions go
through `confirm`, which tests replace so nothing blocks.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Callable, Sequence
from typing import TypeVar

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QBoxLayout,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.changes import ProjectChange
from annotator.core.errors import AnnotatorError
from annotator.store.actor_merge import merge_actors
from annotator.store.actors import (
    ActorRow,
    ancestors,
    create_actor,
    delete_actor,
    fold,
    list_actors,
    search_actors,
    update_actor,
)
from annotator.ui.actors.picker import ERROR_STYLE, ActorChoice, ActorRole, ChooseActorDialog
from annotator.ui.actors.tree import ActorTree
from annotator.ui.changes import ChangeHub

Confirm = Callable[[str], bool]
T = TypeVar("T")
EDIT_ON_F2 = QAbstractItemView.EditTrigger.EditKeyPressed


def _box(box: QBoxLayout, *parts: QWidget | QLayout | int) -> QBoxLayout:
    """`box` holding `parts` in order; an int is a stretch."""
    for part in parts:
        if isinstance(part, int):
            box.addStretch(part)
        elif isinstance(part, QLayout):
            box.addLayout(part)
        else:
            box.addWidget(part)
    return box


class RegistryDialog(QDialog):
    """Edit the actor registry; each committed change is published on the project's hub
    (the workspace's pickers and open layers follow), and changes others publish there show
    here."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actor_types: Sequence[str],
        parent: QWidget | None = None,
        *,
        confirm: Confirm | None = None,
        hub: ChangeHub | None = None,
    ) -> None:
        super().__init__(parent)
        self.hub = hub or ChangeHub(self)
        self.hub.changed.connect(self._project_changed)
        self.setWindowTitle("Actor registry")
        self.resize(960, 600)
        self.sessions = sessions
        self.actor_types = tuple(actor_types)
        self.confirm: Confirm = confirm or self._ask
        self.rows: dict[uuid.UUID, ActorRow] = {}
        self.items: dict[uuid.UUID, QTreeWidgetItem] = {}
        self.editing: ActorRow | None = None
        self.creating = False
        self.dirty = False
        self._loading = False
        self.merge_dialog: ChooseActorDialog | None = None

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("Filter by name or alias (Ctrl+F)")
        self.filter.setClearButtonEnabled(True)
        self.tree = ActorTree()
        self.new_button = self._button("&New actor", "Ctrl+N")
        self.delete_button = self._button("&Delete…", "Delete")
        left = _box(QVBoxLayout(), self.filter, self.tree)
        left.addLayout(_box(QHBoxLayout(), self.new_button, self.delete_button, 1))

        self.path = QLabel()
        self.path.setWordWrap(True)
        self.path.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name = QLineEdit()
        self.type = QComboBox()
        self.parent_actor = ActorChoice()
        self.alias_list = QListWidget()
        self.alias_list.setEditTriggers(self.alias_list.editTriggers() | EDIT_ON_F2)
        self.alias_input = QLineEdit()
        self.alias_input.setPlaceholderText("New alias, then Enter")
        self.add_alias_button = self._button("&Add", "Enter in the alias field")
        self.remove_alias_button = self._button("&Remove", "Delete in the list")
        alias_row = _box(QHBoxLayout(), self.alias_input, self.add_alias_button)
        alias_row.addWidget(self.remove_alias_button)
        form = QFormLayout()
        form.addRow("Na&me", self.name)
        form.addRow("&Type", self.type)
        form.addRow("&Part of", self.parent_actor)
        aliases_label = QLabel("A&liases")  # a label made by addRow(str, layout) has no buddy
        aliases_label.setBuddy(self.alias_list)
        form.addRow(aliases_label, _box(QVBoxLayout(), self.alias_list, alias_row))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.merge_button = self._button("Mer&ge into…", "Fold this actor into another")
        self.save_button = self._button("&Save", "Ctrl+S")
        self.close_button = self._button("Close", "Esc")
        bottom = _box(QHBoxLayout(), self.merge_button, 1, self.save_button, self.close_button)
        right = _box(QVBoxLayout(), self.path, form, self.message, bottom)

        splitter = QSplitter()
        for side in (left, right):
            pane = QWidget()
            pane.setLayout(side)
            side.setContentsMargins(0, 0, 0, 0)
            splitter.addWidget(pane)
        splitter.setSizes([440, 520])
        QVBoxLayout(self).addWidget(splitter)
        chain = [self.filter, self.tree, self.new_button, self.delete_button, self.name, self.type]
        chain += [self.parent_actor, self.alias_list, self.alias_input, self.add_alias_button]
        chain += [self.remove_alias_button, self.merge_button, self.save_button, self.close_button]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)
        self._connect()
        self.refresh()

    def _button(self, text: str, shortcut: str) -> QPushButton:
        button = QPushButton(text)
        button.setAutoDefault(False)  # Enter in a line edit must not press Save or Delete
        if shortcut:
            button.setToolTip(shortcut)
        return button

    def _connect(self) -> None:
        self.filter.textChanged.connect(self._fill_tree)
        self.filter.returnPressed.connect(self.tree.setFocus)
        self.tree.currentItemChanged.connect(self._current_changed)
        self.new_button.clicked.connect(self.new_actor)
        self.delete_button.clicked.connect(self.delete_selected)
        self.merge_button.clicked.connect(self.open_merge_dialog)
        self.save_button.clicked.connect(self.save)
        self.close_button.clicked.connect(self.reject)
        self.add_alias_button.clicked.connect(self.add_alias)
        self.alias_input.returnPressed.connect(self.add_alias)
        self.remove_alias_button.clicked.connect(self.remove_alias)
        self.name.textEdited.connect(self._changed)
        self.type.activated.connect(self._changed)
        self.parent_actor.activated.connect(self._changed)
        self.alias_list.itemChanged.connect(self._changed)
        shortcuts = [
            (QKeySequence.StandardKey.Save, self, self.save),
            (QKeySequence.StandardKey.New, self, self.new_actor),
            (QKeySequence.StandardKey.Find, self, self.filter.setFocus),
            (QKeySequence.StandardKey.Delete, self.tree, self.delete_selected),
            (QKeySequence.StandardKey.Delete, self.alias_list, self.remove_alias),
        ]
        for key, widget, slot in shortcuts:
            shortcut = QShortcut(QKeySequence(key), widget)
            if widget is not self:  # Delete means "this actor" only in the tree
                shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    def _ask(self, question: str) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(self, "Actor registry", question, buttons)
        return answer == QMessageBox.StandardButton.Yes

    def refresh(self, select: uuid.UUID | None = None) -> None:
        """Reload the registry; show `select` (or the actor being edited) in the form."""
        with self.sessions() as session:
            self.rows = {row.id: row for row in list_actors(session)}
        target = select or (self.editing.id if self.editing else None)
        self.editing = self.rows.get(target) if target else None
        self._fill_tree()
        if not self.creating or select is not None:
            self._load(self.editing)

    def _fill_tree(self) -> None:
        text = self.filter.text().strip()
        matches = None  # None: the whole registry
        if text:
            with self.sessions() as session:
                matches = search_actors(session, text, limit=max(len(self.rows), 1))
        self.tree.blockSignals(True)  # rebuilding is not the user choosing an actor
        self.items = self.tree.show_actors(self.rows, matches)
        if self.editing is not None and self.editing.id in self.items:
            self.tree.setCurrentItem(self.items[self.editing.id])
        self.tree.blockSignals(False)

    def _current_changed(
        self, current: QTreeWidgetItem | None, previous: QTreeWidgetItem | None
    ) -> None:
        if self.dirty and not self.confirm(f"Discard your changes to “{self._title()}”?"):
            self.tree.blockSignals(True)
            if previous is None:  # a new actor was being written
                self.tree.setCurrentIndex(QModelIndex())
            else:
                self.tree.setCurrentItem(previous)
            self.tree.blockSignals(False)
            return
        actor_id = current.data(0, ActorRole.ID) if current is not None else None
        self._load(self.rows.get(actor_id) if actor_id else None)

    def _load(self, row: ActorRow | None, *, creating: bool = False) -> None:
        """Show `row` in the form (or an empty form for a new actor)."""
        self._loading = True
        self.editing, self.creating, self.dirty = row, creating, False
        editable: list[QWidget] = [self.name, self.type, self.parent_actor, self.alias_list]
        editable += [self.alias_input, self.add_alias_button, self.remove_alias_button]
        for widget in [*editable, self.save_button]:
            widget.setEnabled(row is not None or creating)
        self.merge_button.setEnabled(row is not None)
        self.delete_button.setEnabled(row is not None)
        self.name.setText(row.name if row else "")
        self.type.clear()
        self.type.addItems(list(self.actor_types))
        if row is not None and row.type not in self.actor_types:
            self.type.addItem(row.type)  # from an older schema; still shown as it is
        self.type.setCurrentText(row.type if row else self.actor_types[0])
        excluded = self._descendants(row.id) | {row.id} if row else set()
        self.parent_actor.set_actors(
            [r for r in self.rows.values() if r.id not in excluded], row.parent_id if row else None
        )
        self.alias_list.clear()
        for alias in row.aliases if row else ():
            self._add_alias_item(alias)
        if row is None:
            self.path.setText("New actor" if creating else "Choose an actor on the left.")
        else:
            with self.sessions() as session:
                chain = [row.name] + [a.name for a in ancestors(session, row.id)]
            mentions = f"{row.mention_count} mention{'s' if row.mention_count != 1 else ''}"
            self.path.setText(f"<b>{' → '.join(chain)}</b> · {mentions}")
        self._loading = False

    def _descendants(self, actor_id: uuid.UUID) -> set[uuid.UUID]:
        found: set[uuid.UUID] = set()
        frontier = {actor_id}
        while frontier:
            frontier = {r.id for r in self.rows.values() if r.parent_id in frontier} - found
            found |= frontier
        return found

    def _title(self) -> str:
        return self.editing.name if self.editing else self.name.text().strip() or "the new actor"

    def _changed(self) -> None:
        if not self._loading:
            self.dirty = True

    def _add_alias_item(self, alias: str) -> None:
        item = QListWidgetItem(alias)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.alias_list.addItem(item)

    def aliases(self) -> list[str]:
        """The aliases in the form, as typed."""
        return [self.alias_list.item(i).text() for i in range(self.alias_list.count())]

    def add_alias(self) -> None:
        """Add the alias typed under the list (once; case and accents ignored)."""
        alias = " ".join(self.alias_input.text().split())
        if alias and fold(alias) not in {fold(a) for a in self.aliases()}:
            self._add_alias_item(alias)
            self.dirty = True
        self.alias_input.clear()

    def remove_alias(self) -> None:
        """Remove the highlighted alias from the form."""
        row = self.alias_list.currentRow()
        if row >= 0:
            self.alias_list.takeItem(row)
            self.dirty = True

    def new_actor(self) -> None:
        """Empty the form for a new actor; Save creates it."""
        if self.dirty and not self.confirm(f"Discard your changes to “{self._title()}”?"):
            return
        self.tree.blockSignals(True)
        self.tree.setCurrentIndex(QModelIndex())
        self.tree.blockSignals(False)
        self._load(None, creating=True)
        self._say("")
        self.name.setFocus()

    def save(self) -> None:
        """Create or update the actor in the form, in one transaction."""
        if self.editing is None and not self.creating:
            return
        name, kind, aliases = self.name.text(), self.type.currentText(), self.aliases()
        parent_id, types = self.parent_actor.chosen_id(), self.actor_types
        editing = self.editing

        def change(session: Session) -> tuple[uuid.UUID, str]:
            if editing is None:
                actor = create_actor(
                    session,
                    name=name,
                    type=kind,
                    parent_id=parent_id,
                    aliases=aliases,
                    actor_types=types,
                )
            else:
                actor = update_actor(
                    session, actor_id=editing.id, actor_types=types, name=name, type=kind,
                    parent_id=parent_id, aliases=aliases
                )  # fmt: skip
            return actor.id, actor.name

        saved = self._commit(change)
        if saved is not None:
            edited = ProjectChange(actors=frozenset({saved[0]}))
            self._committed(saved[0], f"Saved “{saved[1]}”.", edited)

    def delete_selected(self) -> None:
        """Delete the chosen actor after asking; the service refuses while stances use it."""
        row = self.editing
        if row is None:
            return
        question = f"Delete “{row.name}”?"
        if row.mention_count:
            question += f" {row.mention_count} mentions will no longer name an actor."
        if not self.confirm(question):
            return
        deleted = self._commit(lambda session: delete_actor(session, actor_id=row.id))
        if deleted is not None:
            self.editing = None
            self._committed(None, f"Deleted “{row.name}”.", deleted.change)

    def open_merge_dialog(self) -> ChooseActorDialog | None:
        """Ask (without blocking) which actor the chosen one is merged into."""
        row = self.editing
        if row is None:
            return None
        excluded = self._descendants(row.id) | {row.id}  # the service refuses those
        candidates = [r for r in self.rows.values() if r.id not in excluded]
        dialog = ChooseActorDialog(
            f"Merge “{row.name}”",
            f"Merge “{row.name}” &into:",
            f"Its mentions, stances, sub-actors and aliases move to the actor you choose, and"
            f" “{row.name}” becomes one of that actor's aliases.",
            candidates,
            self,
        )
        dialog.ok_button.setText("&Merge")
        dialog.accepted.connect(lambda: self.merge_into(dialog.chosen_id()))
        self.merge_dialog = dialog
        dialog.open()
        return dialog

    def merge_into(self, keep_id: uuid.UUID | None) -> None:
        """Merge the chosen actor into `keep_id` after asking."""
        row = self.editing
        keep = self.rows.get(keep_id) if keep_id else None
        if row is None or keep is None:
            return
        question = (
            f"Merge “{row.name}” into “{keep.name}”? Its {row.mention_count} mentions, its"
            f" stances, sub-actors and aliases move to “{keep.name}”. This cannot be undone."
        )
        if not self.confirm(question):
            return
        summary = self._commit(
            lambda session: merge_actors(session, keep_id=keep.id, merge_id=row.id)
        )
        if summary is None:
            return
        folded = summary.stances_folded + summary.gold_stances_folded
        self._committed(
            keep.id,
            f"Merged “{summary.merged}” into “{summary.kept}”: {summary.spans} mentions and"
            f" {summary.stances} stances moved"
            + (f", {folded} duplicate stances combined." if folded else "."),
            summary.change,
        )

    def _commit(self, change: Callable[[Session], T]) -> T | None:
        """Run `change` in its own transaction; a refusal is shown in red and gives None."""
        try:
            with self.sessions.begin() as session:
                return change(session)
        except AnnotatorError as error:
            self._say(str(error), error=True)
            return None

    def _committed(self, select: uuid.UUID | None, message: str, change: ProjectChange) -> None:
        self.dirty = self.creating = False
        self.refresh(select)
        self._say(message)
        self.hub.publish(change, self)

    def _project_changed(self, change: ProjectChange, origin: object) -> None:
        """Another window or program changed the registry: show it, unless the form holds
        unsaved changes (they are not thrown away: the list follows after Save or Discard)."""
        if origin is self or not change.registry:
            return
        if self.dirty:
            self._say("The registry was changed elsewhere; it shows here once you save.")
            return
        self.refresh()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)

    def reject(self) -> None:
        """Close, after asking when the form has unsaved changes."""
        if self.dirty and not self.confirm(f"Discard your changes to “{self._title()}”?"):
            return
        super().reject()
