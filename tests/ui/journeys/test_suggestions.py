"""Journey 4: suggested actor mentions clicked in the text, accepted and rejected."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.store.database import Database
from tests.ui.journeys.person import CTRL, SHIFT, click_text, keys, open_document
from tests.ui.journeys.window import start, stored_layer, text_of


def test_click_a_suggestion_enter_accepts_del_rejects_each_goes_on(
    qtbot: QtBot, project: Database
) -> None:
    window = start(qtbot, project)
    workspace = window.workspace
    open_document(qtbot, window, "Kremlin rejects European troop plans")
    text = text_of(project, "troops-meridian")
    editor, pane = workspace.left, workspace.left.pane
    keys(qtbot, window, Qt.Key.Key_G, CTRL)
    outlined = sorted(editor.suggestions, key=lambda s: s.start)
    assert len(outlined) >= 4
    # Click inside the third suggestion (not the first): it is the one the keys act on.
    third, fourth, fifth = outlined[2], outlined[3], outlined[4]
    click_text(qtbot, pane, third.start + 1)
    assert editor.suggestion == third
    keys(qtbot, pane, Qt.Key.Key_Return)  # accept; the next one becomes current
    assert editor.suggestion == fourth
    keys(qtbot, pane, Qt.Key.Key_Delete)  # reject it; on to the next
    assert editor.suggestion == fifth
    keys(qtbot, window, Qt.Key.Key_A, CTRL | SHIFT)  # the menu's key accepts the current too
    layer = stored_layer(project, "troops-meridian", "ana")
    stored = sorted((s.start, s.end, s.label, s.actor_id) for s in layer.spans.values())
    assert stored == [
        (third.start, third.end, "ACTOR", third.actor_id),
        (fifth.start, fifth.end, "ACTOR", fifth.actor_id),
    ]
    assert text[third.start : third.end] == third.matched
    # The rejected one is no longer outlined and nothing of it is stored.
    assert fourth not in editor.suggestions and third not in editor.suggestions
    assert all(s.start != fourth.start for s in layer.spans.values())
