"""Choosing an actor by typing: a line edit with a ranked list of actors under it.

`ActorPicker` finds actors by name or alias as the user types (`search_actors`), is driven by
the keyboard alone (type, Down/Up, Enter, Esc) and offers 'Create "…"' as its last entry, which
opens `NewActorDialog`. `ActorChoice` is a plain combo box of actors for parent and merge choices,
and `ChooseActorDialog` asks for one actor with it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QHideEvent, QKeyEvent, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from annotator.core.errors import AnnotatorError

# The store (and SQLAlchemy) load after the first window is painted: see store.first_look.
if TYPE_CHECKING:
    from annotator.store.actors import ActorMatch, ActorRow
    from annotator.store.sessions import Sessions

ERROR_STYLE = "color: #c0392b;"


class ActorRole(IntEnum):
    """Custom item-data roles of the picker's list and of `ActorChoice`."""

    ID = Qt.ItemDataRole.UserRole + 1  # uuid.UUID, or None on the 'Create' entry
    CREATE = Qt.ItemDataRole.UserRole + 2  # True on the 'Create' entry
    NAME = Qt.ItemDataRole.UserRole + 3  # the actor's canonical name


def describe(match: ActorMatch) -> str:
    """The list entry: "Dmitry Peskov — person · alias: Kremlin spokesman"."""
    text = f"{match.actor.name} — {match.actor.type}"
    return text + (f" · alias: {match.matched}" if match.via_alias else "")


class ActorPicker(QWidget):
    """A line edit that finds actors by name or alias; emits `actor_chosen(uuid.UUID)`."""

    actor_chosen = Signal(object)

    def __init__(
        self,
        sessions: Sessions,
        actor_types: Sequence[str],
        parent: QWidget | None = None,
        *,
        allow_create: bool = True,
        limit: int = 12,
    ) -> None:
        super().__init__(parent)
        self.sessions = sessions
        self.actor_types = tuple(actor_types)
        self.allow_create = allow_create
        self.limit = limit
        self.chosen_id: uuid.UUID | None = None
        self.new_actor_dialog: NewActorDialog | None = None

        self.edit = QLineEdit()
        self.edit.setPlaceholderText("Type a name or alias…")
        self.edit.setClearButtonEnabled(True)
        self.setFocusProxy(self.edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)

        # A tool-tip window never takes the focus, so typing stays in the line edit while the
        # list is open and the edit's event filter can drive the list (as QCompleter does).
        self.popup = QListWidget(self)
        self.popup.setWindowFlags(
            Qt.WindowType.ToolTip
            | Qt.WindowType.FramelessWindowHint
            | Qt.WindowType.WindowDoesNotAcceptFocus
        )
        self.popup.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup.setUniformItemSizes(True)
        self.popup.setStyleSheet("QListWidget::item { padding: 3px 4px; }")
        self.popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.popup.itemClicked.connect(self._choose)

        self.edit.textEdited.connect(self._text_edited)
        self.edit.installEventFilter(self)

    def set_text(self, text: str) -> None:
        """Prefill with `text` (e.g. the selected span) and list the actors it matches."""
        self.edit.setText(" ".join(text.split()))
        self._text_edited(self.edit.text())

    def text(self) -> str:
        """The text in the line edit."""
        return self.edit.text()

    def entries(self) -> list[str]:
        """The texts of the list's entries, top to bottom."""
        return [self.popup.item(row).text() for row in range(self.popup.count())]

    def refresh(self) -> None:
        """Fill the list for the current text; shows it if the picker is on screen."""
        from annotator.store.actors import fold, search_actors

        text = self.edit.text().strip()
        with self.sessions() as session:
            matches = search_actors(session, text, self.limit)
        self.popup.clear()
        for match in matches:
            item = QListWidgetItem(describe(match))
            item.setData(ActorRole.ID, match.actor.id)
            item.setData(ActorRole.NAME, match.actor.name)
            actor = match.actor
            where = f" · part of {actor.parent_name}" if actor.parent_name else ""
            item.setToolTip(f"{actor.name} ({actor.type}){where} · {actor.mention_count} mentions")
            self.popup.addItem(item)
        exact = any(fold(m.actor.name) == fold(text) for m in matches)
        if self.allow_create and text and not exact:
            item = QListWidgetItem(f"Create “{text}”…")
            item.setData(ActorRole.CREATE, True)
            font = QFont(item.font())
            font.setItalic(True)
            item.setFont(font)
            self.popup.addItem(item)
        if self.popup.count() and self.isVisible():
            self._show_popup()
        else:
            self.popup.hide()

    def _text_edited(self, _text: str) -> None:
        self.chosen_id = None  # typing again means nothing is chosen until Enter
        if self.edit.text().strip():
            self.refresh()
        else:
            self.popup.hide()

    def _show_popup(self) -> None:
        rows = min(self.popup.count(), 10)
        frame = 2 * self.popup.frameWidth()
        width = max(self.edit.width(), self.popup.sizeHintForColumn(0) + frame + 24)
        self.popup.resize(width, rows * max(self.popup.sizeHintForRow(0), 1) + frame)
        self.popup.move(self.edit.mapToGlobal(QPoint(0, self.edit.height())))
        self.popup.show()  # a tool-tip window is shown on top; no raise_() needed

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt API
        if (
            watched is self.edit
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Escape
            and self.popup.isVisible()
        ):
            event.accept()  # Esc closes the open list first, before any window shortcut
            return True
        if watched is self.edit and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            return self._key(event.key())
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.popup.hide()
        elif watched is self.window() and event.type() in (QEvent.Type.Move, QEvent.Type.Resize):
            self.popup.hide()  # the list would be left floating away from the line edit
        return super().eventFilter(watched, event)

    def _key(self, key: int) -> bool:
        """Handle a key pressed in the line edit; True when the list used it."""
        open_ = self.popup.isVisible()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and not open_:
            self.refresh()  # Down on an empty picker lists the first actors
            return True
        if not open_:
            return False
        row, last = self.popup.currentRow(), self.popup.count() - 1
        if key == Qt.Key.Key_Down:
            self.popup.setCurrentRow(min(row + 1, last))
        elif key == Qt.Key.Key_Up:
            self.popup.setCurrentRow(last if row < 0 else row - 1)  # above the top: no choice
        elif key == Qt.Key.Key_PageDown:
            self.popup.setCurrentRow(min(row + 5, last))
        elif key == Qt.Key.Key_PageUp:
            self.popup.setCurrentRow(max(row - 5, 0))
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            # Enter without a highlighted entry takes the best match.
            self._choose(self.popup.item(max(row, 0)))
        elif key == Qt.Key.Key_Escape:
            self.popup.hide()
        else:
            return False
        return True

    def _choose(self, item: QListWidgetItem) -> None:
        self.popup.hide()
        if item.data(ActorRole.CREATE):
            self.open_new_actor_dialog(self.edit.text().strip())
            return
        actor_id = item.data(ActorRole.ID)
        self.edit.setText(item.data(ActorRole.NAME))
        self.chosen_id = actor_id
        self.actor_chosen.emit(actor_id)

    def open_new_actor_dialog(self, name: str) -> NewActorDialog:
        """Open (without blocking) the form that creates an actor named `name`."""
        dialog = NewActorDialog(self.sessions, self.actor_types, name, self)
        dialog.accepted.connect(lambda: self._created(dialog))
        self.new_actor_dialog = dialog
        dialog.open()
        return dialog

    def _created(self, dialog: NewActorDialog) -> None:
        if dialog.created_id is None:
            return
        self.edit.setText(dialog.name.text().strip())
        self.chosen_id = dialog.created_id
        self.actor_chosen.emit(dialog.created_id)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt API
        self.window().installEventFilter(self)
        super().showEvent(event)
        if self.popup.count() and self.chosen_id is None and self.edit.text().strip():
            # Prefilled by set_text before it was on screen: list once the layout is final.
            QTimer.singleShot(0, self._show_popup)

    def hideEvent(self, event: QHideEvent) -> None:  # noqa: N802 - Qt API
        self.popup.hide()
        super().hideEvent(event)


class ActorChoice(QComboBox):
    """A combo box of actors (type a name's first letters to jump); `chosen_id` is the choice."""

    def __init__(self, none_label: str | None = "(no parent)", parent: QWidget | None = None):
        super().__init__(parent)
        self.none_label = none_label
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.setMinimumContentsLength(24)

    def set_actors(self, rows: Iterable[ActorRow], chosen: uuid.UUID | None = None) -> None:
        """Offer `rows` (in their order) and choose `chosen` if it is among them."""
        self.blockSignals(True)  # refilling is not a choice by the user
        self.clear()
        if self.none_label is not None:
            self.addItem(self.none_label)
            self.setItemData(0, None, ActorRole.ID)
        for row in rows:
            self.addItem(f"{row.name} ({row.type})")
            self.setItemData(self.count() - 1, row.id, ActorRole.ID)
        self.blockSignals(False)
        self.choose(chosen)

    def chosen_id(self) -> uuid.UUID | None:
        """The chosen actor's id; None for the "no actor" entry."""
        value = self.currentData(ActorRole.ID)
        return value if isinstance(value, uuid.UUID) else None

    def choose(self, actor_id: uuid.UUID | None) -> None:
        """Choose `actor_id`, or the first entry when it is not offered."""
        # Not findData: it compares the wrapped Python objects by identity, not equality.
        ids = [self.itemData(index, ActorRole.ID) for index in range(self.count())]
        self.setCurrentIndex(ids.index(actor_id) if actor_id in ids else 0)


class NewActorDialog(QDialog):
    """Name, type, parent and aliases of a new actor, created in its own transaction.

    Not modal-blocking: open it with `open()`; `accept()` (the Create button) creates the
    actor or shows why it cannot, and leaves the new id in `created_id`.
    """

    def __init__(
        self,
        sessions: Sessions,
        actor_types: Sequence[str],
        name: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("New actor")
        self.sessions = sessions
        self.actor_types = tuple(actor_types)
        self.created_id: uuid.UUID | None = None

        self.name = QLineEdit(name)
        self.type = QComboBox()
        self.type.addItems(list(self.actor_types))
        self.parent_actor = ActorChoice()
        from annotator.store.actors import list_actors

        with sessions() as session:
            self.parent_actor.set_actors(list_actors(session))
        self.aliases = QLineEdit()
        self.aliases.setPlaceholderText("optional; separate several with ;")
        self.error = QLabel()
        self.error.setStyleSheet(ERROR_STYLE)
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout()
        form.addRow("&Name", self.name)
        form.addRow("&Type", self.type)
        form.addRow("&Part of", self.parent_actor)
        form.addRow("&Aliases", self.aliases)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton("&Create", QDialogButtonBox.ButtonRole.AcceptRole)
        self.create_button.setDefault(True)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.name.selectAll()

    def accept(self) -> None:
        """Create the actor and close, or show the reason it cannot be created."""
        from annotator.store.actors import create_actor

        try:
            with self.sessions.begin() as session:
                actor = create_actor(
                    session,
                    name=self.name.text(),
                    type=self.type.currentText(),
                    parent_id=self.parent_actor.chosen_id(),
                    aliases=self.aliases.text().split(";"),
                    actor_types=self.actor_types,
                )
                created = actor.id
        except AnnotatorError as error:
            self.error.setText(str(error))
            self.error.show()
            return
        self.created_id = created
        super().accept()


class ChooseActorDialog(QDialog):
    """Choose one of `candidates` (e.g. the actor to merge into); open it with `open()`."""

    def __init__(
        self,
        title: str,
        prompt: str,
        note: str,
        candidates: Iterable[ActorRow],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.choice = ActorChoice(none_label="(choose an actor)")  # no accidental default
        self.choice.set_actors(candidates)
        label = QLabel(prompt)
        label.setBuddy(self.choice)
        explanation = QLabel(note)
        explanation.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = buttons.addButton("OK", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok_button.setEnabled(False)
        self.choice.currentIndexChanged.connect(
            lambda: self.ok_button.setEnabled(self.chosen_id() is not None)
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        for widget in (label, self.choice, explanation, buttons):
            layout.addWidget(widget)

    def chosen_id(self) -> uuid.UUID | None:
        """The chosen actor's id, or None while none is chosen."""
        return self.choice.chosen_id()
