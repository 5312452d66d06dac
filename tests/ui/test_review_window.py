"""The review window driven through its real widgets and keys."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QToolButton
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.review.adjudication.gold_layer import rejection_key
from annotator.review.adjudication.units import SpanUnit, StanceUnit
from annotator.store.annotations import LayerStore
from annotator.store.database import open_database
from annotator.store.models import Document, GoldSpan, GoldStance, ProjectSetting
from annotator.ui.review.actions import ReviewAction
from annotator.ui.review.window import ReviewWindow
from tests.review.test_comparison import ReviewData, build_review_data

CLAIM = "opposition to any arrangement that would put European soldiers in Ukraine"
SHIFT, CTRL = Qt.KeyboardModifier.ShiftModifier, Qt.KeyboardModifier.ControlModifier


@pytest.fixture
def data(tmp_path: Path) -> Iterator[ReviewData]:
    database = open_database(str(tmp_path / "review.sqlite"))
    yield build_review_data(database)
    database.close()


def window_for(qtbot: QtBot, data: ReviewData, name: str = "rita") -> ReviewWindow:
    window = ReviewWindow(data.database, data.people[name])
    qtbot.addWidget(window)
    with qtbot.waitActive(window):  # window shortcuts (N, A, Ctrl+Z...) need it active
        window.show()
        window.activateWindow()
    return window


def press(qtbot: QtBot, window: ReviewWindow, key: Qt.Key, modifier: object = None) -> None:
    """A key press where the reviewer's focus usually is: the list of units."""
    if modifier is None:
        qtbot.keyClick(window.units, key)
    else:
        qtbot.keyClick(window.units, key, modifier)  # type: ignore[arg-type]


def where(window: ReviewWindow, data: ReviewData) -> str:
    """The current unit: its text, or "stance:<agreement>"."""
    unit = window.current_unit()
    assert unit is not None
    if isinstance(unit, StanceUnit):
        return f"stance:{unit.agreement}"
    return data.text[unit.start : unit.end]


def gold(data: ReviewData) -> list[tuple[str, list[str]]]:
    names = {str(i): n for n, i in data.people.items()}
    with data.database.sessions() as session:
        rows = session.scalars(select(GoldSpan).order_by(GoldSpan.start)).all()
        return [(data.text[r.start : r.end], sorted(names[a] for a in r.agreed_by)) for r in rows]


def test_opens_on_the_first_disagreement_with_a_pane_per_layer(
    qtbot: QtBot, data: ReviewData
) -> None:
    window = window_for(qtbot, data)
    assert window.documents.count() == 1
    assert "4 open" in window.documents.currentText()
    assert [s.header.text().split("</b>")[0] for s in window.panes.slots] == [
        "<b>ana",
        "<b>ben",
        "<b>cleo",
        "<b>Gold",
    ]
    assert where(window, data) == CLAIM
    assert window.units.current_key() == window.current
    ana = window.panes.slots[0].pane
    assert ana.current is not None and ana.current.label == "review:single"
    assert window.panes.slots[1].pane.suggestions  # ben has nothing there: outlined
    assert "4 of 4 disagreements open" in window.counts.text()


def test_stepping_with_n_goes_in_reading_order_skips_decided_and_wraps(
    qtbot: QtBot, data: ReviewData
) -> None:
    window = window_for(qtbot, data)
    seen = [where(window, data)]
    for _ in range(4):
        press(qtbot, window, Qt.Key.Key_N)
        seen.append(where(window, data))
    assert seen == [CLAIM, "European soldiers", "Dmitry Peskov", "stance:conflict", CLAIM]
    press(qtbot, window, Qt.Key.Key_N, SHIFT)
    assert where(window, data) == "stance:conflict"
    press(qtbot, window, Qt.Key.Key_K)
    assert where(window, data) == "Dmitry Peskov"
    press(qtbot, window, Qt.Key.Key_J)
    assert where(window, data) == "stance:conflict"
    window.step_on.setChecked(False)
    press(qtbot, window, Qt.Key.Key_K)
    press(qtbot, window, Qt.Key.Key_K)  # back to "European soldiers"
    press(qtbot, window, Qt.Key.Key_R)
    assert where(window, data) == "European soldiers"  # no stepping on: still here
    seen = []
    for _ in range(3):
        press(qtbot, window, Qt.Key.Key_N)
        seen.append(where(window, data))
    assert seen == ["Dmitry Peskov", "stance:conflict", CLAIM]  # the rejected one skipped


def test_accept_and_reject_by_key_store_gold_and_rejections(qtbot: QtBot, data: ReviewData) -> None:
    window = window_for(qtbot, data)
    assert where(window, data) == CLAIM
    press(qtbot, window, Qt.Key.Key_A)
    assert gold(data) == [(CLAIM, ["ana"])]
    assert where(window, data) == "European soldiers"  # stepped on
    window.panel.note.setText("a topic, not an issue")
    press(qtbot, window, Qt.Key.Key_R)
    with data.database.sessions() as session:
        row = session.get(ProjectSetting, rejection_key(data.document_id))
        assert row is not None
        (rejection,) = json.loads(row.value)["rejections"]
    soldiers = {str(data.spans[n, "European soldiers"].id) for n in ("ben", "cleo")}
    assert set(rejection["ids"]) == soldiers
    assert rejection["note"] == "a topic, not an issue"
    assert where(window, data) == "Dmitry Peskov"
    press(qtbot, window, Qt.Key.Key_A)
    assert gold(data) == [(CLAIM, ["ana"]), ("Dmitry Peskov", ["ana", "ben"])]
    assert window.panes.slots[-1].header.text().startswith("<b>Gold</b> · 2 spans")
    assert "1 of 4 disagreements open" in window.counts.text()
    assert "1 open" in window.documents.currentText()
    press(qtbot, window, Qt.Key.Key_Z, CTRL)  # undo the Peskov accept
    assert gold(data) == [(CLAIM, ["ana"])]
    assert where(window, data) == "Dmitry Peskov"  # undo shows what it undid
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert gold(data) == [(CLAIM, ["ana"]), ("Dmitry Peskov", ["ana", "ben"])]


def test_pick_a_version_or_edit_with_bracket_keys_then_accept(
    qtbot: QtBot, data: ReviewData
) -> None:
    window = window_for(qtbot, data)
    window.step_on.setChecked(False)
    press(qtbot, window, Qt.Key.Key_N)
    press(qtbot, window, Qt.Key.Key_N)
    assert where(window, data) == "Dmitry Peskov"
    press(qtbot, window, Qt.Key.Key_2)  # cleo's version
    press(qtbot, window, Qt.Key.Key_A)
    assert gold(data) == [("Peskov", ["cleo"])]
    press(qtbot, window, Qt.Key.Key_1)
    press(qtbot, window, Qt.Key.Key_E)
    assert window.panel.editing
    for _ in range(7):  # "Dmitry " -> the start moves onto "Peskov"
        qtbot.keyClick(window.units, Qt.Key.Key_BraceRight)
    qtbot.keyClick(window.units, Qt.Key.Key_BracketLeft)  # and the end back one: "Pesko"
    qtbot.keyClick(window.units, Qt.Key.Key_BracketRight, CTRL)  # to the end of the word
    assert "<u>Peskov</u>" in window.panel.preview.text()
    window.units.setFocus()
    press(qtbot, window, Qt.Key.Key_A)
    assert not window.panel.editing
    assert gold(data) == [("Peskov", ["cleo"])]  # the same span, edited into the same
    with data.database.sessions() as session:
        actor = session.scalars(select(GoldSpan.actor_id)).one()
        assert actor == data.spans["ana", "Dmitry Peskov"].actor_id  # the link survived
    press(qtbot, window, Qt.Key.Key_E)
    qtbot.keyClick(window.units, Qt.Key.Key_BraceLeft, CTRL)  # start one word earlier
    press(qtbot, window, Qt.Key.Key_Escape)
    assert not window.panel.editing
    assert gold(data) == [("Peskov", ["cleo"])]  # cancelled: nothing stored


def test_stance_accept_by_key_with_the_polarity_picked(qtbot: QtBot, data: ReviewData) -> None:
    window = window_for(qtbot, data)
    window.step_on.setChecked(False)
    while where(window, data) != "stance:conflict":
        press(qtbot, window, Qt.Key.Key_N)
    assert window.panel.versions.count() == 2  # oppose (ana), support (ben)
    press(qtbot, window, Qt.Key.Key_2)
    press(qtbot, window, Qt.Key.Key_A)
    with data.database.sessions() as session:
        stance = session.scalars(select(GoldStance)).one()
        assert stance.polarity == "support"
        assert stance.agreed_by == [str(data.people["ben"])]
    unit = window.current_unit()
    assert isinstance(unit, StanceUnit) and unit.decision == "accepted"
    press(qtbot, window, Qt.Key.Key_Delete)  # reopen
    with data.database.sessions() as session:
        assert session.scalars(select(GoldStance)).all() == []


def test_accept_all_agreed_and_mouse_buttons(qtbot: QtBot, data: ReviewData) -> None:
    window = window_for(qtbot, data)
    press(qtbot, window, Qt.Key.Key_A, CTRL | SHIFT)
    assert gold(data) == [
        ("Kremlin", ["ana", "ben", "cleo"]),
        ("Washington", ["ana", "ben", "cleo"]),
    ]
    buttons = {b.text(): b for b in window.panel.findChildren(QToolButton)}
    assert where(window, data) == CLAIM
    qtbot.mouseClick(buttons["Reject"], Qt.MouseButton.LeftButton)
    unit = window.comparison.unit_of_span(data.spans["ana", CLAIM].id)  # type: ignore[union-attr]
    assert unit is not None and unit.decision == "rejected"
    qtbot.mouseClick(buttons["Next open disagreement"], Qt.MouseButton.LeftButton)
    assert where(window, data) == "Dmitry Peskov"


def test_clicking_a_span_in_a_pane_makes_its_unit_current(qtbot: QtBot, data: ReviewData) -> None:
    window = window_for(qtbot, data)
    pane = window.panes.slots[1].pane  # ben's layer
    cursor = pane.textCursor()
    cursor.setPosition(data.text.index("Washington") + 2)
    point = pane.cursorRect(cursor).center()
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(point.x(), point.y()))
    unit = window.current_unit()
    assert isinstance(unit, SpanUnit) and where(window, data) == "Washington"
    assert window.units.current_key() == unit.key


def test_an_annotator_sees_only_their_layer_until_done_and_cannot_decide(
    qtbot: QtBot, tmp_path: Path
) -> None:
    database = open_database(str(tmp_path / "blind.sqlite"))
    try:
        data = build_review_data(database, done=False)
        blind = window_for(qtbot, data, "ana")
        assert blind.documents.count() == 0
        assert "mark a document done" in blind.statusBar().currentMessage()
        data.stores["ana"].set_status("done")
        window = window_for(qtbot, data, "ana")
        assert window.documents.count() == 1
        assert len(window.panes.slots) == 4  # ana, ben, cleo (done or not) and gold
        assert not window.actions_by_id[ReviewAction.ACCEPT].isEnabled()
        press(qtbot, window, Qt.Key.Key_A)
        assert gold(data) == []
    finally:
        database.close()


def test_enter_in_the_editor_accepts_and_a_note_is_kept_on_the_gold_span(
    qtbot: QtBot, data: ReviewData
) -> None:
    window = window_for(qtbot, data)
    window.step_on.setChecked(False)
    press(qtbot, window, Qt.Key.Key_E)
    window.panel.end.setFocus()
    qtbot.keyClick(window.panel.end, Qt.Key.Key_Down)  # one character shorter, by mouse or key
    qtbot.keyClick(window.panel.end, Qt.Key.Key_Return)
    assert gold(data) == [(CLAIM[:-1], [])]  # nobody marked exactly that
    press(qtbot, window, Qt.Key.Key_M)
    assert window.panel.note.hasFocus()
    qtbot.keyClicks(window.panel.note, "drop the last letter? no")  # letters type, not act
    qtbot.keyClick(window.panel.note, Qt.Key.Key_Return)
    with data.database.sessions() as session:
        assert session.scalars(select(GoldSpan.note)).one() == "drop the last letter? no"
    assert window.units.hasFocus()


def test_any_document_opens_and_f5_reads_new_layers(qtbot: QtBot, data: ReviewData) -> None:
    window = window_for(qtbot, data)
    with data.database.sessions() as session:
        other = session.scalars(
            select(Document.id).where(Document.external_id == "troops-ledger")
        ).one()
    window.open_document(other)
    assert window.comparison is not None and window.comparison.document_id == other
    assert "fewer than two layers" in window.documents.currentText()
    assert window.comparison.layers == ()
    for name in ("ana", "ben"):
        LayerStore(data.database.sessions, other, data.people[name]).set_status("done")
    press(qtbot, window, Qt.Key.Key_F5)
    assert window.documents.count() == 2
    assert window.comparison.document_id == other
    assert [x.name for x in window.comparison.layers] == ["ana", "ben"]
    press(qtbot, window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.document_id() == data.document_id
    assert window.comparison.document_id == data.document_id
    press(qtbot, window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.document_id() == other


def test_undo_returns_to_the_document_where_the_decision_was_made(
    qtbot: QtBot, data: ReviewData
) -> None:
    window = window_for(qtbot, data)
    press(qtbot, window, Qt.Key.Key_A)  # the CLAIM, in the demo article
    claim_key = window.comparison.unit_of_span(data.spans["ana", CLAIM].id).key  # type: ignore[union-attr]
    with data.database.sessions() as session:
        other = session.scalars(
            select(Document.id).where(Document.external_id == "troops-ledger")
        ).one()
    window.open_document(other)
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert window.document_id() == data.document_id
    assert window.current == claim_key
    assert gold(data) == []
