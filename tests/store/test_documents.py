"""Listing documents: filters, paging order, counts, progress, neighbours and status upserts.

Every test runs on SQLite and on PostgreSQL (the `db_url` fixture). Values are plain lowercase
words so that the expected order does not depend on PostgreSQL's collation.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from annotator.core.text import normalise
from annotator.store import documents as documents_module
from annotator.store.database import Database, open_database
from annotator.store.documents import (
    DocumentFilter,
    DocumentRow,
    add_document,
    count_documents,
    count_matching,
    document_page,
    document_position,
    facets,
    first_page,
    list_documents,
    neighbour,
    progress_counts,
    set_status,
)
from annotator.store.models import DocumentStatus
from annotator.store.project import annotator_named

# (title, story, published, source, text); None where an article lacks the field.
ARTICLES = [
    ("troops", "beta", "2025-03-02", "harbour", "Envoys discuss troops near the border."),
    ("ceasefire", "alpha", "2025-03-01", "meridian", "A ceasefire was agreed on Monday."),
    ("summit", "alpha", "2025-03-01", "harbour", "The SUMMIT in Geneva ended early."),
    ("summit", "alpha", "2025-03-01", "harbour", "A second summit report, same title."),
    ("grain", "alpha", None, "ledger", "Grain ships left the ports."),
    ("untold", None, "2025-02-01", "ledger", "A story without a story key."),
    ("undated", None, None, None, "Nothing known about this one."),
    ("percent", "gamma", "2025-04-01", "meridian", "Support rose to 100% in the poll."),
    ("plain", "gamma", "2025-04-02", "meridian", "Support rose to 100 percent, they say."),
    ("snake", "gamma", "2025-04-03", "ledger", "The file is called a_b.txt here."),
    ("axb", "gamma", "2025-04-04", "ledger", "The file is called axb.txt here."),
    ("slash", "gamma", "2025-04-05", "ledger", "Half and half: a/b of the vote."),
]


@dataclass
class Project:
    database: Database
    annotator: uuid.UUID
    other: uuid.UUID
    ids: dict[str, list[uuid.UUID]]  # by title; "summit" has two

    def one(self, title: str) -> uuid.UUID:
        return self.ids[title][0]


@pytest.fixture
def project(db_url: str) -> Iterator[Project]:
    database = open_database(db_url)
    ids: dict[str, list[uuid.UUID]] = {}
    with database.sessions.begin() as session:
        for title, story, published, source, text in ARTICLES:
            document, _ = add_document(
                session,
                normalise(text),
                title=title,
                story=story,
                published=published,
                source=source,
            )
            ids.setdefault(title, []).append(document.id)
        annotator = annotator_named(session, "ana").id
        other = annotator_named(session, "ben").id
    yield Project(database, annotator, other, ids)
    database.close()


def expected_order(rows: list[DocumentRow]) -> list[uuid.UUID]:
    """The documented list order, computed in Python: missing values first."""

    def key(row: DocumentRow) -> tuple[object, ...]:
        nullable = (row.story, row.published, row.source)
        return (*((value is not None, value or "") for value in nullable), row.title, row.id.hex)

    return [row.id for row in sorted(rows, key=key)]


def everything(project: Project, where: DocumentFilter) -> list[DocumentRow]:
    with project.database.sessions() as session:
        return document_page(session, where, 0, 1000)


def titles(rows: list[DocumentRow]) -> list[str]:
    return [row.title for row in rows]


def test_pages_follow_story_date_source_title_id_with_missing_values_first(
    project: Project,
) -> None:
    rows = everything(project, DocumentFilter())
    assert len(rows) == len(ARTICLES)
    assert [row.id for row in rows] == expected_order(rows)
    assert titles(rows)[:3] == ["undated", "untold", "grain"]  # no story, then no date
    assert titles(rows)[3:6] == ["summit", "summit", "ceasefire"]  # same day: by source, title, id
    with project.database.sessions() as session:
        pages = [document_page(session, DocumentFilter(), offset, 5) for offset in (0, 5, 10, 15)]
        assert [len(page) for page in pages] == [5, 5, 2, 0]
        assert [row.id for page in pages for row in page] == [row.id for row in rows]
        # Seeking past the last row of the previous page gives the same pages.
        seek: list[DocumentRow] = []
        while page := document_page(
            session, DocumentFilter(), 0, 5, after=seek[-1] if seek else None
        ):
            seek.extend(page)
        assert [row.id for row in seek] == [row.id for row in rows]
        # The CLI's listing uses the same order.
        assert [row.id for row in list_documents(session)] == [row.id for row in rows]
        assert count_documents(session) == len(ARTICLES)


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (DocumentFilter(story="alpha"), {"ceasefire", "summit", "grain"}),
        (DocumentFilter(source="harbour"), {"troops", "summit"}),
        (DocumentFilter(story="alpha", source="harbour"), {"summit"}),
        (DocumentFilter(search="SUMMIT"), {"summit"}),  # title or text, any case
        (DocumentFilter(search="geneva"), {"summit"}),  # text only
        (DocumentFilter(search="  "), {title for title, *_ in ARTICLES}),  # blank: no search
        (DocumentFilter(story="nowhere"), set()),
    ],
)
def test_filters_pick_the_documents_and_the_count_agrees(
    project: Project, where: DocumentFilter, expected: set[str]
) -> None:
    rows = everything(project, where)
    assert set(titles(rows)) == expected
    assert [row.id for row in rows] == expected_order(rows)
    with project.database.sessions() as session:
        assert count_matching(session, where) == len(rows)
        page, total = first_page(session, where, 2)
        assert (page, total) == (rows[:2], len(rows))


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        # Without a letter or digit the entry is looked for as it is, wildcards included:
        ("%", {"percent"}),  # % is a character, not "anything"
        ("_", {"snake"}),  # _ is a character, not "any one character"
        ("/", {"slash"}),  # the escape character itself
        # With words, only the words count (tests/store/test_search.py has the rest).
        ("100%", {"percent", "plain"}),
        ("100", {"percent", "plain"}),
    ],
)
def test_search_takes_like_wildcards_literally(
    project: Project, search: str, expected: set[str]
) -> None:
    assert set(titles(everything(project, DocumentFilter(search=search)))) == expected


def test_status_filters_use_the_annotators_own_statuses(project: Project) -> None:
    with project.database.sessions.begin() as session:
        set_status(session, project.one("troops"), project.annotator, "done")
        set_status(session, project.one("grain"), project.annotator, "todo")  # explicit todo
        set_status(session, project.one("axb"), project.annotator, "skipped")
        set_status(session, project.one("ceasefire"), project.other, "done")

    def shown(status: str, annotator: uuid.UUID | None = project.annotator) -> set[str]:
        where = DocumentFilter(status=status, annotator_id=annotator)
        rows = everything(project, where)
        with project.database.sessions() as session:
            assert count_matching(session, where) == len(rows)
        return set(titles(rows))

    assert shown("done") == {"troops"}
    assert shown("skipped") == {"axb"}
    assert shown("in_progress") == set()
    assert shown("todo") == {title for title, *_ in ARTICLES} - {"troops", "axb"}
    assert shown("done", project.other) == {"ceasefire"}
    assert shown("done", None) == set()  # nobody's statuses: all still to do
    assert len(everything(project, DocumentFilter(status="todo"))) == len(ARTICLES)
    statuses = {
        row.title: row.status
        for row in everything(project, DocumentFilter(annotator_id=project.annotator))
    }
    assert (statuses["troops"], statuses["grain"], statuses["ceasefire"]) == (
        "done",
        "todo",
        "todo",
    )
    with pytest.raises(ValueError, match="status must be one of"):
        DocumentFilter(status="finished")


def test_progress_counts_per_status_with_todo_for_documents_without_a_row(
    project: Project,
) -> None:
    with project.database.sessions.begin() as session:
        set_status(session, project.one("troops"), project.annotator, "done")
        set_status(session, project.one("ceasefire"), project.annotator, "done")
        set_status(session, project.one("grain"), project.annotator, "in_progress")
        set_status(session, project.one("percent"), project.annotator, "todo")
        set_status(session, project.one("summit"), project.other, "skipped")
    total = len(ARTICLES)
    with project.database.sessions() as session:
        whole = progress_counts(session, project.annotator)
        assert whole == {"todo": total - 3, "in_progress": 1, "done": 2, "skipped": 0}
        # The filter's own status (and annotator) are ignored: progress is over all statuses.
        alpha = DocumentFilter(story="alpha", status="done", annotator_id=project.other)
        assert progress_counts(session, project.annotator, alpha) == {
            "todo": 2,
            "in_progress": 1,
            "done": 1,
            "skipped": 0,
        }
        searched = progress_counts(session, project.annotator, DocumentFilter(search="troops"))
        assert searched == {"todo": 0, "in_progress": 0, "done": 1, "skipped": 0}
        assert progress_counts(session, project.other) == {
            "todo": total - 1,
            "in_progress": 0,
            "done": 0,
            "skipped": 1,
        }
        nobody = progress_counts(session, None, DocumentFilter(source="ledger"))
        assert nobody == {"todo": 5, "in_progress": 0, "done": 0, "skipped": 0}


def test_facets_are_the_distinct_stories_and_sources_sorted(project: Project) -> None:
    with project.database.sessions() as session:
        assert facets(session) == (
            ["alpha", "beta", "gamma"],
            ["harbour", "ledger", "meridian"],
        )


def test_neighbours_walk_the_list_in_order_and_stop_at_the_ends(project: Project) -> None:
    for where in (DocumentFilter(), DocumentFilter(story="gamma"), DocumentFilter(search="the")):
        order = [row.id for row in everything(project, where)]
        assert len(order) >= 3
        with project.database.sessions() as session:
            forward = [neighbour(session, where, document, +1) for document in order]
            backward = [neighbour(session, where, document, -1) for document in order]
            positions = [document_position(session, where, document) for document in order]
        assert forward == [*order[1:], None]
        assert backward == [None, *order[:-1]]
        assert positions == list(range(len(order)))


def test_a_document_the_filter_hides_still_has_neighbours(project: Project) -> None:
    """Marked done in a "to do" list, the document has gone, but "next" continues after it."""
    todo = DocumentFilter(status="todo", annotator_id=project.annotator)
    order = [row.id for row in everything(project, todo)]
    current = order[3]
    with project.database.sessions.begin() as session:
        set_status(session, current, project.annotator, "done")
    with project.database.sessions() as session:
        assert document_position(session, todo, current) is None
        assert neighbour(session, todo, current, +1) == order[4]
        assert neighbour(session, todo, current, -1) == order[2]
        assert neighbour(session, todo, uuid.uuid4(), +1) is None
        assert document_position(session, todo, uuid.uuid4()) is None


def test_set_status_inserts_then_updates_one_row(project: Project) -> None:
    document = project.one("grain")
    with project.database.sessions.begin() as session:
        set_status(session, document, project.annotator, "in_progress")
    with project.database.sessions.begin() as session:
        set_status(session, document, project.annotator, "done")
        set_status(session, document, project.other, "skipped")
    with project.database.sessions() as session:
        rows = session.execute(
            select(DocumentStatus.annotator_id, DocumentStatus.status).where(
                DocumentStatus.document_id == document
            )
        ).all()
        assert sorted(rows) == sorted([(project.annotator, "done"), (project.other, "skipped")])
        assert session.scalar(select(func.count()).select_from(DocumentStatus)) == 2
        with pytest.raises(ValueError, match="status must be one of"):
            set_status(session, document, project.annotator, "finished")


def test_list_documents_with_text_keeps_working(project: Project) -> None:
    with project.database.sessions() as session:
        rows = list_documents(session, with_text=True)
    texts = {row.title: row.text for row in rows}
    assert texts["grain"] == "Grain ships left the ports."
    assert rows[0].as_json()["text"] == "Nothing known about this one."


@pytest.mark.parametrize("walk", [True, False], ids=["walked", "from the status index"])
def test_a_status_filter_lists_the_same_pages_however_it_is_read(
    project: Project, walk: bool, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A status common where a page starts is read by walking the list order, a rare one from
    the status index (SQLite); the list, its pages, its count and the neighbours are the same
    either way."""
    # How each query is read, forced one way here.
    monkeypatch.setattr(documents_module, "_walks", lambda *_args: walk)
    statuses = ["done", "done", "skipped", "todo", "done", "in_progress", "done", "done"]
    with project.database.sessions.begin() as session:
        for status, title in zip(statuses, [t for t, *_ in ARTICLES], strict=False):
            set_status(session, project.one(title), project.annotator, status)
        set_status(session, project.one("troops"), project.other, "skipped")
    every = everything(project, DocumentFilter(annotator_id=project.annotator))
    for status in ("done", "todo", "skipped", "in_progress"):
        where = DocumentFilter(status=status, annotator_id=project.annotator)
        expected = [row for row in every if row.status == status]
        assert everything(project, where) == expected
        with project.database.sessions() as session:
            assert count_matching(session, where) == len(expected)
            paged, after = [], None
            while batch := document_page(session, where, 0, 3, after=after):
                paged += batch
                after = batch[-1]
            assert paged == expected
            if len(expected) > 1:
                assert neighbour(session, where, expected[0].id, 1) == expected[1].id
                assert neighbour(session, where, expected[-1].id, -1) == expected[-2].id
        assert first_page_of(project, where) == (expected[:200], len(expected))
    searched = DocumentFilter(search="summit", status="done", annotator_id=project.annotator)
    assert [row.title for row in everything(project, searched)] == [
        row.title for row in every if row.status == "done" and row.title == "summit"
    ]


def first_page_of(project: Project, where: DocumentFilter) -> tuple[list[DocumentRow], int]:
    with project.database.sessions() as session:
        return first_page(session, where, 200)


def test_a_status_every_document_has_filters_nothing(project: Project) -> None:
    """A project not begun is all "to do", a finished one all "done": the filter then lists,
    counts and searches exactly as without it (and SQLite is not asked to check each row)."""
    with project.database.sessions.begin() as session:
        for ids in project.ids.values():
            for document in ids:
                set_status(session, document, project.annotator, "done")
    mine = DocumentFilter(annotator_id=project.annotator)
    every = everything(project, mine)
    for status, annotator in (("done", project.annotator), ("todo", project.other)):
        where = DocumentFilter(status=status, annotator_id=annotator)
        assert [row.id for row in everything(project, where)] == [row.id for row in every]
        searched = DocumentFilter(search="summit", status=status, annotator_id=annotator)
        with project.database.sessions() as session:
            assert count_matching(session, where) == len(ARTICLES)
            assert count_matching(session, searched) == 2
        assert titles(everything(project, searched)) == ["summit", "summit"]
    for status in ("todo", "skipped"):  # and nothing has the others
        where = DocumentFilter(status=status, annotator_id=project.annotator)
        assert everything(project, where) == []
        with project.database.sessions() as session:
            assert count_matching(session, where) == 0
