"""The agreement report as plain, frozen values, and its JSON form.

Import these from `annotator.review.agreement.report`, whose docstring documents every JSON key.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from annotator.core.agreement.bootstrap import Interval

SCHEMA_VERSION = 2
Pair = tuple[str, str]  # two annotator names, alphabetical


def mean(values: list[float | None]) -> float | None:
    """The mean of the values that exist, or None when none does."""
    present = [value for value in values if value is not None]
    return sum(present) / len(present) if present else None


def f1(matches: int, spans_a: int, spans_b: int) -> float | None:
    # 2TP / (|a| + |b|); undefined (None) when neither annotator marked anything.
    return 2 * matches / (spans_a + spans_b) if spans_a + spans_b else None


@dataclass(frozen=True)
class PairF1:
    """Span agreement of two annotators, micro-averaged over the documents both worked on."""

    a: str
    b: str
    documents: int
    spans_a: int
    spans_b: int
    matches_exact: int
    matches_overlap: int

    @property
    def exact(self) -> float | None:
        return f1(self.matches_exact, self.spans_a, self.spans_b)

    @property
    def overlap(self) -> float | None:
        return f1(self.matches_overlap, self.spans_a, self.spans_b)

    def as_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "documents": self.documents,
            "spans_a": self.spans_a,
            "spans_b": self.spans_b,
            "matches_exact": self.matches_exact,
            "matches_overlap": self.matches_overlap,
            "exact": self.exact,
            "overlap": self.overlap,
        }


@dataclass(frozen=True)
class F1Summary:
    """Span F1 of every annotator pair, and the mean over the pairs."""

    pairs: tuple[PairF1, ...]

    @property
    def exact(self) -> float | None:
        return mean([pair.exact for pair in self.pairs])

    @property
    def overlap(self) -> float | None:
        return mean([pair.overlap for pair in self.pairs])

    def as_json(self) -> dict[str, Any]:
        return {
            "exact": self.exact,
            "overlap": self.overlap,
            "pairs": [pair.as_json() for pair in self.pairs],
        }


@dataclass(frozen=True)
class DocumentAlpha:
    """Unitized alpha of one document."""

    id: str
    external_id: str | None
    title: str
    story: str | None
    annotators: tuple[str, ...]
    spans: int
    overall: float | None
    per_label: dict[str, float | None]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "external_id": self.external_id,
            "title": self.title,
            "story": self.story,
            "annotators": list(self.annotators),
            "spans": self.spans,
            "overall": self.overall,
            "per_label": dict(self.per_label),
        }


@dataclass(frozen=True)
class UnitizedSummary:
    """Unitized alpha pooled over the corpus, its mean over documents, and per document,
    in one variant: "2004" (αU) or "2016" (uα), `citation` saying whose."""

    pooled: float | None
    pooled_per_label: dict[str, float | None]
    pooled_documents: int
    mean: float | None
    mean_per_label: dict[str, float | None]
    documents: tuple[DocumentAlpha, ...]
    variant: str = "2004"
    citation: str = ""
    interval: Interval | None = None  # bootstrap 95% interval of `pooled`

    @property
    def symbol(self) -> str:
        return "αU" if self.variant == "2004" else "uα"

    def least_agreement(self, count: int) -> list[DocumentAlpha]:
        """The `count` documents with the lowest uα, lowest first (ties by id)."""
        measured = [document for document in self.documents if document.overall is not None]
        return sorted(measured, key=lambda document: (document.overall, document.id))[:count]

    def as_json(self) -> dict[str, Any]:
        return {
            "variant": self.variant,
            "citation": self.citation,
            "pooled": {
                "overall": self.pooled,
                "interval": self.interval.as_json() if self.interval else None,
                "per_label": dict(self.pooled_per_label),
                "documents": self.pooled_documents,
            },
            "document_mean": {"overall": self.mean, "per_label": dict(self.mean_per_label)},
            "documents": [document.as_json() for document in self.documents],
        }


@dataclass(frozen=True)
class StanceAgreement:
    """Krippendorff's alpha (nominal) on the polarity of (document, actor, issue) units."""

    alpha: float | None
    units: int
    pairable_units: int
    stances: int
    polarities: dict[str, int]
    interval: Interval | None = None  # bootstrap 95%, resampling units

    def as_json(self) -> dict[str, Any]:
        return {
            "alpha": self.alpha,
            "interval": self.interval.as_json() if self.interval else None,
            "units": self.units,
            "pairable_units": self.pairable_units,
            "stances": self.stances,
            "polarities": dict(self.polarities),
        }


@dataclass(frozen=True)
class LabelKappa:
    """Two annotators on one document label: present/absent on the documents both worked on."""

    both: int
    only_a: int
    only_b: int
    neither: int
    kappa: float | None
    kappa_se: float | None  # Cohen's (1960) large-sample standard error
    ac1: float | None  # Gwet's (2008) AC1

    def as_json(self) -> dict[str, Any]:
        return {
            "both": self.both,
            "only_a": self.only_a,
            "only_b": self.only_b,
            "neither": self.neither,
            "kappa": self.kappa,
            "kappa_se": self.kappa_se,
            "ac1": self.ac1,
        }


@dataclass(frozen=True)
class PairKappa:
    """Cohen's kappa and Gwet's AC1 of two annotators, per document label, on the documents
    both worked on; `kappa` and `ac1` are the means over the labels where they are defined,
    so a pair's figure never depends on labels only other annotators used."""

    a: str
    b: str
    documents: int
    per_label: dict[str, LabelKappa]

    @property
    def kappa(self) -> float | None:
        return mean([value.kappa for value in self.per_label.values()])

    @property
    def ac1(self) -> float | None:
        return mean([value.ac1 for value in self.per_label.values()])

    def as_json(self) -> dict[str, Any]:
        return {
            "a": self.a,
            "b": self.b,
            "documents": self.documents,
            "kappa": self.kappa,
            "ac1": self.ac1,
            "per_label": {label: value.as_json() for label, value in self.per_label.items()},
        }


@dataclass(frozen=True)
class DocumentLabelAgreement:
    """Agreement on whole-document labels: Cohen and AC1 per pair and label, Fleiss and
    Krippendorff's alpha per label over all annotators, alpha with MASI over label sets."""

    labels: tuple[str, ...]
    pairs: tuple[PairKappa, ...]
    fleiss_per_label: dict[str, float | None]
    fleiss_documents: int
    alpha_per_label: dict[str, float | None]  # binary, every paired document, missing allowed
    alpha_masi: float | None  # each annotator's set of labels per document, MASI distance
    alpha_documents: int

    @property
    def mean(self) -> float | None:
        return mean([pair.kappa for pair in self.pairs])

    @property
    def fleiss(self) -> float | None:
        return mean(list(self.fleiss_per_label.values()))

    def as_json(self) -> dict[str, Any]:
        return {
            "labels": list(self.labels),
            "mean": self.mean,
            "pairs": [pair.as_json() for pair in self.pairs],
            "fleiss": self.fleiss,
            "fleiss_per_label": dict(self.fleiss_per_label),
            "fleiss_documents": self.fleiss_documents,
            "alpha_per_label": dict(self.alpha_per_label),
            "alpha_masi": self.alpha_masi,
            "alpha_documents": self.alpha_documents,
        }


Matrix = tuple[tuple[int, ...], ...]


@dataclass(frozen=True)
class PairConfusion:
    """Label confusion of one pair: rows are a's labels, columns b's; last = no match."""

    a: str
    b: str
    matrix: Matrix

    def as_json(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "matrix": [list(row) for row in self.matrix]}


@dataclass(frozen=True)
class Confusion:
    """Label confusion from spans matched one-to-one by overlap, summed over pairs.

    `labels` are the span labels; `matrix` has one more row and column at the end for
    "no matching span". `matrix` is symmetric: cell (x, y) counts the matched pairs where
    one annotator said x and the other y, whoever said which, and (x, none) the spans of x
    that found no match; the per-pair matrices keep rows for the pair's first annotator.
    """

    labels: tuple[str, ...]
    matrix: Matrix
    pairs: tuple[PairConfusion, ...]

    @property
    def matched(self) -> int:
        n = len(self.labels)  # the diagonal and one triangle: each matched pair once
        return sum(self.matrix[i][j] for i in range(n) for j in range(i, n))

    def as_json(self) -> dict[str, Any]:
        return {
            "labels": [*self.labels, None],
            "matrix": [list(row) for row in self.matrix],
            "pairs": [pair.as_json() for pair in self.pairs],
        }


def _ratio(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class GoldQuality:
    """One annotator against the gold spans of the documents both have."""

    documents: int
    gold_spans: int
    spans: int
    matches_exact: int
    matches_overlap: int

    def as_json(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "documents": self.documents,
            "gold_spans": self.gold_spans,
            "spans": self.spans,
        }
        for name, matches in (("exact", self.matches_exact), ("overlap", self.matches_overlap)):
            result[name] = {
                "matches": matches,
                "precision": _ratio(matches, self.spans),
                "recall": _ratio(matches, self.gold_spans),
                "f1": f1(matches, self.spans, self.gold_spans),
            }
        return result

    @property
    def f1_overlap(self) -> float | None:
        return f1(self.matches_overlap, self.spans, self.gold_spans)

    @property
    def f1_exact(self) -> float | None:
        return f1(self.matches_exact, self.spans, self.gold_spans)


@dataclass(frozen=True)
class AnnotatorFigures:
    """One annotator against the others, and against gold where there is some."""

    name: str
    exact_f1: float | None  # micro F1 over every pair this annotator is in
    overlap_f1: float | None
    label_kappa: float | None  # mean of this annotator's pairs' document-label kappa
    gold: GoldQuality | None

    def as_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "exact_f1": self.exact_f1,
            "overlap_f1": self.overlap_f1,
            "label_kappa": self.label_kappa,
            "gold": self.gold.as_json() if self.gold else None,
        }


@dataclass(frozen=True)
class AgreementReport:
    """Everything `agreement_report` measured; `as_json` is the stable, documented form."""

    generated_at: datetime
    tool_version: str
    filters: dict[str, Any]  # label, story, annotators as asked
    annotators: tuple[str, ...]
    labels: tuple[str, ...]
    documents_considered: int
    documents_paired: int
    documents_all_annotators: int
    spans: dict[str, int]  # live spans per annotator, in the paired documents
    span_f1: F1Summary
    span_f1_per_label: dict[str, F1Summary]
    unitized: UnitizedSummary  # αU, Krippendorff 1995/2004: the headline figure
    unitized_2016: UnitizedSummary  # uα, Krippendorff et al. 2016
    annotator_figures: tuple[AnnotatorFigures, ...]
    stances: StanceAgreement
    document_labels: DocumentLabelAgreement
    confusion: Confusion
    notes: tuple[str, ...]

    def as_json(self) -> dict[str, Any]:
        """The report as JSON-ready dicts and lists (see `annotator.review.agreement.report`)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "tool": {"name": "annotator", "version": self.tool_version},
            "filters": dict(self.filters),
            "annotators": list(self.annotators),
            "labels": list(self.labels),
            "documents": {
                "considered": self.documents_considered,
                "paired": self.documents_paired,
                "all_annotators": self.documents_all_annotators,
            },
            "spans": dict(self.spans),
            "span_f1": {
                "overall": self.span_f1.as_json(),
                "per_label": {
                    label: summary.as_json() for label, summary in self.span_f1_per_label.items()
                },
            },
            "unitized_alpha": self.unitized.as_json(),
            "unitized_alpha_2016": self.unitized_2016.as_json(),
            "annotator_figures": [figures.as_json() for figures in self.annotator_figures],
            "stance_alpha": self.stances.as_json(),
            "document_label_kappa": self.document_labels.as_json(),
            "confusion": self.confusion.as_json(),
            "notes": list(self.notes),
        }
