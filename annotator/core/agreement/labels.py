"""Agreement on categories given to whole items (document labels): Gwet's AC1, the standard
error of Cohen's kappa, and Krippendorff's alpha with any distance, MASI for label sets.

Re-exported by `annotator.core.agreement.coefficients`. Exact (Fractions) up to the last
division, and None where a coefficient is 0/0, like the rest of the package.

References:
* Gwet, K. L. (2008), "Computing inter-rater reliability and its variance in the presence of
  high agreement", British Journal of Mathematical and Statistical Psychology 61: 29-48:
  AC1 = (p_o − p_e) / (1 − p_e), p_e = Σ_k π_k (1 − π_k) / (q − 1), π_k the share of all
  ratings in category k, q the number of categories.
* Cohen, J. (1960), "A coefficient of agreement for nominal scales", Educational and
  Psychological Measurement 20: 37-46: the large-sample standard error of kappa,
  σ_κ = √(p_o (1 − p_o) / (n (1 − p_e)²)).
* Passonneau, R. (2006), "Measuring agreement on set-valued items (MASI) for semantic and
  pragmatic annotation", LREC: d(A, B) = 1 − J·M, J = |A ∩ B| / |A ∪ B| and M = 1 if A = B,
  2/3 if one contains the other, 1/3 if they only intersect, 0 if disjoint.
* Krippendorff, K. (2004), Content Analysis, 2nd ed., section 11.3: alpha from the
  coincidences of values, α = 1 − (n − 1) Σ o_ck δ_ck / Σ n_c n_k δ_ck, for any δ.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Hashable, Sequence
from fractions import Fraction
from typing import TypeVar

H = TypeVar("H", bound=Hashable)


def _paired(a: Sequence[Hashable], b: Sequence[Hashable]) -> int:
    if len(a) != len(b):
        raise ValueError(f"raters judged different numbers of items: {len(a)} and {len(b)}")
    if not a:
        raise ValueError("no items to compare")
    return len(a)


def gwet_ac1(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Gwet's (2008) AC1 of two raters' judgements of the same items; None with fewer than
    two categories in use (nothing to decide between)."""
    n = _paired(a, b)
    categories = Counter(a) + Counter(b)
    q = len(categories)
    if q < 2:
        return None
    agreed = Fraction(sum(1 for x, y in zip(a, b, strict=True) if x == y), n)
    total = 2 * n
    chance = sum(
        (Fraction(count, total) * (1 - Fraction(count, total)) for count in categories.values()),
        Fraction(0),
    ) / (q - 1)
    return float((agreed - chance) / (1 - chance))


def kappa_standard_error(a: Sequence[Hashable], b: Sequence[Hashable]) -> float | None:
    """Cohen's (1960) large-sample standard error of kappa; None where kappa is undefined."""
    n = _paired(a, b)
    agreed = Fraction(sum(1 for x, y in zip(a, b, strict=True) if x == y), n)
    counts_b = Counter(b)
    chance = sum(
        (Fraction(count * counts_b[category], n * n) for category, count in Counter(a).items()),
        Fraction(0),
    )
    if chance == 1:
        return None
    return math.sqrt(agreed * (1 - agreed) / (n * (1 - chance) ** 2))


def masi_distance(x: frozenset[Hashable], y: frozenset[Hashable]) -> Fraction:
    """Passonneau's (2006) MASI distance between two sets of labels (two empty sets: 0)."""
    if x == y:
        return Fraction(0)
    union = len(x | y)
    shared = len(x & y)
    if not shared:
        return Fraction(1)
    monotonicity = Fraction(2, 3) if x <= y or y <= x else Fraction(1, 3)
    return 1 - Fraction(shared, union) * monotonicity


def nominal_distance(x: Hashable, y: Hashable) -> Fraction:
    """The nominal metric: 0 for the same value, 1 for any other."""
    return Fraction(0 if x == y else 1)


Coincidences = defaultdict[tuple[Hashable, Hashable], Fraction]


def coincidences(values: Sequence[Hashable]) -> Coincidences:
    """The coincidences one unit adds: each ordered pair of values by different coders,
    weighted 1/(m_u − 1); a unit with fewer than two values adds nothing."""
    found: Coincidences = defaultdict(Fraction)
    m = len(values)
    if m < 2:
        return found
    weight = Fraction(1, m - 1)
    counts = Counter(values)
    for c, times_c in counts.items():
        for k, times_k in counts.items():
            pairs = times_c * (times_k - 1) if c == k else times_c * times_k
            if pairs:
                found[c, k] += pairs * weight
    return found


def alpha_from_coincidences(
    found: dict[tuple[H, H], Fraction], distance: Callable[[H, H], Fraction]
) -> float | None:
    """Krippendorff's alpha from summed coincidences; None when expected disagreement is 0
    or nothing was pairable."""
    totals: defaultdict[H, Fraction] = defaultdict(Fraction)
    for (c, _), weight in found.items():
        totals[c] += weight
    n = sum(totals.values(), Fraction(0))
    if n <= 1:
        return None
    observed = sum((w * distance(c, k) for (c, k), w in found.items() if c != k), Fraction(0))
    values = list(totals)
    expected = Fraction(0)
    for i, c in enumerate(values):
        for k in values[i + 1 :]:
            expected += 2 * totals[c] * totals[k] * distance(c, k)
    if not expected:
        return None
    return float(1 - (n - 1) * observed / expected)


def alpha_with_distance(
    data: Sequence[Sequence[H | None]], distance: Callable[[H, H], Fraction]
) -> float | None:
    """Krippendorff's alpha for `data[coder][unit]` (None: missing) with `distance`, e.g.
    `masi_distance` for sets of labels."""
    if not data:
        raise ValueError("no coders")
    width = len(data[0])
    if any(len(row) != width for row in data):
        raise ValueError("every coder needs a value (or None) for every unit")
    found: Coincidences = defaultdict(Fraction)
    for unit in range(width):
        present = [row[unit] for row in data if row[unit] is not None]
        for pair, weight in coincidences(present).items():
            found[pair] += weight
    return alpha_from_coincidences(found, distance)  # type: ignore[arg-type]
