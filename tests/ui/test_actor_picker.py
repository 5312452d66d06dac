"""The actor picker: type-ahead over names and aliases, keyboard only, and creating actors."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.core.schema import default_schema
from annotator.io.demo import load_demo
from annotator.store.actors import actor_row
from annotator.store.database import Database, open_database
from annotator.store.models import Actor
from annotator.ui.actors.picker import ActorPicker, NewActorDialog

TYPES = default_schema().actor_types


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    yield database
    database.close()


def actor_id(database: Database, name: str) -> uuid.UUID:
    with database.sessions() as session:
        return session.scalars(select(Actor.id).where(Actor.name == name)).one()


def shown_picker(qtbot: QtBot, database: Database) -> ActorPicker:
    picker = ActorPicker(database.sessions, TYPES)
    qtbot.addWidget(picker)
    picker.show()
    qtbot.waitExposed(picker)
    picker.edit.setFocus()
    return picker


def test_type_down_enter_chooses_the_highlighted_actor(qtbot: QtBot, database: Database) -> None:
    picker = shown_picker(qtbot, database)
    qtbot.keyClicks(picker.edit, "kreml")
    assert picker.popup.isVisible()
    assert picker.entries() == [
        "Kremlin — organisation",
        "Dmitry Peskov — person · alias: Kremlin spokesman",
        "Create “kreml”…",
    ]
    assert picker.popup.currentRow() == -1
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    assert picker.popup.currentRow() == 1
    with qtbot.waitSignal(picker.actor_chosen) as chosen:
        qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    assert chosen.args == [actor_id(database, "Dmitry Peskov")]
    assert picker.text() == "Dmitry Peskov"
    assert picker.chosen_id == actor_id(database, "Dmitry Peskov")
    assert not picker.popup.isVisible()
    # Typing again forgets the choice; Up from the top returns to the text; Esc closes.
    qtbot.keyClicks(picker.edit, "x")
    assert picker.chosen_id is None
    qtbot.keyClick(picker.edit, Qt.Key.Key_Backspace)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Up)
    assert picker.popup.currentRow() == picker.popup.count() - 1
    qtbot.keyClick(picker.edit, Qt.Key.Key_Escape)
    assert not picker.popup.isVisible()
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)  # reopens the list
    assert picker.popup.isVisible()


def test_set_text_finds_the_actor_by_alias_and_enter_takes_the_best(
    qtbot: QtBot, database: Database
) -> None:
    picker = shown_picker(qtbot, database)
    picker.set_text(" Peskov\n")
    assert picker.text() == "Peskov"
    # An alias is no actor's name, so creating an actor called "Peskov" is still offered.
    assert picker.entries() == ["Dmitry Peskov — person · alias: Peskov", "Create “Peskov”…"]
    with qtbot.waitSignal(picker.actor_chosen) as chosen:
        qtbot.keyClick(picker.edit, Qt.Key.Key_Enter)
    assert chosen.args == [actor_id(database, "Dmitry Peskov")]
    picker.set_text("moscow")
    assert picker.entries()[0] == "Russia — state · alias: Moscow"


def test_text_set_before_showing_is_listed_once_shown(qtbot: QtBot, database: Database) -> None:
    picker = ActorPicker(database.sessions, TYPES)
    qtbot.addWidget(picker)
    picker.set_text("Peskov")
    assert not picker.popup.isVisible()
    picker.show()
    qtbot.waitUntil(picker.popup.isVisible)
    assert picker.entries()[0] == "Dmitry Peskov — person · alias: Peskov"


def test_clicking_an_entry_chooses_it(qtbot: QtBot, database: Database) -> None:
    picker = shown_picker(qtbot, database)
    picker.set_text("Zelensky")
    item = picker.popup.item(0)
    with qtbot.waitSignal(picker.actor_chosen) as chosen:
        rect = picker.popup.visualItemRect(item)
        qtbot.mouseClick(picker.popup.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert chosen.args == [actor_id(database, "Volodymyr Zelensky")]


def test_create_entry_opens_a_form_that_creates_the_actor(qtbot: QtBot, database: Database) -> None:
    picker = shown_picker(qtbot, database)
    qtbot.keyClicks(picker.edit, "Maria Zakharova")
    assert picker.entries()[-1] == "Create “Maria Zakharova”…"
    qtbot.keyClick(picker.edit, Qt.Key.Key_Up)  # the last entry
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    dialog = picker.new_actor_dialog
    assert isinstance(dialog, NewActorDialog) and dialog.isVisible()
    qtbot.addWidget(dialog)
    assert dialog.name.text() == "Maria Zakharova"
    dialog.type.setCurrentText("person")
    dialog.parent_actor.choose(actor_id(database, "Russian Foreign Ministry"))
    dialog.aliases.setText("Zakharova; spokeswoman ;")
    with qtbot.waitSignal(picker.actor_chosen) as chosen:
        dialog.create_button.click()
    assert not dialog.isVisible()
    new_id = chosen.args[0]
    assert dialog.created_id == new_id == picker.chosen_id
    with database.sessions() as session:
        row = actor_row(session, new_id)
    assert (row.name, row.type, row.parent_name) == (
        "Maria Zakharova",
        "person",
        "Russian Foreign Ministry",
    )
    assert row.aliases == ("spokeswoman", "Zakharova")
    assert picker.text() == "Maria Zakharova"


def test_the_form_shows_why_an_actor_cannot_be_created(qtbot: QtBot, database: Database) -> None:
    picker = shown_picker(qtbot, database)
    dialog = picker.open_new_actor_dialog("kremlin ")
    qtbot.addWidget(dialog)
    with qtbot.assertNotEmitted(picker.actor_chosen):
        dialog.create_button.click()
    assert dialog.isVisible()
    assert dialog.error.text() == "'kremlin' is already an actor (written 'Kremlin')"
    dialog.name.setText("Kremlin Press Office")
    with qtbot.waitSignal(picker.actor_chosen):
        dialog.create_button.click()


def test_a_picker_without_create_never_offers_it(qtbot: QtBot, database: Database) -> None:
    picker = ActorPicker(database.sessions, TYPES, allow_create=False)
    qtbot.addWidget(picker)
    picker.set_text("nobody")
    assert picker.entries() == []
    assert not picker.popup.isVisible()
