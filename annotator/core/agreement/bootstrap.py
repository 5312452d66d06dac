"""Bootstrap confidence intervals for agreement coefficients, seeded and reproducible.

Hayes & Krippendorff (2007), "Answering the call for a standard reliability measure for
coding data", Communication Methods and Measures 1: 77-89, bootstrap alpha by resampling
what was coded. Here the resampled items are the units the coefficient is made of: the
(document, actor, issue) units of stance alpha, and whole documents for αU and uα (a
document's spans belong together: resampling inside a document would cut its continuum).
The interval is the 2.5th to 97.5th percentile of the resampled coefficients (the
percentile method); resamples where the coefficient is undefined are left out and counted.

A large corpus is resampled in blocks of consecutive items (in the order given: id order in
the report), at most `MAX_CLUSTERS` of them, so an interval costs the same whatever the
corpus size; a block keeps its documents together, as a cluster bootstrap does, and
`Interval.clusters` says how many there were. Within a resample, blocks count as separate
continua (their gaps do not join across blocks; the point estimate's do).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

T = TypeVar("T")

RESAMPLES = 500  # percentile ends within about ±0.01 of 2,000 resamples' on our corpora
MAX_CLUSTERS = 40  # the 2004 αU resample costs clusters² per label
SEED = 20071  # fixed: the same data give the same interval on every run and machine
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    """A percentile bootstrap interval."""

    low: float
    high: float
    resamples: int  # resamples with a defined coefficient
    undefined: int  # resamples where it was 0/0
    clusters: int  # what was resampled: units, documents, or blocks of them
    level: float = LEVEL

    def text(self) -> str:
        """For people: '95% 0.742–0.768'."""
        return f"{self.level:.0%} {self.low:.3f}–{self.high:.3f}"

    def as_json(self) -> dict[str, float | int]:
        return {
            "low": self.low,
            "high": self.high,
            "level": self.level,
            "resamples": self.resamples,
            "undefined": self.undefined,
            "clusters": self.clusters,
        }


def block_size(count: int, max_clusters: int = MAX_CLUSTERS) -> int:
    """Items per block so that `count` items make at most `max_clusters` blocks (one item
    each when there are few enough)."""
    return max(1, -(-count // max_clusters))


def blocks(items: Sequence[T], max_clusters: int = MAX_CLUSTERS) -> list[Sequence[T]]:
    """`items` cut into at most `max_clusters` runs of consecutive items."""
    size = block_size(len(items), max_clusters)
    return [items[start : start + size] for start in range(0, len(items), size)]


def bootstrap_interval(
    clusters: int,
    alpha_of: Callable[[list[int]], float | None],
    *,
    resamples: int = RESAMPLES,
    seed: int = SEED,
) -> Interval | None:
    """The 95% percentile interval of `alpha_of(weights)` over `resamples` resamples of
    `clusters` clusters with replacement; `weights[i]` says how often cluster i was drawn.
    None for fewer than two clusters or when no resample gave a defined value."""
    if clusters < 2:
        return None
    rng = random.Random(seed)
    values: list[float] = []
    undefined = 0
    indices = range(clusters)
    for _ in range(resamples):
        weights = [0] * clusters
        for index in rng.choices(indices, k=clusters):
            weights[index] += 1
        value = alpha_of(weights)
        if value is None:
            undefined += 1
        else:
            values.append(value)
    if not values:
        return None
    values.sort()
    tail = (1 - LEVEL) / 2
    low = values[int(tail * (len(values) - 1))]
    high = values[round((1 - tail) * (len(values) - 1))]
    return Interval(low, high, len(values), undefined, clusters)
