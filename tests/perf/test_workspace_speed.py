"""On demand: `pytest tests/perf/test_workspace_speed.py` (not in the default run)."""

from __future__ import annotations

import pytest

from annotator.ui.text.pane import TAG_LIMIT
from tests.perf.bench_workspace import SPANS, measure


@pytest.mark.parametrize("spans", [SPANS, TAG_LIMIT])  # label names left off / drawn
def test_a_long_article_opens_and_a_new_span_repaints_in_time(spans: int) -> None:
    result = measure(spans=spans)
    print(result)
    assert result["open_and_paint_ms"] <= 150, result
    assert result["add_span_and_repaint_ms"] <= 16, result
