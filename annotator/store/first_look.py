"""What the first window shows, read with the standard library's sqlite3 before SQLAlchemy loads.

Importing SQLAlchemy's ORM takes longer than Python, PySide6 and a painted window together
(about 170 ms against 130 ms on a 2-core laptop). So a start on an up-to-date SQLite project
reads just what its first window shows (the first page of the document list and its counts,
the vocabulary, the first document and the annotator's layer of it) with plain SQL, paints
it, and only then opens the project through the store (`annotator.store.deferred`), which
every later read and every edit goes through.

Each query here has a twin in the store (named beside it) and must give the same answer:
tests/store/test_first_look.py compares the two on projects with every kind of row.
Anything unusual (no such file yet, an older or newer schema that must be migrated, an
annotator not yet known, a read that fails) gives None, and the start takes the store's
path, whose checks explain any problem in the user's words.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.documents import STATUSES, DocumentRow
from annotator.core.errors import AnnotatorError
from annotator.core.schema import LabelSchema, default_schema, parse_schema
from annotator.core.vocabulary import Vocabulary, vocabulary_from_rows
from annotator.store.project_file import check_project_file
from annotator.store.revision import HEAD_REVISION

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class FirstDocument:
    """The first document of the list with the annotator's layer of it."""

    row: DocumentRow  # with its text
    spans: list[SpanValue]
    stances: list[StanceValue]
    labels: set[str]
    status: str


@dataclass(frozen=True)
class FirstLook:
    annotator: tuple[uuid.UUID, str]
    annotators: list[tuple[uuid.UUID, str]]  # by name
    rows: list[DocumentRow]  # the list's first page, unfiltered
    total: int  # documents in the project
    counts: dict[str, int]  # the annotator's documents per status
    vocabulary: Vocabulary
    document: FirstDocument | None  # None in an empty project


def read_first_look(
    path: Path, annotator: str | None, *, page_size: int, last_document: str | None = None
) -> FirstLook | None:
    """The first window of `annotator` on the SQLite project `path`, or None (see above).
    Its document is `last_document` (an id: where the person was last time) if the project
    still has it, else the list's first."""
    if annotator is None or not path.is_file():
        return None
    try:
        # What the store would refuse (a read-only file, not SQLite...) it should say before a
        # window is painted, as it does on any other start.
        check_project_file(path, create=False)
        # mode=rw: never create a file. timeout=0: a project another program is writing is
        # left to the store, which waits for it. query_only: no statement here writes (SQLite
        # itself may still fold a crashed writer's committed WAL into the file on closing, as
        # any first connection does).
        connection = sqlite3.connect(f"{path.absolute().as_uri()}?mode=rw", uri=True, timeout=0)
    except (sqlite3.Error, AnnotatorError) as error:
        log.info("First look at %s skipped: %s", path, error)
        return None
    try:
        connection.execute("PRAGMA query_only = 1")
        return _read(connection, annotator, page_size, last_document)
    except (sqlite3.Error, AnnotatorError, ValueError) as error:
        log.info("First look at %s skipped: %s", path, error)
        return None
    finally:
        connection.close()


def _read(
    connection: sqlite3.Connection, name: str, page_size: int, last: str | None
) -> FirstLook | None:
    if _one(connection, "SELECT version_num FROM alembic_version") != HEAD_REVISION:
        return None  # migrations first: the store's path backs the file up and upgrades it
    annotators = [
        (_id(i), n) for i, n in connection.execute("SELECT id, name FROM annotators ORDER BY name")
    ]
    me = next((a for a in annotators if a[1] == name), None)
    if me is None:
        return None  # a new annotator is added (and maybe asked for) by the store's path
    listing = (
        "SELECT d.id, d.external_id, d.title, d.source, d.published, d.story, d.length,"
        " coalesce(s.status, 'todo') FROM documents AS d"
        " LEFT OUTER JOIN document_status AS s"
        " ON s.document_id = d.id AND s.annotator_id = ?"
    )
    rows = [
        _row(values)
        for values in connection.execute(
            # store.documents.document_page with DocumentFilter(annotator_id=me): list order,
            # missing values first (SQLite's own order for NULL).
            f"{listing} ORDER BY d.story, d.published, d.source, d.title, d.id LIMIT ?",
            (_hex(me[0]), page_size),
        )
    ]
    opened = rows[0] if rows else None
    if last is not None and _is_id(last):
        found = connection.execute(f"{listing} WHERE d.id = ?", (_hex(me[0]), _hex(_id(last))))
        again = found.fetchone()
        opened = _row(again) if again is not None else opened
    total = int(_one(connection, "SELECT count(*) FROM documents"))
    counts = dict.fromkeys(STATUSES, 0)  # store.documents.progress_counts, whole project
    for status, count in connection.execute(
        "SELECT status, count(*) FROM document_status WHERE annotator_id = ? GROUP BY status",
        (_hex(me[0]),),
    ):
        counts[status] += count
    counts["todo"] = total - sum(n for status, n in counts.items() if status != "todo")
    document = _document(connection, opened, me[0]) if opened is not None else None
    return FirstLook(me, annotators, rows, total, counts, _vocabulary(connection), document)


def _is_id(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def _vocabulary(connection: sqlite3.Connection) -> Vocabulary:
    """store.vocabulary.load_vocabulary."""
    stored = connection.execute(
        "SELECT name, version, source FROM label_schemas ORDER BY loaded_at DESC LIMIT 1"
    ).fetchone()
    schema: LabelSchema = (
        parse_schema(stored[2], f"schema '{stored[0]}' {stored[1]} in the database")
        if stored
        else default_schema()
    )
    issues = [
        (_id(i), key, name, _maybe_id(parent))
        for i, key, name, parent in connection.execute(
            "SELECT id, key, name, parent_id FROM issues ORDER BY key"
        )
    ]
    actors = [
        (_id(i), name, kind)
        for i, name, kind in connection.execute("SELECT id, name, type FROM actors ORDER BY name")
    ]
    aliases = [
        (_id(actor), alias)
        for actor, alias in connection.execute(
            "SELECT actor_id, alias FROM actor_aliases ORDER BY alias, id"
        )
    ]
    return vocabulary_from_rows(schema, issues, actors, aliases)


def _document(
    connection: sqlite3.Connection, row: DocumentRow, annotator_id: uuid.UUID
) -> FirstDocument:
    """ui.workspace.editor.DocumentEditor.open: store.annotations.LayerStore.load and .status."""
    document, annotator = _hex(row.id), _hex(annotator_id)
    text = str(_one(connection, "SELECT text FROM documents WHERE id = ?", (document,)))
    mine = "document_id = ? AND annotator_id = ? AND deleted_at IS NULL"
    spans = [
        SpanValue(_id(i), start, end, label, _maybe_id(actor), _maybe_id(issue), note)
        for i, start, end, label, actor, issue, note in connection.execute(
            f'SELECT id, start, "end", label, actor_id, issue_id, note FROM spans WHERE {mine}'
            ' ORDER BY start, "end", label',
            (document, annotator),
        )
    ]
    live = {span.id for span in spans}
    stance_rows = connection.execute(
        "SELECT id, actor_id, issue_id, polarity, confidence, note FROM stances"
        f" WHERE {mine} ORDER BY created_at, id",
        (document, annotator),
    ).fetchall()
    evidence: dict[uuid.UUID, list[uuid.UUID]] = {}
    for stance_id, span_id in _evidence(connection, [r[0] for r in stance_rows]):
        evidence.setdefault(_id(stance_id), []).append(_id(span_id))
    stances = []
    for i, actor, issue, polarity, confidence, note in stance_rows:
        cited = tuple(sorted(e for e in evidence.get(_id(i), []) if e in live))
        stances.append(
            StanceValue(_id(i), _id(actor), _id(issue), polarity, cited, confidence, note)
        )
    labels = {
        label
        for (label,) in connection.execute(
            "SELECT label FROM document_labels WHERE document_id = ? AND annotator_id = ?",
            (document, annotator),
        )
    }
    status = connection.execute(
        "SELECT status FROM document_status WHERE document_id = ? AND annotator_id = ?",
        (document, annotator),
    ).fetchone()
    return FirstDocument(
        replace(row, text=text), spans, stances, labels, status[0] if status else "todo"
    )


def _evidence(connection: sqlite3.Connection, stance_ids: list[str]) -> Iterable[Any]:
    if not stance_ids:
        return []
    marks = ", ".join("?" * len(stance_ids))
    return connection.execute(
        f"SELECT stance_id, span_id FROM stance_evidence WHERE stance_id IN ({marks})", stance_ids
    ).fetchall()


def _row(values: Iterable[Any]) -> DocumentRow:
    i, external_id, title, source, published, story, length, status = values
    return DocumentRow(_id(i), external_id, title, source, published, story, length, status)


def _one(connection: sqlite3.Connection, sql: str, parameters: tuple[Any, ...] = ()) -> Any:
    found = connection.execute(sql, parameters).fetchone()
    if found is None:
        raise ValueError(f"no row for {sql}")
    return found[0]


# SQLAlchemy's Uuid type keeps ids in SQLite as 32 hex digits.
def _id(value: str) -> uuid.UUID:
    return uuid.UUID(hex=value)


def _maybe_id(value: str | None) -> uuid.UUID | None:
    return None if value is None else uuid.UUID(hex=value)


def _hex(value: uuid.UUID) -> str:
    return value.hex
