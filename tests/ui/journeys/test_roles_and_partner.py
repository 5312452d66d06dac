"""Journeys 3 and 5: a second annotator in the pane beside; a lead made reviewer adjudicates."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.store.database import Database
from annotator.store.models import GoldSpan
from annotator.ui.actions import ActionId
from annotator.ui.dialogs.annotators import AnnotatorsDialog
from annotator.ui.review.actions import ReviewAction
from annotator.ui.review.window import ReviewWindow
from tests.review.test_comparison import build_review_data
from tests.ui.journeys.person import (
    CTRL,
    SHIFT,
    answer_next_dialog,
    click,
    click_row,
    click_text,
    drag,
    keys,
    menu,
    open_document,
    type_text,
)
from tests.ui.journeys.window import start, stored_layer, text_of


def test_a_second_annotator_works_in_the_partner_pane_after_switching(
    qtbot: QtBot, project: Database
) -> None:
    window = start(qtbot, project, "ana")
    workspace = window.workspace
    open_document(qtbot, window, "Kremlin rejects European troop plans")
    text = text_of(project, "troops-meridian")
    left = workspace.left.pane
    drag(qtbot, left, text.index("Kremlin"), text.index("Kremlin") + len("Kremlin"))
    keys(qtbot, left, Qt.Key.Key_1)
    # Ctrl+PgDown: the next article of the story beside; Ctrl+Shift+Right still
    # selects a word in the text and changes nothing else.
    keys(qtbot, left, Qt.Key.Key_Right, CTRL | SHIFT)
    assert not workspace.right.isVisible()
    keys(qtbot, window, Qt.Key.Key_PageDown, CTRL)
    assert workspace.right.isVisible()
    partner = workspace.right.document_id
    assert workspace.left.active_bar.isVisible() and not workspace.right.active_bar.isVisible()

    def answer(dialog: QWidget) -> None:  # the real name question
        keys(qtbot, dialog.focusWidget(), Qt.Key.Key_A, CTRL)
        type_text(qtbot, dialog.focusWidget(), "ben")
        keys(qtbot, dialog.focusWidget(), Qt.Key.Key_Return)

    answer_next_dialog(qtbot, answer)
    menu(qtbot, window, Qt.Key.Key_F, Qt.Key.Key_S)  # File › Switch annotator…
    qtbot.waitUntil(lambda: window.annotator_name == "ben")
    qtbot.waitUntil(window.isActiveWindow)  # the window takes the keys back from the question
    assert workspace.right.isVisible() and workspace.right.document_id == partner
    assert window.progress_label.text().startswith("Annotating as ben")
    # F6: the keys go to the pane beside, and its bar shows it.
    keys(qtbot, window, Qt.Key.Key_F6)
    assert workspace.active is workspace.right and workspace.right.active_bar.isVisible()
    right = workspace.right.pane
    beside = right.text
    word = beside.index("Kyiv") if "Kyiv" in beside else beside.index("Ukraine")
    end = word + 4 if beside.startswith("Kyiv", word) else word + 7
    drag(qtbot, right, word, end)
    keys(qtbot, right, Qt.Key.Key_1)
    click_text(qtbot, left, text.index("Kremlin") + 1)  # a click makes the left pane active
    assert workspace.active is workspace.left and workspace.left.active_bar.isVisible()

    with project.sessions() as session:
        from annotator.store.models import Document

        partner_key = session.scalars(
            select(Document.external_id).where(Document.id == partner)
        ).one()
    assert [
        beside[s.start : s.end] for s in stored_layer(project, partner_key, "ben").spans.values()
    ] == [beside[word:end]]
    assert stored_layer(project, partner_key, "ana").spans == {}
    assert [
        text[s.start : s.end]
        for s in stored_layer(project, "troops-meridian", "ana").spans.values()
    ] == ["Kremlin"]
    assert stored_layer(project, "troops-meridian", "ben").spans == {}


def _review_window() -> ReviewWindow:
    found = [
        w for w in QApplication.topLevelWidgets() if isinstance(w, ReviewWindow) and w.isVisible()
    ]
    assert len(found) == 1
    return found[0]


def test_a_lead_is_made_reviewer_and_adjudicates_into_gold(qtbot: QtBot, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from annotator.store.database import open_database

    database = open_database(str(tmp_path / "review.sqlite"))
    build_review_data(database)  # ana, ben and cleo marked the document done
    try:
        window = start(qtbot, database, "lea")
        keys(qtbot, window, Qt.Key.Key_F7)
        review = _review_window()
        qtbot.waitUntil(review.isActiveWindow)
        # Not a reviewer yet: deciding is off, and the window says why and what to do.
        assert review.role_banner.isVisible()
        assert "annotator annotators set-role lea reviewer" in review.role_banner.text()
        assert not review.actions_by_id[ReviewAction.ACCEPT].isEnabled()
        keys(qtbot, review.units, Qt.Key.Key_A)
        with database.sessions() as session:
            assert session.scalars(select(GoldSpan)).all() == []
        # File › Annotators and reviewers…: lea's role to reviewer.
        # Back to the main window (a click on it; the window system makes it the active one).
        click(qtbot, window.workspace.left.pane.viewport())
        with qtbot.waitActive(window):
            window.activateWindow()
        menu(qtbot, window, Qt.Key.Key_F, Qt.Key.Key_N)
        dialog = next(
            w
            for w in QApplication.topLevelWidgets()
            if isinstance(w, AnnotatorsDialog) and w.isVisible()
        )
        row = next(
            r for r in range(dialog.table.rowCount()) if dialog.table.item(r, 0).text() == "lea"
        )
        click_row(qtbot, dialog.table, row)
        assert not dialog.make_annotator.isEnabled()
        click(qtbot, dialog.make_reviewer)
        assert dialog.role_of("lea") == "reviewer" and dialog.make_annotator.isEnabled()
        keys(qtbot, dialog, Qt.Key.Key_Escape)
        # The open review window heard it: deciding is on, the banner gone.
        assert review.actions_by_id[ReviewAction.ACCEPT].isEnabled()
        assert not review.role_banner.isVisible()
        # F7 again brings that review window to the front (not a second one); A decides.
        keys(qtbot, window, Qt.Key.Key_F7)
        assert _review_window() is review
        qtbot.waitUntil(review.isActiveWindow)
        keys(qtbot, review.units, Qt.Key.Key_A)
        with database.sessions() as session:
            stored = session.scalars(select(GoldSpan)).all()
        assert len(stored) == 1
        assert window.actions_by_id[ActionId.REVIEW].isEnabled()
    finally:
        database.close()
