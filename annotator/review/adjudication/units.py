"""Span and stance units: what several annotators marked at one place, and how they agree.

A span *unit* is one place in the text that annotators marked: the spans that match exactly
(same start, end and label) or overlap with the same label, at most one span per annotator.
Each unit has an agreement class ("all", "partial", "single") and a decision ("open",
"accepted" into gold, "rejected"). Stances are grouped by (actor, issue) with each annotator's
polarity. Units are built from plain layers by pure functions, so they are tested on hand-made
layers.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeAlias, TypeVar

from annotator.core.annotations import SpanValue, StanceValue
from annotator.review.adjudication.gold_layer import GoldSpanValue, GoldStanceValue
from annotator.review.adjudication.layers import Layer

Agreement: TypeAlias = Literal["all", "partial", "single", "conflict"]
Decision: TypeAlias = Literal["open", "accepted", "rejected"]
T = TypeVar("T")


@dataclass(frozen=True)
class SpanChoice:
    """What a reviewer puts into gold for a span unit: one annotator's version, or an edit."""

    start: int
    end: int
    label: str
    actor_id: uuid.UUID | None = None
    issue_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SpanVersion:
    """One distinct (start, end, label) within a unit, and who marked exactly that."""

    choice: SpanChoice
    annotators: tuple[uuid.UUID, ...]
    span_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class SpanUnit:
    """Spans of several annotators on one stretch of text with one label."""

    kind: ClassVar[Literal["span"]] = "span"
    key: str
    document_id: uuid.UUID
    members: tuple[tuple[uuid.UUID, SpanValue], ...]  # (annotator, span): one per annotator
    versions: tuple[SpanVersion, ...]  # most annotators first; versions[0] is the default
    agreement: Agreement
    decision: Decision
    gold: tuple[GoldSpanValue, ...]
    links_differ: bool  # the members link different actors or issues
    start: int  # where the members' spans begin and end, together
    end: int

    @property
    def label(self) -> str:
        return self.versions[0].choice.label

    @property
    def span_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(span.id for _, span in self.members)

    @property
    def ids(self) -> frozenset[str]:
        """The member ids as stored in rejections and gold provenance."""
        return frozenset(str(span.id) for _, span in self.members)

    @property
    def is_disagreement(self) -> bool:
        return self.agreement != "all" or self.links_differ

    def member(self, annotator_id: uuid.UUID) -> SpanValue | None:
        return next((s for a, s in self.members if a == annotator_id), None)

    def version_of(self, annotator_id: uuid.UUID) -> int | None:
        """Index into `versions` of what this annotator marked, or None."""
        return next((n for n, v in enumerate(self.versions) if annotator_id in v.annotators), None)


@dataclass(frozen=True)
class StanceUnit:
    """Every annotator's stance of one actor on one issue."""

    kind: ClassVar[Literal["stance"]] = "stance"
    key: str
    document_id: uuid.UUID
    actor_id: uuid.UUID
    issue_id: uuid.UUID
    members: tuple[tuple[uuid.UUID, StanceValue], ...]  # an annotator may give two polarities
    agreement: Agreement  # "conflict" when polarities differ
    decision: Decision
    gold: tuple[GoldStanceValue, ...]
    start: int  # the first evidence span (the end of the text without evidence)
    end: int

    @property
    def versions(self) -> tuple[tuple[str, tuple[uuid.UUID, ...]], ...]:
        """(polarity, annotators who gave it), most annotators first."""
        by_polarity: dict[str, list[uuid.UUID]] = {}
        for annotator, stance in self.members:
            who = by_polarity.setdefault(stance.polarity, [])
            if annotator not in who:
                who.append(annotator)
        ranked = sorted(by_polarity.items(), key=lambda item: -len(item[1]))  # stable on ties
        return tuple((polarity, tuple(who)) for polarity, who in ranked)

    @property
    def stance_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(stance.id for _, stance in self.members)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(str(stance.id) for _, stance in self.members)

    @property
    def is_disagreement(self) -> bool:
        return self.agreement != "all"

    def polarities(self, annotator_id: uuid.UUID) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.polarity for a, s in self.members if a == annotator_id))


Unit: TypeAlias = SpanUnit | StanceUnit


# -- building units ------------------------------------------------------------------------


def build_span_units(
    document_id: uuid.UUID,
    layers: Sequence[Layer],
    gold_spans: Sequence[GoldSpanValue],
    rejected: Collection[str],
) -> tuple[SpanUnit, ...]:
    """Cluster the layers' spans into units, at most one span per annotator in each."""
    exact: dict[tuple[int, int, str], list[tuple[uuid.UUID, SpanValue]]] = {}
    by_label: dict[tuple[uuid.UUID, str], _Candidates] = {}
    for layer in layers:
        seen: set[tuple[int, int, str]] = set()
        for span in layer.spans:
            extent = (span.start, span.end, span.label)
            if extent not in seen:  # a layer's duplicate counts once
                seen.add(extent)
                exact.setdefault(extent, []).append((layer.annotator_id, span))
                by_label.setdefault((layer.annotator_id, span.label), _Candidates()).add(span)
    # Gold spans by the spans they came from and by extent, for deciding units.
    gold: dict[object, list[GoldSpanValue]] = {}
    for value in gold_spans:
        for source in value.source_span_ids:
            gold.setdefault(source, []).append(value)
        gold.setdefault((value.start, value.end, value.label), []).append(value)
    # The version most annotators chose seeds a unit first; the others' overlapping spans
    # with that label then join it, so a unit centres on the majority reading.
    seeds = sorted(exact.items(), key=lambda item: (-len(item[1]), item[0]))
    used: set[uuid.UUID] = set()
    units = []
    for (start, end, label), group in seeds:
        members = {a: s for a, s in group if s.id not in used}
        if not members:
            continue
        for layer in layers:
            candidates = by_label.get((layer.annotator_id, label))
            if layer.annotator_id not in members and candidates is not None:
                best = candidates.best_overlap(start, end, used)
                if best is not None:
                    members[layer.annotator_id] = best
        used.update(span.id for span in members.values())
        ordered = tuple(
            (x.annotator_id, members[x.annotator_id]) for x in layers if x.annotator_id in members
        )
        units.append(_span_unit(document_id, ordered, len(layers), gold, rejected))
    return tuple(sorted(units, key=lambda u: (u.start, u.end, u.key)))


class _Candidates:
    """One annotator's spans with one label, found by overlap in O(log n + k)."""

    def __init__(self) -> None:
        self.spans: list[SpanValue] = []
        self.longest = 0
        self._sorted = True

    def add(self, span: SpanValue) -> None:
        self._sorted = self._sorted and (not self.spans or self.spans[-1].start <= span.start)
        self.spans.append(span)
        self.longest = max(self.longest, span.end - span.start)

    def best_overlap(self, start: int, end: int, used: Collection[uuid.UUID]) -> SpanValue | None:
        """The unused span sharing most characters with [start, end); earlier, shorter on ties."""
        if not self._sorted:
            self.spans.sort(key=lambda s: s.start)
            self._sorted = True
        # Only spans starting after start - longest can reach into [start, end).
        first = bisect_left(self.spans, start - self.longest, key=lambda s: s.start)
        best: tuple[int, int, int] | None = None
        found = None
        for span in self.spans[first:]:
            if span.start >= end:
                break
            shared = min(end, span.end) - max(start, span.start)
            if shared > 0 and span.id not in used:
                rank = (-shared, span.start, span.end)
                if best is None or rank < best:
                    best, found = rank, span
        return found


def _span_unit(
    document_id: uuid.UUID,
    members: tuple[tuple[uuid.UUID, SpanValue], ...],
    everyone: int,
    gold_index: Mapping[object, list[GoldSpanValue]],
    rejected: Collection[str],
) -> SpanUnit:
    groups: dict[tuple[int, int, str], list[tuple[uuid.UUID, SpanValue]]] = {}
    for annotator, span in members:
        groups.setdefault((span.start, span.end, span.label), []).append((annotator, span))
    versions = sorted(
        (
            SpanVersion(
                SpanChoice(
                    start,
                    end,
                    label,
                    _most_common(s.actor_id for _, s in group if s.actor_id),
                    _most_common(s.issue_id for _, s in group if s.issue_id),
                ),
                tuple(a for a, _ in group),
                tuple(s.id for _, s in group),
            )
            for (start, end, label), group in groups.items()
        ),
        key=lambda v: (-len(v.annotators), v.choice.start, v.choice.end),
    )
    ids = {str(span.id) for _, span in members}
    found = {g.id: g for key in [*ids, *groups] for g in gold_index.get(key, [])}
    gold = tuple(sorted(found.values(), key=lambda g: (g.start, g.end, g.label)))
    agreement: Agreement = "partial"
    if len(members) == 1:
        agreement = "single"
    elif len(members) == everyone and len(versions) == 1:
        agreement = "all"
    decision: Decision = "accepted" if gold else "rejected" if ids.issubset(rejected) else "open"
    links = {(span.actor_id, span.issue_id) for _, span in members}
    return SpanUnit(
        f"span:{min(ids)}",
        document_id,
        members,
        tuple(versions),
        agreement,
        decision,
        gold,
        len(links) > 1,
        min(span.start for _, span in members),
        max(span.end for _, span in members),
    )


def build_stance_units(
    document_id: uuid.UUID,
    length: int,
    layers: Sequence[Layer],
    gold_stances: Sequence[GoldStanceValue],
    rejected: Collection[str],
) -> tuple[StanceUnit, ...]:
    """Group the layers' stances by (actor, issue)."""
    spans = {span.id: span for layer in layers for span in layer.spans}
    groups: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[uuid.UUID, StanceValue]]] = {}
    for layer in layers:
        for stance in layer.stances:
            groups.setdefault((stance.actor_id, stance.issue_id), []).append(
                (layer.annotator_id, stance)
            )
    units = []
    for (actor_id, issue_id), members in groups.items():
        annotators = {a for a, _ in members}
        agreement: Agreement = "partial"
        if len(annotators) == 1:
            agreement = "single"
        elif len({s.polarity for _, s in members}) > 1:
            agreement = "conflict"
        elif len(annotators) == len(layers):
            agreement = "all"
        evidence = [spans[e] for _, s in members for e in s.evidence if e in spans]
        first = min(evidence, key=lambda s: (s.start, s.end), default=None)
        ids = {str(stance.id) for _, stance in members}
        gold = tuple(
            g
            for g in gold_stances
            if (g.actor_id, g.issue_id) == (actor_id, issue_id) or ids & set(g.source_stance_ids)
        )
        rejected_all = ids.issubset(rejected)
        decision: Decision = "accepted" if gold else "rejected" if rejected_all else "open"
        units.append(
            StanceUnit(
                f"stance:{actor_id}:{issue_id}",
                document_id,
                actor_id,
                issue_id,
                tuple(members),
                agreement,
                decision,
                gold,
                first.start if first else length,
                first.end if first else length,
            )
        )
    return tuple(sorted(units, key=lambda u: (u.start, u.end, u.key)))


def _most_common(values: Iterable[T]) -> T | None:
    """The most frequent value, the first seen winning a tie; None for no values."""
    counts = Counter(values)
    if len(counts) < 2:  # the usual case, without the max()
        return next(iter(counts), None)
    return max(counts, key=lambda v: counts[v])
