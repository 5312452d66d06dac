"""The actor registry editor: the tree, editing and saving, merging, deleting, refusals."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.core.schema import default_schema
from annotator.io.demo import load_demo
from annotator.store.actors import actor_row, create_actor
from annotator.store.database import Database, open_database
from annotator.store.models import Actor, Document, Issue, Span, Stance
from annotator.store.project import annotator_named
from annotator.ui.actors.picker import ActorRole
from annotator.ui.actors.registry_dialog import RegistryDialog

TYPES = default_schema().actor_types


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    yield database
    database.close()


class Questions:
    """Stands in for the message box: records each question and gives a set answer."""

    def __init__(self, answer: bool = True) -> None:
        self.answer = answer
        self.asked: list[str] = []

    def __call__(self, question: str) -> bool:
        self.asked.append(question)
        return self.answer


def actor_id(database: Database, name: str) -> uuid.UUID:
    with database.sessions() as session:
        return session.scalars(select(Actor.id).where(Actor.name == name)).one()


def link_span_and_stance(database: Database, name: str, *, stance: bool) -> None:
    with database.sessions.begin() as session:
        actor = session.scalars(select(Actor).where(Actor.name == name)).one()
        document = session.scalars(select(Document)).first()
        assert document is not None
        span = Span(
            document_id=document.id,
            annotator_id=annotator_named(session, "alice").id,
            start=0,
            end=4,
            label="ACTOR",
            actor_id=actor.id,
        )
        session.add(span)
        if stance:
            issue = session.scalars(select(Issue)).first()
            assert issue is not None
            session.add(
                Stance(
                    document_id=document.id,
                    annotator_id=span.annotator_id,
                    actor_id=actor.id,
                    issue_id=issue.id,
                    polarity="oppose",
                )
            )


def dialog_for(qtbot: QtBot, database: Database, questions: Questions) -> RegistryDialog:
    dialog = RegistryDialog(database.sessions, TYPES, confirm=questions)
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):  # shortcuts only reach the active window
        dialog.show()
        dialog.activateWindow()
    return dialog


def path_of(item: QTreeWidgetItem) -> list[str]:
    names: list[str] = []
    current: QTreeWidgetItem | None = item
    while current is not None:
        names.insert(0, current.text(0))
        current = current.parent()
    return names


def choose(dialog: RegistryDialog, database: Database, name: str) -> None:
    dialog.tree.setCurrentItem(dialog.items[actor_id(database, name)])
    assert dialog.name.text() == name


def test_the_tree_nests_actors_by_parent_and_filters(qtbot: QtBot, database: Database) -> None:
    link_span_and_stance(database, "Dmitry Peskov", stance=False)
    dialog = dialog_for(qtbot, database, Questions())
    peskov = dialog.items[actor_id(database, "Dmitry Peskov")]
    assert path_of(peskov) == ["Russia", "Kremlin", "Dmitry Peskov"]
    assert (peskov.text(1), peskov.text(2)) == ("person", "1")
    assert dialog.tree.topLevelItemCount() == 16
    dialog.filter.setText("pesk")
    assert list(dialog.items) == [
        actor_id(database, name) for name in ("Russia", "Kremlin", "Dmitry Peskov")
    ]
    russia = dialog.items[actor_id(database, "Russia")]
    assert russia.foreground(0).color().name() == "#8a8a8a"  # only there to place Peskov
    dialog.filter.setText("moscow")
    assert [item.text(0) for item in dialog.items.values()] == ["Russia  (alias: Moscow)"]
    dialog.filter.clear()
    assert len(dialog.items) == 24


def test_edit_and_save_with_ctrl_s(qtbot: QtBot, database: Database) -> None:
    dialog = dialog_for(qtbot, database, Questions())
    choose(dialog, database, "Dmitry Peskov")
    assert dialog.path.text() == "<b>Dmitry Peskov → Kremlin → Russia</b> · 0 mentions"
    assert dialog.aliases() == ["Kremlin spokesman", "Peskov"]
    dialog.name.setFocus()
    dialog.name.selectAll()
    qtbot.keyClicks(dialog.name, "Dmitry S. Peskov")
    dialog.alias_list.setFocus()
    dialog.alias_list.setCurrentRow(0)
    qtbot.keyClick(dialog.alias_list, Qt.Key.Key_Delete)
    qtbot.keyClicks(dialog.alias_input, "Peskov")  # already there: not added twice
    qtbot.keyClick(dialog.alias_input, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.alias_input, "Dmitry Peskov")
    qtbot.keyClick(dialog.alias_input, Qt.Key.Key_Return)
    dialog.parent_actor.choose(actor_id(database, "Russia"))
    assert dialog.dirty
    with qtbot.waitSignal(dialog.hub.changed):
        qtbot.keyClick(dialog, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    assert dialog.message.text() == "Saved “Dmitry S. Peskov”."
    assert not dialog.dirty
    with database.sessions() as session:
        row = actor_row(session, actor_id(database, "Dmitry S. Peskov"))
    assert (row.parent_name, row.aliases) == ("Russia", ("Dmitry Peskov", "Peskov"))
    item = dialog.tree.currentItem()
    assert item is not None and path_of(item) == ["Russia", "Dmitry S. Peskov"]


def test_a_refused_save_shows_the_reason_in_red(qtbot: QtBot, database: Database) -> None:
    dialog = dialog_for(qtbot, database, Questions())
    choose(dialog, database, "Russia")
    dialog.parent_actor.choose(actor_id(database, "Kremlin"))
    assert dialog.parent_actor.chosen_id() is None  # Russia's descendants are not offered
    dialog.name.setText("Ukraine")
    with qtbot.assertNotEmitted(dialog.hub.changed):
        dialog.save_button.click()
    assert dialog.message.text() == "'Ukraine' is already an actor"
    assert "#c0392b" in dialog.message.styleSheet()
    assert dialog.isVisible()


def test_new_actor_then_save(qtbot: QtBot, database: Database) -> None:
    dialog = dialog_for(qtbot, database, Questions())
    qtbot.keyClick(dialog, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert dialog.creating and dialog.name.text() == "" and dialog.path.text() == "New actor"
    qtbot.keyClicks(dialog.name, "Maria Zakharova")
    dialog.type.setCurrentText("person")
    dialog.parent_actor.choose(actor_id(database, "Russian Foreign Ministry"))
    qtbot.keyClicks(dialog.alias_input, "Zakharova")
    dialog.add_alias_button.click()
    with qtbot.waitSignal(dialog.hub.changed):
        dialog.save_button.click()
    new_id = actor_id(database, "Maria Zakharova")
    assert dialog.editing is not None and dialog.editing.id == new_id
    assert path_of(dialog.items[new_id]) == [
        "Russia",
        "Russian Foreign Ministry",
        "Maria Zakharova",
    ]
    assert dialog.aliases() == ["Zakharova"]


def test_unsaved_changes_are_kept_unless_discarded(qtbot: QtBot, database: Database) -> None:
    questions = Questions(answer=False)
    dialog = dialog_for(qtbot, database, questions)
    choose(dialog, database, "Kremlin")
    qtbot.keyClicks(dialog.name, " Palace")
    dialog.tree.setCurrentItem(dialog.items[actor_id(database, "Russia")])
    assert questions.asked == ["Discard your changes to “Kremlin”?"]
    assert dialog.name.text() == "Kremlin Palace"
    assert dialog.tree.currentItem() is dialog.items[actor_id(database, "Kremlin")]
    dialog.reject()
    assert dialog.isVisible()
    questions.answer = True
    dialog.tree.setCurrentItem(dialog.items[actor_id(database, "Russia")])
    assert dialog.name.text() == "Russia"


def test_merge_into_another_actor(qtbot: QtBot, database: Database) -> None:
    with database.sessions.begin() as session:
        create_actor(
            session, name="Dmitri Peskov", type="person", aliases=["D. Peskov"], actor_types=TYPES
        )
    link_span_and_stance(database, "Dmitri Peskov", stance=True)
    questions = Questions()
    dialog = dialog_for(qtbot, database, questions)
    choose(dialog, database, "Dmitri Peskov")
    dialog.merge_button.click()
    chooser = dialog.merge_dialog
    assert chooser is not None and chooser.isVisible()
    qtbot.addWidget(chooser)
    keep = actor_id(database, "Dmitry Peskov")
    chooser.choice.choose(keep)
    with qtbot.waitSignal(dialog.hub.changed):
        chooser.ok_button.click()
    assert questions.asked[-1].startswith(
        "Merge “Dmitri Peskov” into “Dmitry Peskov”? Its 1 mentions"
    )
    assert dialog.message.text() == (
        "Merged “Dmitri Peskov” into “Dmitry Peskov”: 1 mentions and 1 stances moved."
    )
    assert dialog.editing is not None and dialog.editing.id == keep
    assert dialog.aliases() == ["D. Peskov", "Dmitri Peskov", "Kremlin spokesman", "Peskov"]
    assert dialog.items[keep].text(2) == "1"
    assert all(item.text(0) != "Dmitri Peskov" for item in dialog.items.values())


def test_merge_offers_neither_itself_nor_its_descendants(qtbot: QtBot, database: Database) -> None:
    dialog = dialog_for(qtbot, database, Questions())
    choose(dialog, database, "Kremlin")
    chooser = dialog.open_merge_dialog()
    assert chooser is not None
    qtbot.addWidget(chooser)
    offered = {chooser.choice.itemData(i, ActorRole.ID) for i in range(chooser.choice.count())}
    assert chooser.chosen_id() is None and not chooser.ok_button.isEnabled()
    assert len(offered - {None}) == 21
    assert actor_id(database, "Russia") in offered
    for name in ("Kremlin", "Vladimir Putin", "Dmitry Peskov"):
        assert actor_id(database, name) not in offered
    chooser.reject()


def test_delete_key_asks_and_the_service_refusal_is_shown(qtbot: QtBot, database: Database) -> None:
    link_span_and_stance(database, "Kremlin", stance=True)
    questions = Questions()
    dialog = dialog_for(qtbot, database, questions)
    choose(dialog, database, "Kremlin")
    dialog.tree.setFocus()
    with qtbot.assertNotEmitted(dialog.hub.changed):
        qtbot.keyClick(dialog.tree, Qt.Key.Key_Delete)
    assert questions.asked == ["Delete “Kremlin”? 1 mentions will no longer name an actor."]
    assert dialog.message.text() == (
        "cannot delete Kremlin: 1 stance uses it; merge it into another actor instead"
    )
    assert "#c0392b" in dialog.message.styleSheet()
    assert actor_id(database, "Kremlin") in dialog.items

    choose(dialog, database, "Harbour Post")
    questions.answer = False
    dialog.delete_button.click()
    assert actor_id(database, "Harbour Post") in dialog.items  # the user said no
    questions.answer = True
    with qtbot.waitSignal(dialog.hub.changed):
        dialog.delete_button.click()
    assert dialog.message.text() == "Deleted “Harbour Post”."
    assert len(dialog.items) == 23
    assert dialog.editing is None and not dialog.name.isEnabled()
