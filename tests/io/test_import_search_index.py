"""An import indexes its documents for search in one statement (store.search_index), and
leaves the index and its trigger exactly as the row-by-row trigger would have."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import insert, select

from annotator.io.bundles import import_bundles
from annotator.io.bundles.export import export_bundle
from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportCancelled, ImportOptions
from annotator.store.annotations import LayerStore
from annotator.store.database import open_database
from annotator.store.documents import DocumentFilter, count_matching
from annotator.store.models import Document, new_id, now
from annotator.store.project import annotator_named
from annotator.store.search_index import SEARCH_TRIGGERS, indexed_together


def articles(path: Path, count: int, word: str) -> Path:
    lines = [
        {"id": f"{word}-{n}", "title": f"Report {n}", "text": f"The {word} was seen {n} times."}
        for n in range(count)
    ]
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n", encoding="utf-8")
    return path


def found(db: str, word: str) -> int:
    database = open_database(db)
    try:
        with database.sessions() as session:
            return count_matching(session, DocumentFilter(search=word))
    finally:
        database.close()


def index_state(path: Path) -> tuple[str | None, int, int]:
    """(the insert trigger's SQL, documents, documents in the index), read by plain sqlite3."""
    raw = sqlite3.connect(path)
    try:
        trigger = raw.execute(
            "SELECT sql FROM sqlite_master WHERE name = 'documents_search_insert'"
        ).fetchone()
        documents = raw.execute("SELECT count(*) FROM documents").fetchone()[0]
        indexed = raw.execute("SELECT count(*) FROM documents_search_docsize").fetchone()[0]
    finally:
        raw.close()
    return (trigger[0] if trigger else None), documents, indexed


def test_imported_documents_are_found_on_every_backend(db_url: str, tmp_path: Path) -> None:
    database = open_database(db_url)
    try:
        import_paths(
            database,
            paths=[articles(tmp_path / "a.jsonl", 30, "zeppelin")],
            options=ImportOptions(),
        )
        import_paths(
            database, paths=[articles(tmp_path / "b.jsonl", 20, "airship")], options=ImportOptions()
        )
    finally:
        database.close()
    assert found(db_url, "zeppelin") == 30
    assert found(db_url, "airship") == 20
    assert found(db_url, "seen") == 50


def test_after_an_import_the_index_and_its_trigger_are_whole(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    database = open_database(str(path))
    try:
        import_paths(
            database,
            paths=[articles(tmp_path / "a.jsonl", 40, "zeppelin")],
            options=ImportOptions(),
        )
    finally:
        database.close()
    assert index_state(path) == (SEARCH_TRIGGERS["documents_search_insert"], 40, 40)
    database = open_database(str(path))  # a document added later is indexed by the trigger
    try:
        with database.sessions.begin() as session:
            session.execute(
                insert(Document),
                [
                    {
                        "id": new_id(),
                        "title": "Late",
                        "text": "A late zeppelin.",
                        "text_sha256": "late",
                        "length": 16,
                        "meta": {},
                        "created_at": now(),
                    }
                ],
            )
    finally:
        database.close()
    assert found(str(path), "zeppelin") == 41


def test_a_cancelled_import_leaves_the_index_and_trigger_as_they_were(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    database = open_database(str(path))
    import_paths(
        database, paths=[articles(tmp_path / "a.jsonl", 5, "zeppelin")], options=ImportOptions()
    )
    asked = 0

    def cancel_after_the_documents_are_written() -> bool:
        nonlocal asked
        asked += 1
        return asked > 2  # the planner and the first check pass; the last check cancels

    try:
        with pytest.raises(ImportCancelled):
            import_paths(
                database,
                paths=[articles(tmp_path / "b.jsonl", 30, "airship")],
                options=ImportOptions(),
                cancelled=cancel_after_the_documents_are_written,
            )
    finally:
        database.close()
    assert index_state(path) == (SEARCH_TRIGGERS["documents_search_insert"], 5, 5)
    assert found(str(path), "airship") == 0


def test_a_failure_inside_the_block_puts_the_trigger_back(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite"
    database = open_database(str(path))
    try:
        with database.sessions() as session, session.begin():
            with pytest.raises(RuntimeError), indexed_together(session):
                raise RuntimeError("the disk is full")
            # A caller that goes on in the same transaction still has the trigger.
            session.execute(
                insert(Document),
                [
                    {
                        "id": new_id(),
                        "title": "After",
                        "text": "A zeppelin after.",
                        "text_sha256": "after",
                        "length": 17,
                        "meta": {},
                        "created_at": now(),
                    }
                ],
            )
    finally:
        database.close()
    assert index_state(path) == (SEARCH_TRIGGERS["documents_search_insert"], 1, 1)


def test_documents_merged_from_a_bundle_are_indexed_and_the_trigger_is_back(
    tmp_path: Path,
) -> None:
    laptop = open_database(str(tmp_path / "laptop.sqlite"))
    try:
        import_paths(
            laptop, paths=[articles(tmp_path / "a.jsonl", 25, "zeppelin")], options=ImportOptions()
        )
        with laptop.sessions.begin() as session:
            ana = annotator_named(session, "ana").id
            documents = list(session.scalars(select(Document.id)))
        for document in documents:  # a bundle carries the documents its annotator worked on
            LayerStore(laptop.sessions, document, ana).set_status("done")
        export_bundle(laptop, annotator="ana", out=tmp_path / "ana.zip")
    finally:
        laptop.close()
    lead_path = tmp_path / "lead.sqlite"
    lead = open_database(str(lead_path))
    try:
        import_paths(
            lead, paths=[articles(tmp_path / "b.jsonl", 5, "airship")], options=ImportOptions()
        )
        assert import_bundles(lead, paths=[tmp_path / "ana.zip"]).documents_added == 25
    finally:
        lead.close()
    assert index_state(lead_path) == (SEARCH_TRIGGERS["documents_search_insert"], 30, 30)
    assert found(str(lead_path), "zeppelin") == 25
    assert found(str(lead_path), "airship") == 5
