"""Shared fixtures: keep tests off the user's real files; SQLite and PostgreSQL databases."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

# Before any QApplication exists: tests never need a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.postgres_server import PostgresUnavailableError, postgres_server

REQUIRE_POSTGRES = os.environ.get("ANNOTATOR_TEST_POSTGRES") == "required"


@pytest.fixture(autouse=True)
def private_user_dirs(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """platformdirs (data, config, logs) point into a temp folder; $ANNOTATOR_DB is unset."""
    home = tmp_path_factory.mktemp("home")
    for variable in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(variable, str(home / variable.lower()))
    monkeypatch.delenv("ANNOTATOR_DB", raising=False)
    return home


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str | None]:
    """URL of the session's PostgreSQL server, or None where none can be started."""
    given = os.environ.get("ANNOTATOR_TEST_POSTGRES_URL")
    if given:
        yield given
        return
    try:
        with postgres_server() as url:
            yield url
    except PostgresUnavailableError as reason:
        if REQUIRE_POSTGRES:
            pytest.fail(f"PostgreSQL is required (ANNOTATOR_TEST_POSTGRES=required): {reason}")
        yield None


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database, once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield str(tmp_path / "project.sqlite")
        return
    server = request.getfixturevalue("postgres_url")
    if server is None:
        pytest.skip("no PostgreSQL server here (install Debian's 'postgresql' package)")
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(server).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
