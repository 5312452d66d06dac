"""On demand: Markdown cleaning stays linear on hostile lines (a broken file must not hang an
import): four times the line may take at most eight times as long (quadratic would be 16)."""

from __future__ import annotations

import time

import pytest

from annotator.core.markdown import markdown_to_text

HOSTILE = ["[", "![", "**x ", "__x ", "`", "``a", "<!--", "x **", "[a](", "*x ", "_"]


def _seconds(line: str) -> float:
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        markdown_to_text(line)
        best = min(best, time.perf_counter() - started)
    return best


@pytest.mark.parametrize("pattern", HOSTILE)
def test_a_hostile_line_is_cleaned_in_linear_time(pattern: str) -> None:
    small = (pattern * (25_000 // len(pattern) + 1))[:25_000]
    large = (pattern * (100_000 // len(pattern) + 1))[:100_000]
    ratio = _seconds(large) / max(_seconds(small), 1e-4)
    assert ratio <= 8, (pattern, ratio)
