"""Opening, creating and upgrading project databases, on SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, select, text
from sqlalchemy import exc as sa_exc

from annotator.core.text import normalise
from annotator.store.database import (
    DatabaseError,
    alembic_config,
    current_revision,
    head_revision,
    open_database,
    resolve,
)
from annotator.store.documents import DocumentFilter, add_document, document_page
from annotator.store.models import Annotator, Base, Document, Span
from tests.store.selects import captured

LIST_INDEXES = ("ix_documents_list_order", "ix_documents_source_order")


def modelled(name: str | None, kind: str, _parent: object) -> bool:
    """Whether the models describe it: not SQLite's search index (an FTS5 table, migration
    0004, with the shadow tables FTS5 makes for it), which the ORM never queries as a table."""
    return not (kind == "table" and (name or "").startswith("documents_search"))


def list_index_elsewhere(
    dialect: str,
) -> Callable[[object, str | None, str, bool, object], bool]:
    """On PostgreSQL, leave the list indexes out of the comparison: migration 0006 gives them
    NULLS FIRST there, which the models (written for both backends) cannot say; the test
    below checks them on their own."""

    def include(
        _object: object, name: str | None, kind: str, _reflected: bool, _to: object
    ) -> bool:
        return not (dialect == "postgresql" and kind == "index" and name in LIST_INDEXES)

    return include


def test_a_new_database_is_migrated_to_head_and_matches_the_models(db_url: str) -> None:
    database = open_database(db_url)
    try:
        assert current_revision(database.engine) == head_revision()
        assert database.backup is None
        with database.engine.connect() as connection:
            options = {
                "include_name": modelled,
                "include_object": list_index_elsewhere(connection.dialect.name),
            }
            context = MigrationContext.configure(connection, opts=options)
            differences = compare_metadata(context, Base.metadata)
        assert differences == []
    finally:
        database.close()


def test_a_new_sqlite_file_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    path = tmp_path / "new.sqlite"
    open_database(str(path)).close()
    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    tables = {row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"alembic_version", "documents", "spans", "stances", "gold_spans"} <= tables
    assert "documents_search" in tables  # the search index (FTS5), with its triggers:
    triggers = {
        row[0] for row in raw.execute("SELECT name FROM sqlite_master WHERE type='trigger'")
    }
    assert triggers == {f"documents_search_{event}" for event in ("insert", "update", "delete")}
    assert raw.execute("SELECT version_num FROM alembic_version").fetchone() == (head_revision(),)
    raw.close()
    database = open_database(str(path))
    with database.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 10000
    database.close()


def migrate_to(url: str, revision: str) -> None:
    """Bring a database to an older revision, as an older Annotator would have left it."""
    engine = create_engine(url)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    engine.dispose()


def test_an_older_file_is_backed_up_then_upgraded_keeping_its_data(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite"
    url = f"sqlite:///{path}"
    migrate_to(url, "0001")
    raw = sqlite3.connect(path)
    raw.execute(
        "INSERT INTO documents (id, title, text, raw_text, text_sha256, length, meta, created_at)"
        " VALUES (?, 'Old', 'old text', 'old text', 'abc', 8, '{}', '2025-01-01 00:00:00')",
        (uuid.uuid4().hex,),
    )
    raw.commit()
    raw.close()

    database = open_database(str(path))
    try:
        assert current_revision(database.engine) == head_revision()
        assert database.backup is not None and database.backup.exists()
        assert database.backup.name.startswith("old.backup-") and "rev0001" in database.backup.name
        with database.sessions() as session:
            assert session.scalars(select(Document.title)).all() == ["Old"]
    finally:
        database.close()
    backup = sqlite3.connect(database.backup)
    assert backup.execute("SELECT version_num FROM alembic_version").fetchone() == ("0001",)
    assert backup.execute("SELECT title FROM documents").fetchall() == [("Old",)]
    backup.close()
    again = open_database(str(path))  # up to date now: no second backup
    assert again.backup is None
    again.close()


def test_an_older_database_is_upgraded_on_every_backend(db_url: str) -> None:
    url = db_url if "://" in db_url else f"sqlite:///{db_url}"
    migrate_to(url, "0001")
    database = open_database(db_url)
    try:
        assert current_revision(database.engine) == head_revision()
    finally:
        database.close()


def test_constraints_reject_bad_rows(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.sessions.begin() as session:
            document, created = add_document(session, normalise("Some text"), title="T")
            assert created
            annotator = Annotator(name="ana")
            session.add(annotator)
            session.flush()
            ids = (document.id, annotator.id)
        with pytest.raises(sa_exc.IntegrityError), database.sessions.begin() as session:
            session.add(Span(document_id=ids[0], annotator_id=ids[1], start=5, end=5, label="X"))
        with pytest.raises(sa_exc.IntegrityError), database.sessions.begin() as session:
            session.add(
                Span(document_id=uuid.uuid4(), annotator_id=ids[1], start=0, end=1, label="X")
            )
        with pytest.raises(sa_exc.IntegrityError), database.sessions.begin() as session:
            session.add(Annotator(name="ana"))
        with pytest.raises(sa_exc.IntegrityError), database.sessions.begin() as session:
            session.add(Annotator(name="bob", role="boss"))
        with database.sessions() as session:
            assert session.scalars(select(Span)).all() == []
            assert session.scalars(select(Annotator.name)).all() == ["ana"]
    finally:
        database.close()


def test_the_same_text_is_stored_once(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.sessions.begin() as session:
            first, created_first = add_document(session, normalise("Same\r\ntext"), title="A")
            second, created_second = add_document(session, normalise("Same\ntext"), title="B")
        assert (created_first, created_second) == (True, False)
        assert first.id == second.id
        assert first.raw == "Same\r\ntext" and first.text == "Same\ntext"
    finally:
        database.close()


def test_db_option_environment_and_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, private_user_dirs: Path
) -> None:
    assert resolve(str(tmp_path / "a.sqlite")) == (
        f"sqlite:///{tmp_path / 'a.sqlite'}",
        tmp_path / "a.sqlite",
    )
    monkeypatch.setenv("ANNOTATOR_DB", str(tmp_path / "env.sqlite"))
    assert resolve(None)[1] == tmp_path / "env.sqlite"
    assert resolve(str(tmp_path / "b.sqlite"))[1] == tmp_path / "b.sqlite"  # --db wins
    monkeypatch.delenv("ANNOTATOR_DB")
    _, path = resolve(None)
    assert path is not None and path.is_relative_to(private_user_dirs)
    assert resolve("postgresql+psycopg://u:secret@localhost/x")[1] is None
    database = open_database(None)  # creates the default folder and file
    assert database.path == path and path.exists()
    database.close()


def test_a_missing_folder_is_reported_and_nothing_created(tmp_path: Path) -> None:
    target = tmp_path / "no" / "such" / "project.sqlite"
    with pytest.raises(DatabaseError) as caught:
        open_database(str(target))
    assert str(caught.value) == (
        f"{target}: cannot create the database, folder {target.parent} does not exist"
    )
    assert not (tmp_path / "no").exists()


def test_a_read_only_file_is_refused_and_unchanged(tmp_path: Path) -> None:
    path = tmp_path / "ro.sqlite"
    migrate_to(f"sqlite:///{path}", "0001")
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with pytest.raises(DatabaseError, match="the file is read-only"):
            open_database(str(path))
    finally:
        path.chmod(0o644)
    assert path.read_bytes() == before
    assert list(tmp_path.iterdir()) == [path]  # no backup, no WAL files


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not a database\n" * 20, b"SQLite format 3\x00" + b"\xff" * 4000],
    ids=["text", "garbage-after-header"],
)
def test_a_corrupt_file_is_reported_and_not_overwritten(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "broken.sqlite"
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as caught:
        open_database(str(path))
    message = str(caught.value)
    assert message.startswith(f"{path}: ")
    assert "not an Annotator database" in message or "corrupt" in message
    assert "\n" not in message
    assert path.read_bytes() == content
    assert list(tmp_path.iterdir()) == [path]  # no WAL, no backup, no journal left behind


def test_a_foreign_sqlite_database_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    raw = sqlite3.connect(path)
    raw.execute("CREATE TABLE recipes (name TEXT)")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseError, match="has tables but is not an Annotator database"):
        open_database(str(path))


def test_a_file_from_a_newer_annotator_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "newer.sqlite"
    open_database(str(path)).close()
    raw = sqlite3.connect(path)
    raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.commit()
    raw.close()
    with pytest.raises(DatabaseError, match="made by a newer Annotator"):
        open_database(str(path))


def test_upgrading_to_0003_keeps_raw_text_only_where_it_differs(tmp_path: Path) -> None:
    path = tmp_path / "rev2.sqlite"
    migrate_to(f"sqlite:///{path}", "0002")
    raw = sqlite3.connect(path)
    insert = (
        "INSERT INTO documents (id, title, text, raw_text, text_sha256, length, meta, "
        "created_at) VALUES (?, ?, ?, ?, ?, ?, '{}', '2025-01-01 00:00:00')"
    )
    raw.execute(insert, (uuid.uuid4().hex, "same", "text", "text", "a", 4))
    raw.execute(insert, (uuid.uuid4().hex, "cleaned", "body", "nav\nbody", "b", 4))
    raw.commit()
    raw.close()
    database = open_database(str(path))
    with database.sessions() as session:
        documents = {d.title: d for d in session.scalars(select(Document))}
        assert documents["same"].raw_text is None and documents["same"].raw == "text"
        assert documents["cleaned"].raw == "nav\nbody"
    database.close()


def test_the_head_constant_is_alembics_head() -> None:
    """Start-up trusts HEAD_REVISION instead of asking Alembic; it must not fall behind."""
    from annotator.store.revision import HEAD_REVISION

    assert head_revision() == HEAD_REVISION


def searched(database_path: Path, search: str) -> list[str]:
    database = open_database(str(database_path))
    try:
        with database.sessions() as session:
            rows = document_page(session, DocumentFilter(search=search), 0, 100)
        return [row.title for row in rows]
    finally:
        database.close()


def test_upgrading_to_0004_indexes_the_documents_already_there(tmp_path: Path) -> None:
    path = tmp_path / "rev3.sqlite"
    migrate_to(f"sqlite:///{path}", "0003")
    raw = sqlite3.connect(path)
    insert = (
        "INSERT INTO documents (id, title, text, text_sha256, length, meta, created_at) "
        "VALUES (?, ?, ?, ?, ?, '{}', '2025-01-01 00:00:00')"
    )
    raw.execute(insert, (uuid.uuid4().hex, "Talks", "The Kremlin said no.", "a", 20))
    raw.execute(insert, (uuid.uuid4().hex, "Grain", "Ships left the ports.", "b", 21))
    raw.commit()
    raw.close()
    assert searched(path, "kreml") == ["Talks"]  # upgraded, backed up and indexed on open
    assert searched(path, "ports") == ["Grain"]
    assert len(list(tmp_path.glob("rev3.backup-*-rev0003.sqlite"))) == 1
    raw = sqlite3.connect(path)
    raw.execute(insert, (uuid.uuid4().hex, "Later", "A later Kremlin statement.", "c", 26))
    raw.commit()  # by plain sqlite3: the triggers index it all the same
    raw.close()
    assert sorted(searched(path, "kremlin")) == ["Later", "Talks"]


def test_0004_downgrades_to_no_index_and_upgrades_again(tmp_path: Path) -> None:
    path = tmp_path / "down.sqlite"
    database = open_database(str(path))
    with database.sessions.begin() as session:
        add_document(session, normalise("The Kremlin said no."), title="Talks")
    config = alembic_config()
    with database.engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0003")
    with database.engine.connect() as connection:
        names = connection.exec_driver_sql("SELECT name FROM sqlite_master").scalars().all()
    database.close()
    assert not [name for name in names if name.startswith("documents_search")]
    assert searched(path, "kremlin") == ["Talks"]  # opened: upgraded and indexed again


def test_only_sqlite_gets_a_search_index(db_url: str) -> None:
    database = open_database(db_url)
    try:
        with database.engine.connect() as connection:
            tables = set(inspect(connection).get_table_names())
        assert ("documents_search" in tables) == (database.engine.dialect.name == "sqlite")
    finally:
        database.close()


def test_upgrading_to_0005_swaps_the_span_index_and_keeps_every_span(db_url: str) -> None:
    migrate_to(db_url if "://" in db_url else f"sqlite:///{db_url}", "0004")
    database = open_database(db_url)  # upgraded on open
    try:
        with database.sessions.begin() as session:
            document, _ = add_document(session, normalise("The Kremlin said no."), title="Talks")
            annotator = Annotator(name="ana")
            session.add(annotator)
            session.flush()
            session.add(
                Span(
                    document_id=document.id,
                    annotator_id=annotator.id,
                    start=4,
                    end=11,
                    label="ACTOR",
                )
            )
        with database.engine.connect() as connection:
            indexes = {
                index["name"]: index["column_names"]
                for index in inspect(connection).get_indexes("spans")
            }
        assert indexes["ix_spans_layer"] == [
            "document_id",
            "annotator_id",
            "deleted_at",
            "start",
            "end",
            "label",
        ]
        assert "ix_spans_document_annotator" not in indexes
        config = alembic_config()
        with database.engine.begin() as connection:
            config.attributes["connection"] = connection
            command.downgrade(config, "0004")
        with database.engine.connect() as connection:
            indexes = {
                index["name"]: index["column_names"]
                for index in inspect(connection).get_indexes("spans")
            }
            spans = connection.exec_driver_sql('SELECT start, "end", label FROM spans').all()
        assert indexes["ix_spans_document_annotator"] == ["document_id", "annotator_id"]
        assert "ix_spans_layer" not in indexes
        assert [tuple(row) for row in spans] == [(4, 11, "ACTOR")]
    finally:
        database.close()


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True
)
def test_postgresql_walks_the_list_index_in_list_order(db_url: str) -> None:
    """The list sorts missing story, date and source first; on PostgreSQL the indexes must
    sort them first too (migration 0006), or every page sorts the whole table. (SQLite's
    ascending order already puts NULL first, so its plain index serves.)"""
    database = open_database(db_url)
    try:
        assert database.engine.dialect.name == "postgresql"
        with database.sessions.begin() as session:
            for number in range(30):
                add_document(
                    session,
                    normalise(f"Text {number}."),
                    title=f"T{number}",
                    story=None if number % 3 else f"s{number}",
                    source=None if number % 5 else "Outlet",
                )
        with database.engine.connect() as connection:
            definitions = dict(
                connection.exec_driver_sql(
                    "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'documents'"
                ).all()
            )
        assert (
            "story NULLS FIRST, published NULLS FIRST, source NULLS FIRST"
            in (definitions["ix_documents_list_order"])
        )
        with database.sessions() as session:
            session.execute(text("SET LOCAL enable_seqscan = off"))  # a tiny table, all the same
            with captured(database) as statements:
                document_page(session, DocumentFilter(), 0, 10)
            statement, parameters = statements[-1]
            explained = session.connection().exec_driver_sql(f"EXPLAIN {statement}", parameters)
            plan = [row[0] for row in explained]
        assert any("ix_documents_list_order" in line for line in plan), plan
        assert not any("Sort" in line for line in plan), plan
    finally:
        database.close()


def test_checking_an_open_project_keeps_its_locks_so_no_one_deletes_its_wal(
    tmp_path: Path,
) -> None:
    """The window opens its change watch, then the store (which checks the file). Another
    program that opens and closes the project after that must not take itself for the last
    one and delete the WAL: the window's later commits would go where nobody sees them."""
    import subprocess
    import sys

    from annotator.store.changes import ChangeWatch
    from annotator.store.project import annotator_named
    from annotator.store.project_file import check_project_file

    path = tmp_path / "p.sqlite"
    database = open_database(str(path))
    watch = ChangeWatch(path)
    try:
        with database.sessions.begin() as session:
            annotator_named(session, "ana")
        check_project_file(path, create=False)  # as the deferred store's open does
        count = (
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); "
            "print(c.execute('select count(*) from annotators').fetchone()[0]); c.close()"
        )
        other = [sys.executable, "-c", count, str(path)]
        subprocess.run(other, check=True, capture_output=True)
        assert path.with_name("p.sqlite-wal").exists()
        with database.sessions.begin() as session:
            annotator_named(session, "ben")
        seen = subprocess.run(other, check=True, capture_output=True, text=True).stdout
        assert seen.strip() == "2"
    finally:
        watch.close()
        database.close()
