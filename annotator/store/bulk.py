"""Inserting many rows at once: what imports and bundle merges write.

SQLAlchemy's executemany goes through its statement machinery for every row (building a
parameter set, running each column's type on each value); for 100,000 spans that costs more
than SQLite's own insert. `insert_rows` compiles the INSERT once for the session's database,
converts each value with its column's own type processor (so a UUID or a time is stored
exactly as the ORM stores it, on SQLite and PostgreSQL alike) and hands the rows to the
driver's executemany. It runs in the session's transaction, like any other statement.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from annotator.store.models import Base

BATCH = 5_000  # rows per executemany: bounded memory for the converted rows


def insert_rows(session: Session, model: type[Base], rows: Sequence[dict[str, Any]]) -> None:
    """INSERT `rows` (dicts with the same keys: column attribute names) into `model`'s table."""
    if not rows:
        return
    table = cast(Table, model.__table__)
    connection = session.connection()
    dialect = connection.dialect
    keys = list(rows[0])
    compiled = insert(table).compile(dialect=dialect, column_keys=keys)
    order = list(compiled.positiontup or ()) if compiled.positional else keys
    columns = {column.key: column for column in table.columns}
    processors: list[tuple[str, Callable[[Any], Any] | None]] = [
        # the dialect's own form of the type (SQLite's DATETIME, not the generic DateTime)
        (key, columns[key].type.dialect_impl(dialect).bind_processor(dialect))
        for key in order
    ]
    sql = str(compiled)
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        converted = [
            tuple(
                row[key] if process is None or row[key] is None else process(row[key])
                for key, process in processors
            )
            for row in chunk
        ]
        if compiled.positional:
            connection.exec_driver_sql(sql, converted)
        else:
            connection.exec_driver_sql(
                sql, [dict(zip(order, values, strict=True)) for values in converted]
            )
