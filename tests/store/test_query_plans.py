"""The hot queries use indexes: SQLite's EXPLAIN QUERY PLAN shows no full table scans.

Queries are captured as the real services run them (document list page, spans of a
document, an annotator's layer for export), then explained on the same connection.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from annotator.io.demo import load_demo
from annotator.io.export import export
from annotator.io.export.options import ExportOptions
from annotator.review.agreement.report import agreement_report
from annotator.store import documents as documents_module
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.documents import (
    DocumentFilter,
    count_matching,
    document_page,
    first_page,
    neighbour,
    progress_counts,
    set_status,
)
from annotator.store.models import Document, Span, now
from annotator.store.project import annotator_named
from tests.store.selects import captured

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


def test_a_search_asks_the_index_and_reads_no_text(project: Database) -> None:
    """Every query of a search finds its documents through the FTS5 index (documents_search),
    never by reading the texts: no full scan of documents, no LIKE over text."""
    with project.sessions() as session:
        annotator = annotator_named(session, "ana").id
        first = document_page(session, DocumentFilter(), 0, 1)[0]

    def search() -> None:
        with project.sessions() as session:
            for where in (
                DocumentFilter(search="kreml", annotator_id=annotator),
                DocumentFilter(search="troops nato", story="nato-troops"),
                DocumentFilter(search="the", status="todo", annotator_id=annotator),
            ):
                first_page(session, where, 200)
                document_page(session, where, 0, 200, after=first)
                count_matching(session, where)
                neighbour(session, where, first.id, 1)
                progress_counts(session, annotator, where)

    with captured(project) as statements:
        search()
    assert not any(" LIKE " in statement for statement, _ in statements)
    assert_no_full_scan(plans(project, search, "documents"), "documents")
    searched = plans(project, search, "documents_search")
    assert len(searched) >= 3 * 5  # every call above made at least one search query
    for plan in searched:
        assert any(re.search(r"SCAN documents_search VIRTUAL TABLE INDEX \d+:M", x) for x in plan)


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
    assert any("ix_spans_layer" in line for plan in found for line in plan)


def test_an_annotators_spans_are_found_by_index(project: Database, tmp_path: Path) -> None:
    def run() -> None:
        export(
            project,
            options=ExportOptions(format="jsonl", annotator="ana"),
            out=tmp_path / "a.jsonl",
        )

    assert_no_full_scan(plans(project, run, "spans"), "spans")


def test_the_agreement_report_reads_live_spans_from_the_index_alone(project: Database) -> None:
    """The report's span query is answered by the covering layer index, already in order:
    no visit to the span rows (which lie far apart in a large file) and no sort."""
    with project.sessions.begin() as session:
        annotator_named(session, "ben")  # a second annotator, so there is something to compare

    def report() -> None:
        agreement_report(project, workers=1)

    found = [plan for plan in plans(project, report, "spans") if len(plan) == 1]
    assert_no_full_scan(found, "spans")
    assert any("USING COVERING INDEX ix_spans_layer" in plan[0] for plan in found), found
    everything = plans(project, report, "spans")
    assert not any("TEMP B-TREE" in line for plan in everything for line in plan), everything


def test_a_status_common_where_the_page_starts_is_walked_else_read_from_its_index(
    project: Database, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Done documents at the top of the list: a page walks the list order, checking each one's
    status (no sort of every done document). In progress at the end of it, or one skipped
    past the sampled top: the page starts from the status index instead of walking past
    everything before them."""
    monkeypatch.setattr(documents_module, "WALK_LIMIT", 4)  # 8 documents: sample half
    with project.sessions.begin() as session:
        annotator = annotator_named(session, "ana").id
        ids = [row.id for row in document_page(session, DocumentFilter(), 0, 100)]
        for document in ids[:5]:
            set_status(session, document, annotator, "done")
        set_status(session, ids[5], annotator, "skipped")
        for document in ids[6:]:
            set_status(session, document, annotator, "in_progress")

    def page_plan(status: str) -> list[str]:
        def run() -> None:
            with project.sessions() as session:
                where = DocumentFilter(status=status, annotator_id=annotator)
                document_page(session, where, 0, 2)

        # The page query (the other one samples the list to choose how to read it).
        [plan] = [
            plan
            for plan in plans(project, run, "documents")
            if "document_status" in str(plan)
            and "SCAN anon" not in str(plan)
            and not any("CO-ROUTINE" in line for line in plan)
        ]
        return plan

    walked = page_plan("done")
    assert re.match(r"SCAN documents USING (COVERING )?INDEX ix_documents_list_order", walked[0])
    assert not any("TEMP B-TREE FOR ORDER BY" in line for line in walked)
    for status in ("in_progress", "skipped"):
        plan = page_plan(status)
        assert "USING INDEX ix_document_status_annotator_status" in plan[0], plan


def test_a_next_page_seeks_to_its_place_in_the_list_index(project: Database) -> None:
    """The page after a row (without missing values) starts at that row in the index, instead
    of walking the index from the top to it."""
    with project.sessions() as session:
        first = document_page(session, DocumentFilter(), 0, 1)[0]
    assert None not in (first.story, first.published, first.source)

    def next_page() -> None:
        with project.sessions() as session:
            document_page(session, DocumentFilter(), 0, 3, after=first)

    [plan] = plans(project, next_page, "documents")
    assert (
        "INDEX ix_documents_list_order ((story,published,source,title,id)>(?,?,?,?,?))" in (plan[0])
    ), plan
