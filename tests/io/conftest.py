"""Shared by the interchange tests: the export test project, built once per module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from annotator.store.database import Database
from tests.io.test_export_support import build_project


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    """tests/io/test_export_support.py's project (tricky texts, layers, gold) on SQLite."""
    folder = tmp_path_factory.mktemp("source")
    database = build_project(f"sqlite:///{folder / 'source.sqlite'}", folder)
    yield database
    database.close()
