"""The upkeep of SQLite's search index (the FTS5 table `documents_search`, migration 0004).

Triggers keep it in step with `documents` row by row; `check_search_index` repairs it when a
project is opened; `indexed_together` lets an import index its documents in one statement.
What a search finds is `annotator.store.search`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

# The search index's triggers, as migration 0004 made them. They are re-created from here when
# they are missing: a later migration that copies `documents` in batch mode drops them.
SEARCH_TRIGGERS = {
    "documents_search_insert": (
        "CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN "
        "INSERT INTO documents_search(rowid, title, text) VALUES (new.rowid, new.title, new.text); "
        "END"
    ),
    "documents_search_delete": (
        "CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN "
        "INSERT INTO documents_search(documents_search, rowid, title, text) "
        "VALUES ('delete', old.rowid, old.title, old.text); "
        "END"
    ),
    "documents_search_update": (
        "CREATE TRIGGER documents_search_update AFTER UPDATE OF title, text ON documents BEGIN "
        "INSERT INTO documents_search(documents_search, rowid, title, text) "
        "VALUES ('delete', old.rowid, old.title, old.text); "
        "INSERT INTO documents_search(rowid, title, text) VALUES (new.rowid, new.title, new.text); "
        "END"
    ),
}
# The index itself, as migration 0004 made it: derived data, so one found missing (dropped by
# hand, say) is made again rather than refusing to open the project.
SEARCH_TABLE = (
    "CREATE VIRTUAL TABLE documents_search USING fts5(title, text, content='documents', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
)
# The largest rowid and the row count; the index's docsize table has one row per document.
SIZE = ("max(rowid)", "count(*)")


def check_search_index(engine: Engine, project: str) -> None:
    """Rebuild the SQLite search index if it has drifted from the documents.

    The index names documents by SQLite's implicit rowid, which a VACUUM may renumber (the app
    never vacuums; a user with the sqlite3 shell might) and a batch migration renumbers. A
    stale index would make a search list the wrong documents. Comparing the largest rowid and
    the row count on both sides costs under 2 ms at 100,000 documents.
    """
    with engine.begin() as connection:
        run = connection.exec_driver_sql
        triggers = {
            trigger
            for (trigger,) in run(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'documents'"
            )
        }
        missing = [trigger for trigger in SEARCH_TRIGGERS if trigger not in triggers]
        table = run(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents_search'"
        ).first()
        if table is None:
            run(SEARCH_TABLE)
            missing = ["the index itself", *missing]
        # Four queries, not two: max() alone is one b-tree descent, count() alone a quick walk
        # of the smallest index; asked together SQLite scans (6 ms instead of 1.5 at 100,000).
        documents = [run(f"SELECT {what} FROM documents").scalar() for what in SIZE]
        indexed = [run(f"SELECT {what} FROM documents_search_docsize").scalar() for what in SIZE]
        if not missing and documents == indexed:
            return
        started = time.perf_counter()
        for trigger in missing:
            if trigger in SEARCH_TRIGGERS:
                run(SEARCH_TRIGGERS[trigger])
        run("INSERT INTO documents_search(documents_search) VALUES ('rebuild')")
        log.warning(
            "%s: the search index did not match the documents (%s); rebuilt it in %.1f s",
            project,
            f"missing: {', '.join(missing)}" if missing else "renumbered by a VACUUM?",
            time.perf_counter() - started,
        )


@contextmanager
def indexed_together(session: Session) -> Iterator[None]:
    """Documents inserted inside the block are indexed in one statement at its end.

    The per-row trigger makes FTS5 write its pending index data at every statement, which
    doubled the time of a large import; one INSERT ... SELECT afterwards does the same work in
    half the time. The trigger is dropped and made again inside the caller's transaction, so
    other connections never see it missing, and a rollback (a crash, a cancelled import)
    leaves it exactly as it was. Only for SQLite; elsewhere the block just runs.
    """
    if session.get_bind().dialect.name != "sqlite":
        yield
        return
    run = session.connection().exec_driver_sql
    # New rows get rowids above the largest one: this transaction holds the write lock.
    before = run("SELECT coalesce(max(rowid), 0) FROM documents").scalar()
    run("DROP TRIGGER IF EXISTS documents_search_insert")
    try:
        yield
    except BaseException:
        # The caller's rollback brings the trigger back; make it again anyway in case the
        # caller keeps what was written (the open-time check then indexes the rest).
        with suppress(SQLAlchemyError):
            run(SEARCH_TRIGGERS["documents_search_insert"])
        raise
    run(
        "INSERT INTO documents_search(rowid, title, text) "
        "SELECT rowid, title, text FROM documents WHERE rowid > ?",
        (before,),
    )
    run(SEARCH_TRIGGERS["documents_search_insert"])
