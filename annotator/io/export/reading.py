"""Streaming the annotations out of the database, one page of documents at a time.

Documents are read in keyset pages ordered by id (`WHERE id > last ORDER BY id LIMIT n`:
never OFFSET, never the whole table); each page's layers come from a few IN queries (see
`pages`), so memory depends on the page size, not on the corpus. Only Core selects are
used: building ORM objects would cost more than everything else an export does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from sqlalchemy import Connection, func, select

from annotator.io.export.pages import AnnotatorPage, GoldPage
from annotator.io.export.queries import Registries, Selection, document_pages, text_id
from annotator.io.export.records import ExportedDocument, LayerRecord
from annotator.store.models import Document

DOCUMENT_PAGE = 500  # documents per page; their spans come in one IN query


def count_documents(connection: Connection, selection: Selection) -> int:
    """How many documents the export looks at (for the progress bar)."""
    query = select(func.count()).select_from(Document)
    if selection.story is not None:
        query = query.where(Document.story == selection.story)
    return connection.scalar(query) or 0


def layer_pages(
    connection: Connection, registries: Registries, selection: Selection, page: int | None = None
) -> Iterator[tuple[int, list[LayerRecord]]]:
    """Pages of (documents read, layer records): documents in id order, layers by annotator."""
    reader = GoldPage if selection.layers == "gold" else AnnotatorPage
    for documents in _document_pages(connection, selection.story, page or DOCUMENT_PAGE):
        yield len(documents), reader(connection, registries, selection, documents).records()


def _document_pages(
    connection: Connection, story: str | None, page: int
) -> Iterator[dict[Any, ExportedDocument]]:
    """Pages of documents keyed by raw id (see `queries.raw_id`)."""
    columns = (
        text_id(Document.id),
        Document.external_id,
        Document.title,
        Document.source,
        Document.url,
        Document.published,
        Document.story,
        Document.text,
        Document.text_sha256,
        Document.meta,
    )
    for rows in document_pages(connection, columns, story, page):
        yield {
            row[0]: ExportedDocument(
                row[1],
                row[2],
                row[3],
                row[4],
                row[5],
                row[6],
                row[7],
                row[8],
                row[9],
                row[10] or {},
            )
            for row in rows
        }
