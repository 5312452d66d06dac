"""The data model (SQLAlchemy 2 typed ORM). Migrations in `migrations/` create these tables.

UUID keys everywhere, so work done on several laptops merges without collisions. Offsets are
code points into `Document.text`, end exclusive. Rows are soft-deleted with `deleted_at` where
other laptops may still refer to them (spans, stances).
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship, validates

from annotator.core.actors import actor_key

# Stable constraint names, so migrations can refer to them on every backend.
NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now() -> datetime:
    return datetime.now(UTC)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSON,
        list[Any]: JSON,
    }


class ProjectSetting(Base):
    __tablename__ = "project_settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class SchemaVersion(Base):
    """A label schema as loaded from TOML; the newest row is the active one."""

    __tablename__ = "label_schemas"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200))
    version: Mapped[str] = mapped_column(String(50))
    source: Mapped[str] = mapped_column(Text)
    loaded_at: Mapped[datetime] = mapped_column(default=now)
    __table_args__ = (UniqueConstraint("name", "version"),)


class Annotator(Base):
    __tablename__ = "annotators"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str] = mapped_column(String(20), default="annotator")
    created_at: Mapped[datetime] = mapped_column(default=now)
    __table_args__ = (CheckConstraint("role IN ('annotator', 'reviewer')", name="role"),)


class ImportBatch(Base):
    __tablename__ = "import_batches"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    description: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    external_id: Mapped[str | None] = mapped_column(String(300), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str | None] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(Text)
    published: Mapped[str | None] = mapped_column(String(40), index=True)  # ISO 8601, maybe partial
    story: Mapped[str | None] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    # The input before normalising and cleaning; NULL when it is the same as `text`.
    raw_text: Mapped[str | None] = mapped_column(Text)
    text_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    length: Mapped[int] = mapped_column(Integer)
    import_batch_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("import_batches.id", ondelete="SET NULL")
    )
    # A corrected text is a new document that supersedes the old one; offsets never shift.
    supersedes_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL")
    )
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    created_at: Mapped[datetime] = mapped_column(default=now)
    __table_args__ = (
        CheckConstraint("length >= 0", name="length"),
        # The document list's order, and the same led by source for its source filter.
        Index("ix_documents_list_order", "story", "published", "source", "title", "id"),
        Index("ix_documents_source_order", "source", "story", "published", "title", "id"),
    )

    @property
    def raw(self) -> str:
        """The input as it was imported (the stored text when nothing was changed)."""
        return self.text if self.raw_text is None else self.raw_text


class Actor(Base):
    __tablename__ = "actors"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    name: Mapped[str] = mapped_column(String(300), unique=True)
    # actor_key(name), set with the name: two names with one key would be two rows for one
    # actor ("kremlin" beside "Kremlin"). Nullable only because SQLite cannot add a NOT NULL
    # column to a table others point at without copying it (migration 0007).
    name_key: Mapped[str] = mapped_column(String(300), nullable=True)
    type: Mapped[str] = mapped_column(String(50))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=now)
    aliases: Mapped[list[ActorAlias]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", order_by="ActorAlias.alias"
    )
    parent: Mapped[Actor | None] = relationship(remote_side=[id])
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
        Index("ix_actors_name_key", "name_key", unique=True),
    )

    @validates("name")
    def _keyed(self, _field: str, name: str) -> str:
        self.name_key = actor_key(name)
        return name


class ActorAlias(Base):
    __tablename__ = "actor_aliases"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300), index=True)
    alias_key: Mapped[str] = mapped_column(String(300), nullable=True)  # actor_key(alias)
    actor: Mapped[Actor] = relationship(back_populates="aliases")
    __table_args__ = (
        UniqueConstraint("actor_id", "alias"),
        Index("ix_actor_aliases_key", "actor_id", "alias_key", unique=True),
    )

    @validates("alias")
    def _keyed(self, _field: str, alias: str) -> str:
        self.alias_key = actor_key(alias)
        return alias


class Issue(Base):
    __tablename__ = "issues"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    parent_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("issues.id", ondelete="SET NULL")
    )
    description: Mapped[str] = mapped_column(Text, default="")
    __table_args__ = (
        CheckConstraint("parent_id IS NULL OR parent_id <> id", name="not_own_parent"),
    )


class Span(Base):
    __tablename__ = "spans"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("annotators.id", ondelete="CASCADE"), index=True
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("actors.id", ondelete="SET NULL"), index=True
    )
    issue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("issues.id", ondelete="SET NULL"))
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    deleted_at: Mapped[datetime | None] = mapped_column()
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="offsets"),
        # A layer's live spans in order, answered from the index alone (see migration 0005).
        Index(
            "ix_spans_layer", "document_id", "annotator_id", "deleted_at", "start", "end", "label"
        ),
    )


class Stance(Base):
    __tablename__ = "stances"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("annotators.id", ondelete="CASCADE"), index=True
    )
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"))
    issue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("issues.id", ondelete="RESTRICT"))
    polarity: Mapped[str] = mapped_column(String(50))
    confidence: Mapped[float | None] = mapped_column(Float)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    deleted_at: Mapped[datetime | None] = mapped_column()
    evidence: Mapped[list[StanceEvidence]] = relationship(
        cascade="all, delete-orphan", back_populates="stance"
    )
    __table_args__ = (
        CheckConstraint(
            "confidence IS NULL OR (confidence >= 0 AND confidence <= 1)", name="confidence"
        ),
        Index("ix_stances_document_annotator", "document_id", "annotator_id"),
    )


class StanceEvidence(Base):
    __tablename__ = "stance_evidence"
    stance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stances.id", ondelete="CASCADE"), primary_key=True
    )
    span_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("spans.id", ondelete="CASCADE"), primary_key=True
    )
    stance: Mapped[Stance] = relationship(back_populates="evidence")


class DocumentLabel(Base):
    """A whole-document label (genre, relevance) or issue tag given by one annotator."""

    __tablename__ = "document_labels"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    annotator_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("annotators.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=now)
    __table_args__ = (UniqueConstraint("document_id", "annotator_id", "label"),)


class DocumentStatus(Base):
    """Where one annotator stands with one document; no row means "todo"."""

    __tablename__ = "document_status"
    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("annotators.id", ondelete="CASCADE"), primary_key=True
    )
    status: Mapped[str] = mapped_column(String(20), default="todo")
    updated_at: Mapped[datetime] = mapped_column(default=now, onupdate=now)
    __table_args__ = (
        CheckConstraint("status IN ('todo', 'in_progress', 'done', 'skipped')", name="status"),
        Index("ix_document_status_annotator_status", "annotator_id", "status"),
    )


class GoldSpan(Base):
    """A span a reviewer accepted into the gold layer, with who agreed on it."""

    __tablename__ = "gold_spans"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    reviewer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("annotators.id", ondelete="SET NULL")
    )
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    actor_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("actors.id", ondelete="SET NULL"))
    issue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("issues.id", ondelete="SET NULL"))
    agreed_by: Mapped[list[Any]] = mapped_column(default=list)  # annotator ids, as strings
    source_span_ids: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    __table_args__ = (
        CheckConstraint('start >= 0 AND start < "end"', name="offsets"),
        UniqueConstraint("document_id", "start", "end", "label"),
    )


class GoldStance(Base):
    __tablename__ = "gold_stances"
    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=new_id)
    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    reviewer_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("annotators.id", ondelete="SET NULL")
    )
    actor_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("actors.id", ondelete="RESTRICT"))
    issue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("issues.id", ondelete="RESTRICT"))
    polarity: Mapped[str] = mapped_column(String(50))
    agreed_by: Mapped[list[Any]] = mapped_column(default=list)
    source_stance_ids: Mapped[list[Any]] = mapped_column(default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(default=now)
    __table_args__ = (UniqueConstraint("document_id", "actor_id", "issue_id", "polarity"),)


class GoldStanceEvidence(Base):
    __tablename__ = "gold_stance_evidence"
    gold_stance_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("gold_stances.id", ondelete="CASCADE"), primary_key=True
    )
    gold_span_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("gold_spans.id", ondelete="CASCADE"), primary_key=True
    )
