"""Gold layer: the reviewer's adjudicated spans and stances, with who agreed on them.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "gold_spans",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=True),
        sa.Column("start", sa.Integer(), nullable=False),
        sa.Column("end", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("actor_id", sa.Uuid(), nullable=True),
        sa.Column("issue_id", sa.Uuid(), nullable=True),
        sa.Column("agreed_by", sa.JSON(), nullable=False),
        sa.Column("source_span_ids", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint('start >= 0 AND start < "end"', name=op.f("ck_gold_spans_offsets")),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_gold_spans_actor_id_actors"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_gold_spans_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issues.id"],
            name=op.f("fk_gold_spans_issue_id_issues"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["annotators.id"],
            name=op.f("fk_gold_spans_reviewer_id_annotators"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gold_spans")),
        sa.UniqueConstraint(
            "document_id",
            "start",
            "end",
            "label",
            name=op.f("uq_gold_spans_document_id_start_end_label"),
        ),
    )
    op.create_table(
        "gold_stances",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("reviewer_id", sa.Uuid(), nullable=True),
        sa.Column("actor_id", sa.Uuid(), nullable=False),
        sa.Column("issue_id", sa.Uuid(), nullable=False),
        sa.Column("polarity", sa.String(length=50), nullable=False),
        sa.Column("agreed_by", sa.JSON(), nullable=False),
        sa.Column("source_stance_ids", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"],
            ["actors.id"],
            name=op.f("fk_gold_stances_actor_id_actors"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_gold_stances_document_id_documents"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["issue_id"],
            ["issues.id"],
            name=op.f("fk_gold_stances_issue_id_issues"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"],
            ["annotators.id"],
            name=op.f("fk_gold_stances_reviewer_id_annotators"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_gold_stances")),
        sa.UniqueConstraint(
            "document_id",
            "actor_id",
            "issue_id",
            "polarity",
            name=op.f("uq_gold_stances_document_id_actor_id_issue_id_polarity"),
        ),
    )
    op.create_table(
        "gold_stance_evidence",
        sa.Column("gold_stance_id", sa.Uuid(), nullable=False),
        sa.Column("gold_span_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["gold_span_id"],
            ["gold_spans.id"],
            name=op.f("fk_gold_stance_evidence_gold_span_id_gold_spans"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["gold_stance_id"],
            ["gold_stances.id"],
            name=op.f("fk_gold_stance_evidence_gold_stance_id_gold_stances"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "gold_stance_id", "gold_span_id", name=op.f("pk_gold_stance_evidence")
        ),
    )


def downgrade() -> None:
    op.drop_table("gold_stance_evidence")
    op.drop_table("gold_stances")
    op.drop_table("gold_spans")
