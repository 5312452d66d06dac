"""Krippendorff's αU (1995/2004), the default variant of `unitized_alpha`, against the
published figures and DKPro Statistics' own tests (dkpro-statistics-agreement,
org.dkpro.statistics.agreement.unitizing: Krippendorff2004Test, Krippendorff1995Test,
UnitizingAgreementTest), whose tolerances are kept."""

from __future__ import annotations

import pytest

from annotator.core.agreement.alpha_u import alpha_u_of, alpha_u_sums
from annotator.core.agreement.coefficients import VARIANTS, unitized_alpha

# Krippendorff (2004), Content Analysis, 2nd ed., p. 254: the continuum begins at 150 and is
# 300 long; observers i and j, categories c and k.
BOOK_2004 = [
    ("i", 225, 295, "c"),
    ("i", 370, 400, "c"),
    ("j", 220, 300, "c"),
    ("j", 355, 375, "c"),
    ("j", 400, 420, "c"),
    ("i", 180, 240, "k"),
    ("i", 300, 350, "k"),
    ("j", 180, 240, "k"),
    ("j", 300, 350, "k"),
]

# Krippendorff (1995), Sociological Methodology 25, p. 57: four pairs of coders (A-D) on a
# continuum of 24, as (offset, length, coder, category), stretched by DKPro's tests.
BOOK_1995 = [
    (2, 8, 0, "A"), (14, 6, 0, "A"), (4, 4, 1, "A"), (15, 2, 1, "A"),
    (0, 18, 0, "B"), (0, 2, 1, "B"), (2, 1, 1, "B"), (3, 1, 1, "B"), (4, 1, 1, "B"),
    (5, 1, 1, "B"), (6, 3, 1, "B"), (9, 1, 1, "B"),
    (2, 6, 0, "C"), (10, 2, 0, "C"), (14, 4, 0, "C"), (20, 2, 0, "C"), (0, 2, 1, "C"),
    (4, 4, 1, "C"), (10, 4, 1, "C"), (16, 2, 1, "C"), (20, 2, 1, "C"),
    (0, 2, 0, "D"), (2, 8, 0, "D"), (10, 4, 0, "D"), (14, 6, 0, "D"), (20, 4, 0, "D"),
    (0, 4, 1, "D"), (4, 4, 1, "D"), (8, 7, 1, "D"), (15, 2, 1, "D"), (17, 7, 1, "D"),
]  # fmt: skip


def stretched(
    stretch: float, only: str | None = None
) -> tuple[list[tuple[int, int, int, str]], int]:
    units = [
        (coder, int(offset * stretch), int(offset * stretch) + int(length * stretch), label)
        for offset, length, coder, label in BOOK_1995
        if only is None or label == only
    ]
    return units, int(24 * stretch)


def disagreements(units: list, begin: int, end: int) -> dict[str, tuple[float, float]]:  # type: ignore[type-arg]
    sums = alpha_u_sums(units, begin, end)
    return {label: tuple(float(x) for x in s.disagreements()) for label, s in sums.items()}  # type: ignore[misc]


def test_the_2004_book_example() -> None:
    result = unitized_alpha(BOOK_2004, 150, 450)  # variant "2004" is the default
    assert result.overall == pytest.approx(0.8591, abs=0.0005)  # the book: 0.8591
    assert result.per_label["c"] == pytest.approx(0.7286, abs=0.0001)
    assert result.per_label["k"] == 1.0
    found = disagreements(BOOK_2004, 150, 450)
    assert found["c"] == pytest.approx((0.0144, 0.0532), abs=0.0001)
    assert found["k"] == pytest.approx((0.0, 0.0490), abs=0.0001)
    # The 2016 uα on the same data: what the tool reported before, and a different number.
    later = unitized_alpha(BOOK_2004, 150, 450, variant="2016")
    assert later.overall == pytest.approx(0.6835, abs=0.0001)
    assert later.per_label["c"] == pytest.approx(0.5163, abs=0.0001)


def test_the_1995_example_observed_and_expected() -> None:
    units, end = stretched(1)
    found = disagreements(units, 0, end)
    for label, observed in {"A": 0.03125, "B": 2.26736, "C": 0.02777, "D": 0.38715}.items():
        assert found[label][0] == pytest.approx(observed, abs=0.00001)
    units, end = stretched(50_000)
    found = disagreements(units, 0, end)
    alpha = alpha_u_of(alpha_u_sums(units, 0, end)).per_label
    for label, expected, value in [
        ("A", 0.06990, 0.553),
        ("B", 1.17731, -0.926),
        ("C", 0.08642, 0.679),
        ("D", 0.41445, 0.066),
    ]:
        assert found[label][1] == pytest.approx(expected, abs=0.005)
        assert alpha[label] == pytest.approx(value, abs=0.02)


@pytest.mark.parametrize(
    ("stretch", "expected", "tolerance", "alpha"),
    [
        (0.5, 0.05494, 0.00001, 0.494),
        (5, 0.08234, 0.005, 0.663),
        (50, 0.08600, 0.005, 0.677),
        (500, 0.08638, 0.005, 0.678),
        (5000, 0.08642, 0.005, 0.679),
    ],
)
def test_the_1995_example_at_every_length(
    stretch: float, expected: float, tolerance: float, alpha: float
) -> None:
    units, end = stretched(stretch, only="C")
    found = disagreements(units, 0, end)
    assert found["C"][0] == pytest.approx(0.02777, abs=0.00001)
    assert found["C"][1] == pytest.approx(expected, abs=tolerance)
    assert unitized_alpha(units, 0, end).per_label["C"] == pytest.approx(alpha, abs=0.02)


def test_dkpro_unitizing_agreement_cases() -> None:
    # r0: -11111111-   r1: --1-1-1---
    units = [(0, 1, 9, "A"), (1, 2, 3, "A"), (1, 4, 5, "A"), (1, 6, 7, "A")]
    assert disagreements(units, 0, 10)["A"] == pytest.approx((0.9100, 0.5351), abs=0.0001)
    assert unitized_alpha(units, 0, 10).overall == pytest.approx(-0.7003, abs=0.0001)
    # One unit of three coders: observed equals expected, alpha 0 (DKPro: 0.0).
    assert unitized_alpha([(0, 0, 1, "X")], 0, 20, annotators=[0, 1, 2]).overall == 0.0
    # Nothing marked: undefined (DKPro: NaN), not 1.0.
    assert unitized_alpha([], 0, 20, annotators=[0, 1, 2]).overall is None


def test_a_split_unit_disagrees_with_the_whole_in_alpha_u_but_not_in_u_alpha() -> None:
    """uα compares values position by position; αU compares units."""
    whole = [("a", 10, 30, "X"), ("b", 10, 30, "X")]
    split = [("a", 10, 30, "X"), ("b", 10, 20, "X"), ("b", 20, 30, "X")]
    assert unitized_alpha(whole, 0, 50).overall == 1.0
    assert unitized_alpha(split, 0, 50).overall < 0.9  # type: ignore[operator]
    assert unitized_alpha(split, 0, 50, variant="2016").overall == pytest.approx(
        unitized_alpha(whole, 0, 50, variant="2016").overall, abs=0.02
    )


def test_documents_laid_end_to_end_pool_exactly() -> None:
    """The sums of two documents added equal the sums of the concatenation (the report's
    pooled αU), gaps meeting at the seam joining into one."""
    from annotator.core.agreement.alpha_u import pool_alpha_u

    first = [("a", 2, 5, "X"), ("b", 3, 5, "X"), ("a", 7, 9, "Y")]
    second = [("a", 1, 4, "X"), ("b", 0, 4, "X"), ("b", 6, 8, "X")]
    pooled = alpha_u_sums(first, 0, 10, annotators="ab")
    pool_alpha_u(pooled, 10, alpha_u_sums(second, 0, 12, annotators="ab"), 12, 2)
    shifted = first + [(who, start + 10, stop + 10, label) for who, start, stop, label in second]
    assert alpha_u_of(pooled) == unitized_alpha(shifted, 0, 22)


def test_both_variants_are_cited() -> None:
    assert "Krippendorff (2004)" in VARIANTS["2004"] and "DKPro" in VARIANTS["2004"]
    assert "2016" in VARIANTS["2016"] and "Quality & Quantity" in VARIANTS["2016"]
    with pytest.raises(ValueError, match="unknown variant"):
        unitized_alpha([], 0, 1, annotators="ab", variant="1999")  # type: ignore[arg-type]
