"""Journey 6: a stance recorded, then changed and deleted in the Stance tab."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.store.database import Database
from tests.ui.journeys.person import (
    CTRL,
    choose_in_combo,
    click,
    click_item,
    click_tab,
    drag,
    keys,
    open_document,
    type_text,
)
from tests.ui.journeys.window import start, stored_layer, text_of


def test_a_stance_changed_then_deleted_then_undone(qtbot: QtBot, project: Database) -> None:
    window = start(qtbot, project)
    workspace = window.workspace
    open_document(qtbot, window, "Kremlin rejects European troop plans")
    text = text_of(project, "troops-meridian")
    pane = workspace.left.pane
    claim = text.index("restated its opposition")
    drag(qtbot, pane, claim, text.index(" after the war", claim))
    keys(qtbot, pane, Qt.Key.Key_3)
    keys(qtbot, window, Qt.Key.Key_T, CTRL)
    form = workspace.stance_editor
    # Submitting with nothing chosen says what is missing and stores nothing.
    keys(qtbot, form.picker.edit, Qt.Key.Key_Return, CTRL)
    assert form.message.isVisible() and "actor" in form.message.text()
    type_text(qtbot, form.picker.edit, "Russia")
    keys(qtbot, form.picker.edit, Qt.Key.Key_Escape)
    keys(qtbot, form.picker.edit, Qt.Key.Key_Return, CTRL)
    assert form.message.text() == "Choose the issue."
    choose_in_combo(qtbot, form.issue, "Foreign troop presence")
    choose_in_combo(qtbot, form.polarity, "oppose")
    click(qtbot, form.add_button)
    [stance] = stored_layer(project, "troops-meridian", "ana").stances.values()
    assert workspace.vocabulary.actors[stance.actor_id] == "Russia"

    # A double click on the stance in the List opens it in the Stance tab.
    tree = workspace.annotations
    click_item(qtbot, tree, tree.topLevelItem(1).child(0), double=True)
    assert workspace.side.currentWidget() is form and form.editing is not None
    assert form.title.text() == "Editing: Russia oppose Foreign troop presence"
    choose_in_combo(qtbot, form.polarity, "mixed")
    choose_in_combo(qtbot, form.issue, "NATO membership")
    click(qtbot, form.add_button)  # "Save stance"
    [changed] = stored_layer(project, "troops-meridian", "ana").stances.values()
    assert changed.id == stance.id and changed.polarity == "mixed"
    assert workspace.vocabulary.issue(changed.issue_id).name == "NATO membership"  # type: ignore[union-attr]
    assert changed.evidence == stance.evidence

    # Chosen in the list (one click), the Stance tab holds it: Delete.
    click_item(qtbot, tree, tree.topLevelItem(1).child(0))
    click_tab(qtbot, workspace.side, "Stance")
    assert form.delete_button.isVisible()
    click(qtbot, form.delete_button)
    assert stored_layer(project, "troops-meridian", "ana").stances == {}
    assert (
        window.actions_by_id[next(a for a in window.actions_by_id if a.name == "UNDO")].text()
        == "&Undo delete stance"
    )
    keys(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert list(stored_layer(project, "troops-meridian", "ana").stances.values()) == [changed]
