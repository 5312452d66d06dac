"""Indexes for the document list's order and filters; raw text kept only when it differs.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("document_status", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_document_status_annotator_id"))
        batch_op.create_index(
            "ix_document_status_annotator_status", ["annotator_id", "status"], unique=False
        )

    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.alter_column("raw_text", existing_type=sa.TEXT(), nullable=True)
        batch_op.drop_index(batch_op.f("ix_documents_source"))
        batch_op.drop_index(batch_op.f("ix_documents_story"))
        batch_op.create_index(
            "ix_documents_list_order", ["story", "published", "source", "title", "id"], unique=False
        )
        batch_op.create_index(
            "ix_documents_source_order",
            ["source", "story", "published", "title", "id"],
            unique=False,
        )
    # NULL now means "the input was the stored text": most JSONL imports, half the file size.
    op.execute("UPDATE documents SET raw_text = NULL WHERE raw_text = text")


def downgrade() -> None:
    op.execute("UPDATE documents SET raw_text = text WHERE raw_text IS NULL")
    with op.batch_alter_table("documents", schema=None) as batch_op:
        batch_op.drop_index("ix_documents_source_order")
        batch_op.drop_index("ix_documents_list_order")
        batch_op.create_index(batch_op.f("ix_documents_story"), ["story"], unique=False)
        batch_op.create_index(batch_op.f("ix_documents_source"), ["source"], unique=False)
        batch_op.alter_column("raw_text", existing_type=sa.TEXT(), nullable=False)

    with op.batch_alter_table("document_status", schema=None) as batch_op:
        batch_op.drop_index("ix_document_status_annotator_status")
        batch_op.create_index(
            batch_op.f("ix_document_status_annotator_id"), ["annotator_id"], unique=False
        )
