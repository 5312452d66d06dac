"""The annotation workspace driven through its real widgets, keys and clicks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from annotator.core.schema import default_schema
from annotator.io.demo import load_demo
from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.actors import create_actor
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.models import Actor, Annotator, Document, DocumentStatus, Issue, Span
from annotator.store.project import annotator_named
from annotator.ui.actions import ActionId
from annotator.ui.actors.registry_dialog import RegistryDialog
from annotator.ui.main_window import MainWindow
from tests.ui.journeys.window import document_id
from tests.ui.journeys.window import start as window_for

ACTOR_TYPES = default_schema().actor_types
RAW = "Flags 🇺🇦🇷🇺 first.\r\nThe Kremlin 👍🏽 said NATO troops are unacceptable.\r\nKyiv disagreed."


@pytest.fixture
def project(tmp_path: Path) -> Database:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    source = tmp_path / "emoji.jsonl"
    source.write_text(
        json.dumps(
            {
                "id": "emoji",
                "text": RAW,
                "title": "Emoji and CRLF",
                "story": "nato-troops",
                "source": "Test Wire",
            }
        )
        + "\n"
    )
    import_paths(database, paths=[source], options=ImportOptions())
    yield database  # type: ignore[misc]
    database.close()


def select_text(window: MainWindow, word: str, occurrence: int = 0) -> None:
    """Select `word` the way a mouse drag would: in Qt's own UTF-16 positions."""
    pane = window.workspace.active.pane
    plain = pane.document().toPlainText()
    start = -1
    for _ in range(occurrence + 1):
        start = plain.index(word, start + 1)

    def utf16(offset: int) -> int:
        return len(plain[:offset].encode("utf-16-le")) // 2

    cursor = pane.textCursor()
    cursor.setPosition(utf16(start))
    cursor.setPosition(utf16(start + len(word)), QTextCursor.MoveMode.KeepAnchor)
    pane.setTextCursor(cursor)


def stored_spans(database: Database) -> list[tuple[str, str]]:
    with database.sessions() as session:
        rows = session.execute(
            select(Document.text, Span.start, Span.end, Span.label)
            .join(Document, Document.id == Span.document_id)
            .where(Span.deleted_at.is_(None))
            .order_by(Span.start)
        ).all()
    return [(text[start:end], label) for text, start, end, label in rows]


def test_label_key_after_emoji_and_crlf_stores_code_point_offsets(
    qtbot: QtBot, project: Database
) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "emoji"))
    pane = window.workspace.left.pane
    select_text(window, "Kremlin")
    qtbot.keyClick(pane, Qt.Key.Key_1)
    select_text(window, "NATO troops are unacceptable")
    qtbot.keyClick(pane, Qt.Key.Key_3)
    select_text(window, "troops")  # nested inside the claim: overlaps are allowed
    qtbot.keyClick(pane, Qt.Key.Key_2)
    with project.sessions() as session:
        document = session.scalars(select(Document).where(Document.external_id == "emoji")).one()
        text = document.text
        spans = {s.label: s for s in session.scalars(select(Span))}
    assert text == RAW.replace("\r\n", "\n")
    kremlin = spans["ACTOR"]
    assert (kremlin.start, kremlin.end) == (text.index("Kremlin"), text.index("Kremlin") + 7)
    assert stored_spans(project) == [
        ("Kremlin", "ACTOR"),
        ("NATO troops are unacceptable", "CLAIM"),
        ("troops", "ISSUE"),
    ]
    # The Kremlin is in the demo registry: a new ACTOR span on its exact name is linked.
    with project.sessions() as session:
        assert session.get(Actor, kremlin.actor_id).name == "Kremlin"  # type: ignore[union-attr]
    # The list shows all three; the overlap is painted with one underline per label.
    assert window.workspace.annotations.topLevelItem(0).childCount() == 3
    overlap = [s for s in pane._segments16 if len(s.labels) == 2]
    assert overlap and overlap[0].labels == ("CLAIM", "ISSUE")


def test_relabel_resize_delete_and_undo_redo_by_keyboard(qtbot: QtBot, project: Database) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "emoji"))
    pane = window.workspace.left.pane
    select_text(window, "Kyiv")
    qtbot.keyClick(pane, Qt.Key.Key_1)
    assert stored_spans(project) == [("Kyiv", "ACTOR")]
    qtbot.keyClick(pane, Qt.Key.Key_4)  # the new span is current: relabel it
    assert stored_spans(project) == [("Kyiv", "ATTRIBUTION")]
    qtbot.keyClick(pane, Qt.Key.Key_BracketRight, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(project) == [("Kyiv disagreed", "ATTRIBUTION")]
    qtbot.keyClick(pane, Qt.Key.Key_BracketLeft)
    assert stored_spans(project) == [("Kyiv disagree", "ATTRIBUTION")]
    qtbot.keyClick(pane, Qt.Key.Key_Delete)
    assert stored_spans(project) == []
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(project) == [("Kyiv disagree", "ATTRIBUTION")]
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_spans(project) == [("Kyiv", "ACTOR")]
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert stored_spans(project) == [("Kyiv", "ATTRIBUTION")]


def test_ctrl_l_links_the_current_span_to_an_actor(qtbot: QtBot, project: Database) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "troops-meridian"))
    workspace = window.workspace
    pane = workspace.left.pane
    select_text(window, "Peskov", occurrence=1)  # "Peskov said": an alias, but chosen by hand
    qtbot.keyClick(pane, Qt.Key.Key_4)
    span = workspace.left.current
    assert span is not None and span.actor_id is None
    assert workspace.inspector.delete_button.isEnabled()
    picker = workspace.inspector.picker
    assert picker.text() == "Peskov"  # the span's text, ready to search
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert workspace.side.currentWidget() is workspace.inspector
    qtbot.keyClicks(picker.edit, "pesk")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    with project.sessions() as session:
        row = session.get(Span, span.id)
        assert row is not None and row.actor_id is not None
        assert session.get(Actor, row.actor_id).name == "Dmitry Peskov"  # type: ignore[union-attr]
    assert workspace.inspector.actor.text() == "Dmitry Peskov"


def test_a_click_on_a_span_makes_it_current(qtbot: QtBot, project: Database) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "emoji"))
    editor = window.workspace.left
    select_text(window, "Kremlin")
    qtbot.keyClick(editor.pane, Qt.Key.Key_1)
    editor.select_span(None)
    cursor = editor.pane.textCursor()
    cursor.clearSelection()
    plain = editor.pane.document().toPlainText()
    cursor.setPosition(len(plain[: plain.index("Kremlin") + 2].encode("utf-16-le")) // 2)
    point = editor.pane.cursorRect(cursor).center()
    qtbot.mouseClick(editor.pane.viewport(), Qt.MouseButton.LeftButton, pos=point)
    assert editor.current is not None and editor.current.label == "ACTOR"


def test_a_stance_with_evidence_from_the_stance_editor(qtbot: QtBot, project: Database) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "troops-meridian"))
    workspace = window.workspace
    select_text(window, "opposition to any arrangement that would put European soldiers in Ukraine")
    qtbot.keyClick(workspace.left.pane, Qt.Key.Key_3)
    claim = workspace.left.current
    assert claim is not None
    qtbot.keyClick(window, Qt.Key.Key_T, Qt.KeyboardModifier.ControlModifier)
    editor = workspace.stance_editor
    assert workspace.side.currentWidget() is editor
    qtbot.keyClicks(editor.picker.edit, "Kreml")
    qtbot.keyClick(editor.picker.edit, Qt.Key.Key_Down)
    qtbot.keyClick(editor.picker.edit, Qt.Key.Key_Return)
    editor.issue.setCurrentIndex(editor.issue.findText("    Foreign troop presence"))
    editor.polarity.setCurrentIndex(editor.polarity.findText("oppose"))
    assert editor.chosen_evidence() == (claim.id,)  # the current span is ticked
    qtbot.keyClick(editor.add_button, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    layer = LayerStore(
        project.sessions,
        workspace.left.document_id,  # type: ignore[arg-type]
        workspace.annotator_id,
    ).load()
    [stance] = layer.stances.values()
    assert stance.polarity == "oppose" and stance.evidence == (claim.id,)
    with project.sessions() as session:
        assert session.get(Actor, stance.actor_id).name == "Kremlin"  # type: ignore[union-attr]
        assert session.get(Issue, stance.issue_id).key == "foreign-troops"  # type: ignore[union-attr]
    stances = workspace.annotations.topLevelItem(1)
    assert stances.text(0) == "Stances (1)" and stances.child(0).childCount() == 1
    assert workspace.matrix.rowCount() == 1 and workspace.matrix.item(0, 0).text() == "−"


def test_suggestions_are_shown_then_accepted_or_rejected(qtbot: QtBot, project: Database) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "troops-meridian"))
    editor = window.workspace.left
    qtbot.keyClick(window, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier)
    found = list(editor.suggestions)
    assert len(found) >= 5 and "Dmitry Peskov" in {s.matched for s in found}
    assert stored_spans(project) == []  # suggestions are never stored by themselves
    editor.accept_suggestions(found[:1])
    assert stored_spans(project) == [(found[0].matched, "ACTOR")]
    editor.reject_suggestions(found[1:2])
    assert len(editor.suggestions) == len(found) - 2
    window.actions_by_id[
        next(a for a in window.actions_by_id if a.name == "ACCEPT_ALL_SUGGESTIONS")
    ].trigger()
    assert len(stored_spans(project)) == len(found) - 1
    assert editor.suggestions == []
    editor.undo()  # accepting all is one step
    assert len(stored_spans(project)) == 1


def test_side_by_side_pairs_articles_of_a_story(qtbot: QtBot, project: Database) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "troops-meridian"))
    workspace = window.workspace
    partners = workspace.partner_ids()
    assert set(partners) == {
        document_id(project, x) for x in ("troops-ledger", "troops-harbour", "emoji")
    }
    qtbot.keyClick(
        window,
        Qt.Key.Key_PageDown,
        Qt.KeyboardModifier.ControlModifier,
    )
    assert workspace.right.isVisible() and workspace.right.document_id == partners[0]
    assert workspace.partner.currentText().startswith("Beside:")
    workspace.right.pane.setFocus()
    workspace._activate(workspace.right)
    select_text(window, "Kyiv")
    qtbot.keyClick(workspace.right.pane, Qt.Key.Key_1)
    assert workspace.right.layer.spans and not workspace.left.layer.spans
    qtbot.keyClick(
        window,
        Qt.Key.Key_PageUp,
        Qt.KeyboardModifier.ControlModifier,
    )
    assert not workspace.right.isVisible()


def test_status_next_previous_and_restart_finds_everything(
    qtbot: QtBot, tmp_path: Path, project: Database
) -> None:
    window = window_for(qtbot, project)
    first = document_id(project, "troops-meridian")
    window.show_documents(first)
    select_text(window, "Kremlin")
    qtbot.keyClick(window.workspace.left.pane, Qt.Key.Key_1)
    window.workspace.left.toggle_document_label("news report")
    qtbot.keyClick(window, Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier)
    assert "1 of 9 documents done" in window.progress_label.text()
    qtbot.keyClick(window, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    assert window.workspace.left.document_id != first
    qtbot.keyClick(window, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    assert window.workspace.left.document_id == first
    window.close()

    again = open_database(project.url)
    second = window_for(qtbot, again)
    second.show_documents(first)
    layer = second.workspace.left.layer
    assert [(s.label) for s in layer.spans.values()] == ["ACTOR"]
    assert layer.document_labels == {"news report"}
    with again.sessions() as session:
        status = session.scalars(select(DocumentStatus.status)).all()
    assert status == ["done"]
    again.close()


def test_the_inspector_sets_and_shows_a_spans_issue(qtbot: QtBot, project: Database) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "emoji"))
    workspace = window.workspace
    select_text(window, "troops")
    qtbot.keyClick(workspace.left.pane, Qt.Key.Key_2)
    span = workspace.left.current
    assert span is not None
    issue = workspace.inspector.issue
    index = issue.findText("    Foreign troop presence")
    issue.setCurrentIndex(index)
    issue.activated.emit(index)  # what choosing it with the mouse or keyboard emits
    with project.sessions() as session:
        row = session.get(Span, span.id)
        assert row is not None and row.issue_id is not None
        assert session.get(Issue, row.issue_id).key == "foreign-troops"  # type: ignore[union-attr]
    workspace.left.select_span(None)
    assert issue.currentText() == "(no issue)"
    workspace.left.select_span(span.id)
    assert issue.currentText().strip() == "Foreign troop presence"  # shown again, by value


def test_a_first_span_shows_the_document_in_progress_in_the_list(
    qtbot: QtBot, project: Database
) -> None:
    window = window_for(qtbot, project)
    window.browser.step(1)
    browser, pane = window.browser, window.workspace.left.pane
    row = browser.view.currentIndex().row()
    assert browser.model.row_at(row).status == "todo"
    assert "0 in progress" in browser.progress.text()
    select_text(window, pane.document().toPlainText().split()[1])
    qtbot.keyClick(pane, Qt.Key.Key_1)
    assert browser.model.row_at(row).status == "in_progress"
    assert "1 in progress" in browser.progress.text()
    assert browser.view.currentIndex().row() == row  # nothing moved


def test_a_first_span_on_a_document_the_list_hides_still_counts_in_progress(
    qtbot: QtBot, project: Database
) -> None:
    window = window_for(qtbot, project)
    window.browser.step(1)
    browser, pane = window.browser, window.workspace.left.pane
    browser.status.setCurrentIndex(browser.status.findData("done"))  # hides every document
    assert browser.model.rowCount() == 0
    select_text(window, pane.document().toPlainText().split()[1])
    qtbot.keyClick(pane, Qt.Key.Key_1)
    assert "1 in progress" in browser.progress.text()


def test_comparing_a_document_with_itself_shows_it_once(qtbot: QtBot, project: Database) -> None:
    window = window_for(qtbot, project)
    meridian = document_id(project, "troops-meridian")
    window.show_documents(meridian, meridian)  # as `gui --document X --compare X` asks
    assert window.workspace.left.document_id == meridian
    assert not window.workspace.right.isVisible()


def test_switching_annotator_moves_both_panes_to_the_new_layer(
    qtbot: QtBot, project: Database
) -> None:
    """ana shows a partner beside her document, then File › Switch annotator to ben: a span
    ben marks in the pane beside is stored in ben's layer, and ana's layer is untouched."""
    with project.sessions.begin() as session:
        ana = annotator_named(session, "ana")
        chosen = (ana.id, ana.name)
    window = MainWindow(project, chosen, ask=lambda known, default: "ben")
    qtbot.addWidget(window)
    with qtbot.waitActive(window):
        window.show()
        window.activateWindow()
    window.show_documents(document_id(project, "troops-meridian"))
    workspace = window.workspace
    qtbot.keyClick(window, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    beside = workspace.right.document_id
    assert workspace.right.isVisible() and beside is not None
    qtbot.keyClick(window.menuBar(), Qt.Key.Key_F, Qt.KeyboardModifier.AltModifier)
    menu = QApplication.activePopupWidget()
    assert menu is not None, "Alt+F opens the File menu"
    qtbot.keyClick(menu, Qt.Key.Key_S)  # &Switch annotator…
    qtbot.waitUntil(lambda: window.annotator_name == "ben")
    assert workspace.right.isVisible() and workspace.right.document_id == beside
    qtbot.mouseClick(workspace.right.pane.viewport(), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: workspace.active is workspace.right)
    select_text(window, "Kyiv")
    qtbot.keyClick(workspace.right.pane, Qt.Key.Key_1)
    with project.sessions() as session:
        owners = session.execute(
            select(Span.annotator_id, Span.document_id).where(Span.deleted_at.is_(None))
        ).all()
        ben = session.scalars(select(Annotator.id).where(Annotator.name == "ben")).one()
    assert owners == [(ben, beside)]
    assert LayerStore(project.sessions, beside, chosen[0]).load().spans == {}


def test_a_merge_in_the_registry_while_a_span_of_the_merged_actor_is_open(
    qtbot: QtBot, project: Database
) -> None:
    """Link a span to "Dmitri Peskov", merge that actor into "Dmitry Peskov" in the registry
    (Ctrl+R) with the document open, then relabel the span and undo: no error, the span
    keeps the kept actor throughout (it named the merged one, which is gone)."""
    with project.sessions.begin() as session:
        create_actor(session, name="Dmitri Peskov", type="person", actor_types=ACTOR_TYPES)
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "troops-meridian"))
    workspace = window.workspace
    pane = workspace.left.pane
    select_text(window, "Peskov", occurrence=1)
    qtbot.keyClick(pane, Qt.Key.Key_1)
    span = workspace.left.current
    assert span is not None
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    picker = workspace.inspector.picker
    picker.edit.clear()
    qtbot.keyClicks(picker.edit, "Dmitri Pes")
    qtbot.keyClick(picker.edit, Qt.Key.Key_Down)
    qtbot.keyClick(picker.edit, Qt.Key.Key_Return)
    with project.sessions() as session:
        merged = session.scalars(select(Actor.id).where(Actor.name == "Dmitri Peskov")).one()
        kept = session.scalars(select(Actor.id).where(Actor.name == "Dmitry Peskov")).one()
    assert workspace.left.layer.spans[span.id].actor_id == merged
    qtbot.keyClick(window, Qt.Key.Key_R, Qt.KeyboardModifier.ControlModifier)
    registry = window.findChild(RegistryDialog)
    assert registry is not None and registry.isVisible()
    registry.confirm = lambda question: True
    registry.tree.setCurrentItem(registry.items[merged])
    qtbot.mouseClick(registry.merge_button, Qt.MouseButton.LeftButton)
    chooser = registry.merge_dialog
    assert chooser is not None
    chooser.choice.choose(kept)
    with qtbot.waitSignal(registry.hub.changed):
        qtbot.mouseClick(chooser.ok_button, Qt.MouseButton.LeftButton)
    qtbot.keyClick(registry, Qt.Key.Key_Escape)
    assert workspace.left.layer.spans[span.id].actor_id == kept  # read again after the merge
    workspace.left.select_span(span.id)
    qtbot.keyClick(pane, Qt.Key.Key_2)  # relabel: stored with the kept actor
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    with project.sessions() as session:
        row = session.get(Span, span.id)
        assert row is not None and (row.label, row.actor_id) == ("ACTOR", kept)


def test_edit_undo_and_redo_name_their_step_and_are_off_without_one(
    qtbot: QtBot, project: Database
) -> None:
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "troops-meridian"))
    undo, redo = window.actions_by_id[ActionId.UNDO], window.actions_by_id[ActionId.REDO]
    assert not undo.isEnabled() and not redo.isEnabled()
    pane = window.workspace.left.pane
    select_text(window, "Peskov")
    qtbot.keyClick(pane, Qt.Key.Key_1)
    assert undo.isEnabled() and undo.text() == "&Undo add ACTOR 'Peskov'" and not redo.isEnabled()
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert not undo.isEnabled() and redo.isEnabled() and redo.text() == "&Redo add ACTOR 'Peskov'"
    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)  # nothing left
    qtbot.keyClick(
        window,
        Qt.Key.Key_Z,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert undo.isEnabled() and not redo.isEnabled()
    with project.sessions() as session:
        assert session.scalars(select(Span.label).where(Span.deleted_at.is_(None))).all() == [
            "ACTOR"
        ]


def test_the_side_lists_follow_every_edit_as_a_fresh_build_would(
    qtbot: QtBot, project: Database
) -> None:
    """The annotation list and the evidence list change only the rows an edit touched:
    after marking, relabelling, resizing, deleting, undo and redo they show what a list
    made anew from the stored layer shows, row for row."""
    from annotator.ui.actors.picker import ActorPicker
    from annotator.ui.workspace.annotation_list import AnnotationList
    from annotator.ui.workspace.stance_form import StanceEditor

    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "emoji"))
    workspace = window.workspace
    pane = workspace.left.pane
    ctrl = Qt.KeyboardModifier.ControlModifier

    def rows(tree: AnnotationList) -> list[tuple[str, str]]:
        section = tree.topLevelItem(0)
        assert section is not None
        return [
            (section.child(n).text(0), section.child(n).text(1))  # type: ignore[union-attr]
            for n in range(section.childCount())
        ]

    def evidence(form: StanceEditor) -> list[str]:
        return [form.evidence.item(n).text() for n in range(form.evidence.count())]  # type: ignore[union-attr]

    def same_as_fresh() -> None:
        stored = LayerStore(
            project.sessions,
            workspace.left.document_id,
            workspace.left.annotator_id,  # type: ignore[arg-type]
        ).load()
        fresh = AnnotationList()
        qtbot.addWidget(fresh)
        fresh.show_layer(stored, pane.text, workspace.vocabulary, [])
        assert rows(workspace.annotations) == rows(fresh)
        form = StanceEditor(ActorPicker(project.sessions, ACTOR_TYPES))
        qtbot.addWidget(form)
        form.show_layer(stored, pane.text, None)
        assert evidence(workspace.stance_editor) == evidence(form)
        assert len(workspace.stance_editor.chosen_evidence()) <= 1

    for word, key in (("Kremlin", Qt.Key.Key_1), ("NATO", Qt.Key.Key_2), ("Flags", Qt.Key.Key_3)):
        select_text(window, word)
        qtbot.keyClick(pane, key)
        same_as_fresh()
    qtbot.keyClick(pane, Qt.Key.Key_4)  # relabel the current span ("Flags")
    same_as_fresh()
    qtbot.keyClick(pane, Qt.Key.Key_BracketRight, ctrl)  # grow it by a word
    same_as_fresh()
    select_text(window, "troops")
    qtbot.keyClick(pane, Qt.Key.Key_2)
    qtbot.keyClick(pane, Qt.Key.Key_Delete)
    same_as_fresh()
    for _ in range(3):
        qtbot.keyClick(window, Qt.Key.Key_Z, ctrl)
        same_as_fresh()
    qtbot.keyClick(window, Qt.Key.Key_Z, ctrl | Qt.KeyboardModifier.ShiftModifier)
    same_as_fresh()
    assert rows(workspace.annotations)  # something is shown throughout


def test_a_label_key_repaints_the_lines_it_changed_not_the_page(
    qtbot: QtBot, project: Database
) -> None:
    """After a label key the viewport paints the edited line (the new span's highlight, its
    box as the current span) and leaves the rest of the page as it was."""
    from PySide6.QtCore import QEvent, QObject, QRect
    from PySide6.QtGui import QPaintEvent

    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "emoji"))
    pane = window.workspace.left.pane
    viewport = pane.viewport()
    painted: list[QRect] = []

    class Watch(QObject):
        def eventFilter(self, _watched: QObject, event: QEvent) -> bool:  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                assert isinstance(event, QPaintEvent)
                painted.append(event.rect())
            return False

    # Label names off (Ctrl+Shift+N): a name's room can rewrap a line, and Qt then paints
    # everything below it again.
    qtbot.keyClick(
        window,
        Qt.Key.Key_N,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    assert not pane.highlighter.tags_on
    select_text(window, "Kyiv")  # the first span starts the document (its status shows)
    qtbot.keyClick(pane, Qt.Key.Key_1)
    watch = Watch()
    viewport.installEventFilter(watch)
    qtbot.wait(50)
    painted.clear()
    select_text(window, "Kremlin")
    qtbot.keyClick(pane, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: bool(painted))
    qtbot.wait(50)
    viewport.removeEventFilter(watch)
    cursor = pane.textCursor()
    cursor.setPosition(cursor.selectionStart())
    line = pane.cursorRect(cursor)
    assert any(rect.contains(line.center()) for rect in painted), "the edited line is painted"
    assert all(rect.height() < viewport.height() for rect in painted), "not the whole page"
    assert stored_spans(project) == [("Kremlin", "ACTOR"), ("Kyiv", "ACTOR")]


def test_a_long_layer_shows_its_text_first_and_its_lists_right_after(
    qtbot: QtBot, project: Database, tmp_path: Path
) -> None:
    """A document with more spans than LISTS_LATER: the text is painted first, the side
    lists follow on the next turn of the event loop; a label key pressed at once is stored
    and the lists come out as a fresh build would."""
    from annotator.ui.workspace.workspace import LISTS_LATER

    words = [f"word{n}" for n in range(LISTS_LATER + 100)]
    text = " ".join(words) + " Kyiv said yes."
    spans = []
    for word in words:
        start = text.index(f"{word} ")
        spans.append({"start": start, "end": start + len(word), "label": "CLAIM"})
    source = tmp_path / "long.jsonl"
    source.write_text(
        json.dumps(
            {"id": "long", "title": "Long layer", "text": text, "annotator": "ana", "spans": spans}
        )
        + "\n"
    )
    import_paths(project, paths=[source], options=ImportOptions())
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "long"))
    pane = window.workspace.left.pane
    select_text(window, "Kyiv")
    qtbot.keyClick(pane, Qt.Key.Key_1)  # before the lists are made
    section = lambda: window.workspace.annotations.topLevelItem(0)  # noqa: E731
    qtbot.waitUntil(lambda: section() is not None and section().childCount() == len(spans) + 1)
    assert window.workspace.stance_editor.evidence.count() == len(spans) + 1
    assert ("Kyiv", "ACTOR") in stored_spans(project)
