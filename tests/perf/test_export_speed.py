"""On demand: `pytest tests/perf/test_export_speed.py` (tests/perf is not in the default run)."""

from __future__ import annotations

import tempfile
import tracemalloc
from pathlib import Path

import pytest

from annotator.io.export import ExportOptions, export, reading
from annotator.store.database import open_database
from tests.perf.bench_export import TARGET_RATIO, build, measure


def test_export_is_within_twice_the_sqlite_floor() -> None:
    result = measure(10_000)
    print(result)
    assert result["ratio"] <= TARGET_RATIO, result


def _peak(count: int) -> int:
    with tempfile.TemporaryDirectory() as folder:
        build(Path(folder) / "p.sqlite", count)
        database = open_database(str(Path(folder) / "p.sqlite"), create=False)
        tracemalloc.start()
        export(database, options=ExportOptions(), out=Path(folder) / "out.jsonl")
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        database.close()
    return peak


def test_memory_does_not_grow_with_the_corpus(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reading, "DOCUMENT_PAGE", 100)
    small, large = _peak(500), _peak(2_000)
    print({"peak_500_bytes": small, "peak_2000_bytes": large})
    assert large < small * 1.5, (small, large)  # four times the documents, not more memory
