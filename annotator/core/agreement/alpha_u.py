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


@dataclass(frozen=True)
class CoderGaps:
    """One coder's gaps of one label over a stretch of continuum, open at both ends so that
    stretches laid end to end join their touching gaps."""

    length: int  # of the stretch
    marked: bool  # any unit at all; if not, the whole stretch is one open gap
    lead: int = 0  # gap before the first unit
    trail: int = 0  # gap after the last unit
    inner: Counter[int] = field(default_factory=Counter)  # closed gaps, by length

    def __add__(self, other: CoderGaps) -> CoderGaps:
        length = self.length + other.length
        if not self.marked and not other.marked:
            return CoderGaps(length, False)
        if not self.marked:
            return CoderGaps(length, True, self.length + other.lead, other.trail, other.inner)
        if not other.marked:
            return CoderGaps(length, True, self.lead, self.trail + other.length, self.inner)
        inner = self.inner + other.inner
        if self.trail + other.lead:
            inner[self.trail + other.lead] += 1
        return CoderGaps(length, True, self.lead, other.trail, inner)

    def all_gaps(self) -> Counter[int]:
        """Every gap of the stretch taken as a whole continuum, by length."""
        if not self.marked:
            return Counter({self.length: 1}) if self.length else Counter()
        gaps = Counter(self.inner)
        for edge in (self.lead, self.trail):
            if edge:
                gaps[edge] += 1
        return gaps


@dataclass(frozen=True)
class AlphaUSums:
    """What αU of one label is made of, for one continuum or several laid end to end."""

    length: int  # L
    observed: int  # Σ over unordered coder pairs of Σ δ²
    units: Counter[int]  # unit lengths of every coder
    coders: tuple[CoderGaps, ...]

    def __add__(self, other: AlphaUSums) -> AlphaUSums:
        if len(self.coders) != len(other.coders):
            raise ValueError(f"cannot pool {len(self.coders)} coders with {len(other.coders)}")
        return AlphaUSums(
            self.length + other.length,
            self.observed + other.observed,
            self.units + other.units,
            tuple(a + b for a, b in zip(self.coders, other.coders, strict=True)),
        )

    @classmethod
    def empty(cls, length: int, coders: int) -> AlphaUSums:
        """A stretch in which no coder marked the label: one open gap for each."""
        return cls(length, 0, Counter(), tuple(CoderGaps(length, False) for _ in range(coders)))

    def disagreements(self) -> tuple[Fraction, Fraction]:
        """(D_o, D_e) as exact fractions."""
        m, length = len(self.coders), self.length
        observed = Fraction(2 * self.observed, m * (m - 1) * length * length)
        gaps: Counter[int] = Counter()
        for coder in self.coders:
            gaps += coder.all_gaps()
        sizes = sorted(gaps)
        counts = [gaps[size] for size in sizes]
        # Suffix sums: how many gaps are at least l long, and their total length.
        at_least = [0] * (len(sizes) + 1)
        total_at_least = [0] * (len(sizes) + 1)
        for index in range(len(sizes) - 1, -1, -1):
            at_least[index] = at_least[index + 1] + counts[index]
            total_at_least[index] = total_at_least[index + 1] + counts[index] * sizes[index]
        n_c = sum(self.units.values())
        placed = Fraction(0)
        self_pairs = 0
        for unit, times in self.units.items():
            first = bisect.bisect_left(sizes, unit)
            fits = total_at_least[first] - at_least[first] * (unit - 1)  # Σ (g − l + 1)
            within = (n_c - 1) * unit * (unit - 1) * (2 * unit - 1)  # ·1/3, below
            placed += times * (Fraction(within, 3) + unit * unit * fits)
            self_pairs += times * unit * (unit - 1)
        denominator = m * length * (m * length - 1) - self_pairs
        expected = Fraction(2, length) * placed / denominator if denominator else Fraction(0)
        return observed, expected


def pooled_alpha_u(
    first: dict[LabelT, AlphaUSums],
    first_length: int,
    second: dict[LabelT, AlphaUSums],
    second_length: int,
    coders: int,
) -> dict[LabelT, AlphaUSums]:
    """The sums of `first`'s continuum followed by `second`'s: a label one of them lacks is
    all gap there (its continuum still runs through it)."""
    pooled: dict[LabelT, AlphaUSums] = {}
    for label in first.keys() | second.keys():
        before = first.get(label) or AlphaUSums.empty(first_length, coders)
        after = second.get(label) or AlphaUSums.empty(second_length, coders)
        pooled[label] = before + after if first_length else after
    return pooled


def alpha_u_of(sums: dict[LabelT, AlphaUSums]) -> UnitizedAlpha[LabelT]:
    """αU from the sums of each label."""
    per_label: dict[LabelT, float | None] = {}
    observed_total, expected_total = Fraction(0), Fraction(0)
    for label, label_sums in sums.items():
        observed, expected = label_sums.disagreements()
        observed_total += observed
        expected_total += expected
        per_label[label] = float(1 - observed / expected) if expected else None
    overall = float(1 - observed_total / expected_total) if expected_total else None
    return UnitizedAlpha(overall, per_label)


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
                cut.append((position, start, False))
                if cut[:-1]:  # not the leading gap
                    inner[start - position] += 1
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
    return AlphaUSums(end - begin, observed, units, tuple(coders))


def _pair_distance(one: list[Section], two: list[Section]) -> int:
    """Σ δ² over the overlapping sections of two coders (both cover the same continuum)."""
    total = 0
    i = j = 0
    while i < len(one) and j < len(two):
        b1, e1, unit1 = one[i]
        b2, e2, unit2 = two[j]
        if unit1 and unit2:
            total += (b1 - b2) ** 2 + (e1 - e2) ** 2
        elif unit1 and b2 <= b1 and e1 <= e2:
            total += (e1 - b1) ** 2
        elif unit2 and b1 <= b2 and e2 <= e1:
            total += (e2 - b2) ** 2
        if e1 <= e2:
            i += 1
        if e2 <= e1:
            j += 1
    return total
