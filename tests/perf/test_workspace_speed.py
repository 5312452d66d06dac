"""On demand: `pytest tests/perf/test_workspace_speed.py` (not in the default run)."""

from __future__ import annotations

from tests.perf.bench_workspace import measure


def test_a_long_article_opens_and_a_new_span_repaints_in_time() -> None:
    result = measure()
    print(result)
    assert result["open_and_paint_ms"] <= 150, result
    assert result["add_span_and_repaint_ms"] <= 16, result
