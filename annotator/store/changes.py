"""Noticing that another program (or another window) changed the project.

SQLite counts commits made through other connections: `PRAGMA data_version` on a connection
of our own changes whenever anybody else commits to the file. `ChangeWatch` keeps one such
connection, which never writes, and says whether the count moved since it last looked; it
costs one pragma, no query of the data. A server URL has no such counter (PostgreSQL would
need LISTEN/NOTIFY), and a file it cannot open is never reported as changed.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path


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
