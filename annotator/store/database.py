"""Opening a project database: path or URL, checks, SQLite pragmas, migrations with backup.

`open_database` is the only way the CLI and the GUI get a database. A new file is created by
running every migration; an older file is copied to a timestamped backup and then upgraded.
Problems the user can fix (missing folder, read-only file, not a database, a newer file) raise
`DatabaseError` with a one-line message; nothing is written before the checks pass.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy import exc as sa_exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.orm import Session, sessionmaker

if TYPE_CHECKING:
    from alembic.config import Config

from annotator.paths import (
    DATABASE_ENV_VAR,
    chosen_project,
    default_database,
    nearly_full,
    project_file,
)
from annotator.store.changes import notify_on_commit
from annotator.store.project_file import DatabaseError as DatabaseError
from annotator.store.project_file import check_project_file
from annotator.store.revision import HEAD_REVISION
from annotator.store.search_index import check_search_index

log = logging.getLogger(__name__)
ENV_VAR = DATABASE_ENV_VAR


class WriteFirstSessions(sessionmaker[Session]):
    """`sessions()` for reading; `sessions.begin()` for writing, which on SQLite takes the
    write lock when the transaction starts (BEGIN IMMEDIATE). A transaction that reads first
    and writes later would otherwise fail at once when another program wrote in between
    (SQLite cannot wait for that); taking the lock up front makes writers queue instead,
    within the busy timeout."""

    @contextmanager
    def begin(self) -> Iterator[Session]:
        with self() as session, session.begin():
            session.connection(execution_options={WRITE_FIRST: True})
            yield session


WRITE_FIRST = "annotator_write_first"


@dataclass
class Database:
    """An open project database: the engine and a factory for sessions."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]
    path: Path | None = None
    backup: Path | None = None  # the copy made before upgrading an older file
    # Open from the upgrade on, so `undo_upgrade` can tell whether anyone wrote since.
    upgrade_watch: sqlite3.Connection | None = None
    upgrade_version: tuple[int] | None = None

    @property
    def display_name(self) -> str:
        if self.path is not None:
            return str(self.path)
        return make_url(self.url).render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()
        if self.upgrade_watch is not None:
            self.upgrade_watch.close()
            self.upgrade_watch = None


def undo_upgrade(database: Database) -> bool:
    """Put a file this run upgraded back as it was, and remove the backup: a command that
    then failed (a rejected import) leaves an older project untouched. Done only when no
    program has committed anything since the upgrade (SQLite's data_version), so nothing
    written by someone else is lost; True if the file was put back."""
    watch, backup, path = database.upgrade_watch, database.backup, database.path
    if watch is None or backup is None or path is None:
        return False
    untouched = watch.execute("PRAGMA data_version").fetchone() == database.upgrade_version
    database.close()
    if not untouched:
        return False
    _copy_database(backup, path)
    backup.unlink()
    database.backup = None
    log.info("put %s back as it was before the upgrade", path)
    return True


def resolve(db: str | None) -> tuple[str, Path | None]:
    """The SQLAlchemy URL and (for SQLite files) the path for `--db`, `ANNOTATOR_DB` or default."""
    chosen = chosen_project(db)
    path = project_file(db)
    if path is None:
        try:
            url = make_url(chosen)
        except sa_exc.ArgumentError:
            raise DatabaseError(f"{chosen}: not a database URL or file path") from None
        if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
            return chosen, Path(url.database or "").expanduser().absolute()
        return chosen, None
    # Built, not pasted: a "?" or "#" in a file name must stay part of the name, not start
    # URL query options (which once sent a project to a file named up to the "?").
    return URL.create("sqlite", database=str(path)).render_as_string(), path


def open_database(db: str | None = None, *, create: bool = True) -> Database:
    """Open (and if needed create or upgrade) the project database named by `db`."""
    if db is None and not os.environ.get(ENV_VAR):
        default_database().parent.mkdir(parents=True, exist_ok=True)
    url, path = resolve(db)
    if path is not None:
        check_project_file(path, create=create)
    engine = _engine(url)
    database = Database(url, engine, WriteFirstSessions(engine, expire_on_commit=False), path)
    try:
        database.backup = _migrate(database)
        if database.backup is not None and database.path is not None:
            database.upgrade_watch = sqlite3.connect(database.path)
            database.upgrade_version = database.upgrade_watch.execute(
                "PRAGMA data_version"
            ).fetchone()
        if engine.dialect.name == "sqlite":
            check_search_index(database.engine, database.display_name)
    except sa_exc.DatabaseError as error:
        engine.dispose()
        raise DatabaseError(f"{database.display_name}: {_describe(error, path)}") from None
    except BaseException:
        engine.dispose()
        raise
    return database


def _engine(url: str) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        try:
            engine = create_engine(url, pool_pre_ping=True)
        except ModuleNotFoundError as missing:
            raise DatabaseError(
                f"{parsed.render_as_string(hide_password=True)}: the database driver "
                f"'{missing.name}' is not installed; for PostgreSQL run "
                "pip install 'annotator[postgres]'"
            ) from None
        if parsed.get_backend_name() == "postgresql":
            notify_on_commit(engine)  # open windows LISTEN for it (store.changes)
        return engine
    engine = create_engine(url, connect_args={"timeout": 10})

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin, so DDL and
        # migrations are transactional (SQLAlchemy's documented pysqlite recipe).
        dbapi_connection.isolation_level = None
        for pragma in (
            "journal_mode=WAL",
            "foreign_keys=ON",
            "busy_timeout=10000",
            "synchronous=NORMAL",
        ):
            dbapi_connection.execute(f"PRAGMA {pragma}")

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        writing = connection.get_execution_options().get(WRITE_FIRST)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def alembic_config() -> Config:
    from alembic.config import Config

    config = Config()
    location = resources.files("annotator.store").joinpath("migrations")
    config.set_main_option("script_location", str(location))
    return config


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if "alembic_version" not in inspect(connection).get_table_names():
            return None
        return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _migrate(database: Database, target: str = "head") -> Path | None:
    """Bring the database to `target`; returns the backup made first, if any."""
    engine = database.engine
    with engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        current = None
        if "alembic_version" in tables:
            current = connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()
        tables.discard("alembic_version")
    if current == (HEAD_REVISION if target == "head" else target):
        return None  # the usual case: no Alembic import, no script scan
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config()
    scripts = ScriptDirectory.from_config(config)
    wanted = scripts.get_current_head() if target == "head" else target
    if current == wanted:
        return None
    if current is None and tables:
        raise DatabaseError(f"{database.display_name}: has tables but is not an Annotator database")
    known = {script.revision for script in scripts.walk_revisions()}
    if current is not None and current not in known:
        raise DatabaseError(
            f"{database.display_name}: was made by a newer Annotator (schema revision {current});"
            " update Annotator to open it"
        )
    backup = _backup(database, current) if current is not None else None
    log.info("migrating %s from %s to %s", database.display_name, current, wanted)
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as connection:
        if sqlite:  # table rebuilds in batch mode must not cascade; checked again below
            connection.connection.driver_connection.execute("PRAGMA foreign_keys=OFF")  # type: ignore[union-attr]
        try:
            with connection.begin():
                config.attributes["connection"] = connection
                command.upgrade(config, target)
                if sqlite and connection.exec_driver_sql("PRAGMA foreign_key_check").first():
                    raise DatabaseError(f"{database.display_name}: migration broke a foreign key")
        finally:
            if sqlite:
                connection.connection.driver_connection.execute("PRAGMA foreign_keys=ON")  # type: ignore[union-attr]
    return backup


def _copy_database(source_path: Path, target_path: Path) -> None:
    """Copy one SQLite file onto another consistently (WAL included), by SQLite's backup."""
    source = sqlite3.connect(source_path)
    target = sqlite3.connect(target_path, timeout=10)
    try:
        source.backup(target)
    finally:
        target.close()
        source.close()


def _backup(database: Database, revision: str) -> Path | None:
    """Copy an SQLite file (consistently, WAL included) before upgrading it."""
    if database.path is None:
        log.warning("not backing up %s before migrating: not a file", database.display_name)
        return None
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    path = database.path
    target = path.with_name(f"{path.stem}.backup-{stamp}-rev{revision}{path.suffix}")
    _copy_database(path, target)
    log.info("backed up %s to %s before migrating", path, target)
    return target


def _describe(error: sa_exc.DatabaseError, path: Path | None) -> str:
    reason = str(error.orig) if error.orig is not None else str(error)
    if "disk i/o" in reason.lower() and nearly_full(path):
        return "the disk is full (SQLite says: disk I/O error); free some space"
    if "not a database" in reason or "malformed" in reason:
        return "is corrupt or not an Annotator database (SQLite says: " + reason + ")"
    return reason.splitlines()[0]
