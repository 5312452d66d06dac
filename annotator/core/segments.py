"""Flattening overlapping spans into disjoint segments, for painting.

A highlighter can only give each character one format, so overlapping spans are cut at
every boundary into segments that each carry the labels of all spans covering them.
Built once per document in O(n log n); after an edit only the edited stretch is rebuilt
(`splice`); a block finds its segments by binary search.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterable, Sequence
from typing import NamedTuple


class Segment(NamedTuple):  # a tuple: cheap to make by the ten thousand
    start: int
    end: int
    labels: tuple[str, ...]  # outermost (longest) span first, each label once


def flatten(spans: Iterable[tuple[int, int, str]]) -> list[Segment]:
    """Disjoint segments covering every span, in order; gaps have no segment."""
    events: list[tuple[int, int, int, str]] = []  # (offset, kind, -length, label)
    for start, end, label in spans:
        if start < end:
            events.append((start, 1, start - end, label))
            events.append((end, 0, start - end, label))
    events.sort()
    segments: list[Segment] = []
    open_spans: list[tuple[int, str]] = []  # (-length, label), sorted: longest first
    labels: tuple[str, ...] = ()
    changed = False  # the open spans changed since `labels` was worked out
    position = 0
    for offset, kind, negative_length, label in events:
        if open_spans and offset > position:
            if changed:  # worked out once per stretch, not once per event
                if len(open_spans) == 1:
                    labels = (open_spans[0][1],)
                else:
                    labels = tuple(dict.fromkeys(lab for _, lab in open_spans))
                changed = False
            last = segments[-1] if segments else None
            if last is not None and last.end == position and last.labels == labels:
                segments[-1] = Segment(last.start, offset, labels)
            else:
                segments.append(Segment(position, offset, labels))
        position = offset
        if kind == 1:
            insort(open_spans, (negative_length, label))
        else:
            del open_spans[bisect_left(open_spans, (negative_length, label))]
        changed = True
    return segments


def splice(
    segments: list[Segment], spans: Iterable[tuple[int, int, str]], start: int, end: int
) -> list[Segment]:
    """`segments` with [start, end) rebuilt from `spans` (all spans meeting that stretch).

    Only the segments meeting the stretch and their two neighbours (where a seam may join)
    are looked at; the rest is copied as it is, at C speed: a key press in a document of
    thousands of spans costs what the edited stretch holds."""
    first = max(bisect_right(segments, start, key=_start) - 1, 0)
    last = bisect_left(segments, end, key=_start)
    low, high = max(first - 1, 0), min(last + 1, len(segments))
    before: list[Segment] = []
    after: list[Segment] = []
    for segment in segments[low:high]:  # keep the parts outside the stretch
        if segment.start < start:
            before.append(Segment(segment.start, min(segment.end, start), segment.labels))
        if segment.end > end:
            after.append(Segment(max(segment.start, end), segment.end, segment.labels))
    inside = [
        Segment(max(s.start, start), min(s.end, end), s.labels)
        for s in flatten(spans)
        if s.end > start and s.start < end
    ]
    joined: list[Segment] = []
    for segment in (*before, *inside, *after):
        if segment.start >= segment.end:
            continue
        if joined and joined[-1].end == segment.start and joined[-1].labels == segment.labels:
            joined[-1] = Segment(joined[-1].start, segment.end, segment.labels)
        else:
            joined.append(segment)
    return segments[:low] + joined + segments[high:]


def _start(segment: Segment) -> int:
    return segment.start


def overlapping(
    segments: Sequence[Segment], starts: Sequence[int], start: int, end: int
) -> Sequence[Segment]:
    """Segments meeting [start, end); `starts` is `[s.start for s in segments]`."""
    first = max(bisect_right(starts, start) - 1, 0)
    last = bisect_right(starts, end - 1) if end > start else first
    return [s for s in segments[first:last] if s.end > start and s.start < end]
