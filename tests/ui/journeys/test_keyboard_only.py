"""Journey 1: a document annotated with the keyboard alone, from the list to the next one."""

from __future__ import annotations

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.store.database import Database
from tests.ui.journeys.person import ALT, CTRL, focused_in, keys, select_words, type_text, word_to
from tests.ui.journeys.window import start, stored_layer, text_of


def test_spans_actor_link_issue_stance_done_and_next_by_keys(
    qtbot: QtBot, project: Database
) -> None:
    window = start(qtbot, project)
    workspace = window.workspace
    text = text_of(project, "troops-meridian")
    # Alt+Right steps down the list: the fourth document is the Meridian Wire's.
    keys(qtbot, window, Qt.Key.Key_Right, ALT, 4)
    assert workspace.left.header.text().startswith("Kremlin rejects European troop plans")
    pane = workspace.left.pane
    assert focused_in(pane)

    # "Kremlin": to the word, select it, 1 (ACTOR; the registry has that exact name).
    word_to(qtbot, pane, text.index("Kremlin"))
    select_words(qtbot, pane, 1)
    keys(qtbot, pane, Qt.Key.Key_1)
    # "the Kremlin spokesman" is no registry name: marked, then linked with Ctrl+L.
    spokesman = text.index("the Kremlin spokesman")
    word_to(qtbot, pane, spokesman)
    select_words(qtbot, pane, 3)
    keys(qtbot, pane, Qt.Key.Key_1)
    keys(qtbot, window, Qt.Key.Key_L, CTRL)
    picker = workspace.inspector.picker
    assert focused_in(picker)
    type_text(qtbot, picker.edit, "Peskov")
    keys(qtbot, picker.edit, Qt.Key.Key_Return)
    assert focused_in(pane), "after choosing the actor the keys go to the text again"
    # The claim and the issue it is about.
    claim = text.index("restated its opposition")
    word_to(qtbot, pane, claim)
    select_words(qtbot, pane, 13)  # ... "European soldiers in Ukraine"
    keys(qtbot, pane, Qt.Key.Key_3)
    soldiers = text.index("European soldiers")
    word_to(qtbot, pane, soldiers)
    select_words(qtbot, pane, 4)
    keys(qtbot, pane, Qt.Key.Key_2)
    # Its issue, in the Span tab: Ctrl+L shows it, Alt+I reaches the issue, Down opens
    # the list, Down twice to "Foreign troop presence", Enter; Esc back to the text.
    keys(qtbot, window, Qt.Key.Key_L, CTRL)
    keys(qtbot, window, Qt.Key.Key_Escape)
    assert focused_in(pane), "Esc in the side panel gives the keyboard back to the text"
    keys(qtbot, window, Qt.Key.Key_L, CTRL)
    qtbot.keyClick(workspace.inspector, Qt.Key.Key_I, ALT)
    issue = workspace.inspector.issue
    assert focused_in(issue)
    keys(qtbot, issue, Qt.Key.Key_Down)
    qtbot.waitUntil(issue.view().isVisible)
    keys(qtbot, issue.view(), Qt.Key.Key_Down, times=2)
    keys(qtbot, issue.view(), Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: focused_in(pane))

    # A stance: Ctrl+T, the actor typed (its list closed with Esc: the typed name counts),
    # Tab past the issue and to the polarity, Ctrl+Return.
    keys(qtbot, window, Qt.Key.Key_T, CTRL)
    form = workspace.stance_editor
    assert focused_in(form.picker)
    type_text(qtbot, form.picker.edit, "Kreml")
    keys(qtbot, form.picker.edit, Qt.Key.Key_Escape)  # close the list; the name stays typed
    type_text(qtbot, form.picker.edit, "in")
    keys(qtbot, form.picker.edit, Qt.Key.Key_Escape)
    keys(qtbot, form.picker.edit, Qt.Key.Key_Tab)
    assert focused_in(form.issue)
    # The current span is linked to its issue: the form shows it, the person keeps it.
    assert form.issue.currentText().strip() == "Foreign troop presence"
    keys(qtbot, form.issue, Qt.Key.Key_Tab)
    type_text(qtbot, form.polarity, "o")  # "oppose"
    keys(qtbot, form.polarity, Qt.Key.Key_Return, CTRL)
    assert focused_in(pane)

    # Done, and on to the next document.
    keys(qtbot, window, Qt.Key.Key_D, CTRL)
    keys(qtbot, window, Qt.Key.Key_Right, ALT)
    assert workspace.left.header.text().startswith("Washington keeps air support")

    layer = stored_layer(project, "troops-meridian", "ana")
    vocabulary = workspace.vocabulary
    spans = {text[s.start : s.end]: s for s in layer.spans.values()}
    assert {quote: s.label for quote, s in spans.items()} == {
        "Kremlin": "ACTOR",
        "the Kremlin spokesman": "ACTOR",
        text[claim : text.index("Ukraine", claim) + len("Ukraine")]: "CLAIM",
        "European soldiers in Ukraine": "ISSUE",
    }
    assert vocabulary.actors[spans["Kremlin"].actor_id] == "Kremlin"  # type: ignore[index]
    assert vocabulary.actors[spans["the Kremlin spokesman"].actor_id] == "Dmitry Peskov"  # type: ignore[index]
    issue_span = spans["European soldiers in Ukraine"]
    assert vocabulary.issue(issue_span.issue_id).name == "Foreign troop presence"  # type: ignore[union-attr]
    [stance] = layer.stances.values()
    assert vocabulary.actors[stance.actor_id] == "Kremlin"
    assert vocabulary.issue(stance.issue_id).name == "Foreign troop presence"  # type: ignore[union-attr]
    assert stance.polarity == "oppose" and stance.evidence == (issue_span.id,)
    with project.sessions() as session:
        from annotator.store.documents import progress_counts

        assert progress_counts(session, workspace.annotator_id)["done"] == 1
