"""Noticing that another program (or another window) changed the project.

SQLite counts commits made through other connections: `PRAGMA data_version` on a connection
of our own changes whenever anybody else commits to the file. `ChangeWatch` keeps one such
connection, which never writes, and says whether the count moved since it last looked; it
costs one pragma, no query of the data. A file it cannot open is never reported as changed.

PostgreSQL has no such counter; instead every transaction that wrote sends
`NOTIFY annotator_changes` as it commits (`notify_on_commit`, installed on each engine the
store opens, so the command line, other windows and other laptops' apps all send it), and
`ServerChangeWatch` LISTENs on a connection of its own and says whether a notification came.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

if TYPE_CHECKING:
    from sqlalchemy import Engine

CHANNEL = "annotator_changes"
# Statements that change nothing: a transaction of only these sends no notification (else
# two windows reading would wake each other for ever).
_READS = ("SELECT", "SHOW", "SET", "BEGIN", "SAVEPOINT", "RELEASE", "ROLLBACK", "WITH", "PRAGMA")


class Watch(Protocol):
    def changed(self) -> bool: ...
    def close(self) -> None: ...


class ChangeWatch:
    """Has the SQLite project at `path` been committed to since the last look?"""

    def __init__(self, path: Path | None) -> None:
        self._connection: sqlite3.Connection | None = None
        if path is not None:
            try:
                self._connection = sqlite3.connect(path, timeout=0, check_same_thread=False)
            except sqlite3.Error:
                self._connection = None
        self._version = self._read()

    def _read(self) -> int | None:
        if self._connection is None:
            return None
        try:
            row = self._connection.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0]) if row else None

    def changed(self) -> bool:
        """True once for each time somebody committed since the previous call."""
        version = self._read()
        if version is None or version == self._version:
            return False
        self._version = version
        return True

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class ServerChangeWatch:
    """Has anybody committed a change to the PostgreSQL project at `url` since the last look?"""

    def __init__(self, url: str) -> None:
        self._connection: Any = None
        try:
            import psycopg
            from sqlalchemy.engine import make_url

            plain = make_url(url).set(drivername="postgresql")
            self._connection = psycopg.connect(
                plain.render_as_string(hide_password=False), autocommit=True, connect_timeout=5
            )
            self._connection.execute(f"LISTEN {CHANNEL}")
        except Exception:  # no server, no driver: nothing is ever reported, as for SQLite
            self._connection = None

    def changed(self) -> bool:
        """True if a notification arrived since the previous call (any number count once)."""
        if self._connection is None:
            return False
        try:
            return any(True for _ in self._connection.notifies(timeout=0))
        except Exception:
            return False

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


def watch_for(path: Path | None, url: str | None) -> Watch:
    """The watch for a project: its SQLite file, else its server URL."""
    if path is None and url is not None and url.startswith("postgresql"):
        return ServerChangeWatch(url)
    return ChangeWatch(path)


def notify_on_commit(engine: Engine) -> None:
    """Make every transaction on `engine` that wrote send a notification as it commits."""
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _wrote(connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if not statement.lstrip().upper().startswith(_READS):
            connection.info["annotator_wrote"] = True

    @event.listens_for(engine, "commit")
    def _commit(connection: Any) -> None:
        if connection.info.pop("annotator_wrote", False):
            cursor = connection.connection.cursor()  # the driver's: no event, no recursion
            try:
                cursor.execute(f"NOTIFY {CHANNEL}")  # delivered when the commit happens
            finally:
                cursor.close()

    @event.listens_for(engine, "rollback")
    def _rollback(connection: Any) -> None:
        connection.info.pop("annotator_wrote", None)
