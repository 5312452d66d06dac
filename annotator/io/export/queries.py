"""Building blocks of the export's queries: ids, the registries, the selection.

Building a `uuid.UUID` per value (what SQLAlchemy's `Uuid` type does on SQLite) was the
largest cost of exporting 200,000 spans. So ids the export writes are read as canonical
text (`text_id`), and ids that only join rows in Python (document, annotator, actor and
issue of a span) are read as the driver gives them (`raw_id`: hex text on SQLite, a UUID
on PostgreSQL) and compared only with each other.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Dialect, Uuid, select, type_coerce
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.types import TypeDecorator

from annotator.io.export.records import ActorInfo, IssueInfo
from annotator.store.models import Actor, Annotator, Document, Issue, SchemaVersion


def _hex_to_text(value: str | None) -> str | None:
    # SQLite stores SQLAlchemy's Uuid as 32 hex digits.
    if value is None or len(value) != 32:
        return value
    return f"{value[:8]}-{value[8:12]}-{value[12:16]}-{value[16:20]}-{value[20:]}"


def _native_to_text(value: object) -> str | None:
    return None if value is None else str(value)


class IdText(TypeDecorator[str]):
    """A UUID column read and compared as canonical text ("8a3c...-..."), on every backend."""

    impl = Uuid(as_uuid=False)
    cache_ok = True

    def result_processor(
        self, dialect: Dialect, coltype: Any
    ) -> Callable[[Any], str | None] | None:
        return _native_to_text if dialect.supports_native_uuid else _hex_to_text


class RawId(TypeDecorator[Any]):
    """A UUID column read as the driver's value, unconverted; binds those values back."""

    impl = Uuid(as_uuid=False)
    cache_ok = True

    def result_processor(self, dialect: Dialect, coltype: Any) -> None:
        return None


ID_TEXT = IdText()
RAW_ID = RawId()


def text_id(column: Any) -> ColumnElement[str]:
    """`column` (a UUID column) as canonical text, for selects, comparisons and IN lists."""
    return type_coerce(column, ID_TEXT)


def raw_id(column: Any) -> ColumnElement[Any]:
    """`column` (a UUID column) as the driver's value: a cheap key, never written out."""
    return type_coerce(column, RAW_ID)


@dataclass
class Registries:
    """The project's registries, small enough to hold: annotators, actors, issues."""

    annotators: dict[Any, str]  # raw id -> name
    actors: dict[Any, ActorInfo]  # raw id -> actor
    issues: dict[Any, IssueInfo]  # raw id -> issue
    schema: tuple[str, str] | None  # name and version of the newest label schema

    @classmethod
    def load(cls, connection: Connection) -> Registries:
        """Read the registries once per export."""
        actor_rows = connection.execute(
            select(
                raw_id(Actor.id), text_id(Actor.id), Actor.name, Actor.type, raw_id(Actor.parent_id)
            )
        ).all()
        actor_names = {row[0]: row[2] for row in actor_rows}
        issue_rows = connection.execute(
            select(
                raw_id(Issue.id), text_id(Issue.id), Issue.key, Issue.name, raw_id(Issue.parent_id)
            )
        ).all()
        issue_keys = {row[0]: row[2] for row in issue_rows}
        annotators = connection.execute(select(raw_id(Annotator.id), Annotator.name))
        schema = connection.execute(
            select(SchemaVersion.name, SchemaVersion.version)
            .order_by(SchemaVersion.loaded_at.desc())
            .limit(1)
        ).first()
        return cls(
            annotators=dict(annotators.all()),
            actors={
                raw: ActorInfo(identifier, name, kind, actor_names.get(parent))
                for raw, identifier, name, kind, parent in actor_rows
            },
            issues={
                raw: IssueInfo(identifier, key, name, issue_keys.get(parent))
                for raw, identifier, key, name, parent in issue_rows
            },
            schema=(schema[0], schema[1]) if schema else None,
        )

    def annotator_id(self, name: str) -> Any:
        """The raw id of the annotator called `name`, or None."""
        return next((raw for raw, known in self.annotators.items() if known == name), None)


@dataclass(frozen=True)
class Selection:
    """Which layers of which documents to read."""

    layers: str  # "annotator", "gold" or "all"
    annotator_id: Any = None  # raw id (see raw_id)
    story: str | None = None
    status: str | None = None


def status_matches(wanted: str | None, statuses: list[str]) -> bool:
    """Whether a layer with these statuses passes a --status filter."""
    if wanted is None:
        return True
    if wanted == "todo":  # no status row means "todo"
        return not statuses or "todo" in statuses
    return wanted in statuses


def document_pages(
    connection: Connection,
    columns: Sequence[Any],
    story: str | None,
    page: int,
    *,
    after: Any = None,
    until: Any = None,
) -> Iterator[Sequence[Any]]:
    """Rows of (raw id, *columns) for the documents (of `story`), `page` at a time.

    Keyset paging on the raw id, so page n costs what page 1 does; the export and the
    agreement report both stream the corpus this way. `after` and `until` (raw ids) keep
    to the documents with after < id <= until, a slice of the corpus for one worker.
    """
    identifier = raw_id(Document.id)
    last: Any = after
    while True:
        query = select(identifier, *columns)
        if story is not None:
            query = query.where(Document.story == story)
        if last is not None:
            query = query.where(identifier > last)
        if until is not None:
            query = query.where(identifier <= until)
        rows = connection.execute(query.order_by(identifier).limit(page)).all()
        if not rows:
            return
        yield rows
        last = rows[-1][0]
        if len(rows) < page:
            return
