"""The document list's search: every word must start a word of the title or the text, and
words typed without a space between them must appear so ("U.S.", "covid-19").

The matching tests run on SQLite (an FTS5 index) and on PostgreSQL (a regular expression)
with the same expectations, so both backends find the same documents. The index's upkeep
(triggers, a rebuild when the file was renumbered behind the app's back) is SQLite's alone.
"""

from __future__ import annotations

import importlib
import logging
import sqlite3
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import delete, select

from annotator.core.text import normalise
from annotator.store.database import Database, open_database
from annotator.store.documents import (
    DocumentFilter,
    DocumentRow,
    add_document,
    count_matching,
    document_page,
    document_position,
    first_page,
    neighbour,
    progress_counts,
    set_status,
)
from annotator.store.models import Document
from annotator.store.project import annotator_named
from annotator.store.search import MAX_CHUNKS, SearchQuery, fts_query, parse_search
from annotator.store.search_index import SEARCH_TABLE, SEARCH_TRIGGERS

# (title, story, text). Titles name the documents in the expectations below.
ARTICLES = [
    ("Kremlin talks", "alpha", "Envoys met in Moscow on Monday."),
    ("Grain deal", "alpha", "Ships left the ports of Odesa with grain."),
    ("Reopened", "beta", "Harbour workers returned to the PORTS; no grain yet."),
    ("Harbour strike", "beta", "The strike closed the docks."),
    ("Quotes", "gamma", 'He said "no" (AP), then 5 * 3 - 1 = 14. 🎉'),
    ("Logic", "gamma", "Not for sale, or so they said and left."),
    ("Labels", "gamma", "A title: x-ray of the vote."),
    ("Snake", "delta", "The file is called a_b.txt here."),
    ("Beijing", "delta", "北京大学的学生说 the Kremlin waited."),
    ("Tokyo", "delta", "東京の大学では"),
    ("Zurich", "delta", "Talks in Zürich and Genève."),
]
ALL = {title for title, *_ in ARTICLES}
migration = importlib.import_module("annotator.store.migrations.versions.0004_document_search")


@dataclass
class Project:
    database: Database
    annotator: uuid.UUID
    ids: dict[str, uuid.UUID]


@pytest.fixture
def project(db_url: str) -> Iterator[Project]:
    database = open_database(db_url)
    with database.sessions.begin() as session:
        ids = {
            title: add_document(session, normalise(text), title=title, story=story)[0].id
            for title, story, text in ARTICLES
        }
        annotator = annotator_named(session, "ana").id
    yield Project(database, annotator, ids)
    database.close()


def found(
    database: Database,
    search: str,
    *,
    story: str | None = None,
    status: str | None = None,
    annotator_id: uuid.UUID | None = None,
) -> set[str]:
    """Titles the list shows for `search`; the count and the first page must agree with it."""
    where = DocumentFilter(search=search, story=story, status=status, annotator_id=annotator_id)
    with database.sessions() as session:
        rows = document_page(session, where, 0, 1000)
        assert count_matching(session, where) == len(rows)
        assert first_page(session, where, 3) == (rows[:3], len(rows))
    return {row.title for row in rows}


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("kreml", {"Kremlin talks", "Beijing"}),  # the start of a word
        ("KREMLIN", {"Kremlin talks", "Beijing"}),  # any case
        ("remlin", set()),  # not the start of a word
        ("grain ports", {"Grain deal", "Reopened"}),  # both words, in the title or the text
        ("ports grain", {"Grain deal", "Reopened"}),  # in any order
        ("grain strike", set()),  # every word, not any
        ("odesa  GRAIN ", {"Grain deal"}),
        ("talks", {"Kremlin talks", "Zurich"}),  # title or text
        ("zür", {"Zurich"}),
        ("x-ray", {"Labels"}),  # "x" then "ray": the hyphen is no letter
        ("ray-x", set()),
        ("100", set()),
        ("", ALL),  # blank: no search
        ("   ", ALL),
    ],
)
def test_words_match_the_starts_of_words(project: Project, search: str, expected: set[str]) -> None:
    assert found(project.database, search) == expected


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ('"', {"Quotes"}),  # no word in it: looked for as it is
        ("*", {"Quotes"}),
        ("(", {"Quotes"}),
        ("-", {"Quotes", "Labels"}),
        ("🎉", {"Quotes"}),
        ("AND OR NOT", {"Logic"}),  # words, not FTS5 operators
        ("title:x", {"Labels"}),  # words, not a column filter
        ('"no', {"Quotes", "Logic", "Reopened"}),  # an unbalanced quote is no syntax error
        ("grain*", {"Grain deal", "Reopened"}),
        ("NEAR(grain ports)", set()),  # "near" is a word here, and no document has it
        ("a_b", {"Snake"}),  # "a" then "b" as the tokenizer splits "a_b.txt"
        ("b_a", set()),
        ("—", set()),
        ("...", set()),
    ],
)
def test_any_input_is_a_search_never_a_syntax_error(
    project: Project, search: str, expected: set[str]
) -> None:
    assert found(project.database, search) == expected


def test_ten_thousand_characters_are_searched_quickly(project: Project) -> None:
    many_words = " ".join(f"w{number}" for number in range(2000))[:10_000]
    started = time.perf_counter()
    assert found(project.database, ("kremlin " * 1250)[:10_000]) == {"Kremlin talks", "Beijing"}
    assert found(project.database, "x" * 10_000) == set()
    assert found(project.database, many_words) == set()
    assert found(project.database, "(" * 10_000) == set()
    assert time.perf_counter() - started < 10  # seconds, for all four on a small project


def test_long_searches_are_cut_short_on_both_backends(project: Project) -> None:
    """A pasted paragraph, even of 10,000 chunks, is a search: never "expression tree too large"."""
    cjk = "".join(chr(0x4E00 + number % 20_000) for number in range(20_000))
    words = " ".join(f"w{number}" for number in range(10_000))
    kremlin = "kremlin " + " ".join("kremlin" for _ in range(10_000))
    started = time.perf_counter()
    assert found(project.database, words) == set()
    assert found(project.database, " ".join(cjk[n : n + 2] for n in range(0, 20_000, 2))) == set()
    assert found(project.database, "，".join(cjk[n : n + 2] for n in range(0, 2_400, 2))) == set()
    assert found(project.database, "大学 " + words) == set()
    assert found(project.database, kremlin) == {"Kremlin talks", "Beijing"}
    # The 33rd chunk and later are not searched: "strike" would find nothing here.
    kremlin_talks = ("kremlin", "talks", "envoys", "met", "in", "moscow", "on", "monday")
    prefixes = dict.fromkeys(w[:n] for w in kremlin_talks for n in range(1, len(w) + 1))
    assert len(prefixes) > MAX_CHUNKS
    first = " ".join(list(prefixes)[:MAX_CHUNKS])
    assert found(project.database, first) == {"Kremlin talks"}
    assert found(project.database, f"{first} strike") == {"Kremlin talks"}
    assert found(project.database, "a." * 5_000) == set()  # one chunk of 5,000 words
    assert time.perf_counter() - started < 10


# Documents with words joined by punctuation, and the same words apart.
PUNCTUATED = [
    ("Envoy", "The U.S. envoy arrived; covid-19 rules applied."),
    ("USA", "Made in the U.S.A. in 1990."),
    ("Initials", "S is for ship, U is for us."),  # "U" and "S", apart and in the other order
    ("Spaced", "The U. S. Navy, version 3. 5"),  # adjacent words, other punctuation
    ("Pandemic", "Covid cases rose to 19 in May."),
    ("Jet", "An F-16 flew over."),
    ("Fighters", "Two F-15s and 16 tanks."),
    ("Release", "Version 3.5 is out."),
    ("Score", "It ended 5 to 3."),
]


@pytest.fixture
def punctuated(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    with database.sessions.begin() as session:
        for title, text in PUNCTUATED:
            add_document(session, normalise(text), title=title)
    yield database
    database.close()


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("U.S.", {"Envoy", "USA", "Spaced"}),  # not "Initials": "U" and "S" must be adjacent
        ("u.s", {"Envoy", "USA", "Spaced"}),  # the last word as a prefix
        ("U.S.A.", {"USA"}),
        ("(U.S.),", {"Envoy", "USA", "Spaced"}),  # punctuation around a chunk is no word
        ("S.U.", set()),  # in that order
        ("u.s envoy", {"Envoy"}),  # chunks are still ANDed, in any order
        ("envoy u.s", {"Envoy"}),
        ("covid-19", {"Envoy"}),  # not "Pandemic"
        ("COVID-1", {"Envoy"}),
        ("19-covid", set()),
        ("F-16", {"Jet"}),  # not "Fighters"
        ("f-1", {"Jet", "Fighters"}),
        ("3.5", {"Release", "Spaced"}),  # not "Score"
        ("5.3", set()),
        ("3 5", {"Release", "Spaced", "Score"}),  # apart: any order, anywhere
        ('"U.S"', {"Envoy", "USA", "Spaced"}),  # quotes are punctuation, not FTS5 syntax
        ('U"S', {"Envoy", "USA", "Spaced"}),
    ],
)
def test_words_joined_by_punctuation_are_searched_together(
    punctuated: Database, search: str, expected: set[str]
) -> None:
    assert found(punctuated, search) == expected


@pytest.mark.parametrize(
    ("search", "expected"),
    [
        ("大学", {"Beijing", "Tokyo"}),  # inside a run of ideographs: a substring search
        ("学生", {"Beijing"}),
        ("東京", {"Tokyo"}),
        ("大学 kreml", {"Beijing"}),  # mixed: the ideographs as a substring, kreml as a word
        ("大学 strike", set()),
    ],
)
def test_text_without_spaces_is_still_found(
    project: Project, search: str, expected: set[str]
) -> None:
    assert found(project.database, search) == expected


def test_accents_are_ignored_on_sqlite(tmp_path: Path) -> None:
    """The index folds accents; PostgreSQL (without the unaccent extension) does not."""
    database = open_database(str(tmp_path / "accents.sqlite"))
    with database.sessions.begin() as session:
        add_document(session, normalise("Talks in Zürich and Genève."), title="Zurich")
        # The same word, decomposed: e + COMBINING ACUTE ACCENT.
        add_document(session, normalise("Cafe\u0301 society"), title="Cafe")
    try:
        for search in ("zurich", "ZÜRICH", "geneve", "GENÈVE", "cafe", "café", "cafe\u0301"):
            assert found(database, search) != set(), search
        assert found(database, "zurich geneve") == {"Zurich"}
        assert found(database, "cafe") == {"Cafe"}
    finally:
        database.close()


def test_search_combines_with_the_other_filters_counts_and_paging(project: Project) -> None:
    database = project.database
    with database.sessions.begin() as session:
        set_status(session, project.ids["Grain deal"], project.annotator, "done")
    mine = project.annotator
    assert found(database, "grain", story="alpha") == {"Grain deal"}
    assert found(database, "grain", story="beta") == {"Reopened"}
    assert found(database, "grain", status="done", annotator_id=mine) == {"Grain deal"}
    assert found(database, "grain", status="todo", annotator_id=mine) == {"Reopened"}
    assert found(database, "the", status="todo", annotator_id=mine) == {  # "then", "they" too
        "Reopened",
        "Quotes",
        "Harbour strike",
        "Logic",
        "Labels",
        "Snake",
        "Beijing",
    }

    where = DocumentFilter(search="the", annotator_id=project.annotator)
    with database.sessions() as session:
        rows = document_page(session, where, 0, 1000)
        assert len(rows) == 8
        # Paging after the last row of the previous page walks the same list.
        paged: list[DocumentRow] = []
        while page := document_page(session, where, 0, 2, after=paged[-1] if paged else None):
            paged.extend(page)
        assert paged == rows
        assert [document_position(session, where, row.id) for row in rows] == list(range(8))
        assert [neighbour(session, where, row.id, +1) for row in rows] == [
            *(row.id for row in rows[1:]),
            None,
        ]
        assert document_position(session, where, project.ids["Kremlin talks"]) is None
        assert progress_counts(session, project.annotator, where) == {
            "todo": 7,
            "in_progress": 0,
            "done": 1,
            "skipped": 0,
        }


def test_new_changed_and_deleted_documents_are_searched_as_they_are_now(
    project: Project,
) -> None:
    database = project.database
    with database.sessions.begin() as session:
        add_document(session, normalise("A zeppelin over the harbour."), title="Airship")
    assert found(database, "zeppelin") == {"Airship"}
    with database.sessions.begin() as session:
        document = session.get(Document, project.ids["Harbour strike"])
        assert document is not None
        document.title = "Dockers walk out"
    assert found(database, "dockers") == {"Dockers walk out"}
    assert found(database, "strike") == {"Dockers walk out"}  # the text still says "strike"
    assert found(database, "harbour") == {"Airship", "Reopened"}  # not the old title
    with database.sessions.begin() as session:
        session.execute(delete(Document).where(Document.title == "Airship"))
    assert found(database, "zeppelin") == set()


def test_parse_search_splits_at_spaces_into_phrases() -> None:
    assert parse_search("  Grain, grain & PORTS! ") == SearchQuery(phrases=("Grain", "PORTS"))
    assert parse_search("don't") == SearchQuery(phrases=("don't",))
    assert parse_search("(U.S.), u.s") == SearchQuery(phrases=("U.S",))  # the same words
    assert parse_search("e\u0301cole") == SearchQuery(phrases=("e\u0301cole",))  # marks stay
    assert parse_search("हिन्दी") == SearchQuery(phrases=("हिन्दी",))
    assert parse_search("北京 Putin") == SearchQuery(phrases=("Putin",), pieces=("北京",))
    assert parse_search("「北京，大学」。") == SearchQuery(pieces=("北京，大学",))
    assert parse_search(" ... ") == SearchQuery(pieces=("...",))
    assert parse_search("\u0301") == SearchQuery(pieces=("\u0301",))  # a mark alone is no word
    assert parse_search("  ") == SearchQuery()
    assert fts_query(("grain", 'say"s', "U.S")) == '"grain"* "say""s"* "U.S"*'


def test_only_the_first_chunks_are_searched() -> None:
    many = parse_search(" ".join(f"w{number}" for number in range(10_000)))
    assert many.phrases == tuple(f"w{number}" for number in range(MAX_CHUNKS))
    # Dropped and repeated chunks do not count.
    assert parse_search("- a A " + " ".join(f"w{n}" for n in range(50))).phrases == (
        "a",
        *(f"w{n}" for n in range(MAX_CHUNKS - 1)),
    )
    mixed = parse_search(" ".join(("北京", "kremlin") * 40))
    assert (mixed.pieces, mixed.phrases) == (("北京",), ("kremlin",))


# --- SQLite's index: migration, triggers, repairs at open time ---------------------------


def raw_search(path: Path, word: str) -> set[str]:
    """Titles the FTS5 index returns for `word`, asked with plain sqlite3."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT title FROM documents WHERE rowid IN "
            "(SELECT rowid FROM documents_search WHERE documents_search MATCH ?)",
            (fts_query((word,)),),
        )
        return {title for (title,) in rows}
    finally:
        connection.close()


def sqlite_project(path: Path, count: int = 30) -> None:
    """Documents "doc 0" ... with the words "word0" ... (every fifth also "tenth")."""
    database = open_database(str(path))
    with database.sessions.begin() as session:
        for number in range(count):
            extra = " tenth" if number % 5 == 0 else ""
            add_document(session, normalise(f"Text word{number}{extra}."), title=f"doc {number}")
    database.close()


def test_a_vacuumed_file_with_gaps_still_finds_the_right_documents(tmp_path: Path) -> None:
    path = tmp_path / "vacuumed.sqlite"
    sqlite_project(path)
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM documents WHERE title IN ('doc 1', 'doc 2', 'doc 3', 'doc 12')")
    raw.commit()
    raw.execute("VACUUM")
    raw.close()
    database = open_database(str(path))
    try:
        assert found(database, "word5") == {"doc 5"}
        assert found(database, "word29") == {"doc 29"}
        assert found(database, "word2") == {"doc 20", "doc 21", "doc 22", "doc 23", "doc 24"} | {
            "doc 25",
            "doc 26",
            "doc 27",
            "doc 28",
            "doc 29",
        }
        assert found(database, "tenth") == {"doc 0", "doc 5", "doc 10", "doc 15", "doc 20"} | {
            "doc 25"
        }
    finally:
        database.close()


def test_renumbered_documents_are_reindexed_when_the_file_is_opened(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """What a VACUUM that renumbers rowids does, done by hand: the index points elsewhere."""
    path = tmp_path / "renumbered.sqlite"
    sqlite_project(path)
    raw = sqlite3.connect(path)
    raw.execute("UPDATE documents SET rowid = rowid + 1000")  # no trigger fires for a rowid
    raw.commit()
    raw.close()
    assert raw_search(path, "word5") != {"doc 5"}  # stale: the index names other rowids
    with caplog.at_level(logging.WARNING, logger="annotator.store.search_index"):
        database = open_database(str(path))
    try:
        assert "search index did not match" in caplog.text
        assert found(database, "word5") == {"doc 5"}
        assert found(database, "tenth") == {f"doc {n}" for n in range(0, 30, 5)}
    finally:
        database.close()
    assert raw_search(path, "word5") == {"doc 5"}


def test_a_document_missing_from_the_index_is_noticed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """Same largest rowid, one row fewer in the index: the counts differ, so it is rebuilt."""
    path = tmp_path / "missing.sqlite"
    sqlite_project(path)
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO documents_search(documents_search, rowid, title, text) "
        "SELECT 'delete', rowid, title, text FROM documents WHERE title = 'doc 4'"
    )
    raw.commit()
    raw.close()
    assert raw_search(path, "word4") == set()
    with caplog.at_level(logging.WARNING, logger="annotator.store.search_index"):
        open_database(str(path)).close()
    assert "search index did not match" in caplog.text
    assert raw_search(path, "word4") == {"doc 4"}


def test_an_index_in_step_is_not_rebuilt(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    path = tmp_path / "fine.sqlite"
    sqlite_project(path)
    raw = sqlite3.connect(path)
    raw.execute("DELETE FROM documents WHERE title = 'doc 29'")  # through the triggers
    raw.commit()
    raw.close()
    with caplog.at_level(logging.INFO, logger="annotator.store.search_index"):
        open_database(str(path)).close()
    assert "search index" not in caplog.text


def test_missing_triggers_are_restored_and_the_index_caught_up(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A batch migration that copies `documents` drops its triggers; opening restores them."""
    path = tmp_path / "triggerless.sqlite"
    sqlite_project(path, count=3)
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER documents_search_insert")
    raw.execute("DROP TRIGGER documents_search_update")
    raw.execute(
        "INSERT INTO documents (id, title, text, text_sha256, length, meta, created_at) "
        "VALUES (?, 'unindexed', 'A zeppelin.', 'x', 11, '{}', '2025-01-01 00:00:00')",
        (uuid.uuid4().hex,),
    )
    raw.commit()
    raw.close()
    with caplog.at_level(logging.WARNING, logger="annotator.store.search_index"):
        database = open_database(str(path))
    try:
        assert "documents_search_insert, documents_search_update" in caplog.text
        # The message names the project (a loop once left a trigger's name in its place).
        assert caplog.records[-1].getMessage().startswith(f"{path}: the search index")
        assert found(database, "zeppelin") == {"unindexed"}
        with database.sessions.begin() as session:
            add_document(session, normalise("Another zeppelin."), title="later")
            renamed = session.scalars(select(Document).where(Document.title == "doc 0")).one()
            renamed.title = "airship"
        assert found(database, "zeppelin") == {"unindexed", "later"}
        assert found(database, "airship") == {"airship"}
    finally:
        database.close()


def test_a_dropped_index_is_made_again_when_the_file_is_opened(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The index is derived from the documents: losing it must not lock the project."""
    path = tmp_path / "indexless.sqlite"
    sqlite_project(path, count=3)
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO documents (id, title, text, text_sha256, length, meta, created_at) "
        "VALUES (?, 'unindexed', 'A zeppelin.', 'x', 11, '{}', '2025-01-01 00:00:00')",
        (uuid.uuid4().hex,),
    )
    raw.execute("DROP TABLE documents_search")  # the triggers on documents stay, now broken
    raw.commit()
    raw.close()
    with caplog.at_level(logging.WARNING, logger="annotator.store.search_index"):
        database = open_database(str(path))
    try:
        assert "the index itself" in caplog.text
        assert found(database, "zeppelin") == {"unindexed"}
        with database.sessions.begin() as session:
            add_document(session, normalise("Another zeppelin."), title="later")
        assert found(database, "zeppelin") == {"unindexed", "later"}
    finally:
        database.close()


def test_the_repair_triggers_are_the_migrations_own(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_database(str(path)).close()
    raw = sqlite3.connect(path)
    made = dict(raw.execute("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"))
    raw.close()
    assert made == SEARCH_TRIGGERS
    assert tuple(SEARCH_TRIGGERS.values()) == migration.CREATE_TRIGGERS
    assert SEARCH_TABLE == migration.CREATE_TABLE
