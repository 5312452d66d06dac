"""Flattening overlapping spans into disjoint segments, for painting.

A highlighter can only give each character one format, so overlapping spans are cut at
every boundary into segments that each carry the labels of all spans covering them.
Built once per change in O(n log n); a block finds its segments by binary search.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    start: int
    end: int
    labels: tuple[str, ...]  # outermost (longest) span first


def flatten(spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """Disjoint segments covering every span, in order; gaps have no segment."""
    events: list[tuple[int, int, int, str]] = []  # (offset, kind, -length, label)
    for start, end, label in spans:
        if start < end:
            events.append((start, 1, -(end - start), label))
            events.append((end, 0, -(end - start), label))
    events.sort()
    segments: list[Segment] = []
    open_spans: list[tuple[int, str]] = []  # (-length, label), kept sorted: longest first
    position = 0
    for offset, kind, negative_length, label in events:
        if open_spans and offset > position:
            segments.append(Segment(position, offset, tuple(lab for _, lab in open_spans)))
        position = offset
        if kind == 1:
            open_spans.append((negative_length, label))
            open_spans.sort()
        else:
            open_spans.remove((negative_length, label))
    return _merge_neighbours(segments)


def _merge_neighbours(segments: list[Segment]) -> list[Segment]:
    merged: list[Segment] = []
    for segment in segments:
        if merged and merged[-1].end == segment.start and merged[-1].labels == segment.labels:
            merged[-1] = Segment(merged[-1].start, segment.end, segment.labels)
        else:
            merged.append(segment)
    return merged


def overlapping(
    segments: Sequence[Segment], starts: Sequence[int], start: int, end: int
) -> Sequence[Segment]:
    """Segments meeting [start, end); `starts` is `[s.start for s in segments]`."""
    first = max(bisect_right(starts, start) - 1, 0)
    last = bisect_right(starts, end - 1) if end > start else first
    return [s for s in segments[first:last] if s.end > start and s.start < end]
