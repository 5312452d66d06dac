"""Krippendorff's αU for unitizing (Krippendorff 1995; 2004, section 12.4), as DKPro Statistics
and INCEpTION report it.

Re-exported by `annotator.core.agreement.coefficients` (`unitized_alpha(..., variant="2004")`).

References: Krippendorff, K. (1995), "On the reliability of unitizing contiguous data",
Sociological Methodology 25: 47-76; Krippendorff, K. (2004), "Content Analysis: An
Introduction to Its Methodology", 2nd ed., pp. 251-256; the formulas as DKPro Statistics
(`KrippendorffAlphaUnitizingAgreement`, Meyer et al. 2014) computes them.

Each label c is rated on its own. A coder's continuum [B, B+L) is cut into sections by that
coder's units of c: the units, and the gaps between them. Two coders' sections that overlap
differ by

* both units: (b₁ − b₂)² + (e₁ − e₂)² (begins and ends apart);
* a unit inside the other's gap: the unit's length²; a unit only partly in a gap: 0 (its
  overlap with the other's unit counts instead); two gaps: 0.

Observed disagreement D_o(c) = 2 · Σ_{coder pairs} Σ_{overlapping sections} δ² / (m(m−1)L²).
Expected disagreement, over every way to place the N_c units of c (lengths l) into all coders'
gaps (lengths g):

  D_e(c) = (2/L) · Σ_units [ (N_c − 1) · l(l−1)(2l−1)/3 + l² · Σ_{gaps g ≥ l} (g − l + 1) ]
           / ( mL(mL − 1) − Σ_units l(l − 1) )

αU(c) = 1 − D_o(c)/D_e(c); over all labels αU = 1 − Σ_c D_o(c) / Σ_c D_e(c) (DKPro averages
both over the labels, which cancels). All sums are integers and the divisions exact
fractions, so the result is exact up to the final conversion to float. It is undefined
(None) when D_e is 0: no unit at all, or nothing chance could place differently.

Unlike uα (Krippendorff et al. 2016, `unitized.py`), αU sees unit boundaries: one unit split
into two touching units of the same label disagrees with the unsplit one.

The sums of documents laid end to end are combined exactly (`AlphaUSums.__add__`): a coder's
gap at the end of one document and at the start of the next join into one gap, as they would
in one long continuum, so the pooled value is the value of the concatenation.
"""

from __future__ import annotations

import bisect
import operator
from collections import Counter
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TypeVar

from annotator.core.agreement.unitized import UnitizedAlpha

AnnotatorT = TypeVar("AnnotatorT", bound=Hashable)
LabelT = TypeVar("LabelT", bound=Hashable)


@dataclass
class CoderGaps:
    """One coder's gaps of one label over a stretch of continuum, open at both ends so that
    stretches laid end to end join their touching gaps."""

    length: int  # of the stretch
    marked: bool  # any unit at all; if not, the whole stretch is one open gap
    lead: int = 0  # gap before the first unit
    trail: int = 0  # gap after the last unit
    inner: Counter[int] = field(default_factory=Counter)  # closed gaps, by length

    def absorb(self, other: CoderGaps) -> None:
        """Become this stretch followed by `other` (in place: pooling a corpus document by
        document stays linear)."""
        if not other.marked:
            if self.marked:
                self.trail += other.length
        elif not self.marked:
            self.lead = self.length + other.lead
            self.trail = other.trail
            self.inner = Counter(other.inner)
            self.marked = True
        else:
            self.inner.update(other.inner)
            if self.trail + other.lead:
                self.inner[self.trail + other.lead] += 1
            self.trail = other.trail
        self.length += other.length

    def copy(self) -> CoderGaps:
        return CoderGaps(self.length, self.marked, self.lead, self.trail, Counter(self.inner))

    def __add__(self, other: CoderGaps) -> CoderGaps:
        joined = self.copy()
        joined.absorb(other)
        return joined

    def all_gaps(self) -> Counter[int]:
        """Every gap of the stretch taken as a whole continuum, by length."""
        if not self.marked:
            return Counter({self.length: 1}) if self.length else Counter()
        gaps = Counter(self.inner)
        for edge in (self.lead, self.trail):
            if edge:
                gaps[edge] += 1
        return gaps


@dataclass
class AlphaUSums:
    """What αU of one label is made of, for one continuum or several laid end to end."""

    length: int  # L
    observed: int  # Σ over unordered coder pairs of Σ δ²
    units: Counter[int]  # unit lengths of every coder
    coders: list[CoderGaps]

    def absorb(self, other: AlphaUSums) -> None:
        """Become this continuum followed by `other`'s, in place."""
        if len(self.coders) != len(other.coders):
            raise ValueError(f"cannot pool {len(self.coders)} coders with {len(other.coders)}")
        self.length += other.length
        self.observed += other.observed
        self.units.update(other.units)
        for mine, theirs in zip(self.coders, other.coders, strict=True):
            mine.absorb(theirs)

    def copy(self) -> AlphaUSums:
        return AlphaUSums(
            self.length, self.observed, Counter(self.units), [c.copy() for c in self.coders]
        )

    def __add__(self, other: AlphaUSums) -> AlphaUSums:
        joined = self.copy()
        joined.absorb(other)
        return joined

    @classmethod
    def empty(cls, length: int, coders: int) -> AlphaUSums:
        """A stretch in which no coder marked the label: one open gap for each."""
        return cls(length, 0, Counter(), [CoderGaps(length, False) for _ in range(coders)])

    def parts(self) -> tuple[int, int, int]:
        """Integers (O, P, Q) with D_o = 2·O / (m(m−1)L²) and D_e = 2·P / (3L·Q)."""
        m, length = len(self.coders), self.length
        n_c, within, self_pairs = self.unit_terms()
        # 3 · Σ_units [...] of the module docstring: integers throughout.
        placed = (n_c - 1) * within + 3 * _GapLookup(self.gaps()).fits(self.units)
        return self.observed, placed, m * length * (m * length - 1) - self_pairs

    def gaps(self) -> Counter[int]:
        """Every coder's gaps, by length, the continuum taken as a whole."""
        gaps: Counter[int] = Counter()
        for coder in self.coders:
            gaps.update(coder.all_gaps())
        return gaps

    def unit_terms(self) -> tuple[int, int, int]:
        """N_c, Σ l(l−1)(2l−1) and Σ l(l−1) over the units."""
        units = self.units.items()
        return (
            sum(self.units.values()),
            sum(t * u * (u - 1) * (2 * u - 1) for u, t in units),
            sum(t * u * (u - 1) for u, t in units),
        )

    def disagreements(self) -> tuple[Fraction, Fraction]:
        """(D_o, D_e) as exact fractions."""
        m, length = len(self.coders), self.length
        observed, placed, rest = self.parts()
        expected = Fraction(2 * placed, 3 * length * rest) if rest else Fraction(0)
        return Fraction(2 * observed, m * (m - 1) * length * length), expected


def pool_alpha_u(
    pooled: dict[LabelT, AlphaUSums],
    pooled_length: int,
    more: dict[LabelT, AlphaUSums],
    more_length: int,
    coders: int,
) -> None:
    """Extend `pooled` (the sums of a continuum `pooled_length` long) in place by the sums of
    the continuum that follows it: a label one of them lacks is all gap there."""
    for label in pooled.keys() - more.keys():
        pooled[label].absorb(AlphaUSums.empty(more_length, coders))
    for label, sums in more.items():
        mine = pooled.get(label)
        if mine is None:
            mine = pooled[label] = AlphaUSums.empty(pooled_length, coders)
        mine.absorb(sums)


def alpha_u_of(sums: dict[LabelT, AlphaUSums]) -> UnitizedAlpha[LabelT]:
    """αU from the sums of each label (which share one continuum and its coders)."""
    per_label: dict[LabelT, float | None] = {}
    observed_total, expected_total = 0, Fraction(0)
    for label, label_sums in sums.items():
        m, length = len(label_sums.coders), label_sums.length
        observed, placed, rest = label_sums.parts()
        observed_total += observed
        if placed and rest:
            # 1 − D_o/D_e = 1 − 3·O·Q / (m(m−1)·L·P): one correctly rounded int division.
            scale = m * (m - 1) * length * placed
            per_label[label] = (scale - 3 * observed * rest) / scale
            expected_total += Fraction(2 * placed, 3 * length * rest)
        else:
            per_label[label] = None
    if not expected_total:
        return UnitizedAlpha(None, per_label)
    first = next(iter(sums.values()))
    m, length = len(first.coders), first.length
    disagreement = Fraction(2 * observed_total, m * (m - 1) * length * length)
    return UnitizedAlpha(float(1 - disagreement / expected_total), per_label)


def alpha_u_sums(
    units: Iterable[tuple[AnnotatorT, int, int, LabelT]],
    begin: int,
    end: int,
    *,
    annotators: Iterable[AnnotatorT] = (),
) -> dict[LabelT, AlphaUSums]:
    """The αU sums of each label for `(annotator, start, end, label)` units on [begin, end).

    Ends are exclusive; every annotator who appears (or is named in `annotators`) codes the
    whole continuum. Raises ValueError for fewer than two coders, an empty continuum, a unit
    outside it, or two overlapping units of one label by one coder (αU has no meaning for
    those; merge them first).
    """
    begin, end = operator.index(begin), operator.index(end)
    if end <= begin:
        raise ValueError(f"empty continuum: end ({end}) must be greater than begin ({begin})")
    coder_of: dict[AnnotatorT, int] = {}
    for annotator in annotators:
        coder_of.setdefault(annotator, len(coder_of))
    by_label: dict[LabelT, list[tuple[int, int, int]]] = {}
    for unit in units:
        annotator, start, stop, label = unit
        start, stop = operator.index(start), operator.index(stop)
        if start >= stop:
            raise ValueError(f"unit {unit!r}: start must be less than end")
        if start < begin or stop > end:
            raise ValueError(f"unit {unit!r} lies outside the continuum [{begin}, {end})")
        coder = coder_of.setdefault(annotator, len(coder_of))
        by_label.setdefault(label, []).append((coder, start, stop))
    m = len(coder_of)
    if m < 2:
        raise ValueError(f"unitized alpha needs at least two annotators, got {m}")
    return {label: _label_sums(rows, m, begin, end, label) for label, rows in by_label.items()}


Section = tuple[int, int, bool]  # begin, end, is a unit


def _label_sums(
    rows: list[tuple[int, int, int]], m: int, begin: int, end: int, label: object
) -> AlphaUSums:
    own: list[list[tuple[int, int]]] = [[] for _ in range(m)]
    for coder, start, stop in rows:
        own[coder].append((start, stop))
    sections: list[list[Section]] = []
    coders: list[CoderGaps] = []
    units: Counter[int] = Counter()
    for spans in own:
        spans.sort()
        cut: list[Section] = []
        position = begin
        inner: Counter[int] = Counter()
        for start, stop in spans:
            if start < position:
                raise ValueError(
                    f"overlapping units of label {label!r} by one annotator at {start}"
                )
            if start > position:
                if cut:  # not the leading gap
                    inner[start - position] += 1
                cut.append((position, start, False))
            cut.append((start, stop, True))
            units[stop - start] += 1
            position = stop
        if position < end:
            cut.append((position, end, False))
        sections.append(cut)
        if spans:
            lead = spans[0][0] - begin
            coders.append(CoderGaps(end - begin, True, lead, end - position, inner))
        else:
            coders.append(CoderGaps(end - begin, False))
    observed = 0
    for first in range(m):
        for second in range(first + 1, m):
            observed += _pair_distance(sections[first], sections[second])
    return AlphaUSums(end - begin, observed, units, coders)


def _pair_distance(one: list[Section], two: list[Section]) -> int:
    """Σ δ² over the overlapping sections of two coders (both cover the same continuum)."""
    total = 0
    i = j = 0
    count_one, count_two = len(one), len(two)
    while i < count_one and j < count_two:
        b1, e1, unit1 = one[i]
        b2, e2, unit2 = two[j]
        if unit1:
            if unit2:
                begins, ends = b1 - b2, e1 - e2
                total += begins * begins + ends * ends
            elif b2 <= b1 and e1 <= e2:
                total += (e1 - b1) * (e1 - b1)
        elif unit2 and b1 <= b2 and e2 <= e1:
            total += (e2 - b2) * (e2 - b2)
        if e1 <= e2:
            i += 1
        if e2 <= e1:
            j += 1
    return total


class AlphaUResampler:
    """αU of resamples of blocks of documents, cheaply: each block's sums are reduced once
    to scalars and, for the one term that couples every unit with every gap (how many ways
    a unit fits into a gap), to a table over pairs of blocks, so a resample costs blocks²
    per label instead of a pooling of all its gaps. A block's gaps are closed at its edges.
    """

    def __init__(self, blocks: list[tuple[dict[LabelT, AlphaUSums], int]], coders: int) -> None:
        self.coders = coders
        self.lengths = [length for _, length in blocks]
        labels = {label for sums, _ in blocks for label in sums}
        self.tables: list[tuple[list[int], list[int], list[int], list[int], list[list[int]]]] = []
        for label in labels:
            units: list[Counter[int]] = []
            gaps: list[Counter[int]] = []
            observed, count, within, self_pairs = [], [], [], []
            for sums, length in blocks:
                found = sums.get(label) or AlphaUSums.empty(length, coders)
                units.append(found.units)
                gaps.append(found.gaps())
                observed.append(found.observed)
                terms = found.unit_terms()
                count.append(terms[0])
                within.append(terms[1])
                self_pairs.append(terms[2])
            lookups = [_GapLookup(theirs) for theirs in gaps]
            fits = [[lookup.fits(mine) for lookup in lookups] for mine in units]
            self.tables.append((observed, count, within, self_pairs, fits))

    def alpha(self, weights: list[int]) -> float | None:
        """αU over all labels of the resample that draws block i `weights[i]` times."""
        m = self.coders
        drawn = [(i, w) for i, w in enumerate(weights) if w]
        length = sum(self.lengths[i] * w for i, w in drawn)
        observed_total, expected_total = 0.0, 0.0
        for observed, count, within, self_pairs, fits in self.tables:
            n_c = sum(count[i] * w for i, w in drawn)
            cross = 0
            for i, wi in drawn:
                row = fits[i]
                cross += wi * sum(row[j] * wj for j, wj in drawn)
            placed = (n_c - 1) * sum(within[i] * w for i, w in drawn) + 3 * cross
            rest = m * length * (m * length - 1) - sum(self_pairs[i] * w for i, w in drawn)
            observed_total += 2 * sum(observed[i] * w for i, w in drawn) / (m * (m - 1) * length**2)
            if placed and rest:
                expected_total += 2 * placed / (3 * length * rest)
        return 1 - observed_total / expected_total if expected_total else None


class _GapLookup:
    """One block's gaps, sorted, with suffix counts and sums: how many gaps are at least l
    long and their total length, for any l, by bisection."""

    def __init__(self, gaps: Counter[int]) -> None:
        self.sizes = sorted(gaps)
        self.at_least = [0] * (len(self.sizes) + 1)
        self.total_at_least = [0] * (len(self.sizes) + 1)
        for index in range(len(self.sizes) - 1, -1, -1):
            count = gaps[self.sizes[index]]
            self.at_least[index] = self.at_least[index + 1] + count
            self.total_at_least[index] = self.total_at_least[index + 1] + count * self.sizes[index]

    def fits(self, units: Counter[int]) -> int:
        """Σ over units l and gaps g >= l of l² (g − l + 1): the ways the units fit."""
        if not self.sizes:
            return 0
        sizes, at_least, total = self.sizes, self.at_least, self.total_at_least
        result = 0
        for unit, times in units.items():
            first = bisect.bisect_left(sizes, unit)
            result += times * unit * unit * (total[first] - at_least[first] * (unit - 1))
        return result
