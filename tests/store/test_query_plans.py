"""The hot queries use indexes: SQLite's EXPLAIN QUERY PLAN shows no full table scans.

Queries are captured as the real services run them (document list page, spans of a
document, an annotator's layer for export), then explained on the same connection.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import event, insert, select

from annotator.io.demo import load_demo
from annotator.io.export import export
from annotator.io.export.options import ExportOptions
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.documents import DocumentFilter, document_page, neighbour
from annotator.store.models import Document, Span, now
from annotator.store.project import annotator_named

FULL_SCAN = re.compile(r"\bSCAN (\w+)(?! USING)")  # "SCAN t" without "USING ... INDEX"


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "plans.sqlite"))
    load_demo(database)
    with database.sessions.begin() as session:
        annotator = annotator_named(session, "ana")
        documents = list(session.scalars(select(Document.id)))
        session.execute(
            insert(Span),
            [
                {
                    "id": uuid.uuid4(),
                    "document_id": d,
                    "annotator_id": annotator.id,
                    "start": n,
                    "end": n + 5,
                    "label": "ACTOR",
                    "note": "",
                    "created_at": now(),
                    "updated_at": now(),
                }
                for d in documents
                for n in range(0, 200, 10)
            ],
        )
    yield database
    database.close()


@contextmanager
def captured(database: Database) -> Iterator[list[tuple[str, object]]]:
    statements: list[tuple[str, object]] = []

    def keep(
        _conn: object,
        _cursor: object,
        statement: str,
        parameters: object,
        _context: object,
        _many: bool,
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)


def plans(database: Database, run: Callable[[], object], table: str) -> list[list[str]]:
    """The query plans of every SELECT on `table` that `run` makes."""
    with captured(database) as statements:
        run()
    found = []
    with database.engine.connect() as connection:
        for statement, parameters in statements:
            if re.search(rf"\bFROM {table}\b", statement) is None:
                continue
            rows = connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
            found.append([row[-1] for row in rows])
    assert found, f"no query on {table} was captured"
    return found


def assert_no_full_scan(found: list[list[str]], table: str) -> None:
    for plan in found:
        scans = [line for line in plan if (m := FULL_SCAN.search(line)) and m.group(1) == table]
        assert not scans, plan


def test_the_document_list_page_reads_the_list_index(project: Database) -> None:
    def page() -> None:
        with project.sessions() as session:
            document_page(session, DocumentFilter(), 0, 200)
            document_page(session, DocumentFilter(story="nato-troops"), 0, 200)
            document_page(session, DocumentFilter(source="Harbour Post"), 0, 200)

    found = plans(project, page, "documents")
    assert_no_full_scan(found, "documents")
    assert not any("TEMP B-TREE FOR ORDER BY" in line for plan in found for line in plan)


def test_next_and_previous_use_the_list_index(project: Database) -> None:
    with project.sessions() as session:
        first = document_page(session, DocumentFilter(), 0, 1)[0].id

    def step() -> None:
        with project.sessions() as session:
            neighbour(session, DocumentFilter(), first, 1)

    assert_no_full_scan(plans(project, step, "documents"), "documents")


def test_spans_of_a_document_are_found_by_index(project: Database) -> None:
    with project.sessions() as session:
        document = session.scalars(select(Document.id)).first()
        annotator = annotator_named(session, "ana")
    store = LayerStore(project.sessions, document, annotator.id)  # type: ignore[arg-type]
    found = plans(project, store.load, "spans")
    assert_no_full_scan(found, "spans")
    assert any("USING INDEX ix_spans_document_annotator" in line for plan in found for line in plan)


def test_an_annotators_spans_are_found_by_index(project: Database, tmp_path: Path) -> None:
    def run() -> None:
        export(project, ExportOptions(format="jsonl", annotator="ana"), tmp_path / "a.jsonl")

    assert_no_full_scan(plans(project, run, "spans"), "spans")
