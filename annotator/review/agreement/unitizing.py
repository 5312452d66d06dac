"""The report's unitizing figures, in both variants: per document, pooled over the corpus
(documents laid end to end, in id order) and averaged over documents.

"2004" is Krippendorff's αU (1995/2004) as DKPro Statistics and INCEpTION compute it, the
report's headline; "2016" is uα (Krippendorff et al. 2016). Both pool exactly: their sums
of consecutive documents add up to the sums of the concatenation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotator.core.agreement.alpha_u import AlphaUSums, alpha_u_of, alpha_u_sums, pool_alpha_u
from annotator.core.agreement.coefficients import VARIANTS, UnitizedAlpha
from annotator.core.agreement.unitized import UnitizedSums, unitized_sums
from annotator.review.agreement.values import DocumentAlpha, UnitizedSummary, mean

Units = list[tuple[str, int, int, str]]


@dataclass
class VariantTally:
    """One variant's per-document values and pooled sums."""

    variant: str  # "2004" or "2016"
    coders: int  # the compared annotators: the pooled continuum needs all of them
    documents: list[DocumentAlpha] = field(default_factory=list)
    pooled: Any = None  # dict[str, AlphaUSums] (2004) or UnitizedSums (2016)
    pooled_length: int = 0
    pooled_documents: int = 0

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
            self.pooled = self._pool(self.pooled, self.pooled_length, sums, length)
            self.pooled_length += length
            self.pooled_documents += 1
        return result

    def _pool(self, first: Any, first_length: int, second: Any, second_length: int) -> Any:
        if first is None:
            return second
        if second is None:
            return first
        if self.variant == "2004":  # in place: pooling stays linear in the documents
            pool_alpha_u(first, first_length, second, second_length, self.coders)
            return first
        pooled: UnitizedSums[str] = first + second
        return pooled

    def merge(self, other: VariantTally) -> None:
        """Add `other`, which tallied the documents after this one's."""
        self.documents.extend(other.documents)
        self.pooled = self._pool(self.pooled, self.pooled_length, other.pooled, other.pooled_length)
        self.pooled_length += other.pooled_length
        self.pooled_documents += other.pooled_documents

    def pooled_alpha(self) -> UnitizedAlpha[str] | None:
        if self.pooled is None:
            return None
        if self.variant == "2004":
            sums: dict[str, AlphaUSums] = self.pooled
            return alpha_u_of(sums)
        result: UnitizedAlpha[str] = self.pooled.alpha()
        return result

    def summary(self, labels: tuple[str, ...]) -> UnitizedSummary:
        pooled_per_label: dict[str, float | None] = dict.fromkeys(labels)
        result = self.pooled_alpha() if self.coders >= 2 else None
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
            self.pooled_documents,
            mean([document.overall for document in measured]),
            mean_per_label,
            tuple(self.documents),
            variant=self.variant,
            citation=VARIANTS[self.variant],
        )
