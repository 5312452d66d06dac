"""Span agreement of the report, document by document: F1, label confusion and uα.

`SpanTally.add` takes one document at a time and keeps only counts (and, for the pooled
uα, four compact integer arrays), so memory grows with the number of spans only where
the corpus has to be one continuum.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import combinations

from annotator.core.agreement.matching import UNMATCHED, maximum_matching
from annotator.review.agreement.reading import DocumentLayers, SpanTuple
from annotator.review.agreement.unitizing import VariantTally
from annotator.review.agreement.values import (
    Confusion,
    DocumentAlpha,
    F1Summary,
    Pair,
    PairConfusion,
    PairF1,
    UnitizedSummary,
)

Confused = Counter[tuple[str | None, str | None]]  # (label of a, label of b), None: no match


@dataclass(frozen=True, slots=True)
class PairMatches:
    """How one pair's spans in one document match (see `match_spans`)."""

    exact: Counter[str]  # per label, as span_f1(match="exact") counts true positives
    overlap: Counter[str]  # per label, as span_f1(match="overlap") counts them
    confusion: Confused  # one-to-one by overlap whatever the labels, unmatched against None


Candidate = tuple[int, bool, int, int]  # −shared characters, labels differ, index in a, in b


def overlap_candidates(a: list[SpanTuple], b: list[SpanTuple]) -> list[Candidate]:
    """Every pair of a span of `a` and one of `b` sharing a character, sorted by
    (−overlap, labels differ, i, j): largest overlap first, the same label first on a tie.
    Both lists must be sorted by start."""
    candidates: list[Candidate] = []
    if a and b:
        longest_b = max(end - start for start, end, _ in b)
        starts_b = [start for start, _, _ in b]
        for i, (start, end, label) in enumerate(a):
            # A span of b that starts at or before start − longest_b ends by `start`.
            for j in range(bisect_right(starts_b, start - longest_b), bisect_left(starts_b, end)):
                other_start, other_end, other_label = b[j]
                # min/max written out: this line runs millions of times in a large project.
                shared = (end if end < other_end else other_end) - (
                    start if start > other_start else other_start
                )
                if shared > 0:
                    candidates.append((-shared, other_label != label, i, j))
    # The same-label candidates among them come in span_f1's (−overlap, i, j) order.
    candidates.sort()
    return candidates


def confused_pairs(candidates: list[Candidate]) -> list[tuple[int, int]]:
    """The one-to-one matching whatever the labels, taken greedily in candidate order: the
    pairs (i, j) the label confusion counts."""
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs = []
    for _, _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    return pairs


def match_spans(a: list[SpanTuple], b: list[SpanTuple]) -> PairMatches:
    """Match the spans of two annotators three ways in one pass over overlapping pairs.

    Every matching is one-to-one over the candidate pairs (spans sharing a character), as
    `span_f1` counts them (tests/review/test_report.py checks the counts against span_f1):

    * exact: identical start, end and label, greedily: among identical copies that pairs
      min(copies in a, copies in b) of them, the multiset intersection span_f1 counts.
    * overlap: same label only, a maximum matching (core.agreement.matching): the most
      pairs that can be matched at once.
    * confusion: any labels, greedy, largest overlap first; on equal overlap a pair of the
      same label goes first, so spans nested in a longer one find their own kind.
      Unmatched spans count against None.

    Both lists must be sorted by start. One candidate list serving all three is what keeps
    600,000 spans within the time budget.
    """
    exact: Counter[str] = Counter()
    overlap: Counter[str] = Counter()
    confusion: Confused = Counter()
    candidates = overlap_candidates(a, b)
    paired = confused_pairs(candidates)
    for i, j in paired:
        confusion[a[i][2], b[j][2]] += 1
    any_a = {i for i, _ in paired}
    any_b = {j for _, j in paired}
    exact_a: set[int] = set()
    exact_b: set[int] = set()
    neighbours: list[list[int]] = [[] for _ in a]  # same-label candidates, for `overlap`
    for _, differs, i, j in candidates:
        if differs:
            continue
        neighbours[i].append(j)
        if i not in exact_a and j not in exact_b and a[i] == b[j]:
            exact_a.add(i)
            exact_b.add(j)
            exact[a[i][2]] += 1
    for i, partner in enumerate(maximum_matching(neighbours, len(b))):
        if partner != UNMATCHED:
            overlap[a[i][2]] += 1
    for i, span in enumerate(a):
        if i not in any_a:
            confusion[span[2], None] += 1
    for j, span in enumerate(b):
        if j not in any_b:
            confusion[None, span[2]] += 1
    return PairMatches(exact, overlap, confusion)


def units_of(spans: list[SpanTuple], length: int) -> tuple[list[SpanTuple], int, int]:
    """(uα units, spans merged, spans clipped) of one annotator's sorted spans.

    uα refuses two overlapping units of one label by one coder (a position cannot be two
    units of the same kind), so such spans are merged into one unit; spans reaching past
    the text (which the store never writes) are clipped to it.
    """
    units: list[SpanTuple] = []
    current: dict[str, list[int]] = {}  # label -> [start, end] of the unit being built
    merged = clipped = 0
    for start, end, label in spans:
        if end > length:
            end = length
            clipped += 1
            if start >= end:
                continue
        unit = current.get(label)
        if unit is not None and start < unit[1]:
            unit[1] = max(unit[1], end)
            merged += 1
            continue
        if unit is not None:
            units.append((unit[0], unit[1], label))
        current[label] = [start, end]
    units.extend((start, end, label) for label, (start, end) in current.items())
    return units, merged, clipped


class SpanTally:
    """Accumulates span F1, label confusion and unitized alpha over documents."""

    def __init__(self, annotators: tuple[str, ...], block: int = 1) -> None:
        self.annotators = annotators
        self.coder = {name: index for index, name in enumerate(annotators)}
        self.pair_documents: Counter[Pair] = Counter()
        # label -> pair -> [spans of a, spans of b, exact matches, overlap matches]
        self.f1: defaultdict[str, defaultdict[Pair, list[int]]] = defaultdict(_pair_counts)
        self.confusion: defaultdict[Pair, Confused] = defaultdict(Counter)
        self.spans: Counter[str] = Counter()
        self.merged = self.clipped = self.empty = 0
        # The pooled continuum is kept as each variant's sums per document, which add up
        # to exactly the sums of the documents laid end to end.
        self.variants = {v: VariantTally(v, len(annotators), block) for v in ("2004", "2016")}

    def add(self, document: DocumentLayers) -> None:
        """Count one document (with at least two annotators' layers)."""
        names = document.annotators
        spans = document.spans
        label_counts = {name: Counter(span[2] for span in spans[name]) for name in names}
        for name in names:
            self.spans[name] += len(spans[name])
        for a, b in combinations(names, 2):
            pair = (a, b)
            self.pair_documents[pair] += 1
            matches = match_spans(spans[a], spans[b])
            for label in label_counts[a].keys() | label_counts[b].keys():
                counts = self.f1[label][pair]
                counts[0] += label_counts[a][label]
                counts[1] += label_counts[b][label]
                counts[2] += matches.exact[label]
                counts[3] += matches.overlap[label]
            self.confusion[pair].update(matches.confusion)
        self._add_unitized(document)

    def _add_unitized(self, document: DocumentLayers) -> None:
        names = document.annotators
        length = document.length
        units: list[tuple[str, int, int, str]] = []
        for name in names:
            mine, merged, clipped = units_of(document.spans[name], length)
            self.merged += merged
            self.clipped += clipped
            units.extend((name, start, end, label) for start, end, label in mine)
        if length <= 0:
            self.empty += 1  # an empty text is no continuum; nothing to measure
        for tally in self.variants.values():
            overall: float | None = None
            per_label: dict[str, float | None] = {}
            if length > 0:
                result = tally.add(units, length, names)
                overall, per_label = result.overall, dict(sorted(result.per_label.items()))
            tally.documents.append(
                DocumentAlpha(
                    document.id,
                    document.external_id,
                    document.title,
                    document.story,
                    names,
                    sum(len(document.spans[name]) for name in names),
                    overall,
                    per_label,
                )
            )

    def merge(self, other: SpanTally) -> None:
        """Add the counts of `other`, which tallied the documents after this one's (in id
        order): the result is what one tally over both would hold."""
        self.pair_documents.update(other.pair_documents)
        for label, pairs in other.f1.items():
            for pair, counts in pairs.items():
                mine = self.f1[label][pair]
                for k, value in enumerate(counts):
                    mine[k] += value
        for pair, confused in other.confusion.items():
            self.confusion[pair].update(confused)
        self.spans.update(other.spans)
        self.merged += other.merged
        self.clipped += other.clipped
        self.empty += other.empty
        for variant, tally in self.variants.items():
            tally.merge(other.variants[variant])

    def f1_summaries(self, labels: tuple[str, ...]) -> tuple[F1Summary, dict[str, F1Summary]]:
        """Span F1 over all labels, and per label."""
        pairs = list(combinations(self.annotators, 2))
        per_label = {label: self._summary(pairs, [label]) for label in labels}
        # span_f1 never matches spans of different labels, so the overall counts are the
        # per-label counts summed.
        return self._summary(pairs, list(self.f1)), per_label

    def _summary(self, pairs: list[Pair], labels: list[str]) -> F1Summary:
        results = []
        for pair in pairs:
            if not self.pair_documents[pair]:
                continue  # these two never worked on the same document
            counts = [0, 0, 0, 0]
            for label in labels:
                for k, value in enumerate(self.f1[label].get(pair, ())):
                    counts[k] += value
            results.append(PairF1(*pair, self.pair_documents[pair], *counts))
        return F1Summary(tuple(results))

    def confusion_matrix(self, labels: tuple[str, ...]) -> Confusion:
        """The label confusion: per pair (rows: its first annotator), and summed over pairs
        as a symmetric matrix (cell x, y: matched spans where one annotator said x and the
        other y, whoever said which; x, None: spans of x that found no match)."""
        keys: list[str | None] = [*labels, None]
        total: Counter[tuple[str | None, str | None]] = Counter()
        pairs = []
        for pair in combinations(self.annotators, 2):
            if not self.pair_documents[pair]:
                continue
            counts = self.confusion[pair]
            for (x, y), count in counts.items():
                total[x, y] += count
                if x != y:  # symmetric: which of the two said which does not matter
                    total[y, x] += count
            pairs.append(PairConfusion(*pair, _matrix(counts, keys)))
        return Confusion(labels, _matrix(total, keys), tuple(pairs))

    def unitized(
        self, labels: tuple[str, ...]
    ) -> tuple[UnitizedSummary, UnitizedSummary, list[str]]:
        """αU (2004) and uα (2016): pooled, averaged over documents and per document; notes
        on what was left out."""
        notes: list[str] = []
        first = self.variants["2004"]
        if not first.blocks and len(self.annotators) >= 2 and first.documents:
            notes.append(
                f"pooled unitized alpha: no document has layers of all {len(self.annotators)} "
                "annotators, and αU and uα need every coder on the whole continuum; see the "
                "per-document values and their mean"
            )
        summary = first.summary(labels)
        summary_2016 = self.variants["2016"].summary(labels)
        for name, value in (("αU", summary.pooled), ("uα", summary_2016.pooled)):
            if value is None and first.blocks:
                notes.append(
                    f"pooled {name}: n/a, undefined (0/0): no span was marked, or nothing "
                    "could have been placed otherwise by chance"
                )
        if self.merged:
            notes.append(
                f"unitized alpha: {self.merged} spans overlapping another span of the same "
                "label by the same annotator were merged into one unit"
            )
        if self.clipped:
            notes.append(
                f"unitized alpha: {self.clipped} spans reaching past their text were clipped"
            )
        if self.empty:
            notes.append(f"unitized alpha: {self.empty} documents with an empty text were skipped")
        return summary, summary_2016, notes


def _pair_counts() -> defaultdict[Pair, list[int]]:
    """A module-level factory (not a lambda), so that a tally can be pickled to or from a
    worker process."""
    return defaultdict(_four_zeros)


def _four_zeros() -> list[int]:
    return [0, 0, 0, 0]


def _matrix(
    counts: Counter[tuple[str | None, str | None]], keys: list[str | None]
) -> tuple[tuple[int, ...], ...]:
    return tuple(tuple(counts[row, column] for column in keys) for row in keys)
