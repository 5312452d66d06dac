"""Spans and stances as plain values, and one annotator's layer of one document.

`AnnotationLayer` is the in-memory picture of what an annotator has marked in a document.
Every change goes through it to a `LayerBackend` (the database) first, so what the layer
holds is always what is stored: a crash loses nothing that was shown.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field, replace
from typing import Protocol


@dataclass(frozen=True)
class SpanValue:
    id: uuid.UUID
    start: int
    end: int
    label: str
    actor_id: uuid.UUID | None = None
    issue_id: uuid.UUID | None = None
    note: str = ""

    def moved(self, start: int, end: int) -> SpanValue:
        return replace(self, start=start, end=end)


def span_order(span: SpanValue) -> tuple[int, int, str]:
    """Where a span sorts: by start, the longer first, then by label."""
    return (span.start, -span.end, span.label)


@dataclass(frozen=True)
class StanceValue:
    id: uuid.UUID
    actor_id: uuid.UUID
    issue_id: uuid.UUID
    polarity: str
    evidence: tuple[uuid.UUID, ...] = ()
    confidence: float | None = None
    note: str = ""


class LayerBackend(Protocol):
    """Where a layer's changes are stored; each call is committed before it returns, unless
    it runs inside `batch()`, whose calls are one transaction: all stored, or none."""

    def batch(self) -> AbstractContextManager[None]: ...
    # `old` is what the layer held before the edit (None for a new one): a backend that finds
    # something else stored raises `StaleEdit`, so an edit never overwrites a change made
    # elsewhere since the layer was read.
    def put_span(self, span: SpanValue, old: SpanValue | None = None) -> None: ...
    def remove_span(self, old: SpanValue) -> None: ...
    def put_stance(self, stance: StanceValue, old: StanceValue | None = None) -> None: ...
    def remove_stance(self, old: StanceValue) -> None: ...
    def set_document_label(self, label: str, present: bool) -> None: ...


@dataclass
class Change:
    """What one edit touched, so views refresh only that."""

    spans: set[uuid.UUID] = field(default_factory=set)
    stances: set[uuid.UUID] = field(default_factory=set)
    ranges: list[tuple[int, int]] = field(default_factory=list)  # text ranges to repaint
    document_labels: bool = False

    def merge(self, other: Change) -> Change:
        return Change(
            self.spans | other.spans,
            self.stances | other.stances,
            self.ranges + other.ranges,
            self.document_labels or other.document_labels,
        )


class AnnotationLayer:
    """One annotator's spans and stances in one document, kept in step with the backend."""

    def __init__(
        self,
        text_length: int,
        backend: LayerBackend,
        spans: list[SpanValue] | None = None,
        stances: list[StanceValue] | None = None,
        document_labels: set[str] | None = None,
    ) -> None:
        self.text_length = text_length
        self.backend = backend
        # Whole-document labels: genre labels and "issue:<key>" tags.
        self.document_labels: set[str] = set(document_labels or ())
        self.spans: dict[uuid.UUID, SpanValue] = {s.id: s for s in spans or []}
        self._sorted: list[SpanValue] | None = None  # sorted_spans, until the spans change
        self.version = 0  # counts changes of the spans: views know whether they are behind
        self.stances: dict[uuid.UUID, StanceValue] = {s.id: s for s in stances or []}

    @contextmanager
    def step(self) -> Iterator[None]:
        """One undo step: every change inside is stored in one transaction. If anything in it
        fails, nothing of it is stored and the layer holds again what it held before."""
        spans, stances, labels = dict(self.spans), dict(self.stances), set(self.document_labels)
        try:
            with self.backend.batch():
                yield
        except BaseException:
            self.spans, self.stances, self.document_labels = spans, stances, labels
            self._spans_changed()
            raise

    def put_span(self, span: SpanValue) -> Change:
        if not 0 <= span.start < span.end <= self.text_length:
            raise ValueError(f"span {span.start}-{span.end} is outside the text")
        old = self.spans.get(span.id)
        self.backend.put_span(span, old)
        self.spans[span.id] = span
        self._spans_changed()
        ranges = [(span.start, span.end)] + ([(old.start, old.end)] if old else [])
        return Change(spans={span.id}, ranges=ranges)

    def remove_span(self, span_id: uuid.UUID) -> Change:
        old = self.spans.pop(span_id)
        self._spans_changed()
        self.backend.remove_span(old)
        return Change(spans={span_id}, ranges=[(old.start, old.end)])

    def put_stance(self, stance: StanceValue) -> Change:
        missing = [e for e in stance.evidence if e not in self.spans]
        if missing:
            raise ValueError(f"evidence span {missing[0]} is not in this layer")
        self.backend.put_stance(stance, self.stances.get(stance.id))
        self.stances[stance.id] = stance
        return Change(stances={stance.id})

    def remove_stance(self, stance_id: uuid.UUID) -> Change:
        old = self.stances.pop(stance_id)
        self.backend.remove_stance(old)
        return Change(stances={stance_id})

    def set_document_label(self, label: str, present: bool) -> Change:
        self.backend.set_document_label(label, present)
        if present:
            self.document_labels.add(label)
        else:
            self.document_labels.discard(label)
        return Change(document_labels=True)

    def spans_at(self, offset: int) -> list[SpanValue]:
        """Spans covering `offset`, shortest first (the one a click most likely means)."""
        found = [s for s in self.spans.values() if s.start <= offset < s.end]
        return sorted(found, key=lambda s: (s.end - s.start, s.start))

    def stances_citing(self, span_id: uuid.UUID) -> list[StanceValue]:
        return [s for s in self.stances.values() if span_id in s.evidence]

    def _spans_changed(self) -> None:
        self._sorted = None
        self.version += 1

    def sorted_spans(self) -> list[SpanValue]:
        """The spans in the text's order (longest first where they start together); sorted
        once per change, however many panels ask. Do not change the list."""
        if self._sorted is None:
            self._sorted = sorted(self.spans.values(), key=span_order)
        return self._sorted
