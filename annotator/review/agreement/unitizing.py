"""The report's unitizing figures, in both variants: per document, pooled over the corpus
(documents laid end to end, in id order) and averaged over documents.

"2004" is Krippendorff's αU (1995/2004) as DKPro Statistics and INCEpTION compute it, the
report's headline; "2016" is uα (Krippendorff et al. 2016). Both pool exactly: their sums
of consecutive documents add up to the sums of the concatenation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from annotator.core.agreement.alpha_u import (
    AlphaUResampler,
    AlphaUSums,
    alpha_u_of,
    alpha_u_sums,
    pool_alpha_u,
)
from annotator.core.agreement.bootstrap import Interval, blocks, bootstrap_interval
from annotator.core.agreement.coefficients import VARIANTS, UnitizedAlpha
from annotator.core.agreement.unitized import UnitizedSums, unitized_sums
from annotator.review.agreement.values import DocumentAlpha, UnitizedSummary, mean

Units = list[tuple[str, int, int, str]]


@dataclass
class VariantTally:
    """One variant's per-document values and pooled sums."""

    variant: str  # "2004" or "2016"
    coders: int  # the compared annotators: the pooled continuum needs all of them
    block: int = 1  # documents pooled into one bootstrap block (bootstrap.block_size)
    documents: list[DocumentAlpha] = field(default_factory=list)
    # Consecutive pooled documents joined into blocks, in id order: [sums, length, count].
    # Joined as they come (in the worker processes), they make the pooled value and the
    # clusters of the bootstrap interval.
    blocks: list[list[Any]] = field(default_factory=list)

    def add(self, units: Units, length: int, names: tuple[str, ...]) -> UnitizedAlpha[str]:
        """Measure one document; pool it when every compared annotator worked on it."""
        sums: Any
        if self.variant == "2004":
            sums = alpha_u_sums(units, 0, length, annotators=names)
            result = alpha_u_of(sums)
        else:
            sums = unitized_sums(units, 0, length, annotators=names)
            result = sums.alpha()
        if len(names) == self.coders:
            if self.blocks and self.blocks[-1][2] < self.block:
                last = self.blocks[-1]
                last[0] = self._pool(last[0], last[1], sums, length)
                last[1] += length
                last[2] += 1
            else:
                self.blocks.append([self._own(sums), length, 1])
        return result

    def _pool(self, first: Any, first_length: int, second: Any, second_length: int) -> Any:
        """`first` followed by `second`; `first` is this tally's own (changed in place),
        `second` is left as it is."""
        if second is None:
            return first
        if first is None:
            return self._own(second)
        if self.variant == "2004":  # in place: pooling stays linear in the documents
            pool_alpha_u(first, first_length, second, second_length, self.coders)
            return first
        pooled: UnitizedSums[str] = first + second
        return pooled

    def _own(self, sums: Any) -> Any:
        if self.variant == "2004":
            return {label: label_sums.copy() for label, label_sums in sums.items()}
        return sums  # UnitizedSums is immutable

    def interval(self, joined: list[tuple[Any, int]]) -> Interval | None:
        """The bootstrap interval of the pooled value, resampling documents (or blocks of
        consecutive documents past MAX_CLUSTERS), given the blocks `joined`."""
        if self.variant == "2004":
            return bootstrap_interval(len(joined), AlphaUResampler(joined, self.coders).alpha)
        sums = [block for block, _ in joined]

        def alpha_of(weights: list[int]) -> float | None:
            pooled: UnitizedSums[str] | None = None
            for block, weight in zip(sums, weights, strict=True):
                for _ in range(weight):
                    pooled = block if pooled is None else pooled + block
            return pooled.alpha().overall if pooled is not None else None

        return bootstrap_interval(len(sums), alpha_of)

    def _joined(self, parts: Sequence[tuple[Any, int]]) -> tuple[Any, int]:
        """The parts laid end to end; a copy of its own, unless there is only one part."""
        if len(parts) == 1:
            return parts[0]
        pooled, length = None, 0
        for sums, part_length in parts:
            pooled = self._pool(pooled, length, sums, part_length)
            length += part_length
        return pooled, length

    def merge(self, other: VariantTally) -> None:
        """Add `other`, which tallied the documents after this one's."""
        self.documents.extend(other.documents)
        self.blocks.extend(other.blocks)

    def pooled_alpha(self, joined: list[tuple[Any, int]]) -> UnitizedAlpha[str] | None:
        """The value of the documents laid end to end, from their blocks."""
        pooled, _ = self._joined(joined)
        if pooled is None:
            return None
        if self.variant == "2004":
            sums: dict[str, AlphaUSums] = pooled
            return alpha_u_of(sums)
        result: UnitizedAlpha[str] = pooled.alpha()
        return result

    def summary(self, labels: tuple[str, ...]) -> UnitizedSummary:
        pooled_per_label: dict[str, float | None] = dict.fromkeys(labels)
        # Slices of the report each end a block: join again past MAX_CLUSTERS.
        joined = [self._joined(run) for run in blocks([(b[0], b[1]) for b in self.blocks])]
        result = self.pooled_alpha(joined) if self.coders >= 2 else None
        if result is not None:
            pooled_per_label.update(result.per_label)
        measured = [document for document in self.documents if document.overall is not None]
        mean_per_label = {
            label: mean([d.per_label.get(label) for d in measured if label in d.per_label])
            for label in labels
        }
        return UnitizedSummary(
            result.overall if result is not None else None,
            pooled_per_label,
            sum(count for _, _, count in self.blocks),  # the pooled documents
            mean([document.overall for document in measured]),
            mean_per_label,
            tuple(self.documents),
            variant=self.variant,
            citation=VARIANTS[self.variant],
            interval=self.interval(joined) if result is not None else None,
        )
