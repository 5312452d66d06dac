"""Journeys start the real window on a demo project, shown and active, as a person sees it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from annotator.io.demo import load_demo
from annotator.store.database import Database, open_database


@pytest.fixture
def project(tmp_path: Path) -> Iterator[Database]:
    database = open_database(str(tmp_path / "p.sqlite"))
    load_demo(database)
    yield database
    database.close()
