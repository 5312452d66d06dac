"""A full-text index of document titles and texts for the document list's search (SQLite).

The index is an FTS5 table over `documents` (external content: it stores only the index, not a
second copy of every text) kept in step by triggers. PostgreSQL searches without an index, so
there this revision changes nothing.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Kept here, not imported from the app: a migration must keep doing what it did when it was
# written. annotator/store/database.py has the same triggers to repair them at open time (a
# later batch migration that copies `documents` drops them); tests/store/test_search.py checks
# that the two agree.
CREATE_TABLE = (
    "CREATE VIRTUAL TABLE documents_search USING fts5(title, text, content='documents', "
    "content_rowid='rowid', tokenize='unicode61 remove_diacritics 2')"
)
CREATE_TRIGGERS = (
    "CREATE TRIGGER documents_search_insert AFTER INSERT ON documents BEGIN "
    "INSERT INTO documents_search(rowid, title, text) VALUES (new.rowid, new.title, new.text); "
    "END",
    "CREATE TRIGGER documents_search_delete AFTER DELETE ON documents BEGIN "
    "INSERT INTO documents_search(documents_search, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); "
    "END",
    "CREATE TRIGGER documents_search_update AFTER UPDATE OF title, text ON documents BEGIN "
    "INSERT INTO documents_search(documents_search, rowid, title, text) "
    "VALUES ('delete', old.rowid, old.title, old.text); "
    "INSERT INTO documents_search(rowid, title, text) VALUES (new.rowid, new.title, new.text); "
    "END",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    op.execute(CREATE_TABLE)
    for statement in CREATE_TRIGGERS:
        op.execute(statement)
    # Index the documents already there (a few seconds for 100,000 news articles).
    op.execute("INSERT INTO documents_search(documents_search) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for name in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER IF EXISTS documents_search_{name}")
    op.execute("DROP TABLE IF EXISTS documents_search")
