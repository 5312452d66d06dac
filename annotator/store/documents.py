"""Documents: adding them (deduplicated by text hash) and listing them for the CLI and GUI."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from annotator.core.text import NormalisedText, text_hash
from annotator.store.models import Document, DocumentStatus


@dataclass(frozen=True)
class DocumentRow:
    """One line of the document list."""

    id: uuid.UUID
    external_id: str | None
    title: str
    source: str | None
    published: str | None
    story: str | None
    length: int
    status: str
    text: str | None = None

    def as_json(self) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": str(self.id),
            "external_id": self.external_id,
            "title": self.title,
            "source": self.source,
            "published": self.published,
            "story": self.story,
            "length": self.length,
            "status": self.status,
        }
        if self.text is not None:
            row["text"] = self.text
        return row


def add_document(
    session: Session,
    text: NormalisedText,
    *,
    title: str = "",
    external_id: str | None = None,
    source: str | None = None,
    url: str | None = None,
    published: str | None = None,
    story: str | None = None,
    meta: dict[str, Any] | None = None,
) -> tuple[Document, bool]:
    """Store a document; returns (document, created). Same text again returns the stored one."""
    digest = text_hash(text.text)
    existing = session.scalars(select(Document).where(Document.text_sha256 == digest)).first()
    if existing is not None:
        return existing, False
    document = Document(
        external_id=external_id,
        title=title,
        source=source,
        url=url,
        published=published,
        story=story,
        text=text.text,
        raw_text=text.raw,
        text_sha256=digest,
        length=len(text.text),
        meta=meta or {},
    )
    session.add(document)
    session.flush()
    return document, True


def list_documents(
    session: Session, *, annotator_id: uuid.UUID | None = None, with_text: bool = False
) -> list[DocumentRow]:
    """All documents ordered by story, date and source, with the annotator's status."""
    status = func.coalesce(DocumentStatus.status, "todo").label("status")
    columns = [
        Document.id,
        Document.external_id,
        Document.title,
        Document.source,
        Document.published,
        Document.story,
        Document.length,
        status,
    ]
    if with_text:
        columns.append(Document.text)
    query = (
        select(*columns)
        .outerjoin(
            DocumentStatus,
            (DocumentStatus.document_id == Document.id)
            & (DocumentStatus.annotator_id == annotator_id),
        )
        .order_by(Document.story, Document.published, Document.source, Document.title)
    )
    return [
        DocumentRow(
            id=row.id,
            external_id=row.external_id,
            title=row.title,
            source=row.source,
            published=row.published,
            story=row.story,
            length=row.length,
            status=row.status,
            text=row.text if with_text else None,
        )
        for row in session.execute(query)
    ]


def count_documents(session: Session) -> int:
    return session.scalar(select(func.count()).select_from(Document)) or 0
