"""The side-by-side menu reads its documents when first looked at, not on every document opened."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from annotator.store.database import Database
from annotator.store.documents import Partner
from annotator.ui.workspace import partner_menu
from annotator.ui.workspace import workspace as workspace_module
from annotator.ui.workspace.partner_menu import read_partners
from tests.ui import test_workspace
from tests.ui.test_workspace import document_id, window_for

project = test_workspace.project  # the fixture: the demo and one more article of a story

STORY = ("troops-ledger", "troops-harbour", "emoji")  # troops-meridian's story in `project`


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[uuid.UUID]:
    """The documents whose partners were read, in order."""
    seen: list[uuid.UUID] = []

    def counted(
        sessions: Callable[[], object], document: uuid.UUID, story: str | None
    ) -> list[Partner]:
        seen.append(document)
        return read_partners(sessions, document, story)  # type: ignore[arg-type]

    monkeypatch.setattr(workspace_module, "read_partners", counted)
    return seen


def test_opening_documents_reads_no_partners_until_the_menu_is_opened(
    qtbot: QtBot, project: Database, reads: list[uuid.UUID]
) -> None:
    window = window_for(qtbot, project)
    menu = window.workspace.partner
    window.browser.step(1)
    window.browser.step(1)
    window.show_documents(document_id(project, "troops-meridian"))
    assert reads == [] and [menu.itemText(i) for i in range(menu.count())] == ["One document"]

    menu.showPopup()
    menu.hidePopup()
    assert reads == [document_id(project, "troops-meridian")]
    entries = [menu.itemText(i) for i in range(menu.count())]
    assert entries[0] == "One document"
    assert [e.startswith("Beside:") for e in entries[1:4]] == [True] * 3
    assert entries[4] == ""  # the separator before the other stories
    assert all(e.startswith("Other story:") for e in entries[5:]) and entries[5:]
    menu.showPopup()
    menu.hidePopup()
    assert len(reads) == 1  # read once per document


def test_choosing_a_partner_opens_it_beside_and_the_menu_names_it(
    qtbot: QtBot, project: Database, reads: list[uuid.UUID]
) -> None:
    window = window_for(qtbot, project)
    workspace = window.workspace
    window.show_documents(document_id(project, "troops-meridian"))
    partners = workspace.partner_ids()
    assert set(partners) == {document_id(project, name) for name in STORY}
    workspace.partner.activated.emit(2)  # the second document of the story
    assert workspace.right.isVisible() and workspace.right.document_id == partners[1]
    assert workspace.partner.currentIndex() == 2

    # Another article of the story keeps the one beside it; the menu still names it.
    window.show_documents(partners[0])
    assert workspace.right.document_id == partners[1]
    assert workspace.partner.currentText().startswith("Beside:")
    assert workspace.partner.currentText().endswith(workspace.right.header.text())
    assert len(reads) == 2

    workspace.partner.activated.emit(0)  # "One document"
    assert not workspace.right.isVisible() and workspace.partner.currentIndex() == 0


def test_keys_on_the_closed_menu_step_through_the_partners(
    qtbot: QtBot, project: Database, reads: list[uuid.UUID]
) -> None:
    window = window_for(qtbot, project)
    workspace = window.workspace
    window.show_documents(document_id(project, "troops-meridian"))
    workspace.partner.setFocus()
    qtbot.keyClick(workspace.partner, Qt.Key.Key_Down)
    assert reads == [document_id(project, "troops-meridian")]
    assert workspace.right.isVisible()
    assert workspace.right.document_id == workspace.partner_ids()[0]


def test_a_story_late_in_the_list_still_finds_its_articles(
    qtbot: QtBot, project: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The menu lists at most LIMIT documents; the story's own come first, whatever its name."""
    monkeypatch.setattr(partner_menu, "LIMIT", 3)  # fewer than the other stories' articles
    window = window_for(qtbot, project)
    workspace = window.workspace
    window.show_documents(document_id(project, "troops-meridian"))
    assert set(workspace.partner_ids()) == {document_id(project, name) for name in STORY}
    assert workspace.partner.count() == 1 + 3  # "One document" and the story's three


def test_stepping_onto_the_document_beside_closes_the_second_pane(
    qtbot: QtBot, project: Database
) -> None:
    window = window_for(qtbot, project)
    workspace = window.workspace
    window.show_documents(document_id(project, "troops-meridian"))
    beside = workspace.partner_ids()[0]
    workspace.compare_with(beside)
    assert workspace.right.isVisible()
    window.show_documents(beside)
    assert not workspace.right.isVisible() and workspace.left.document_id == beside
    assert workspace.partner.currentIndex() == 0


def test_a_story_larger_than_the_menu_fills_it_and_no_more(
    qtbot: QtBot, project: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(partner_menu, "LIMIT", 2)  # the story has three other articles
    window = window_for(qtbot, project)
    window.show_documents(document_id(project, "troops-meridian"))
    assert len(window.workspace.partner_ids()) == 2
    assert window.workspace.partner.count() == 1 + 2
