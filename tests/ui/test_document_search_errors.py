"""A search the database cannot answer leaves the document list as it was, and says so."""

from __future__ import annotations

import random
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot
from sqlalchemy.exc import OperationalError

from annotator.core.text import normalise
from annotator.store import documents as store
from annotator.store.database import Database, open_database
from annotator.store.documents import DocumentFilter, add_document
from annotator.ui.documents.browser import DocumentBrowser
from annotator.ui.documents.table import DocumentListModel

COUNT = 30  # every third document mentions a zeppelin


@pytest.fixture
def database(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "project.sqlite"))
    with database.sessions.begin() as session:
        for number in range(COUNT):
            extra = " A zeppelin flew over." if number % 3 == 0 else ""
            text = normalise(f"Article {number} about the U.S. talks.{extra}")
            add_document(session, text, title=f"article {number:02d}")
    yield database
    database.close()


def fail_once(monkeypatch: pytest.MonkeyPatch) -> list[DocumentFilter]:
    """The next first page fails as SQLite does for a too deep query; later ones work."""
    asked: list[DocumentFilter] = []
    real_first_page = store.first_page

    def failing(session: Any, where: DocumentFilter, *args: Any, **keys: Any) -> Any:
        asked.append(where)
        if len(asked) == 1:
            raise OperationalError(
                "SELECT ...", {}, Exception("Expression tree is too large (maximum depth 1000)")
            )
        return real_first_page(session, where, *args, **keys)

    # The list reads through the store module when it needs a page (imported on first use).
    monkeypatch.setattr(store, "first_page", failing)
    return asked


def ids(model: DocumentListModel) -> list[uuid.UUID]:
    return [model.row_at(row).id for row in range(model.rowCount())]


def test_a_failed_filter_keeps_the_previous_one(
    qtmodeltester: Any, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = DocumentListModel(database.sessions, DocumentFilter(search="zeppelin"))
    before = (ids(model), model.total, model.filter)
    resets: list[str] = []
    model.modelAboutToBeReset.connect(lambda: resets.append("begin"))
    model.modelReset.connect(lambda: resets.append("end"))
    asked = fail_once(monkeypatch)

    failure = model.set_filter(DocumentFilter(search="talks"))

    assert failure == (
        "Could not list the documents: Expression tree is too large (maximum depth 1000)"
    )
    assert resets == ["begin", "end"]  # never left half reset
    assert (ids(model), model.total, model.filter) == before
    assert model.total == COUNT // 3
    assert model.row_of(before[0][-1]) == len(before[0]) - 1
    qtmodeltester.check(model)
    assert model.set_filter(DocumentFilter(search="talks")) is None  # a later filter works
    assert (model.rowCount(), model.total) == (COUNT, COUNT)
    assert [where.search for where in asked] == ["talks", "talks"]


def test_other_errors_still_raise_but_leave_the_model_whole(
    database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = DocumentListModel(database.sessions)

    def broken(*args: Any, **keys: Any) -> Any:
        raise RuntimeError("a bug")

    monkeypatch.setattr(store, "first_page", broken)
    resets: list[str] = []
    model.modelAboutToBeReset.connect(lambda: resets.append("begin"))
    model.modelReset.connect(lambda: resets.append("end"))
    with pytest.raises(RuntimeError):
        model.set_filter(DocumentFilter(search="zeppelin"))
    assert resets == ["begin", "end"]
    assert (model.filter, model.rowCount(), model.total) == (DocumentFilter(), COUNT, COUNT)


def test_the_browser_says_why_and_steps_on_through_the_previous_list(
    qtbot: QtBot, database: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    browser = DocumentBrowser(database.sessions)
    qtbot.addWidget(browser)
    browser.search.setText("zeppelin")
    browser.search.returnPressed.emit()
    assert browser.model.total == COUNT // 3
    assert browser.step(+1) == browser.model.row_at(0).id
    fail_once(monkeypatch)

    browser.search.setText("talks")
    browser.search.returnPressed.emit()

    assert browser.model.filter.search == "zeppelin"
    assert browser.model.total == COUNT // 3
    assert "Expression tree is too large" in browser.progress.text()
    assert "\n" not in browser.progress.text()
    assert browser.current_document() == browser.model.row_at(0).id  # still selected
    assert browser.step(+1) == browser.model.row_at(1).id  # next still walks the list

    browser.search.returnPressed.emit()  # the same search again, now answered
    assert browser.model.filter.search == "talks"
    assert browser.model.total == COUNT
    assert browser.progress.text() == f"{COUNT} documents · choose an annotator to track progress"


def test_a_pasted_paragraph_without_spaces_is_searched(qtbot: QtBot, database: Database) -> None:
    """The review's case: 1,200 Chinese words joined by commas (once an expression too deep)."""
    browser = DocumentBrowser(database.sessions)
    qtbot.addWidget(browser)
    rng = random.Random(1)
    words = ("".join(chr(0x4E00 + rng.randrange(20_000)) for _ in range(2)) for _ in range(1200))
    for paragraph in ("，".join(words), " ".join(f"w{n}" for n in range(10_000))):
        browser.search.setText(paragraph)
        browser.search.returnPressed.emit()
        assert browser.model.total == 0
        assert "Could not" not in browser.progress.text()
    browser.search.setText("u.s zeppelin")
    browser.search.returnPressed.emit()
    assert browser.model.total == COUNT // 3
