"""Agreement maths against published worked examples, hand computations and properties."""

from __future__ import annotations

from collections.abc import Hashable, Sequence
from fractions import Fraction
from itertools import pairwise

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from annotator.core.agreement.coefficients import (
    SpanF1,
    UnitizedAlpha,
    Value,
    cohen_kappa,
    fleiss_kappa,
    krippendorff_alpha,
    span_f1,
)
from annotator.core.agreement.unitized import unitized_alpha_2016

# --------------------------------------------------------------------------------------------
# Krippendorff's alpha

# Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section C (any number of
# observers, missing data): 4 observers x 12 units. Unit 12 has one value and is dropped.
KRIPPENDORFF_2011 = [
    [1, 2, 3, 3, 2, 1, 4, 1, 2, None, None, None],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, None, 3],
    [None, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, None],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, None],
]


@pytest.mark.parametrize(
    ("level", "published"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_krippendorff_2011_example(level: str, published: float) -> None:
    # The values printed in Krippendorff (2011) for this matrix, to three decimals.
    assert round(krippendorff_alpha(KRIPPENDORFF_2011, level), 3) == published  # type: ignore[arg-type]


def test_alpha_krippendorff_2011_nominal_by_hand() -> None:
    # Pairable values n = 40 (units 1-11); marginals n_1 = 9, n_2 = 13, n_3 = 10, n_4 = 5,
    # n_5 = 3, so Σ n_c² = 81 + 169 + 100 + 25 + 9 = 384.
    # Off-diagonal coincidences: unit 2 (2, 2, 3, 2): 2·3·1 ordered pairs / (4 − 1) = 2;
    # unit 6 (1, 2, 3, 4): 12 / 3 = 4; unit 8 (1, 1, 2, 1): 6 / 3 = 2; all others agree: 8.
    # alpha = 1 − (n − 1) · 8 / (n² − Σ n_c²) = 1 − 39 · 8 / (1600 − 384) = 904 / 1216.
    assert krippendorff_alpha(KRIPPENDORFF_2011) == 904 / 1216


def test_alpha_binary_two_coders() -> None:
    # Krippendorff (2011), section A (binary data, two observers, no missing data), also the
    # first example on Wikipedia's "Krippendorff's alpha" page: alpha = 0.095.
    # Units 1, 3, 6 and 9 disagree: o_01 = o_10 = 4. n_0 = 14, n_1 = 6, n = 20:
    # alpha = 1 − (n − 1) · o_01 / (n_0 · n_1) = 1 − 19 · 4 / 84 = 8 / 84.
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    assert round(krippendorff_alpha([a, b]), 3) == 0.095
    assert krippendorff_alpha([a, b]) == 8 / 84


# Wikipedia, "Krippendorff's alpha", section "A computational example": 3 coders x 15 units.
WIKIPEDIA_EXAMPLE: list[list[int | None]] = [
    [None, None, None, None, None, 3, 4, 1, 2, 1, 1, 3, 3, None, 3],
    [1, None, 2, 1, 3, 3, 4, 3, None, None, None, None, None, None, None],
    [None, None, 2, 1, 3, 4, 4, None, 2, 1, 1, 3, 3, None, 4],
]


def test_alpha_wikipedia_example() -> None:
    # Wikipedia gives nominal alpha = 0.691. By hand: n = 26 pairable values (units 3-13 and
    # 15), marginals n_1 = 7, n_2 = 4, n_3 = 10, n_4 = 5 (Σ n_c² = 190). Disagreeing pairs:
    # unit 6 (3, 3, 4): 4 ordered pairs / 2 = 2; unit 8 (1, 3): 2; unit 15 (3, 4): 2 -> 6.
    # alpha = 1 − (n − 1) · 6 / (n² − Σ n_c²) = 1 − 25 · 6 / 486 = 56 / 81.
    assert round(krippendorff_alpha(WIKIPEDIA_EXAMPLE), 3) == 0.691
    assert krippendorff_alpha(WIKIPEDIA_EXAMPLE) == 56 / 81
    # Interval alpha 0.811 for the same data, as asserted by two independent implementations'
    # test suites (fast-krippendorff: 0.810845; Perl Statistics::Krippendorff: 0.811).
    assert round(krippendorff_alpha(WIKIPEDIA_EXAMPLE, "interval"), 6) == 0.810845


def test_alpha_one_value_only_is_undefined() -> None:
    # Expected disagreement is 0: 0/0, None (the krippendorff package gives nan, DKPro
    # Statistics' KrippendorffAlphaAgreement raises InsufficientDataException).
    assert krippendorff_alpha([[1, 1, None], [1, 1, 1]]) is None
    assert krippendorff_alpha([["a", "a"], ["a", "a"]], "nominal") is None


def test_alpha_strings_and_dropped_units() -> None:
    # Unit 3 has one value and is dropped; units 1-2: (a, a), (a, b) -> n = 4, n_a = 3, n_b = 1,
    # o_ab = 1: alpha = 1 − 3 · 1 / (3 · 1) = 0.
    assert krippendorff_alpha([["a", "a", "c"], ["a", "b", None]]) == 0.0


@pytest.mark.parametrize(
    ("data", "level", "message"),
    [
        ([[1, None], [None, 2]], "nominal", "no pairable values"),
        ([], "nominal", "no pairable values"),
        ([[1, 2]], "nominal", "no pairable values"),
        ([[1, 2], [1]], "nominal", "coder 1 has 1 values"),
        ([[1, 2], [1, 2]], "cardinal", "unknown level"),
        ([["a", "b"], ["a", "b"]], "interval", "needs numbers"),
        ([[1.0, float("nan")], [1.0, 2.0]], "nominal", "not a finite number"),
        ([[1, -2], [1, 2]], "ratio", "values >= 0"),
    ],
)
def test_alpha_rejects(data: list[list[Value | None]], level: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        krippendorff_alpha(data, level)  # type: ignore[arg-type]


LEVELS = ("nominal", "ordinal", "interval", "ratio")


@given(
    values=st.lists(st.integers(0, 6), min_size=2, max_size=12).filter(lambda v: len(set(v)) > 1),
    coders=st.integers(2, 5),
    level=st.sampled_from(LEVELS),
)
def test_alpha_is_one_when_all_coders_agree(values: list[int], coders: int, level: str) -> None:
    assert krippendorff_alpha([values] * coders, level) == 1.0  # type: ignore[arg-type]


@given(
    data=st.integers(2, 6).flatmap(
        lambda units: st.lists(
            st.lists(st.none() | st.integers(0, 5), min_size=units, max_size=units),
            min_size=2,
            max_size=5,
        )
    ),
    level=st.sampled_from(LEVELS),
    seed=st.randoms(use_true_random=False),
)
def test_alpha_ignores_coder_order(data: list[list[int | None]], level: str, seed: object) -> None:
    pairable = any(sum(v is not None for v in unit) >= 2 for unit in zip(*data, strict=True))
    assume(pairable)
    shuffled = list(data)
    seed.shuffle(shuffled)  # type: ignore[attr-defined]
    assert krippendorff_alpha(shuffled, level) == krippendorff_alpha(data, level)  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Cohen's kappa


def _two_raters(yes_yes: int, yes_no: int, no_yes: int, no_no: int) -> tuple[list[str], list[str]]:
    """Rater a's and b's judgements from a 2x2 table (rows: a, columns: b)."""
    a = ["yes"] * (yes_yes + yes_no) + ["no"] * (no_yes + no_no)
    b = ["yes"] * yes_yes + ["no"] * yes_no + ["yes"] * no_yes + ["no"] * no_no
    return a, b


@pytest.mark.parametrize(
    ("table", "kappa"),
    [
        # Wikipedia, "Cohen's kappa", simple example: 50 proposals, p_o = 35/50 = 0.7,
        # p_e = 0.5 · 0.6 + 0.5 · 0.4 = 0.5, kappa = 0.2 / 0.5 = 0.4.
        ((20, 5, 10, 15), 0.4),
        # Same page, "same percentages but different numbers": p_o = 0.6 in both;
        # p_e = 0.6 · 0.7 + 0.4 · 0.3 = 0.54 -> 0.06/0.46 = 0.1304;
        # p_e = 0.6 · 0.3 + 0.4 · 0.7 = 0.46 -> 0.14/0.54 = 0.2593.
        ((45, 15, 25, 15), 0.1304),
        ((25, 35, 5, 35), 0.2593),
    ],
)
def test_cohen_kappa_wikipedia_examples(table: tuple[int, int, int, int], kappa: float) -> None:
    a, b = _two_raters(*table)
    assert round(cohen_kappa(a, b), 4) == kappa


def test_cohen_kappa_degenerate_and_errors() -> None:
    # p_e = 1: 0/0, None (scikit-learn's cohen_kappa_score gives nan, DKPro raises).
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None
    assert cohen_kappa(["x", "y"], ["y", "x"]) == -1.0
    with pytest.raises(ValueError, match="None"):
        cohen_kappa(["x", None], ["x", "y"])
    with pytest.raises(ValueError, match="different numbers of items"):
        cohen_kappa(["x"], ["x", "y"])
    with pytest.raises(ValueError, match="no items"):
        cohen_kappa([], [])


judgements = st.lists(st.sampled_from("abcd"), min_size=1, max_size=30)


@given(pair=judgements.flatmap(lambda a: st.tuples(st.just(a), st.permutations(a))))
def test_cohen_kappa_is_symmetric(pair: tuple[list[str], list[str]]) -> None:
    a, b = pair
    kappa = cohen_kappa(a, b)
    assert kappa == cohen_kappa(b, a)
    assert kappa is None if len(set(a) | set(b)) == 1 else -1.0 <= kappa <= 1.0  # type: ignore[operator]


# --------------------------------------------------------------------------------------------
# Fleiss' kappa

# Wikipedia, "Fleiss' kappa", worked example: 10 subjects, 14 raters, 5 categories.
FLEISS_WIKIPEDIA = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_kappa_wikipedia_example() -> None:
    # Column sums 20, 28, 39, 21, 32 of T = 140 ratings: P_e = 4170 / 19600 = 0.213.
    # Σ n_ij² = 828, so P̄ = (828 − 140) / (140 · 13) = 688 / 1820 = 0.378.
    # kappa = (0.378 − 0.213) / (1 − 0.213) = 0.210 (exactly 42110 / 200590).
    kappa = fleiss_kappa(FLEISS_WIKIPEDIA)
    assert round(kappa, 3) == 0.210
    assert kappa == 42110 / 200590


def test_fleiss_kappa_degenerate_and_errors() -> None:
    assert fleiss_kappa([[3, 0], [3, 0]]) is None  # P_e = 1: 0/0 (statsmodels gives nan)
    assert fleiss_kappa([[2, 0], [0, 2]]) == 1.0
    with pytest.raises(ValueError, match="same number of raters"):
        fleiss_kappa([[2, 0], [1, 2]])
    with pytest.raises(ValueError, match="at least two raters"):
        fleiss_kappa([[1, 0], [0, 1]])
    with pytest.raises(ValueError, match="negative"):
        fleiss_kappa([[3, -1], [1, 1]])
    with pytest.raises(ValueError, match="categories"):
        fleiss_kappa([[1, 1], [2]])
    with pytest.raises(ValueError, match="empty"):
        fleiss_kappa([])
    with pytest.raises(TypeError):
        fleiss_kappa([[1.5, 0.5], [1, 1]])  # type: ignore[list-item]


# --------------------------------------------------------------------------------------------
# Span F1


def test_span_f1_exact_by_hand() -> None:
    reference = [(0, 5, "PER"), (10, 15, "ORG"), (20, 25, "PER")]
    predicted = [(0, 5, "PER"), (10, 15, "PER"), (21, 25, "PER"), (30, 31, "LOC")]
    # Only (0, 5, PER) matches exactly: TP 1, FP 3, FN 2; P = 1/4, R = 1/3, F1 = 2/7.
    assert span_f1(reference, predicted) == SpanF1(
        precision=0.25,
        recall=1 / 3,
        f1=2 / 7,
        true_positives=1,
        false_positives=3,
        false_negatives=2,
    )


def test_span_f1_overlap_by_hand() -> None:
    reference = [(0, 5, "PER"), (10, 15, "ORG"), (20, 25, "PER")]
    predicted = [(0, 5, "PER"), (10, 15, "PER"), (21, 25, "PER"), (30, 31, "LOC")]
    # (21, 25) now matches (20, 25); (10, 15) has the wrong label. TP 2, FP 2, FN 1.
    result = span_f1(reference, predicted, match="overlap")
    assert (result.true_positives, result.false_positives, result.false_negatives) == (2, 2, 1)
    assert (result.precision, result.recall, result.f1) == (0.5, 2 / 3, 4 / 7)


def test_span_f1_overlap_is_one_to_one() -> None:
    # One reference span overlapped by two predictions: only one of them can match it.
    result = span_f1([(0, 10, "X")], [(0, 5, "X"), (5, 10, "X")], match="overlap")
    assert (result.true_positives, result.false_positives, result.false_negatives) == (1, 1, 0)
    assert (result.precision, result.recall, result.f1) == (0.5, 1.0, 2 / 3)
    # One prediction overlapping two references: it matches only the larger overlap.
    result = span_f1([(0, 10, "X"), (8, 20, "X")], [(5, 15, "X")], match="overlap")
    # Overlaps: (0, 10) ∩ (5, 15) = 5, (8, 20) ∩ (5, 15) = 7 -> the second reference matches.
    assert (result.true_positives, result.false_negatives) == (1, 1)


def test_span_f1_overlap_greedy_by_largest_overlap() -> None:
    reference = [(0, 10, "X"), (10, 12, "X")]
    predicted = [(8, 12, "X"), (0, 9, "X")]
    # Overlaps: r0-p0 2, r0-p1 9, r1-p0 2. Largest first: r0-p1 (9); then r1-p0 (2).
    result = span_f1(reference, predicted, match="overlap")
    assert result.true_positives == 2
    # Touching spans share no character, so they do not overlap.
    assert span_f1([(0, 5, "X")], [(5, 9, "X")], match="overlap").true_positives == 0


def test_span_f1_empty_sides() -> None:
    both_empty = span_f1([], [])
    assert (both_empty.precision, both_empty.recall, both_empty.f1) == (1.0, 1.0, 1.0)
    nothing_predicted = span_f1([(0, 1, "X")], [], match="overlap")
    assert (nothing_predicted.precision, nothing_predicted.recall, nothing_predicted.f1) == (
        1.0,
        0.0,
        0.0,
    )
    nothing_expected = span_f1([], [(0, 1, "X")])
    assert (nothing_expected.precision, nothing_expected.recall, nothing_expected.f1) == (
        0.0,
        1.0,
        0.0,
    )


def test_span_f1_exact_counts_duplicates_once_each() -> None:
    result = span_f1([(0, 1, "X"), (0, 1, "X")], [(0, 1, "X")])
    assert (result.true_positives, result.false_negatives) == (1, 1)


def test_span_f1_rejects() -> None:
    with pytest.raises(ValueError, match="start < end"):
        span_f1([(3, 3, "X")], [])
    with pytest.raises(ValueError, match="unknown match"):
        span_f1([], [], match="fuzzy")  # type: ignore[arg-type]


span_lists = st.lists(
    st.tuples(st.integers(0, 30), st.integers(1, 8), st.sampled_from("XY")).map(
        lambda t: (t[0], t[0] + t[1], t[2])
    ),
    max_size=8,
)


@given(a=span_lists, b=span_lists, match=st.sampled_from(["exact", "overlap"]))
def test_span_f1_bounds(
    a: list[tuple[int, int, str]], b: list[tuple[int, int, str]], match: str
) -> None:
    result = span_f1(a, b, match=match)  # type: ignore[arg-type]
    assert 0.0 <= result.f1 <= 1.0
    assert 0.0 <= result.precision <= 1.0
    assert 0.0 <= result.recall <= 1.0
    assert result.true_positives + result.false_positives == len(b)
    assert result.true_positives + result.false_negatives == len(a)
    assert span_f1(a, a, match=match).f1 == 1.0  # type: ignore[arg-type]


# --------------------------------------------------------------------------------------------
# Unitized alpha (uα of Krippendorff, Mathet, Bouvry & Widlöcher 2016)

Unit = tuple[Hashable, int, int, Hashable]


def reference_u_alpha(
    units: Sequence[Unit], begin: int, end: int, annotators: Sequence[Hashable]
) -> float:
    """uα straight from the published definitions, one character at a time.

    l_ck = 1/(m−1) Σ_i Σ_{j≠i} |positions where i says c and j says k|;
    e_ck = l.. (l_c l_k − [c = k] Λ_c) / (l..² − Λ), λ = length² for a unit section and
    length for a gap section; uα = 1 − Σ_{c≠k} l_ck / Σ_{c≠k} e_ck (1.0 if that is 0/0).
    Deliberately naive and independent of the sweep in the implementation.
    """
    m = len(annotators)
    positions = range(begin, end)

    def value(annotator: Hashable, p: int) -> frozenset[Hashable]:
        return frozenset(u[3] for u in units if u[0] == annotator and u[1] <= p < u[2])

    values = {a: [value(a, p) for p in positions] for a in annotators}
    observed: dict[tuple[frozenset[Hashable], frozenset[Hashable]], Fraction] = {}
    for i in annotators:
        for j in annotators:
            if i != j:
                for c, k in zip(values[i], values[j], strict=True):
                    observed[c, k] = observed.get((c, k), Fraction()) + Fraction(1, m - 1)
    margin: dict[frozenset[Hashable], Fraction] = {}
    for (c, _), count in observed.items():
        margin[c] = margin.get(c, Fraction()) + count
    self_pairs: dict[frozenset[Hashable], int] = {}
    for a in annotators:
        cuts = sorted({begin, end} | {p for u in units if u[0] == a for p in u[1:3]})
        for start, stop in pairwise(cuts):
            v = value(a, start)
            self_pairs[v] = self_pairs.get(v, 0) + (stop - start) ** (2 if v else 1)
    total = Fraction(m * (end - begin))
    denominator = total**2 - sum(self_pairs.values())
    d_o = sum((n for (c, k), n in observed.items() if c != k), Fraction())
    d_e = sum(
        (total * margin[c] * margin[k] / denominator for c in margin for k in margin if c != k),
        Fraction(),
    )
    return None if d_e == 0 else float(1 - d_o / d_e)


def test_unitized_perfect_agreement() -> None:
    units = [
        (annotator, start, stop, label)
        for annotator in ("ann", "bob", "cy")
        for start, stop, label in [(0, 4, "actor"), (10, 20, "quote"), (12, 15, "actor")]
    ]
    result = unitized_alpha_2016(units, 0, 30)
    assert result == UnitizedAlpha(overall=1.0, per_label={"actor": 1.0, "quote": 1.0})


def test_unitized_two_coders_one_label_by_hand() -> None:
    # Continuum [0, 10), m = 2, l.. = 20. A: X on [2, 6); B: X on [4, 8).
    # Sections A: ∅ 2, X 4, ∅ 4; B: ∅ 4, X 4, ∅ 2.
    # Observed (both orders, divided by m − 1 = 1): l_∅∅ = 8, l_XX = 4, l_X∅ = l_∅X = 4.
    # l_X = 8, l_∅ = 12. Λ = 4² + 4² (units) + 2 + 4 + 4 + 2 (gaps) = 44.
    # D_o = l_X∅ + l_∅X = 8; D_e = 2 e_X∅ = 2 · 20 · 8 · 12 / (400 − 44) = 3840 / 356.
    # uα = 1 − 8 · 356 / 3840 = 992 / 3840 = 31 / 120 = 0.2583.
    result = unitized_alpha_2016([("A", 2, 6, "X"), ("B", 4, 8, "X")], 0, 10)
    assert result.overall == 31 / 120
    assert result.per_label == {"X": 31 / 120}


def test_unitized_two_labels_by_hand() -> None:
    # Continuum [0, 10), m = 2, l.. = 20. A: X [0, 4), Y [4, 10); B: X [0, 6), gap after.
    # Observed: l_XX = 2·4 = 8, l_XY = l_YX = 2 (on [4, 6)), l_Y∅ = l_∅Y = 4 (on [6, 10)).
    # l_X = 4 + 6 = 10, l_Y = 6, l_∅ = 4: Σ l_c² = 100 + 36 + 16 = 152.
    # Λ = 4² + 6² + 6² (units) + 4 (gap) = 92.
    # D_o = 12; D_e = l.. (l..² − Σ l_c²) / (l..² − Λ) = 20 · 248 / 308.
    # uα = 1 − 12 · 308 / 4960 = 1264 / 4960 = 79 / 310 = 0.2548.
    units = [("A", 0, 4, "X"), ("A", 4, 10, "Y"), ("B", 0, 6, "X")]
    result = unitized_alpha_2016(units, 0, 10)
    assert result.overall == 79 / 310
    # X alone: A X [0, 4), B X [0, 6); they differ on [4, 6): O = 2 chars · 2 orders = 4.
    # l_X = l_∅ = 10; Λ = 16 + 36 + 10 = 62; uα = 1 − 4 · 338 / (20 · 200) = 0.662.
    assert result.per_label["X"] == 0.662
    # Y alone: only A marks it, on [4, 10): O = 6 · 2 = 12; l_Y = 6, l_∅ = 14;
    # Λ = 36 + 14 = 50; uα = 1 − 12 · 350 / (20 · (400 − 36 − 196)) = 1 − 4200/3360 = −0.25.
    assert result.per_label["Y"] == -0.25


def test_unitized_three_coders_by_hand() -> None:
    # Continuum [0, 10), m = 3, l.. = 30. A and B: X [0, 5); C: X [0, 4).
    # Only position 4 differs: C says ∅ against A and B. Ordered pairs that differ there:
    # (A,C), (B,C), (C,A), (C,B) = 4, so D_o = 4 / (m − 1) = 2.
    # l_X = 5 + 5 + 4 = 14, l_∅ = 16: Σ l_c² = 196 + 256 = 452.
    # Λ = 25 + 25 + 16 (units) + 5 + 5 + 6 (gaps) = 82.
    # D_e = 30 · (900 − 452) / (900 − 82) = 13440 / 818; uα = 1 − 2 · 818 / 13440 = 2951/3360.
    result = unitized_alpha_2016([("A", 0, 5, "X"), ("B", 0, 5, "X"), ("C", 0, 4, "X")], 0, 10)
    assert result.overall == 2951 / 3360
    assert round(result.overall, 4) == 0.8783


@st.composite
def unitizations(
    draw: st.DrawFn,
) -> tuple[list[Unit], int, int, list[str]]:
    """Random valid input: per annotator and label, disjoint (possibly touching) units."""
    begin = draw(st.integers(0, 5))
    end = begin + draw(st.integers(1, 24))
    annotators = draw(st.lists(st.sampled_from("ABCD"), min_size=2, max_size=4, unique=True))
    units: list[Unit] = []
    for annotator in annotators:
        for label in draw(st.lists(st.sampled_from("XYZ"), max_size=3, unique=True)):
            cuts = sorted(draw(st.lists(st.integers(begin, end), max_size=8, unique=True)))
            for start, stop in pairwise(cuts):
                if draw(st.booleans()):
                    units.append((annotator, start, stop, label))
    return draw(st.permutations(units)), begin, end, annotators


@given(unitizations())
def test_unitized_matches_reference(case: tuple[list[Unit], int, int, list[str]]) -> None:
    units, begin, end, annotators = case
    result = unitized_alpha_2016(units, begin, end, annotators=annotators)
    assert result.overall == reference_u_alpha(units, begin, end, annotators)
    labels = {u[3] for u in units}
    assert set(result.per_label) == labels
    for label in labels:
        alone = [u for u in units if u[3] == label]
        assert result.per_label[label] == reference_u_alpha(alone, begin, end, annotators)


@given(unitizations(), st.randoms(use_true_random=False))
def test_unitized_ignores_order_and_position(
    case: tuple[list[Unit], int, int, list[str]], seed: object
) -> None:
    units, begin, end, annotators = case
    result = unitized_alpha_2016(units, begin, end, annotators=annotators)
    reordered = list(annotators)
    seed.shuffle(reordered)  # type: ignore[attr-defined]
    assert unitized_alpha_2016(units[::-1], begin, end, annotators=reordered) == result
    shifted = [(a, start + 100, stop + 100, label) for a, start, stop, label in units]
    assert unitized_alpha_2016(shifted, begin + 100, end + 100, annotators=annotators) == result


@given(unitizations())
def test_unitized_is_one_when_everyone_copies_one_annotator(
    case: tuple[list[Unit], int, int, list[str]],
) -> None:
    units, begin, end, annotators = case
    first = [u for u in units if u[0] == annotators[0]]
    copied = [(a, start, stop, label) for a in annotators for _, start, stop, label in first]
    result = unitized_alpha_2016(copied, begin, end, annotators=annotators)
    # Copies agree perfectly, unless nothing could differ at all (0/0: None).
    assert result.overall in (1.0, None)
    assert all(alpha in (1.0, None) for alpha in result.per_label.values())


GAP = "∅"
grid_cells = st.sampled_from([None, "X", "Y", "Z"])


@given(
    st.integers(1, 12).flatmap(
        lambda n: st.lists(st.lists(grid_cells, min_size=n, max_size=n), min_size=2, max_size=4)
    )
)
def test_unitized_on_unit_grid_equals_nominal_alpha(grid: list[list[str | None]]) -> None:
    # When every unit is one cell of length 1 (unitizing with every boundary fixed), uα is
    # nominal alpha over the cells with the gap as one more value: l_ck becomes o_ck and, as
    # every section has length 1, λ = 1 for units and gaps alike, so e_ck = n_c(n_k − δ)/(n−1).
    units = [
        (coder, cell, cell + 1, label)
        for coder, row in enumerate(grid)
        for cell, label in enumerate(row)
        if label is not None
    ]
    result = unitized_alpha_2016(units, 0, len(grid[0]), annotators=range(len(grid)))
    coded = [[GAP if label is None else label for label in row] for row in grid]
    assert result.overall == krippendorff_alpha(coded)
    # Each label alone is binary nominal alpha (label / not label) over the same cells.
    for label, alpha in result.per_label.items():
        assert alpha == krippendorff_alpha([[cell == label for cell in row] for row in grid])


@given(
    st.integers(2, 5),
    st.integers(1, 8).flatmap(
        lambda n: st.lists(
            st.lists(st.sampled_from("XYZ"), min_size=n, max_size=n), min_size=2, max_size=4
        )
    ),
)
def test_unitized_on_wider_grid_without_gaps_equals_nominal_alpha(
    width: int, grid: list[list[str]]
) -> None:
    # With cells of any fixed length s and no gaps, every λ is s², so l_ck = s·o_ck and
    # e_ck = s · n_c(n_k − δ)/(n − 1): the factor s cancels in uα.
    units = [
        (coder, cell * width, (cell + 1) * width, label)
        for coder, row in enumerate(grid)
        for cell, label in enumerate(row)
    ]
    assert unitized_alpha_2016(units, 0, width * len(grid[0])).overall == krippendorff_alpha(grid)


def test_unitized_wider_grid_with_gaps_is_not_nominal_alpha() -> None:
    # The identity needs length-1 cells once gaps occur: a gap of length s adds s self-pairs
    # (its points pair freely) where a unit adds s². Cells [X, gap] against [X, X]:
    # nominal alpha with ∅ as a value: n = 4, n_X = 3, n_∅ = 1, o_X∅ = 1 -> 1 − 3·2/6 = 0.
    grid = [["X", GAP], ["X", "X"]]
    assert krippendorff_alpha(grid) == 0.0
    # s = 2: l.. = 8, O = 2·2 = 4, l_X = 6, l_∅ = 2, Λ = 4 + 2 + 4 + 4 = 14:
    # uα = 1 − 4 · (64 − 14) / (8 · (64 − 40)) = 1 − 200/192 = −1/24.
    units = [("A", 0, 2, "X"), ("B", 0, 2, "X"), ("B", 2, 4, "X")]
    assert unitized_alpha_2016(units, 0, 4).overall == -1 / 24


def test_unitized_touching_units_of_one_label_agree_with_one_long_unit() -> None:
    # uα compares values position by position, so splitting a unit into touching units of
    # the same label is no observed disagreement (it only changes expected coincidences).
    units = [("A", 0, 5, "X"), ("A", 5, 10, "X"), ("B", 0, 10, "X")]
    assert unitized_alpha_2016(units, 0, 20).overall == 1.0


def test_unitized_overlapping_labels_form_a_combined_value() -> None:
    # A marks X [0, 10) and Y [5, 10): on [5, 10) A's value is {X, Y}, which differs from B's
    # plain X there. X alone agrees perfectly; Y alone is only A's.
    units = [("A", 0, 10, "X"), ("A", 5, 10, "Y"), ("B", 0, 10, "X")]
    result = unitized_alpha_2016(units, 0, 20)
    assert result.per_label["X"] == 1.0
    assert result.overall < 1.0
    assert result.overall == reference_u_alpha(units, 0, 20, ["A", "B"])


def test_unitized_silent_annotator_counts_when_named() -> None:
    units = [("A", 0, 5, "X"), ("B", 0, 5, "X")]
    assert unitized_alpha_2016(units, 0, 10).overall == 1.0
    with_silent = unitized_alpha_2016(units, 0, 10, annotators=["A", "B", "C"])
    assert with_silent.overall < 1.0
    # Nobody marked anything: one value (gap) throughout, 0/0: undefined.
    assert unitized_alpha_2016([], 0, 10, annotators=["A", "B"]) == UnitizedAlpha(None, {})
    # Everyone covered the whole continuum with one label: likewise undefined.
    assert unitized_alpha_2016([("A", 0, 10, "X"), ("B", 0, 10, "X")], 0, 10).overall is None


@pytest.mark.parametrize(
    ("units", "begin", "end", "message"),
    [
        ([("A", 3, 3, "X"), ("B", 0, 1, "X")], 0, 10, "start must be less than end"),
        ([("A", 5, 3, "X"), ("B", 0, 1, "X")], 0, 10, "start must be less than end"),
        ([("A", 0, 11, "X"), ("B", 0, 1, "X")], 0, 10, "outside the continuum"),
        ([("A", -1, 2, "X"), ("B", 0, 1, "X")], 0, 10, "outside the continuum"),
        ([("A", 0, 5, "X"), ("A", 4, 8, "X"), ("B", 0, 1, "X")], 0, 10, "overlapping"),
        ([("A", 0, 5, "X"), ("A", 0, 5, "X"), ("B", 0, 1, "X")], 0, 10, "overlapping"),
        ([("A", 0, 9, "X"), ("A", 2, 3, "X"), ("B", 0, 1, "X")], 0, 10, "overlapping"),
        ([("A", 0, 5, "X")], 0, 10, "at least two annotators"),
        ([], 0, 10, "at least two annotators"),
        ([("A", 0, 5, "X"), ("B", 0, 1, "X")], 5, 5, "empty continuum"),
    ],
)
def test_unitized_rejects(units: list[Unit], begin: int, end: int, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        unitized_alpha_2016(units, begin, end)


def test_unitized_overlap_error_names_both_units() -> None:
    with pytest.raises(ValueError, match=r"\('ann', 0, 5, 'X'\) and \('ann', 4, 8, 'X'\)"):
        unitized_alpha_2016([("ann", 0, 5, "X"), ("ann", 4, 8, "X"), ("bob", 0, 1, "X")], 0, 10)


def test_unitized_overlap_error_names_the_unit_that_is_open() -> None:
    # (3, 8) starts where (3, 5) does but is not open yet when (3, 5) meets (0, 9).
    units = [("ann", 3, 5, "X"), ("ann", 3, 8, "X"), ("ann", 0, 9, "X"), ("bob", 0, 1, "X")]
    with pytest.raises(ValueError, match=r"\('ann', 0, 9, 'X'\) and \('ann', 3, 5, 'X'\)"):
        unitized_alpha_2016(units, 0, 10)


def test_pooled_sums_equal_the_documents_laid_end_to_end() -> None:
    """UnitizedSums add up to exactly the uα of the concatenated continuum."""
    from annotator.core.agreement.unitized import unitized_sums

    first = [("a", 0, 4, "X"), ("b", 1, 4, "X"), ("a", 6, 9, "Y"), ("c", 7, 10, "Y")]
    second = [("a", 2, 5, "X"), ("b", 2, 6, "Y"), ("c", 0, 3, "X")]
    coders = ("a", "b", "c")
    pooled = (
        unitized_sums(first, 0, 10, annotators=coders)
        + unitized_sums(second, 0, 8, annotators=coders)
    ).alpha()
    joined = first + [(name, start + 10, end + 10, label) for name, start, end, label in second]
    direct = unitized_alpha_2016(joined, 0, 18, annotators=coders)
    assert pooled.overall == direct.overall
    assert pooled.per_label == direct.per_label
