"""A layer's live spans in order, read from the index alone.

The spans index gains deleted_at, start, end and label after (document_id, annotator_id):
opening a document and the agreement report ask for exactly those columns of the live
spans, so SQLite answers from the index (already in order) instead of visiting every span
row, which at millions of spans lie far apart in the file. The old index was a prefix of
the new one, so every query that used it still can.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain index statements: batch mode could copy the whole spans table on SQLite.
    op.drop_index("ix_spans_document_annotator", table_name="spans")
    op.create_index(
        "ix_spans_layer",
        "spans",
        ["document_id", "annotator_id", "deleted_at", "start", "end", "label"],
    )


def downgrade() -> None:
    op.drop_index("ix_spans_layer", table_name="spans")
    op.create_index("ix_spans_document_annotator", "spans", ["document_id", "annotator_id"])
