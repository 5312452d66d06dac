"""Capturing the SELECT statements a piece of code sends, to explain their query plans."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import event

from annotator.store.database import Database


@contextmanager
def captured(database: Database) -> Iterator[list[tuple[str, object]]]:
    """The (statement, driver parameters) of every SELECT sent while the block runs."""
    statements: list[tuple[str, object]] = []

    def keep(
        _conn: object,
        _cursor: object,
        statement: str,
        parameters: object,
        _context: object,
        _many: bool,
    ) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", keep)
    try:
        yield statements
    finally:
        event.remove(database.engine, "before_cursor_execute", keep)
