"""The document list's rows and filters, and the statuses a document can have.

Backend-free (no SQLAlchemy, no Qt): the store fills them, the window shows them, and the
first window of a start is filled from them before SQLAlchemy has loaded
(`annotator.store.first_look`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

STATUSES = ("todo", "in_progress", "done", "skipped")
PAGE_SIZE = 200  # rows of the document list read at a time


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


@dataclass(frozen=True)
class DocumentFilter:
    """Which documents the list shows. None (or an empty search) means "any".

    `annotator_id` says whose status is shown and filtered on; without one every document
    counts as "todo".
    """

    story: str | None = None
    source: str | None = None
    status: str | None = None
    annotator_id: uuid.UUID | None = None
    search: str | None = None

    def __post_init__(self) -> None:
        if self.status is not None and self.status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {self.status!r}")
