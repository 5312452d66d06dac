"""Noticing another program's commits: SQLite's data_version, PostgreSQL's LISTEN/NOTIFY."""

from __future__ import annotations

import time
from pathlib import Path

from sqlalchemy import select

from annotator.core.schema import default_schema
from annotator.store.actors import create_actor
from annotator.store.changes import Watch, watch_for
from annotator.store.database import open_database
from annotator.store.models import Actor
from tests.elsewhere import annotator_elsewhere


def noticed(watch: Watch, within: float = 5.0) -> bool:
    """Whether the watch reports a change within `within` seconds: a server's notification
    travels over the network after the commit, and the window looks again every 2 s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        if watch.changed():
            return True
        time.sleep(0.02)
    return False


def test_a_write_elsewhere_is_noticed_once_and_reads_are_not(db_url: str) -> None:
    database = open_database(db_url)
    watch = watch_for(database.path, database.url)
    other = open_database(db_url)  # another window, or `annotator` on another laptop
    try:
        assert not watch.changed()
        with other.sessions() as session:
            session.scalars(select(Actor)).all()  # reading changes nothing
            session.commit()
        assert not watch.changed()
        types = default_schema().actor_types
        with other.sessions.begin() as session:
            create_actor(session, name="Kremlin", type=types[0], actor_types=types)
        assert noticed(watch)
        assert not watch.changed()  # once per look
        with other.sessions() as session:  # written, then thrown away: nothing to notice
            create_actor(session, name="Dmitry Peskov", type=types[0], actor_types=types)
            session.flush()
            session.rollback()
        assert not watch.changed()
    finally:
        watch.close()
        other.close()
        database.close()


def test_a_command_line_import_is_noticed(db_url: str, tmp_path: Path) -> None:
    database = open_database(db_url)
    watch = watch_for(database.path, database.url)
    try:
        source = tmp_path / "late.txt"
        source.write_text("The Kremlin said nothing.\n", encoding="utf-8")
        annotator_elsewhere("import", str(source), "--db", db_url)
        assert noticed(watch)
    finally:
        watch.close()
        database.close()
