"""Journey 2: a document annotated with the mouse alone."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.store.database import Database
from annotator.ui.workspace.document_tags import NAME
from tests.ui.journeys.person import (
    CTRL,
    choose_in_combo,
    click,
    click_item,
    click_tab,
    click_text,
    drag,
    open_document,
    tick_in_list,
)
from tests.ui.journeys.window import start, stored_layer, text_of


def test_drag_palette_clicks_stance_form_and_document_tags(qtbot: QtBot, project: Database) -> None:
    window = start(qtbot, project)
    workspace = window.workspace
    open_document(qtbot, window, "Kremlin rejects European troop plans")
    text = text_of(project, "troops-meridian")
    pane = workspace.left.pane
    palette = workspace.palette_bar.buttons

    # A drag that starts a letter late and ends a letter early takes the whole words.
    trump = text.index("Donald Trump")
    drag(qtbot, pane, trump + 1, trump + len("Donald Trump") - 1)
    click(qtbot, palette["ACTOR"])
    # With Ctrl held the drag keeps single characters: "Putin" without its last letter.
    putin = text.index("Putin")
    drag(qtbot, pane, putin, putin + 4, CTRL)
    click(qtbot, palette["CLAIM"])
    # The claim, dragged from its first word to its last.
    claim = text.index("spoke warmly")
    claim_end = text.index("the fighting", claim) + len("the fighting")
    drag(qtbot, pane, claim, claim_end)
    click(qtbot, palette["CLAIM"])

    # The stance: click the Trump span, then the Stance tab: its actor is filled in.
    click_text(qtbot, pane, trump + 2)
    click_tab(qtbot, workspace.side, "Stance")
    form = workspace.stance_editor
    assert form.picker.text() == "Donald Trump"
    choose_in_combo(qtbot, form.issue, "Negotiations")
    choose_in_combo(qtbot, form.polarity, "support")
    tick_in_list(qtbot, form.evidence, "CLAIM: spoke warmly")
    click(qtbot, form.add_button)

    # The Document tab: a click on a nested issue's name ticks it.
    click_tab(qtbot, workspace.side, "Document")
    tree = workspace.document_panel.tree
    issues = tree.topLevelItem(1)
    summits = next(
        issues.child(i)
        for i in range(issues.childCount())
        if issues.child(i).text(0).strip() == "Summits"
    )
    summits_key = summits.data(0, NAME)
    click_item(qtbot, tree, summits)
    qtbot.waitUntil(lambda: summits_key in workspace.left.layer.document_labels)

    layer = stored_layer(project, "troops-meridian", "ana")
    vocabulary = workspace.vocabulary
    spans = {text[s.start : s.end]: s for s in layer.spans.values()}
    assert {quote: s.label for quote, s in spans.items()} == {
        "Donald Trump": "ACTOR",
        "Puti": "CLAIM",
        text[claim:claim_end]: "CLAIM",
    }
    assert vocabulary.actors[spans["Donald Trump"].actor_id] == "Donald Trump"  # type: ignore[index]
    [stance] = layer.stances.values()
    assert vocabulary.actors[stance.actor_id] == "Donald Trump"
    assert vocabulary.issue(stance.issue_id).name == "Negotiations"  # type: ignore[union-attr]
    assert stance.polarity == "support"
    # Evidence: the clicked span was ticked for the person, and the claim they ticked.
    assert set(stance.evidence) == {spans["Donald Trump"].id, spans[text[claim:claim_end]].id}
    assert summits_key in layer.document_labels
    # And the tick shows after the panel is drawn again.
    issues = tree.topLevelItem(1)
    ticked = [
        issues.child(i).data(0, NAME)
        for i in range(issues.childCount())
        if issues.child(i).checkState(0) == Qt.CheckState.Checked
    ]
    assert ticked == [summits_key]
