"""The document browser on real SQLite projects: lazy paging, filters, search, stepping, and
story and source lists read only when someone looks at them.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import delete, event, insert
from sqlalchemy.orm import Session

from annotator.core.documents import PAGE_SIZE
from annotator.core.text import normalise, text_hash
from annotator.io.demo import load_demo
from annotator.store import documents as store
from annotator.store.database import Database, open_database
from annotator.store.documents import DocumentFilter, DocumentRow, list_documents, set_status
from annotator.store.models import Document
from annotator.store.project import annotator_named
from annotator.ui.dialogs.identity import choose_annotator
from annotator.ui.documents.browser import DocumentBrowser, progress_text
from annotator.ui.documents.table import DocumentListModel, DocumentRole
from annotator.ui.main_window import MainWindow

MANY = 1_000


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "demo.sqlite"))
    load_demo(database)
    yield database
    database.close()


@pytest.fixture
def many(tmp_path: Path) -> Iterator[Database]:
    """1,000 documents in 100 stories from 4 sources; every 100th mentions a zeppelin."""
    database = open_database(str(tmp_path / "many.sqlite"))
    rows = []
    for number in range(MANY):
        text = f"Article {number} about the talks." + (" A zeppelin!" if number % 100 == 0 else "")
        rows.append(
            {
                "title": f"article {number:04d}",
                "source": f"outlet {number % 4}",
                "published": f"2025-01-{1 + number % 28:02d}",
                "story": f"story {number // 10:03d}",
                "text": text,
                "raw_text": text,
                "text_sha256": text_hash(text),
                "length": len(text),
            }
        )
    with database.sessions.begin() as session:
        session.execute(insert(Document), rows)
    yield database
    database.close()


def browser_on(
    qtbot: QtBot, database: Database, annotator: uuid.UUID | None = None
) -> DocumentBrowser:
    browser = DocumentBrowser(database.sessions, annotator_id=annotator)
    qtbot.addWidget(browser)
    browser.resize(600, 400)
    return browser


def shown_ids(model: DocumentListModel) -> list[uuid.UUID]:
    return [model.row_at(row).id for row in range(model.rowCount())]


def test_the_model_passes_qt_model_checks(
    qtmodeltester: object, demo: Database, many: Database
) -> None:
    for database in (demo, many):
        model = DocumentListModel(database.sessions)
        qtmodeltester.check(model)  # type: ignore[attr-defined]
        model.set_filter(DocumentFilter(search="zeppelin"))
        qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_rows_arrive_a_page_at_a_time(many: Database, monkeypatch: pytest.MonkeyPatch) -> None:
    limits: list[int] = []
    offsets: list[int] = []
    real_page = store.document_page

    def counting_page(
        session: Session, where: DocumentFilter, offset: int, limit: int, **keys: Any
    ) -> list[DocumentRow]:
        limits.append(limit)
        offsets.append(offset)
        return real_page(session, where, offset, limit, **keys)

    monkeypatch.setattr(store, "document_page", counting_page)
    model = DocumentListModel(many.sessions)
    assert (model.rowCount(), model.total) == (PAGE_SIZE, MANY)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 2 * PAGE_SIZE
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == MANY
    assert max(limits) == PAGE_SIZE  # never more than a page per query
    assert set(offsets) == {0}  # each page seeks past the last row instead of skipping rows
    with many.sessions() as session:
        assert shown_ids(model) == [row.id for row in list_documents(session)]
    assert model.index(3, 0).data(DocumentRole.ID) == str(model.row_at(3).id)
    assert model.index(3, 4).data() == "to do"


def test_a_shown_browser_loads_only_what_it_shows(qtbot: QtBot, many: Database) -> None:
    browser = browser_on(qtbot, many)
    browser.show()
    qtbot.waitExposed(browser)
    assert browser.model.rowCount() == PAGE_SIZE
    assert browser.progress.text() == "1,000 documents · choose an annotator to track progress"
    browser.view.scrollToBottom()  # the view asks for the next page at the end
    qtbot.waitUntil(lambda: browser.model.rowCount() == 2 * PAGE_SIZE)


def test_filters_change_the_rows_and_the_progress(qtbot: QtBot, many: Database) -> None:
    with many.sessions.begin() as session:
        annotator = annotator_named(session, "ana").id
        first_story = list_documents(session)[:10]
        for row in first_story[:4]:
            set_status(session, row.id, annotator, "done")
        set_status(session, first_story[4].id, annotator, "in_progress")
    browser = browser_on(qtbot, many, annotator)
    assert browser.progress.text() == "4 of 1,000 done · 1 in progress · 0 skipped"
    browser.story.choose("story 000")
    assert browser.model.rowCount() == 10
    assert {browser.model.row_at(row).story for row in range(10)} == {"story 000"}
    assert browser.progress.text() == "4 of 10 done · 1 in progress · 0 skipped"
    assert browser.view.isColumnHidden(3) and not browser.view.isColumnHidden(1)
    browser.status.setCurrentIndex(browser.status.findData("todo"))
    assert browser.model.rowCount() == 5
    assert browser.progress.text() == "4 of 10 done · 1 in progress · 0 skipped · 5 shown"
    browser.story.choose(None)
    browser.source.choose("outlet 1")
    browser.status.setCurrentIndex(0)
    assert browser.model.total == MANY // 4
    assert browser.model.rowCount() == PAGE_SIZE
    assert {browser.model.row_at(row).source for row in range(PAGE_SIZE)} == {"outlet 1"}


def test_search_waits_for_a_pause_in_typing(qtbot: QtBot, many: Database) -> None:
    browser = browser_on(qtbot, many)
    QTest.keyClicks(browser.search, "zeppelin")
    assert browser.model.total == MANY  # not yet: the debounce timer runs
    assert browser._search_timer.isActive()
    qtbot.waitUntil(lambda: browser.model.total == MANY // 100, timeout=2000)
    assert all("0" in browser.model.row_at(row).title for row in range(browser.model.rowCount()))
    browser.search.clear()
    qtbot.waitUntil(lambda: browser.model.total == MANY, timeout=2000)


def test_select_document_and_step_through_the_list(qtbot: QtBot, many: Database) -> None:
    browser = browser_on(qtbot, many)
    with many.sessions() as session:
        order = [row.id for row in list_documents(session)]
    assert browser.current_document() is None
    assert browser.step(-1) is None
    assert browser.step(+1) == order[0]
    assert browser.step(-1) is None  # already at the top
    # A document beyond the loaded pages: pages are loaded down to it, not all of them.
    assert browser.select_document(order[650])
    assert browser.current_document() == order[650]
    assert browser.model.rowCount() == 4 * PAGE_SIZE
    assert browser.step(+1) == order[651]
    assert browser.select_document(order[799])
    assert browser.step(+1) == order[800]  # crossing into the next page fetches it
    assert browser.select_document(order[-1])
    assert browser.step(+1) is None
    assert browser.current_document() == order[-1]
    assert not browser.select_document(uuid.uuid4())


def test_document_activated_follows_keyboard_mouse_and_step(qtbot: QtBot, demo: Database) -> None:
    browser = browser_on(qtbot, demo)
    browser.show()
    qtbot.waitExposed(browser)
    order = shown_ids(browser.model)
    with qtbot.waitSignal(browser.document_activated) as activated:
        browser.step(+1)
    assert activated.args == [order[0]]
    browser.view.setFocus()
    with qtbot.waitSignal(browser.document_activated) as activated:
        QTest.keyClick(browser.view, Qt.Key.Key_Down)
    assert activated.args == [order[1]]
    cell = browser.view.visualRect(browser.model.index(4, 0)).center()
    with qtbot.waitSignal(browser.document_activated) as activated:
        QTest.mouseClick(browser.view.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert activated.args == [order[4]]
    with qtbot.assertNotEmitted(browser.document_activated):
        browser.select_document(order[4])  # already current
        browser.refresh()  # still listed: reselected, not activated again
    assert browser.current_document() == order[4]


def test_done_documents_leave_a_todo_list_and_next_continues_after_them(
    qtbot: QtBot, demo: Database
) -> None:
    with demo.sessions.begin() as session:
        annotator = annotator_named(session, "ana").id
    browser = browser_on(qtbot, demo)
    browser.set_annotator(annotator)
    browser.status.setCurrentIndex(browser.status.findData("todo"))
    order = shown_ids(browser.model)
    assert browser.select_document(order[2])
    with demo.sessions.begin() as session:
        set_status(session, order[2], annotator, "done")
    browser.refresh()
    assert browser.current_document() is None
    assert shown_ids(browser.model) == order[:2] + order[3:]
    assert browser.progress.text() == "1 of 8 done · 0 in progress · 0 skipped · 7 shown"
    with qtbot.waitSignal(browser.document_activated) as activated:
        assert browser.step(+1) == order[3]
    assert activated.args == [order[3]]
    # A document opened elsewhere, though the list hides it, is where stepping goes on from.
    assert not browser.select_document(order[2])
    assert browser.current_document() is None
    assert browser.step(+1) == order[3]
    assert not browser.select_document(order[2])
    assert browser.step(-1) == order[1]


def test_without_an_annotator_there_is_no_status_filter(qtbot: QtBot, demo: Database) -> None:
    with demo.sessions.begin() as session:
        annotator = annotator_named(session, "ana").id
    browser = browser_on(qtbot, demo, annotator)
    browser.status.setCurrentIndex(browser.status.findData("done"))
    assert browser.model.rowCount() == 0
    browser.set_annotator(None)
    assert not browser.status.isEnabled()
    assert browser.model.rowCount() == 8
    assert browser.progress.text() == "8 documents · choose an annotator to track progress"


def test_progress_text_reads_as_a_sentence() -> None:
    counts = {"todo": 24, "in_progress": 3, "done": 12, "skipped": 1}
    annotator = uuid.uuid4()
    assert progress_text(counts, 40, annotator) == "12 of 40 done · 3 in progress · 1 skipped"
    assert progress_text(dict.fromkeys(counts, 0), 0, annotator) == "No documents here yet."


def test_narrow_lists_keep_room_for_titles(qtbot: QtBot, demo: Database) -> None:
    browser = browser_on(qtbot, demo)
    browser.show()
    qtbot.waitExposed(browser)

    def hidden() -> list[bool]:
        return [browser.view.isColumnHidden(column) for column in range(5)]

    browser.resize(1000, 400)
    qtbot.waitUntil(lambda: hidden() == [False] * 5)
    browser.resize(420, 400)  # the story goes first, then the date; title and status stay
    qtbot.waitUntil(lambda: hidden() == [False, False, True, True, False])
    assert browser.view.columnWidth(0) >= 0.45 * browser.view.viewport().width()


def test_a_lead_can_show_another_annotators_status(qtbot: QtBot, tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    with database.sessions.begin() as session:
        lead = annotator_named(session, "lead")
        ana = annotator_named(session, "ana")
        browser_ids = (lead.id, ana.id)
    browser = DocumentBrowser(database.sessions, annotator_id=browser_ids[0])
    qtbot.addWidget(browser)
    first = browser.step(1)
    assert first is not None
    with database.sessions.begin() as session:
        set_status(session, first, browser_ids[1], "done")
    browser.refresh()
    assert "0 of 8 done" in browser.progress.text()
    browser.whose.setCurrentIndex(browser._whose_ids.index(browser_ids[1]))
    assert "1 of 8 done" in browser.progress.text()
    database.close()


STORIES = [f"story {number:03d}" for number in range(MANY // 10)]


@contextmanager
def listings(database: Database) -> Iterator[list[str]]:
    """The statements run meanwhile that list the distinct stories or sources."""
    statements: list[str] = []

    def note(_connection: object, _cursor: object, statement: str, *_rest: object) -> None:
        if "DISTINCT documents.story" in statement or "DISTINCT documents.source" in statement:
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", note)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", note)


def entries(browser: DocumentBrowser) -> list[str]:
    return [browser.story.itemText(row) for row in range(browser.story.count())]


def test_the_window_opens_without_listing_stories_or_sources(qtbot: QtBot, many: Database) -> None:
    # Listing 25,000 stories made a large project start slower: only a look at a list reads it.
    with listings(many) as listed:
        window = MainWindow(many, choose_annotator(many, lambda _known, _name: "ana") or ("", ""))
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        window.browser.step(1)
        window.browser.refresh()  # as after a status change
        assert listed == []
        assert entries(window.browser) == ["All stories"]
        assert window.browser.source.count() == 1
        window.browser.story.showPopup()  # the listener does see the listing
        assert len(listed) == 1 and "story" in listed[0]


def test_the_story_list_offers_every_story_once_opened(qtbot: QtBot, many: Database) -> None:
    browser = browser_on(qtbot, many)
    browser.show()
    qtbot.waitExposed(browser)
    with listings(many) as listed:
        browser.story.showPopup()
        assert browser.story.view().isVisible()
        assert entries(browser) == ["All stories", *STORIES]
        browser.story.hidePopup()
        browser.story.showPopup()  # read once, not on every opening
        browser.story.hidePopup()
        browser.source.showPopup()
        assert browser.source.values() == [f"outlet {number}" for number in range(4)]
        browser.source.hidePopup()
    assert len(listed) == 2


def test_choosing_a_story_in_the_open_list_filters_the_documents(
    qtbot: QtBot, many: Database
) -> None:
    browser = browser_on(qtbot, many)
    browser.show()
    qtbot.waitExposed(browser)
    browser.story.showPopup()
    popup = browser.story.view()
    row = popup.model().index(1 + STORIES.index("story 042"), 0)
    popup.scrollTo(row)
    qtbot.wait(QApplication.doubleClickInterval() + 50)  # a release sooner only ends the click
    where = QPoint(popup.viewport().width() // 2, popup.visualRect(row).center().y())
    QTest.mouseMove(popup.viewport(), where)  # the item under the mouse is the current one
    QTest.mouseClick(popup.viewport(), Qt.MouseButton.LeftButton, pos=where)
    assert not popup.isVisible()
    assert browser.story.value() == "story 042" and browser.story.lineEdit().text() == "story 042"
    assert browser.model.total == 10
    assert {browser.model.row_at(n).story for n in range(10)} == {"story 042"}
    assert browser.progress.text() == "10 documents · choose an annotator to track progress"
    browser.story.showPopup()  # by keyboard: two down from the chosen one
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Down)
    QTest.keyClick(popup, Qt.Key.Key_Return)
    assert browser.story.value() == "story 044"
    assert {browser.model.row_at(n).story for n in range(browser.model.rowCount())} == {"story 044"}


def test_typing_in_the_story_list_narrows_it_and_chooses(qtbot: QtBot, many: Database) -> None:
    browser = browser_on(qtbot, many)
    browser.show()
    qtbot.waitExposed(browser)
    story = browser.story
    # Tab from the search box reaches the story list and selects its text, ready to type over.
    browser.search.setFocus()
    qtbot.waitUntil(browser.search.hasFocus)
    QTest.keyClick(browser.search, Qt.Key.Key_Tab)
    qtbot.waitUntil(story.hasFocus)
    assert story.lineEdit().selectedText() == "All stories"
    QTest.keyClicks(story, "Y 04")  # any part of the key, in any case
    completer = story.completer()
    qtbot.waitUntil(completer.popup().isVisible)
    offered = completer.completionModel()
    assert [offered.index(n, 0).data() for n in range(offered.rowCount())] == STORIES[40:50]
    assert story.value() is None  # nothing chosen by typing alone
    QTest.keyClick(completer.popup(), Qt.Key.Key_Down)
    QTest.keyClick(completer.popup(), Qt.Key.Key_Return)
    assert story.value() == "story 040" and story.lineEdit().text() == "story 040"
    assert browser.model.total == 10
    assert {browser.model.row_at(n).story for n in range(10)} == {"story 040"}

    def enter(text: str) -> None:
        story.lineEdit().selectAll()
        QTest.keyClicks(story, text)
        completer.popup().hide()  # Return goes to the entry, not to a suggestion
        QTest.keyClick(story, Qt.Key.Key_Return)

    enter("story 077")  # a whole key chooses it
    assert story.value() == "story 077" and browser.model.total == 10
    enter("no such story")  # names nothing: the entry shows the chosen story again
    assert story.value() == "story 077" and story.lineEdit().text() == "story 077"
    story.lineEdit().selectAll()
    QTest.keyClick(story, Qt.Key.Key_Delete)
    QTest.keyClick(story, Qt.Key.Key_Return)  # an empty entry: every story
    assert story.value() is None and story.lineEdit().text() == "All stories"
    assert browser.model.total == MANY


def test_arrow_keys_step_through_stories_before_the_list_was_opened(
    qtbot: QtBot, many: Database
) -> None:
    browser = browser_on(qtbot, many)
    QTest.keyClick(browser.story, Qt.Key.Key_Down)
    assert browser.story.value() == "story 000"
    QTest.keyClick(browser.story, Qt.Key.Key_Down)
    assert browser.story.value() == "story 001"
    assert {browser.model.row_at(n).story for n in range(10)} == {"story 001"}
    for _ in range(4):
        QTest.keyClick(browser.source, Qt.Key.Key_Down)
    assert browser.source.value() == "outlet 3"

    def titles() -> list[str]:
        return [browser.model.row_at(n).title for n in range(browser.model.rowCount())]

    assert titles() == ["article 0011", "article 0015", "article 0019"]  # both filters
    QTest.keyClick(browser.source, Qt.Key.Key_Up)
    assert browser.source.value() == "outlet 2"
    assert titles() == ["article 0010", "article 0014", "article 0018"]


def test_an_import_adds_its_story_and_keeps_the_chosen_one(
    qtbot: QtBot, many: Database, tmp_path: Path
) -> None:
    window = MainWindow(many, choose_annotator(many, lambda _known, _name: "ana") or ("", ""))
    qtbot.addWidget(window)
    story = window.browser.story
    story.choose("story 042")
    assert window.browser.model.total == 10
    articles = tmp_path / "new.jsonl"
    articles.write_text(
        json.dumps({"text": "A fresh story about the harbour.", "story": "story 500"})
        + "\n"
        + json.dumps({"text": "More about the talks in story 42.", "story": "story 042"})
        + "\n"
    )
    dialog = window.import_paths([articles])
    dialog.import_button.click()
    assert story.value() == "story 042" and story.lineEdit().text() == "story 042"
    assert window.browser.model.total == 11
    story.showPopup()
    assert entries(window.browser) == ["All stories", *STORIES, "story 500"]
    assert story.value() == "story 042" and story.lineEdit().text() == "story 042"


def test_a_chosen_story_that_is_gone_gives_way_to_every_story(qtbot: QtBot, many: Database) -> None:
    browser = browser_on(qtbot, many)
    browser.story.choose("story 007")
    with many.sessions.begin() as session:
        session.execute(delete(Document).where(Document.story == "story 007"))
    browser.refresh()
    assert browser.model.total == 0  # still the chosen story until the list is read again
    browser.story.showPopup()
    assert "story 007" not in entries(browser)
    assert browser.story.value() is None and browser.story.lineEdit().text() == "All stories"
    assert browser.model.total == MANY - 10


def test_what_is_being_typed_survives_the_list_being_read_again(
    qtbot: QtBot, many: Database
) -> None:
    browser = browser_on(qtbot, many)
    story = browser.story
    assert "story 100" not in story.values()  # read once
    story.lineEdit().setText("story 10")
    with many.sessions.begin() as session:
        store.add_document(session, normalise("Late news."), title="late", story="story 100")
    browser.refresh()
    QTest.keyClick(story, Qt.Key.Key_0)  # read again before the key lands in the entry
    assert story.lineEdit().text() == "story 100"
    assert story.completer().completionCount() == 1
    QTest.keyClick(story, Qt.Key.Key_Return)
    assert story.value() == "story 100" and browser.model.total == 1
