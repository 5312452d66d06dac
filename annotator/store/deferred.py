"""A project whose store opens on first use: how the first window is painted before SQLAlchemy.

The app paints its first window from `annotator.store.first_look` and then opens the project
(`DeferredDatabase.open`: SQLAlchemy, the migration and search-index checks). The window's
widgets hold these stand-ins from the start; whatever they ask of them first (a query, an
edit) opens the store if it is not open yet, so nothing needs to know which came first.
Importing this module imports neither SQLAlchemy nor the store.
"""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.changes import ProjectChange
from annotator.store.sessions import Sessions

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from annotator.store.annotations import LayerStore
    from annotator.store.database import Database


class DeferredDatabase:
    """Stands for the `Database` that `open_database(db)` gives, opening it when first needed."""

    def __init__(self, db: str | None, path: Path) -> None:
        self._db = db
        self.path = path
        self._opened: Database | None = None
        self.sessions = DeferredSessions(self)

    @property
    def display_name(self) -> str:
        return str(self.path)  # as Database.display_name names a SQLite file

    @property
    def url(self) -> str | None:
        """A server URL: none, the first look is only ever of a SQLite file (`path`)."""
        return None

    @property
    def is_open(self) -> bool:
        return self._opened is not None

    def open(self) -> Database:
        """The open project (opened now if it was not yet); raises the store's DatabaseError."""
        if self._opened is None:
            from annotator.store.database import open_database

            self._opened = open_database(self._db)
        return self._opened

    def close(self) -> None:
        if self._opened is not None:
            self._opened.close()
            self._opened = None


class DeferredSessions:
    """Stands for the project's `sessionmaker`: `sessions()` and `sessions.begin()`."""

    def __init__(self, database: DeferredDatabase) -> None:
        self._database = database

    @property
    def is_open(self) -> bool:
        return self._database.is_open

    def __call__(self) -> Session:
        return self._database.open().sessions()

    def begin(self) -> AbstractContextManager[Session]:
        return self._database.open().sessions.begin()


class DeferredLayerStore:
    """Stands for the `LayerStore` of a document opened from the first look.

    Until the project's store is open nothing can have changed the status the first look read
    (every write goes through the store), so it is answered from that; afterwards, and for
    every write, the real store is asked (made here, opening the project if need be).
    """

    def __init__(
        self,
        sessions: Sessions,
        document_id: uuid.UUID,
        annotator_id: uuid.UUID,
        status: str,
    ) -> None:
        self._sessions = sessions
        self.document_id = document_id
        self.annotator_id = annotator_id
        self._status = status
        self._store: LayerStore | None = None

    def _opened(self) -> LayerStore:
        if self._store is None:
            from annotator.store.annotations import LayerStore

            self._store = LayerStore(self._sessions, self.document_id, self.annotator_id)
        return self._store

    def status(self) -> str:
        opened = not isinstance(self._sessions, DeferredSessions) or self._sessions.is_open
        if self._store is None and not opened:
            return self._status
        return self._opened().status()

    def set_status(self, status: str) -> ProjectChange:
        return self._opened().set_status(status)

    def take_status_change(self) -> bool:
        return self._store is not None and self._store.take_status_change()

    def batch(self) -> AbstractContextManager[None]:
        return self._opened().batch()

    def put_span(self, span: SpanValue, old: SpanValue | None = None) -> None:
        self._opened().put_span(span, old)

    def remove_span(self, old: SpanValue) -> None:
        self._opened().remove_span(old)

    def put_stance(self, stance: StanceValue, old: StanceValue | None = None) -> None:
        self._opened().put_stance(stance, old)

    def remove_stance(self, old: StanceValue) -> None:
        self._opened().remove_stance(old)

    def set_document_label(self, label: str, present: bool) -> None:
        self._opened().set_document_label(label, present)


if TYPE_CHECKING:
    Project: TypeAlias = Database | DeferredDatabase  # what a window is given: open, or later
