"""Gwet's AC1, kappa's standard error, MASI distance and alpha with a distance, against
published examples (sources in each test) and the package's own nominal alpha."""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from annotator.core.agreement.coefficients import cohen_kappa, krippendorff_alpha
from annotator.core.agreement.labels import (
    alpha_with_distance,
    gwet_ac1,
    kappa_standard_error,
    masi_distance,
)
from annotator.core.agreement.labels import (
    nominal_distance as nominal,
)


def items(*groups: tuple[int, object, object]) -> tuple[list[object], list[object]]:
    a: list[object] = []
    b: list[object] = []
    for times, x, y in groups:
        a += [x] * times
        b += [y] * times
    return a, b


def test_ac1_hand_example_of_gwet_2008() -> None:
    # DKPro Statistics' Gwet2008Test.testHandExample (Gwet 2008's definition): 8 yes/yes,
    # 1 no/no, 1 yes/no: p_o = 0.9, p_e = 0.255, AC1 = 0.8658 (Scott's pi would be 0.6078).
    a, b = items((8, "y", "y"), (1, "n", "n"), (1, "y", "n"))
    assert gwet_ac1(a, b) == pytest.approx(0.8658, abs=0.0001)


def test_ac1_on_cohens_1960_tables() -> None:
    # Cohen (1960) p. 37 and p. 45; AC1 values of DKPro's Gwet2008Test.
    first = items(
        (25, 1, 1), (12, 1, 2), (3, 1, 3), (13, 2, 1), (2, 2, 2), (15, 2, 3),
        (12, 3, 1), (16, 3, 2), (2, 3, 3),
    )  # fmt: skip
    second = items(
        (88, 1, 1), (14, 1, 2), (18, 1, 3), (10, 2, 1), (40, 2, 2), (10, 2, 3),
        (2, 3, 1), (6, 3, 2), (12, 3, 3),
    )  # fmt: skip
    assert gwet_ac1(*first) == pytest.approx(-0.0480, abs=0.0001)
    assert gwet_ac1(*second) == pytest.approx(0.5760, abs=0.0001)
    assert cohen_kappa(*second) == pytest.approx(0.492, abs=0.001)  # Cohen 1960, p. 45


def test_undefined_cases_are_none() -> None:
    one = items((10, "y", "y"))
    assert gwet_ac1(*one) is None  # DKPro raises InsufficientDataException
    assert cohen_kappa(*one) is None and kappa_standard_error(*one) is None


def test_kappa_standard_error_of_cohen_1960() -> None:
    # Cohen (1960) p. 45: p_o = .70, p_e = .41, N = 200: σ_κ = √(.70·.30 / (200·.59²)) = .0549.
    a, b = items(
        (88, 1, 1), (14, 1, 2), (18, 1, 3), (10, 2, 1), (40, 2, 2), (10, 2, 3),
        (2, 3, 1), (6, 3, 2), (12, 3, 3),
    )  # fmt: skip
    assert kappa_standard_error(a, b) == pytest.approx((0.7 * 0.3 / (200 * 0.59**2)) ** 0.5)
    assert kappa_standard_error(a, b) == pytest.approx(0.0549, abs=0.0001)


def test_masi_distance_of_passonneau_2006() -> None:
    ab, a, c = frozenset("ab"), frozenset("a"), frozenset("c")
    assert masi_distance(ab, ab) == 0
    assert masi_distance(ab, a) == 1 - Fraction(1, 2) * Fraction(2, 3)  # subset: J = 1/2, M = 2/3
    assert masi_distance(frozenset("ab"), frozenset("bc")) == 1 - Fraction(1, 3) * Fraction(1, 3)
    assert masi_distance(ab, c) == 1
    assert masi_distance(frozenset(), frozenset()) == 0


@given(
    st.lists(
        st.lists(st.one_of(st.none(), st.sampled_from("abc")), min_size=6, max_size=6),
        min_size=2,
        max_size=4,
    )
)
def test_alpha_with_the_nominal_distance_is_nominal_alpha(data: list[list[str | None]]) -> None:
    try:
        expected = krippendorff_alpha(data, "nominal")
    except ValueError:  # nothing pairable
        assert alpha_with_distance(data, nominal) is None
        return
    found = alpha_with_distance(data, nominal)
    assert (found is None and expected is None) or found == pytest.approx(expected)


def test_alpha_with_masi_credits_partial_overlap() -> None:
    a = [frozenset("ab"), frozenset("a"), frozenset("c"), frozenset()]
    b = [frozenset("a"), frozenset("a"), frozenset("c"), frozenset()]
    with_masi = alpha_with_distance([a, b], masi_distance)
    as_nominal = alpha_with_distance([a, b], nominal)
    assert with_masi is not None and as_nominal is not None and with_masi > as_nominal
