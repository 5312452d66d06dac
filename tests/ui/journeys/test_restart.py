"""Journey 7: a restart reopens the document and the place in it where the person stopped."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from annotator.settings import Settings
from annotator.store.database import Database
from annotator.ui.app import open_window
from tests.ui.journeys.person import CTRL, answer_next_dialog, keys, open_document, type_text


def test_the_second_start_opens_where_the_first_one_stopped(
    qtbot: QtBot, project: Database
) -> None:
    assert project.path is not None
    db = str(project.path)

    def say_name(dialog: QWidget) -> None:  # the first start asks who is annotating
        keys(qtbot, dialog.focusWidget(), Qt.Key.Key_A, CTRL)
        type_text(qtbot, dialog.focusWidget(), "ana")
        keys(qtbot, dialog.focusWidget(), Qt.Key.Key_Return)

    answer_next_dialog(qtbot, say_name)
    window, database, _ = open_window(db=db)
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    assert window.annotator_name == "ana" and Settings.load().annotator == "ana"
    # The list's first document is open; the person picks another and reads down it.
    open_document(qtbot, window, "Trump presses both sides on land")
    window.resize(900, 420)  # a small window: the text is longer than the pane
    pane = window.workspace.left.pane
    keys(qtbot, pane, Qt.Key.Key_PageDown, times=2)
    qtbot.waitUntil(lambda: pane.first_visible() > 0)
    place = pane.first_visible()
    keys(qtbot, window, Qt.Key.Key_Q, CTRL)  # File › Quit
    qtbot.waitUntil(lambda: not window.isVisible())
    database.close()

    # The next start asks nothing and opens that document, at that place.
    again, database, look = open_window(db=db)
    qtbot.addWidget(again)
    assert look is not None, "painted from the first look, as a real start is"
    again.resize(900, 420)
    with qtbot.waitActive(again):
        again.show()
        again.activateWindow()
    assert again.workspace.left.header.text().startswith("Trump presses both sides on land")
    assert again.browser.current_document() == again.workspace.left.document_id
    shown = again.workspace.left.pane
    qtbot.waitUntil(lambda: shown.first_visible() == place)
    database.close()
