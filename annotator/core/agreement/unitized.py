"""Krippendorff's alpha for unitizing a continuum (the u-alpha of Krippendorff et al. 2016).

`annotator.core.agreement.coefficients.unitized_alpha(..., variant="2016")` computes it;
the default there is Krippendorff's αU of 1995/2004 (`alpha_u.py`), which DKPro Statistics
and INCEpTION report.

Definitions (Krippendorff, Mathet, Bouvry & Widlöcher 2016, "On the reliability of unitizing
textual continua: Further developments", Quality & Quantity 50, section 5.1; the same
coefficient is _uα in Krippendorff 2019, "Content Analysis", 4th ed., section 12.6):

m coders unitize the continuum [begin, end) of length L; l.. = mL. Coder i's continuum is cut
into sections g at the boundaries of i's own units; section g has length l_ig and a value v_ig:
the label of the unit covering it, or ∅ for a gap (no unit).

* Observed coincidences, the lengths over which coder i says c while another coder says k:
  l_ck = 1/(m-1) · Σ_i Σ_{j≠i} Σ_g Σ_h |s_ig ∩ s_jh| · [v_ig = c] · [v_jh = k]
* Expected coincidences:
  e_ck = l.. · (l_c. · l_.k − [c = k] · Λ_c) / (l..² − Λ),  Λ_c = Σ_{i,g: v_ig = c} λ_ig,
  λ_ig counts the self-pairings chance cannot produce: all l_ig² position pairs inside a unit
  (a unit is one indivisible value), but only the l_ig pairs of each gap position with itself
  (a gap is not a unit, so its parts may pair with one another).
* uα = 1 − D_o / D_e with the nominal metric: D_o = Σ_{c≠k} l_ck and D_e = Σ_{c≠k} e_ck.

Observed coincidences compare values position by position, so two touching units of one label
agree fully with one long unit of that label; unit boundaries matter only through Λ.
No published numeric example of this version was at hand: the tests check hand-derived cases,
a naive per-position implementation of the formulas above, and the reduction to nominal alpha
on a grid of length-1 cells.

Since Σ_{c≠k} l_c. l_.k = l..² − Σ_c l_c², this is computed as

  uα = 1 − O · (l..² − Λ) / ((m − 1) · l.. · (l..² − Σ_c l_c²))

where O = Σ_{i≠j} (length over which coders i and j hold different values). Cutting the
continuum at every boundary of every coder makes each coder's value constant inside each piece,
so O, l_c and Λ come out of one sweep over the sorted boundaries: O(U log U) for U units.
All sums are integers, so the result is exact up to the final division.
"""

from __future__ import annotations

import operator
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

AnnotatorT = TypeVar("AnnotatorT", bound=Hashable)
LabelT = TypeVar("LabelT", bound=Hashable)
_K = TypeVar("_K", bound=Hashable)

_END, _START = 0, 1  # ends sort before starts at one offset, so touching units never overlap


@dataclass(frozen=True)
class UnitizedAlpha(Generic[LabelT]):
    """Unitizing reliability of one continuum.

    `overall` is uα over all labels (each label its own value, gaps the value ∅); `per_label`
    maps each label to uα of that label alone, every other stretch counted as gap.
    """

    overall: float | None  # None where undefined (one value throughout: 0/0)
    per_label: dict[LabelT, float | None]


def unitized_alpha_2016(
    units: Iterable[tuple[AnnotatorT, int, int, LabelT]],
    begin: int,
    end: int,
    *,
    annotators: Iterable[AnnotatorT] = (),
) -> UnitizedAlpha[LabelT]:
    """Krippendorff's uα for `(annotator, start, end, label)` units on [begin, end).

    See `unitized_sums` for the arguments, the definition and the degenerate cases.
    """
    return unitized_sums(units, begin, end, annotators=annotators).alpha()


@dataclass(frozen=True)
class UnitizedSums(Generic[LabelT]):
    """The integer sums uα is made of, for one continuum or several laid end to end.

    Every sum is additive over continua placed one after another with the same number of
    coders (units never cross from one to the next, and a gap's self-pairs count its length,
    so two gaps meeting at the seam count the same as one), so `a + b` is exactly the sums
    of the concatenation: a corpus can be pooled without sorting all its units at once.
    """

    coders: int
    total: int  # l.. = m · L
    disagreement: int  # O
    self_pairs: int  # Λ
    value_length: dict[frozenset[LabelT], int]  # l_c, by value (a set of labels; ∅ = gap)
    label_length: dict[LabelT, int]
    label_squares: dict[LabelT, int]
    label_disagreement: dict[LabelT, int]

    def __add__(self, other: UnitizedSums[LabelT]) -> UnitizedSums[LabelT]:
        if self.coders != other.coders:
            raise ValueError(f"cannot pool {self.coders} coders with {other.coders}")

        def added(a: dict[_K, int], b: dict[_K, int]) -> dict[_K, int]:
            merged = dict(a)
            for key, value in b.items():
                merged[key] = merged.get(key, 0) + value
            return merged

        return UnitizedSums(
            self.coders,
            self.total + other.total,
            self.disagreement + other.disagreement,
            self.self_pairs + other.self_pairs,
            added(self.value_length, other.value_length),
            added(self.label_length, other.label_length),
            added(self.label_squares, other.label_squares),
            added(self.label_disagreement, other.label_disagreement),
        )

    def alpha(self) -> UnitizedAlpha[LabelT]:
        m, total = self.coders, self.total
        overall = _alpha(
            self.disagreement,
            m,
            total,
            self.self_pairs,
            sum(n * n for n in self.value_length.values()),
        )
        per_label: dict[LabelT, float | None] = {}
        for label, length in self.label_length.items():
            gap_length = total - length
            per_label[label] = _alpha(
                self.label_disagreement.get(label, 0),
                m,
                total,
                self.label_squares[label] + gap_length,
                length * length + gap_length * gap_length,
            )
        return UnitizedAlpha(overall=overall, per_label=per_label)


def unitized_sums(
    units: Iterable[tuple[AnnotatorT, int, int, LabelT]],
    begin: int,
    end: int,
    *,
    annotators: Iterable[AnnotatorT] = (),
) -> UnitizedSums[LabelT]:
    """The sums of Krippendorff's uα for `(annotator, start, end, label)` units on [begin, end).

    Ends are exclusive. Every annotator who appears is a coder of the whole continuum: what
    they did not mark is gap. Pass `annotators` to also count coders who marked nothing
    (an annotator who found nothing to mark is disagreeing, not missing).

    `overall` is uα of Krippendorff et al. (2016, section 5.1), the coefficient that treats
    every label as its own value and gaps as one more value ∅ (nominal metric) - not the
    binary |uα, which lumps all labels together, nor c|uα, which ignores gaps. See the module
    docstring for the formula. Where one annotator's units of *different* labels overlap,
    the overlapped stretch gets the combined value (e.g. {actor, quote}), a value of its own,
    and is a section of its own; without such overlaps this is exactly the published uα.

    `per_label[k]` is uα computed as if k were the only label: k's units against gap. With one
    label, uα and |uα coincide. (This is not the paper's (k)uα, which rates the coding of k
    among stretches that coders agree are units.)

    Degenerate cases: fewer than two annotators raises ValueError. When only one value occurs
    at all (nobody marked anything, or everyone covered the whole continuum with one label),
    expected disagreement is 0: the result is then None (0/0, undefined), as in
    `krippendorff_alpha`.

    Raises ValueError for an empty continuum, a unit with start >= end or outside
    [begin, end), or two overlapping units of the same label by the same annotator.
    """
    begin = operator.index(begin)
    end = operator.index(end)
    if end <= begin:
        raise ValueError(f"empty continuum: end ({end}) must be greater than begin ({begin})")

    coder_of: dict[AnnotatorT, int] = {}
    for annotator in annotators:
        coder_of.setdefault(annotator, len(coder_of))
    # Labels become bit numbers, so a coder's value (the set of labels it is inside) is an
    # int mask: toggling bits is far cheaper than building frozensets at every boundary.
    code_of: dict[LabelT, int] = {}
    labels: list[LabelT] = []
    label_length: list[int] = []  # Σ unit lengths per label code, in first-seen order
    label_squares: list[int] = []  # Σ unit length² per label code
    rows: list[tuple[int, int, int, int]] = []  # coder, start, stop, label code
    for unit in units:
        annotator, start, stop, label = unit
        start = operator.index(start)
        stop = operator.index(stop)
        if start >= stop:
            raise ValueError(f"unit {unit!r}: start must be less than end")
        if start < begin or stop > end:
            raise ValueError(f"unit {unit!r} lies outside the continuum [{begin}, {end})")
        code = code_of.get(label)
        if code is None:
            code = code_of[label] = len(labels)
            labels.append(label)
            label_length.append(0)
            label_squares.append(0)
        coder = coder_of.get(annotator)
        if coder is None:
            coder = coder_of[annotator] = len(coder_of)
        rows.append((coder, start, stop, code))
        length = stop - start
        label_length[code] += length
        label_squares[code] += length * length

    m = len(coder_of)
    if m < 2:
        raise ValueError(f"unitized alpha needs at least two annotators, got {m}")
    total = m * (end - begin)  # l..: every coder values every position

    # One int per boundary, sorted: ((offset − begin)·2 + kind)·n + row; ends (kind 0) sort
    # before starts at one offset, so touching units never overlap. Ints sort much faster
    # than tuples, and the sweep below is the report's hottest loop.
    n = len(rows) or 1
    events = [((start - begin) * 2 + 1) * n + index for index, (_, start, _, _) in enumerate(rows)]
    events += [((stop - begin) * 2) * n + index for index, (_, _, stop, _) in enumerate(rows)]
    events.sort()

    value_of = [0] * m  # each coder's current value: a mask of label codes, 0 = gap
    open_mask = [0] * m  # the labels each coder is inside, as boundaries are passed
    section_start = [begin] * m
    coders_with: dict[int, int] = {0: m}  # coders currently holding a value
    squares_of_counts = m * m  # Σ over values of (coders holding it)²
    value_length: dict[int, int] = {}  # l_c, by value mask
    self_pairs = 0  # Λ
    disagreement = 0  # O
    label_active = [0] * len(labels)  # coders inside a unit of the label
    label_since = [begin] * len(labels)
    label_disagreement = [0] * len(labels)

    position = begin
    i = 0
    count = len(events)
    while i < count:
        spot = events[i] // n >> 1
        at = spot + begin
        # Ordered coder pairs that differ: m² − Σ_v n_v² for n_v coders holding value v.
        disagreement += (at - position) * (m * m - squares_of_counts)
        position = at
        touched = 0  # a mask of the coders with a boundary here
        while i < count:
            event = events[i]
            slot = event // n
            if slot >> 1 != spot:
                break
            i += 1
            index = event - slot * n
            coder, _, _, code = rows[index]
            if not touched >> coder & 1:
                # Any boundary of the coder's own units ends a section, even when the value
                # does not change (two touching units of one label are two units).
                length = at - section_start[coder]
                value = value_of[coder]
                value_length[value] = value_length.get(value, 0) + length
                self_pairs += length * length if value else length
                section_start[coder] = at
                touched |= 1 << coder
            active = label_active[code]
            label_disagreement[code] += (at - label_since[code]) * 2 * active * (m - active)
            label_since[code] = at
            bit = 1 << code
            if not slot & 1:  # an end
                open_mask[coder] &= ~bit
                label_active[code] = active - 1
            elif open_mask[coder] & bit:
                raise ValueError(
                    "overlapping units of the same label by one annotator: "
                    f"{_open_unit(rows, index, at, coder_of, labels)} and "
                    f"{_unit(rows[index], coder_of, labels)}"
                )
            else:
                open_mask[coder] |= bit
                label_active[code] = active + 1
        coder = 0
        while touched:
            if touched & 1:
                old, new = value_of[coder], open_mask[coder]
                if new != old:
                    held = coders_with[old]
                    coders_with[old] = held - 1
                    squares_of_counts -= 2 * held - 1
                    held = coders_with.get(new, 0)
                    coders_with[new] = held + 1
                    squares_of_counts += 2 * held + 1
                    value_of[coder] = new
            touched >>= 1
            coder += 1
    # After the last boundary every coder is in a gap, so no pair differs up to `end`.
    for coder in range(m):
        length = end - section_start[coder]
        value_length[0] = value_length.get(0, 0) + length
        self_pairs += length

    return UnitizedSums(
        m,
        total,
        disagreement,
        self_pairs,
        {_labels_of(mask, labels): length for mask, length in value_length.items()},
        dict(zip(labels, label_length, strict=True)),
        dict(zip(labels, label_squares, strict=True)),
        dict(zip(labels, label_disagreement, strict=True)),
    )


def _alpha(
    disagreement: int, m: int, total: int, self_pairs: int, value_squares: int
) -> float | None:
    """uα = 1 − O·(l..² − Λ) / ((m−1)·l..·(l..² − Σ_c l_c²)), from integer sums."""
    expected = (m - 1) * total * (total * total - value_squares)
    if expected == 0:
        return None  # only one value occurs: 0/0, undefined
    # int / int is correctly rounded, so equal inputs give bit-identical results.
    return (expected - disagreement * (total * total - self_pairs)) / expected


def _labels_of(mask: int, labels: list[LabelT]) -> frozenset[LabelT]:
    """The labels whose bits are set in `mask`."""
    return frozenset(label for code, label in enumerate(labels) if mask >> code & 1)


def _unit(
    row: tuple[int, int, int, int], coder_of: dict[AnnotatorT, int], labels: Sequence[Hashable]
) -> str:
    """A unit as the caller wrote it, for error messages."""
    coder, start, stop, code = row
    annotator = next(name for name, index in coder_of.items() if index == coder)
    return repr((annotator, start, stop, labels[code]))


def _open_unit(
    rows: list[tuple[int, int, int, int]],
    index: int,
    at: int,
    coder_of: dict[AnnotatorT, int],
    labels: Sequence[Hashable],
) -> str:
    """The unit of the same coder and label that the sweep holds open when unit `index`
    starts at `at` (for an error): one whose start came first in the sweep's order (an earlier
    offset, or the same offset and an earlier row) and whose end lies beyond `at`."""
    coder, _, _, code = rows[index]
    for other, row in enumerate(rows):
        same = other != index and row[0] == coder and row[3] == code
        started = row[1] < at or (row[1] == at and other < index)
        if same and started and row[2] > at:
            return _unit(row, coder_of, labels)
    return "another unit"
