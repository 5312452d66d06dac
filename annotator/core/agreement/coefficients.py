"""Inter-annotator agreement: Krippendorff's alpha, Cohen's and Fleiss' kappa, span F1, uα.

Pure standard library, so the review layer runs wherever the app runs (no numpy). Counts stay
integers or Fractions until the one final division: a coefficient then does not depend on the
order of coders, units or spans, and perfect agreement gives exactly 1.0.

Degenerate data follows one rule throughout: when expected disagreement is 0 (everyone used
one and the same value) the coefficient is 0/0, undefined, and returned as None - as
scikit-learn, statsmodels, the `krippendorff` package and DKPro Statistics give NaN or raise.
(It used to be 1.0, which reported perfect agreement for annotators who each used a single
label.) Data that cannot be paired at all raises ValueError.
"""

from __future__ import annotations

import math
import operator
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, TypeAlias

from annotator.core.agreement.alpha_u import alpha_u_of, alpha_u_sums
from annotator.core.agreement.matching import UNMATCHED, maximum_matching
from annotator.core.agreement.unitized import UnitizedAlpha, unitized_alpha_2016

Variant: TypeAlias = Literal["2004", "2016"]
VARIANTS: dict[str, str] = {
    "2004": "αU, Krippendorff (1995), Sociological Methodology 25:47-76; Krippendorff (2004), "
    "Content Analysis, 2nd ed., pp. 251-256 (as DKPro Statistics and INCEpTION compute it)",
    "2016": "uα, Krippendorff, Mathet, Bouvry & Widlöcher (2016), Quality & Quantity 50, "
    "section 5.1",
}


def unitized_alpha(
    units: Iterable[tuple[Hashable, int, int, Hashable]],
    begin: int,
    end: int,
    *,
    annotators: Iterable[Hashable] = (),
    variant: Variant = "2004",
) -> UnitizedAlpha[Hashable]:
    """Krippendorff's alpha for unitizing `(annotator, start, end, label)` units on the
    continuum [begin, end): variant "2004" (the default) is αU of Krippendorff 1995/2004 as
    DKPro Statistics computes it, "2016" the uα of Krippendorff et al. 2016 (`VARIANTS`
    cites both). Overall and per label; None where undefined. Every annotator who appears,
    or is named in `annotators`, codes the whole continuum."""
    if variant == "2004":
        return alpha_u_of(alpha_u_sums(units, begin, end, annotators=annotators))
    if variant == "2016":
        return unitized_alpha_2016(units, begin, end, annotators=annotators)
    raise ValueError(f"unknown variant {variant!r}: choose 2004 or 2016")


__all__ = [
    "VARIANTS",
    "Level",
    "SpanF1",
    "UnitizedAlpha",
    "Value",
    "Variant",
    "cohen_kappa",
    "fleiss_kappa",
    "krippendorff_alpha",
    "span_f1",
    "unitized_alpha",
]

Level: TypeAlias = Literal["nominal", "ordinal", "interval", "ratio"]
Value: TypeAlias = str | float
_LEVELS = ("nominal", "ordinal", "interval", "ratio")


def krippendorff_alpha(
    data: Sequence[Sequence[Value | None]], level: Level = "nominal"
) -> float | None:
    """Krippendorff's alpha for `data[coder][unit]`, None marking a missing value.

    Follows the coincidence-matrix computation of Krippendorff (2011), "Computing
    Krippendorff's Alpha-Reliability": units with fewer than two values are dropped (they
    cannot be paired), o_ck counts the pairs of values c, k within units, each unit's pairs
    weighted 1/(m_u - 1), and alpha = 1 - (n - 1) · Σ o_ck δ²_ck / Σ n_c n_k δ²_ck.

    `level` picks δ²: "nominal" (any hashable values: 0 if equal, else 1), "ordinal" (ranks of
    the numeric values, δ_ck = Σ_{g=c..k} n_g − (n_c + n_k)/2 with the marginal frequencies
    n_g), "interval" ((c − k)²) or "ratio" (((c − k)/(c + k))², values must be >= 0).

    Returns 1.0 when only one value occurs among the pairable values (expected disagreement
    0, and observed disagreement then 0 as well). Raises ValueError for coders of unequal
    length, no unit with two values, an unknown level, NaN/infinite values, or non-numbers
    at a numeric level.
    """
    if level not in _LEVELS:
        raise ValueError(f"unknown level {level!r}; use one of {', '.join(_LEVELS)}")
    n_units = len(data[0]) if data else 0
    for coder, row in enumerate(data):
        if len(row) != n_units:
            raise ValueError(
                f"coder {coder} has {len(row)} values but coder 0 has {n_units}: "
                "give every coder one entry per unit (None where missing)"
            )

    # pairs[m_u][c, k] = Σ over units with m_u values of n_uc · (n_uk − [c = k]); integer
    # counts grouped by m_u, so the 1/(m_u − 1) weights are applied once per group, exactly.
    pairs: defaultdict[int, Counter[tuple[Value, Value]]] = defaultdict(Counter)
    seen: set[Value] = set()
    for unit in range(n_units):
        counts = Counter(value for row in data if (value := row[unit]) is not None)
        seen.update(counts)
        m_u = counts.total()
        if m_u < 2:
            continue
        bucket = pairs[m_u]
        for c, count_c in counts.items():
            for k, count_k in counts.items():
                bucket[c, k] += count_c * (count_k - 1 if c == k else count_k)
    for value in seen:
        _check_value(value, level)
    if not pairs:
        raise ValueError("no pairable values: no unit has values from at least two coders")

    o: defaultdict[tuple[Value, Value], Fraction] = defaultdict(Fraction)
    for m_u, bucket in pairs.items():
        for pair, count in bucket.items():
            o[pair] += Fraction(count, m_u - 1)
    n_c: defaultdict[Value, Fraction] = defaultdict(Fraction)
    for (c, _), weight in o.items():
        n_c[c] += weight
    n = sum(n_c.values(), Fraction())

    observed, expected = _disagreements(o, n_c, n, level)
    if expected == 0:
        return None  # one value only: 0/0, undefined
    return float(1 - (n - 1) * observed / expected)


def _check_value(value: Value, level: Level) -> None:
    """Reject values the chosen level cannot measure, naming the offending value."""
    if isinstance(value, str):
        if level != "nominal":
            raise ValueError(f"{level} alpha needs numbers, got {value!r}")
        return
    if not math.isfinite(value):
        raise ValueError(f"value {value!r} is not a finite number (use None for missing)")
    if level == "ratio" and value < 0:
        raise ValueError(f"ratio alpha needs values >= 0, got {value!r}")


def _disagreements(
    o: dict[tuple[Value, Value], Fraction],
    n_c: dict[Value, Fraction],
    n: Fraction,
    level: Level,
) -> tuple[Fraction, Fraction]:
    """(Σ_ck o_ck δ²_ck, Σ_ck n_c n_k δ²_ck) for the level's difference function."""
    if level == "nominal":
        observed = n - sum((o.get((c, c), Fraction()) for c in n_c), Fraction())
        expected = n * n - sum((count * count for count in n_c.values()), Fraction())
        return observed, expected
    exact = {value: Fraction(value) for value in n_c}  # str was rejected by _check_value
    if level == "interval":
        observed = sum(
            (count * (exact[c] - exact[k]) ** 2 for (c, k), count in o.items()), Fraction()
        )
        # Σ_ck n_c n_k (c − k)² = 2 (n Σ n_c c² − (Σ n_c c)²): linear in the distinct values.
        first = sum((count * exact[c] for c, count in n_c.items()), Fraction())
        second = sum((count * exact[c] ** 2 for c, count in n_c.items()), Fraction())
        return observed, 2 * (n * second - first * first)

    ordered = sorted(n_c, key=lambda value: exact[value])
    rank = {value: index for index, value in enumerate(ordered)}
    cumulative = [Fraction()]  # cumulative[i] = Σ of the marginals of the i smallest values
    for value in ordered:
        cumulative.append(cumulative[-1] + n_c[value])

    def delta2(c: Value, k: Value) -> Fraction:
        if level == "ordinal":
            low, high = sorted((rank[c], rank[k]))
            between = cumulative[high + 1] - cumulative[low] - (n_c[c] + n_c[k]) / 2
            return between * between
        both = exact[c] + exact[k]
        return ((exact[c] - exact[k]) / both) ** 2 if both else Fraction()

    observed = sum((count * delta2(c, k) for (c, k), count in o.items() if c != k), Fraction())
    expected = Fraction()
    for i, c in enumerate(ordered):
        for k in ordered[i + 1 :]:
            expected += 2 * n_c[c] * n_c[k] * delta2(c, k)  # δ² is symmetric, δ²_cc = 0
    return observed, expected


def cohen_kappa(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's (1960) kappa of two raters' categorical judgements of the same items.

    kappa = (p_o − p_e) / (1 − p_e), p_o the share of items both rated alike and p_e the
    agreement expected from each rater's own category frequencies. Returns None (undefined,
    0/0) when both raters used one and the same category for everything (p_e = 1).
    Raises ValueError for lists of unequal length, empty lists, or None judgements.
    """
    if len(a) != len(b):
        raise ValueError(f"raters judged different numbers of items: {len(a)} and {len(b)}")
    if not a:
        raise ValueError("no items to compare")
    for rater, judgements in (("a", a), ("b", b)):
        for item, judgement in enumerate(judgements):
            if judgement is None:
                raise ValueError(f"rater {rater} has no judgement (None) for item {item}")
    n = len(a)
    agreed = sum(1 for x, y in zip(a, b, strict=True) if x == y)
    counts_b = Counter(b)
    chance = sum(count * counts_b[category] for category, count in Counter(a).items())
    # kappa = (agreed/n − chance/n²) / (1 − chance/n²), multiplied through by n²: integers.
    if chance == n * n:
        return None
    return (n * agreed - chance) / (n * n - chance)


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' (1971) kappa from `table[subject][category]` = raters choosing that category.

    Every subject must be rated by the same number n >= 2 of raters. kappa = (P̄ − P_e) /
    (1 − P_e) with P̄ the mean share of agreeing rater pairs per subject and P_e = Σ_j p_j²
    from the overall category shares p_j. Returns None (undefined, 0/0) when every rating is
    in one category (P_e = 1). Raises ValueError for an empty table, ragged rows, negative or
    non-integer counts, unequal row sums or fewer than two raters per subject.
    """
    if not table or not table[0]:
        raise ValueError("empty table: need at least one subject and one category")
    width = len(table[0])
    raters = -1
    column = [0] * width
    squares = 0
    for subject, row in enumerate(table):
        if len(row) != width:
            raise ValueError(f"subject {subject} has {len(row)} categories, subject 0 has {width}")
        counts = [operator.index(count) for count in row]  # rejects 2.5, accepts int-likes
        if min(counts) < 0:
            raise ValueError(f"subject {subject} has a negative count: {list(row)}")
        row_sum = sum(counts)
        if raters == -1:
            raters = row_sum
        elif row_sum != raters:
            raise ValueError(
                f"subject {subject} was rated {row_sum} times, subject 0 {raters} times: "
                "every subject needs the same number of raters"
            )
        for j, count in enumerate(counts):
            column[j] += count
        squares += sum(count * count for count in counts)
    if raters < 2:
        raise ValueError(f"need at least two raters per subject, got {raters}")
    # With T = N·n ratings, S = Σ n_ij², C = Σ_j (column sum)²: P̄ = (S − T)/(T(n − 1)) and
    # P_e = C/T², so kappa = (T(S − T) − C(n − 1)) / ((n − 1)(T² − C)), all integers.
    ratings = len(table) * raters
    chance = sum(count * count for count in column)
    if chance == ratings * ratings:
        return None
    numerator = ratings * (squares - ratings) - chance * (raters - 1)
    return numerator / ((raters - 1) * (ratings * ratings - chance))


@dataclass(frozen=True)
class SpanF1:
    """Agreement of predicted spans (b) with reference spans (a)."""

    precision: float
    recall: float
    f1: float
    true_positives: int
    false_positives: int
    false_negatives: int


Span: TypeAlias = tuple[int, int, Hashable]


def span_f1(
    spans_a: Iterable[Span],
    spans_b: Iterable[Span],
    match: Literal["exact", "overlap"] = "exact",
) -> SpanF1:
    """Precision, recall and F1 of spans_b (prediction) against spans_a (reference).

    Spans are `(start, end, label)` with end exclusive. "exact": a match has the same start,
    end and label (duplicates match one-to-one). "overlap": same label and at least one shared
    character, matched one to one by a maximum matching (`matching.py`: the most pairs that
    can be matched at once, whatever the order of the spans), so one span never matches two.

    With no spans at all on either side the result is precision = recall = f1 = 1.0: nothing
    was there and nothing was claimed. In general precision is 1.0 when b is empty and recall
    is 1.0 when a is empty (nothing claimed wrongly / nothing missed); f1 = 2TP / (|a| + |b|)
    is 0 whenever exactly one side is empty. Raises ValueError for a span with start >= end
    or an unknown `match`.
    """
    reference = _spans(spans_a, "spans_a")
    predicted = _spans(spans_b, "spans_b")
    if match == "exact":
        true_positives = (Counter(reference) & Counter(predicted)).total()
    elif match == "overlap":
        true_positives = _overlap_matches(reference, predicted)
    else:
        raise ValueError(f"unknown match {match!r}; use 'exact' or 'overlap'")
    n_a, n_b = len(reference), len(predicted)
    return SpanF1(
        precision=true_positives / n_b if n_b else 1.0,
        recall=true_positives / n_a if n_a else 1.0,
        f1=2 * true_positives / (n_a + n_b) if n_a + n_b else 1.0,
        true_positives=true_positives,
        false_positives=n_b - true_positives,
        false_negatives=n_a - true_positives,
    )


def _spans(spans: Iterable[Span], name: str) -> list[Span]:
    """The spans as a list, each checked to be non-empty."""
    result = list(spans)
    for span in result:
        if not span[0] < span[1]:
            raise ValueError(f"{name}: span {span!r} must have start < end")
    return result


def _overlap_matches(reference: list[Span], predicted: list[Span]) -> int:
    """Size of a maximum one-to-one matching of spans of one label sharing a character."""
    by_label: defaultdict[Hashable, list[tuple[int, int, int]]] = defaultdict(list)
    for j, (start, end, label) in enumerate(predicted):
        by_label[label].append((start, end, j))
    neighbours: list[list[int]] = []
    for start, end, label in reference:
        neighbours.append(
            [
                j
                for other_start, other_end, j in by_label.get(label, ())
                if min(end, other_end) > max(start, other_start)
            ]
        )
    matched = maximum_matching(neighbours, len(predicted))
    return sum(1 for partner in matched if partner != UNMATCHED)
