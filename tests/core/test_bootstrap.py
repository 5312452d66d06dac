"""Bootstrap intervals (Hayes & Krippendorff 2007's resampling, percentile method): seeded
and reproducible, around the estimate, and the fast αU resampler equals the exact αU."""

from __future__ import annotations

import random

import pytest

from annotator.core.agreement.alpha_u import AlphaUResampler, alpha_u_of, alpha_u_sums
from annotator.core.agreement.bootstrap import blocks, bootstrap_interval
from annotator.core.agreement.coefficients import krippendorff_alpha


def coded(seed: int, units: int = 300) -> list[list[str]]:
    """Two coders who agree on about 80% of the units."""
    rng = random.Random(seed)
    first = [rng.choice("abc") for _ in range(units)]
    second = [value if rng.random() < 0.8 else rng.choice("abc") for value in first]
    return [first, second]


def test_an_interval_is_reproducible_and_holds_the_estimate() -> None:
    data = coded(1)
    units = list(zip(*data, strict=True))

    def alpha_of(weights: list[int]) -> float | None:
        drawn = [unit for unit, w in zip(units, weights, strict=True) for _ in range(w)]
        return krippendorff_alpha([list(column) for column in zip(*drawn, strict=True)])

    first = bootstrap_interval(len(units), alpha_of, resamples=200)
    again = bootstrap_interval(len(units), alpha_of, resamples=200)
    estimate = krippendorff_alpha(data)
    assert first == again and first is not None and estimate is not None
    assert first.low < estimate < first.high and first.high - first.low < 0.2
    assert first.resamples + first.undefined == 200 and first.clusters == 300
    assert bootstrap_interval(1, alpha_of) is None  # one cluster: nothing to resample


def test_every_resample_undefined_gives_no_interval() -> None:
    assert bootstrap_interval(5, lambda weights: None, resamples=10) is None


def test_blocks_keep_order_and_cover_everything() -> None:
    items = list(range(1000))
    runs = blocks(items, 40)
    assert len(runs) == 40 and [x for run in runs for x in run] == items
    assert blocks(items[:7], 40) == [[n] for n in range(7)]


def test_the_alpha_u_resampler_is_the_exact_alpha_u_of_one_block() -> None:
    rng = random.Random(3)
    units = []
    for coder in "abc":
        at = 0
        while at < 400:
            at += rng.randint(1, 30)
            length = rng.randint(1, 20)
            if at + length > 400:
                break
            units.append((coder, at, at + length, rng.choice("XY")))
            at += length
    sums = alpha_u_sums(units, 0, 400, annotators="abc")
    exact = alpha_u_of(sums).overall
    assert AlphaUResampler([(sums, 400)], 3).alpha([1]) == pytest.approx(exact)
