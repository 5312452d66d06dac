"""Documents: adding them (deduplicated by text hash), listing, filtering and paging them.

The document list can hold 100,000 documents, so the GUI never loads them all: it asks for
`first_page` (rows and total) and then for more pages with `document_page`. Every listing uses
one order, (story, published, source, title, id) with missing values first on every backend,
so a page, a neighbour and a position always agree. What the search box finds is decided in
`annotator.store.search`.
"""

from __future__ import annotations

import uuid
from dataclasses import replace
from typing import Any, TypeAlias

from sqlalchemy import (
    ColumnElement,
    Select,
    String,
    and_,
    cast,
    false,
    func,
    or_,
    select,
    true,
    tuple_,
)
from sqlalchemy.orm import InstrumentedAttribute, Session

from annotator.core.documents import STATUSES, DocumentFilter, DocumentRow
from annotator.core.text import NormalisedText, text_hash
from annotator.store.models import Document, DocumentStatus
from annotator.store.search import count_in_index, reads_every_text, search_condition

AnySelect: TypeAlias = Select[*tuple[Any, ...]]


# The list order; a nullable column sorts its missing values first (SQLite's own order,
# so its indexes can serve it; PostgreSQL is told explicitly).
ORDER: tuple[tuple[InstrumentedAttribute[Any], bool], ...] = (
    (Document.story, True),
    (Document.published, True),
    (Document.source, True),
    (Document.title, False),
    (Document.id, False),
)


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
        raw_text=None if text.raw == text.text else text.raw,
        text_sha256=digest,
        length=len(text.text),
        meta=meta or {},
    )
    session.add(document)
    session.flush()
    return document, True


def _filtered(
    session: Session,
    query: AnySelect,
    where: DocumentFilter,
    *,
    with_status: bool = False,
    walk: bool = False,
) -> AnySelect:
    """The query restricted by the filter, outer-joined to the annotator's status if needed.

    `walk`: the query reads rows in list order up to a limit and `_walks` found that best:
    each document's status is checked as the list index is walked.
    """
    if with_status or (where.status is not None and where.annotator_id is not None):
        # At most one status row per document and annotator: they are its key.
        query = query.outerjoin(
            DocumentStatus,
            (DocumentStatus.document_id == Document.id)
            & (DocumentStatus.annotator_id == where.annotator_id),
        )
    return query.where(*_conditions(session, where, walk=walk))


def _conditions(
    session: Session, where: DocumentFilter, *, walk: bool = False
) -> list[ColumnElement[bool]]:
    """WHERE terms for the filter; the status terms expect the join `_filtered` adds."""
    conditions: list[ColumnElement[bool]] = []
    if where.story is not None:
        conditions.append(Document.story == where.story)
    if where.source is not None:
        conditions.append(Document.source == where.source)
    if where.search and where.search.strip():
        conditions.append(search_condition(session, where.search.strip()))
    if where.status is not None:
        if where.annotator_id is None:  # nobody's status: everything is still to do
            conditions.append(true() if where.status == "todo" else false())
        elif walk:
            # Written over the outer join's value, which keeps the join outer: a plain
            # `status = ?` lets SQLite start from every row with that status instead and sort
            # them all (250 ms for a page at 100,000 documents, all done).
            conditions.append(func.coalesce(DocumentStatus.status, "todo") == where.status)
        elif where.status == "todo":
            conditions.append(or_(DocumentStatus.status.is_(None), DocumentStatus.status == "todo"))
        else:
            conditions.append(DocumentStatus.status == where.status)
    return conditions


def _ordered(query: AnySelect) -> AnySelect:
    return query.order_by(
        *(column.asc().nulls_first() if nullable else column.asc() for column, nullable in ORDER)
    )


def _reversed(query: AnySelect) -> AnySelect:
    return query.order_by(
        *(column.desc().nulls_last() if nullable else column.desc() for column, nullable in ORDER)
    )


def _row_query(
    session: Session,
    where: DocumentFilter,
    *,
    walk: bool = False,
    with_text: bool = False,
    with_total: bool = False,
) -> AnySelect:
    columns: list[Any] = [
        Document.id,
        Document.external_id,
        Document.title,
        Document.source,
        Document.published,
        Document.story,
        Document.length,
        func.coalesce(DocumentStatus.status, "todo").label("status"),
    ]
    if with_text:
        columns.append(Document.text)
    if with_total:
        columns.append(func.count().over().label("total"))
    return _ordered(_filtered(session, select(*columns), where, with_status=True, walk=walk))


def _row(row: Any, *, with_text: bool = False) -> DocumentRow:
    return DocumentRow(
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


def document_page(
    session: Session,
    where: DocumentFilter,
    offset: int,
    limit: int,
    *,
    after: DocumentRow | None = None,
) -> list[DocumentRow]:
    """Rows `offset` to `offset + limit` of the filtered list, in list order.

    With `after` (the last row of the previous page) the offset counts from that row: the
    database seeks to it instead of sorting and skipping every row before it, which keeps
    deep pages as cheap as the first ones.
    """
    key = (after.story, after.published, after.source, after.title, after.id) if after else None
    query = _row_query(session, where, walk=_walks(session, where, offset + limit, key))
    if key is not None:
        query = query.where(_beyond(key, +1))
    return [_row(row) for row in session.execute(query.offset(offset).limit(limit))]


def count_matching(session: Session, where: DocumentFilter) -> int:
    """How many documents the filter lets through."""
    if where.status is not None and where.annotator_id is not None:
        having = _status_count(session, where.annotator_id, where.status)
        if where == DocumentFilter(status=where.status, annotator_id=where.annotator_id):
            return having  # only a status: the annotator's status rows (indexed) count it
        if having == count_documents(session):
            # Every document has it (a project not begun is all "todo", a finished one all
            # "done"): it filters nothing, and the rest counts quicker without it.
            where = replace(where, status=None)
    if where.search and where == DocumentFilter(
        search=where.search, annotator_id=where.annotator_id
    ):
        # Only a search: the index may count it alone.
        counted = count_in_index(session, where.search)
        if counted is not None:
            return counted
    query = _filtered(session, select(func.count()).select_from(Document), where)
    return session.scalar(query) or 0


def first_page(
    session: Session, where: DocumentFilter, limit: int
) -> tuple[list[DocumentRow], int]:
    """The first `limit` rows of the filtered list and how many documents match in all."""
    if not (where.search and reads_every_text(session, where.search)):
        return document_page(session, where, 0, limit), count_matching(session, where)
    # A search that reads every text: counting in the same query reads them once, not twice.
    query = _row_query(session, where, walk=_walks(session, where, limit), with_total=True)
    result = session.execute(query.limit(limit)).all()
    return [_row(row) for row in result], (result[0].total if result else 0)


def progress_counts(
    session: Session, annotator_id: uuid.UUID | None, where: DocumentFilter | None = None
) -> dict[str, int]:
    """Documents per status for one annotator, among those the filter (minus status) shows.

    Every status is a key; "todo" includes the documents without a status row.
    """
    where = replace(where or DocumentFilter(), status=None, annotator_id=annotator_id)
    counts = dict.fromkeys(STATUSES, 0)
    if annotator_id is None:
        counts["todo"] = count_matching(session, where)
        return counts
    if where == DocumentFilter(annotator_id=annotator_id):
        # The whole project: the annotator's status rows (indexed) and a count of documents
        # suffice; status rows cannot outlive their document (ON DELETE CASCADE).
        query = (
            select(DocumentStatus.status, func.count())
            .where(DocumentStatus.annotator_id == annotator_id)
            .group_by(DocumentStatus.status)
        )
        for status, count in session.execute(query):
            counts[status] += count
        started = sum(count for status, count in counts.items() if status != "todo")
        counts["todo"] = count_documents(session) - started
        return counts
    # A story or source: the documents' own index finds the few rows, each joined to its status.
    status_or_todo = func.coalesce(DocumentStatus.status, "todo")
    grouped = _filtered(
        session, select(status_or_todo, func.count()).select_from(Document), where, with_status=True
    ).group_by(status_or_todo)
    for status, count in session.execute(grouped):
        counts[status] += count
    return counts


# How far a page may walk the list before the status index is the better way in.
WALK_LIMIT = 2000


def _walks(
    session: Session,
    where: DocumentFilter,
    wanted: int,
    after: tuple[Any, ...] | None = None,
    step: int = 1,
) -> bool:
    """Whether `wanted` rows of a filter with a status are best read by walking the list
    index and checking each document's status (from the top, or from the sort key `after` in
    direction `step`), rather than by starting from every row with that status and sorting
    them (fine for a rare status, 250 ms for a page when 100,000 are done).

    How common a status is overall does not tell which: annotators work down the list, so the
    done documents bunch at its top and the skipped ones may all be at its end. So the rows a
    page would walk are sampled where it starts: walk if the first `WALK_LIMIT` of them (story
    and source filters applied; a search only narrows them further, and is checked before the
    status) hold the rows wanted, or if a third of all documents have the status. The sample
    costs about 2 ms at 100,000 documents. Only on SQLite (PostgreSQL plans with statistics
    of its own); "todo" (mostly documents without a status row) is always walked.
    """
    if where.status in (None, "todo") or where.annotator_id is None:
        return False
    if session.get_bind().dialect.name != "sqlite":
        return False
    plain = DocumentFilter(story=where.story, source=where.source)
    rows = (
        select(DocumentStatus.status.label("status"))
        .select_from(Document)
        .outerjoin(
            DocumentStatus,
            (DocumentStatus.document_id == Document.id)
            & (DocumentStatus.annotator_id == where.annotator_id),
        )
        .where(*_conditions(session, plain))
    )
    if after is not None:
        rows = rows.where(_beyond(after, step))
    sample = (_ordered(rows) if step > 0 else _reversed(rows)).limit(WALK_LIMIT).subquery()
    found = session.scalar(
        select(func.count()).select_from(sample).where(sample.c.status == where.status)
    )
    if (found or 0) >= wanted:
        return True
    # Not where the page starts: walk anyway if a third of the project has the status, as
    # collecting and sorting them costs more per row than the walk (the previous document
    # from the end of the list, with the top 60% done: 226 -> 51 ms at 100,000).
    having = _status_count(session, where.annotator_id, where.status)
    return 3 * having > count_documents(session)


def _status_count(session: Session, annotator_id: uuid.UUID, status: str) -> int:
    """How many documents have this status for the annotator, from the status index alone;
    "todo" includes those without a row (status rows go with their document: ON DELETE
    CASCADE)."""
    if status != "todo":
        query = select(func.count()).where(
            DocumentStatus.annotator_id == annotator_id, DocumentStatus.status == status
        )
        return session.scalar(query) or 0
    started = select(func.count()).where(
        DocumentStatus.annotator_id == annotator_id, DocumentStatus.status != "todo"
    )
    return count_documents(session) - (session.scalar(started) or 0)


def facets(session: Session) -> tuple[list[str], list[str]]:
    """The distinct stories and sources (missing ones left out), each sorted."""
    return stories(session), sources(session)


def stories(session: Session) -> list[str]:
    """The distinct stories (missing ones left out), sorted."""
    return _distinct(session, Document.story)


def sources(session: Session) -> list[str]:
    """The distinct sources (missing ones left out), sorted."""
    return _distinct(session, Document.source)


def _distinct(session: Session, column: InstrumentedAttribute[str | None]) -> list[str]:
    # A Core query on the session's connection: no ORM result processing for what can be
    # 25,000 values (about 10% faster at 100,000 documents; SQLite reading the index is the rest).
    query = select(column).where(column.is_not(None)).distinct().order_by(column)
    return [value for value in session.connection().scalars(query) if value is not None]


def _sort_key(session: Session, document_id: uuid.UUID) -> tuple[Any, ...] | None:
    key = session.execute(
        select(*(column for column, _ in ORDER)).where(Document.id == document_id)
    ).first()
    return tuple(key) if key is not None else None


def _beyond(key: tuple[Any, ...], step: int) -> ColumnElement[bool]:
    """Rows after (step > 0) or before (step < 0) `key` in list order, NULLs sorting first.

    Row-value comparison would treat NULL as unknown, so the tuple comparison is spelled out:
    equal on a prefix, then strictly beyond on the next column. That alone makes the database
    walk the list index from its top to the key, so for a key without NULLs, going forward,
    the row value is added as well: it is exact there (a row whose comparison would reach a
    NULL sorts before the key and is rightly left out) and lets the index seek to the key.
    """
    alternatives: list[ColumnElement[bool]] = []
    prefix: list[ColumnElement[bool]] = []
    for (column, _), value in zip(ORDER, key, strict=True):
        if step > 0:
            beyond = column.is_not(None) if value is None else column > value
        else:
            beyond = false() if value is None else or_(column.is_(None), column < value)
        alternatives.append(and_(*prefix, beyond))
        prefix.append(column.is_(None) if value is None else column == value)
    spelled_out = or_(*alternatives)
    if step > 0 and None not in key:
        return and_(tuple_(*(column for column, _ in ORDER)) > tuple_(*key), spelled_out)
    return spelled_out


def neighbour(
    session: Session, where: DocumentFilter, document_id: uuid.UUID, step: int = 1
) -> uuid.UUID | None:
    """The next (step=+1) or previous (step=-1) document of the filtered list.

    The given document need not pass the filter itself (one just marked done in a "to do"
    list still has a next one). None when there is none, or the document does not exist.
    """
    key = _sort_key(session, document_id)
    if key is None:
        return None
    walk = _walks(session, where, 1, key, step)
    query = _filtered(session, select(Document.id), where, walk=walk)
    query = query.where(_beyond(key, step)).limit(1)
    query = _ordered(query) if step > 0 else _reversed(query)
    found: uuid.UUID | None = session.scalar(query)
    return found


def document_position(
    session: Session, where: DocumentFilter, document_id: uuid.UUID
) -> int | None:
    """The document's row number in the filtered list, or None if the filter hides it."""
    key = _sort_key(session, document_id)
    if key is None:
        return None
    shown = _filtered(session, select(func.count()).select_from(Document), where)
    if not session.scalar(shown.where(Document.id == document_id)):
        return None
    return session.scalar(shown.where(_beyond(key, -1))) or 0


def set_status(
    session: Session, document_id: uuid.UUID, annotator_id: uuid.UUID, status: str
) -> DocumentStatus:
    """Record where the annotator stands with the document (insert or update; flushes)."""
    if status not in STATUSES:
        raise ValueError(f"status must be one of {', '.join(STATUSES)}, not {status!r}")
    # Select-then-write works the same on SQLite and PostgreSQL (no dialect upsert).
    row = session.get(DocumentStatus, (document_id, annotator_id))
    if row is None:
        row = DocumentStatus(document_id=document_id, annotator_id=annotator_id, status=status)
        session.add(row)
    else:
        row.status = status
    session.flush()
    return row


def document_status(session: Session, document_id: uuid.UUID, annotator_id: uuid.UUID) -> str:
    """Where the annotator stands with the document ("todo" until they start)."""
    row = session.get(DocumentStatus, (document_id, annotator_id))
    return row.status if row is not None else "todo"


def list_documents(
    session: Session, *, annotator_id: uuid.UUID | None = None, with_text: bool = False
) -> list[DocumentRow]:
    """All documents in list order, with the annotator's status (the CLI's listing)."""
    query = _row_query(session, DocumentFilter(annotator_id=annotator_id), with_text=with_text)
    return [_row(row, with_text=with_text) for row in session.execute(query)]


def count_documents(session: Session) -> int:
    """How many documents the project holds."""
    return session.scalar(select(func.count()).select_from(Document)) or 0


def get_document(session: Session, document_id: uuid.UUID) -> Document | None:
    return session.get(Document, document_id)


def find_document(session: Session, given: str) -> uuid.UUID | None:
    """A document by its id, its external id or the first characters of its id (if only one
    id starts with them); None when none matches."""
    try:
        found = session.get(Document, uuid.UUID(given))
        if found is not None:
            return found.id
    except ValueError:
        pass
    by_external = session.scalars(select(Document.id).where(Document.external_id == given)).first()
    if by_external is not None:
        return by_external
    starts = cast(Document.id, String).like(given.replace("-", "") + "%")
    prefix = list(session.scalars(select(Document.id).where(starts).limit(2)))
    return prefix[0] if len(prefix) == 1 else None


Partner: TypeAlias = tuple[uuid.UUID, str, str | None, str | None]  # id, title, source, story


def partners(
    session: Session, document_id: uuid.UUID, story: str | None, *, limit: int
) -> list[Partner]:
    """Every other document of `story`, then others by story, source and title, `limit` in all.

    The story's own are read first and apart: in a large project a story late in the list
    order would otherwise fall beyond the limit and seem to have no other article.
    """
    columns = select(Document.id, Document.title, Document.source, Document.story)
    rows: list[Any] = []
    if story:
        same = columns.where(Document.story == story, Document.id != document_id)
        rows += session.execute(
            same.order_by(Document.source, Document.title, Document.id).limit(limit)
        )
    others = columns.where(Document.id != document_id)
    if story:
        others = others.where(or_(Document.story != story, Document.story.is_(None)))
    rest = others.order_by(Document.story, Document.source, Document.title, Document.id)
    rows += session.execute(rest.limit(max(limit - len(rows), 0)))
    return [(i, title, source, kind) for i, title, source, kind in rows]
