"""PostgreSQL: the document list's indexes sort missing values first, as the list does.

The list orders by story, published date and source with missing values first (SQLite's
ascending order; on PostgreSQL the queries say NULLS FIRST). PostgreSQL sorts them last in a
plain ascending index, so it could not walk the index for a page and sorted every document
instead. SQLite needs nothing.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

INDEXES = {
    "ix_documents_list_order": ("story", "published", "source", "title", "id"),
    "ix_documents_source_order": ("source", "story", "published", "title", "id"),
}
NULLABLE = {"story", "published", "source"}


def _create(name: str, columns: tuple[str, ...], nulls_first: bool) -> None:
    order = ", ".join(
        f"{column} NULLS FIRST" if nulls_first and column in NULLABLE else column
        for column in columns
    )
    op.execute(f"CREATE INDEX {name} ON documents ({order})")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES.items():
        op.execute(f"DROP INDEX {name}")
        _create(name, columns, nulls_first=True)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for name, columns in INDEXES.items():
        op.execute(f"DROP INDEX {name}")
        _create(name, columns, nulls_first=False)
