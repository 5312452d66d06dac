"""On demand: `pytest tests/perf/test_import_speed.py` (tests/perf is not in the default run)."""

from __future__ import annotations

from tests.perf.bench_import import TARGET_RATIO, measure


def test_import_is_within_three_times_the_sqlite_floor() -> None:
    result = measure(10_000)
    print(result)
    assert result["ratio"] <= TARGET_RATIO, result
