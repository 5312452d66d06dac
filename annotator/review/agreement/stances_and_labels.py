"""Stance and document-label agreement of the report, counted document by document."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from fractions import Fraction
from itertools import combinations

from annotator.core.agreement.bootstrap import Interval, blocks, bootstrap_interval
from annotator.core.agreement.coefficients import cohen_kappa, fleiss_kappa
from annotator.core.agreement.labels import (
    Coincidences,
    alpha_from_coincidences,
    coincidences,
    gwet_ac1,
    kappa_standard_error,
    masi_distance,
    nominal_distance,
)
from annotator.review.agreement.reading import DocumentLayers
from annotator.review.agreement.values import (
    DocumentLabelAgreement,
    LabelKappa,
    Pair,
    PairKappa,
    StanceAgreement,
)


class StanceTally:
    """Polarity values per (document, actor, issue) unit, one row per annotator.

    An annotator with a layer on the document but no stance for the unit is *missing*
    (None), not disagreeing: whether a stance is there at all is a question of spotting it,
    which span agreement measures; this alpha asks whether annotators who coded the stance
    read its polarity alike. Several polarities from one annotator for one unit become
    one combined value ("oppose+support"), which disagrees with each of its parts.
    """

    def __init__(self, annotators: tuple[str, ...]) -> None:
        self.annotators = annotators
        self.values: dict[str, list[str | None]] = {name: [] for name in annotators}
        self.units = self.pairable = self.stances = 0
        self.polarities: Counter[str] = Counter()

    def add(self, document: DocumentLayers) -> None:
        units = sorted(
            {key for name in document.annotators for key in document.stances[name]}, key=str
        )
        for key in units:
            coded = 0
            for name in self.annotators:
                polarities = document.stances.get(name, {}).get(key)
                if polarities:
                    coded += 1
                    self.stances += len(polarities)
                    self.polarities.update(polarities)
                self.values[name].append("+".join(sorted(polarities)) if polarities else None)
            self.units += 1
            self.pairable += coded >= 2

    def merge(self, other: StanceTally) -> None:
        """Add `other`'s units, tallied over the documents after this one's."""
        for name, values in other.values.items():
            self.values[name].extend(values)
        self.units += other.units
        self.pairable += other.pairable
        self.stances += other.stances
        self.polarities.update(other.polarities)

    def result(self) -> tuple[StanceAgreement, list[str]]:
        notes = []
        alpha: float | None = None
        interval: Interval | None = None
        if not self.units:
            notes.append("stance alpha: no stances in the compared documents")
        elif not self.pairable:
            notes.append("stance alpha: no (document, actor, issue) has stances by two annotators")
        else:
            alpha, interval = self._alpha()
        return (
            StanceAgreement(
                alpha,
                self.units,
                self.pairable,
                self.stances,
                dict(sorted(self.polarities.items())),
                interval,
            ),
            notes,
        )

    def _alpha(self) -> tuple[float | None, Interval | None]:
        """Nominal alpha from the units' coincidences (exact), and its bootstrap interval
        resampling the units in blocks. Units with the same values add the same
        coincidences, so each kind is counted once (a corpus has few kinds)."""
        rows = [self.values[name] for name in self.annotators]
        units = [
            tuple(sorted(value for row in rows if (value := row[unit]) is not None))
            for unit in range(self.units)
        ]
        pairable = [unit for unit in units if len(unit) >= 2]
        per_kind = {kind: coincidences(kind) for kind in set(pairable)}
        exact: Coincidences = defaultdict(Fraction)
        joined: list[dict[tuple[Hashable, Hashable], float]] = []
        for run in blocks(pairable):
            found: Coincidences = defaultdict(Fraction)
            for kind, times in Counter(run).items():
                for pair, weight in per_kind[kind].items():
                    found[pair] += weight * times
            for pair, weight in found.items():
                exact[pair] += weight
            joined.append({pair: float(weight) for pair, weight in found.items()})
        alpha = alpha_from_coincidences(exact, nominal_distance)
        if alpha is None:
            return None, None

        def alpha_of(weights: list[int]) -> float | None:
            # Floats: a resample's alpha need not be exact, only the point estimate is.
            drawn: defaultdict[tuple[Hashable, Hashable], float] = defaultdict(float)
            for block, weight in zip(joined, weights, strict=True):
                if weight:
                    for pair, value in block.items():
                        drawn[pair] += value * weight
            return alpha_from_coincidences(drawn, nominal_distance)  # type: ignore[arg-type]

        return alpha, bootstrap_interval(len(joined), alpha_of)


class LabelTally:
    """Document labels as present/absent units per label, counted per pair, for Fleiss'
    kappa and binary alpha per label, and as label sets for alpha with MASI.

    The labels compared are every document label any compared annotator gave in the
    compared documents (listed in the report); a label nobody used adds no information.
    """

    def __init__(self, annotators: tuple[str, ...]) -> None:
        self.annotators = annotators
        self.pair_documents: Counter[Pair] = Counter()
        # pair -> label -> [both, only a, only b]
        self.counts: defaultdict[Pair, defaultdict[str, list[int]]] = defaultdict(_label_counts)
        self.all_documents = 0  # documents with every annotator's layer
        self.present: defaultdict[str, Counter[int]] = defaultdict(Counter)  # label -> raters -> n
        self.documents_by_coders: Counter[int] = Counter()  # paired documents by coder count
        # label -> (coders, raters giving it) -> documents, for binary alpha with missing data
        self.given: defaultdict[str, Counter[tuple[int, int]]] = defaultdict(Counter)
        self.sets: Coincidences = defaultdict(Fraction)  # label-set coincidences, for MASI

    def add(self, document: DocumentLayers) -> None:
        labels = document.labels
        names = document.annotators
        for a, b in combinations(names, 2):
            self.pair_documents[a, b] += 1
            counts = self.counts[a, b]
            for label in labels[a] | labels[b]:
                in_a, in_b = label in labels[a], label in labels[b]
                counts[label][0 if in_a and in_b else 1 if in_a else 2] += 1
        given = Counter(label for name in names for label in labels[name])
        self.documents_by_coders[len(names)] += 1
        for label, raters in given.items():
            self.given[label][len(names), raters] += 1
        for pair, weight in coincidences([frozenset(labels[name]) for name in names]).items():
            self.sets[pair] += weight
        if len(names) == len(self.annotators):
            self.all_documents += 1
            for label, raters in given.items():
                self.present[label][raters] += 1

    def merge(self, other: LabelTally) -> None:
        """Add `other`'s counts, tallied over other documents."""
        self.pair_documents.update(other.pair_documents)
        for pair, per_label in other.counts.items():
            for label, counts in per_label.items():
                mine = self.counts[pair][label]
                for k, value in enumerate(counts):
                    mine[k] += value
        self.all_documents += other.all_documents
        for label, histogram in other.present.items():
            self.present[label].update(histogram)
        self.documents_by_coders.update(other.documents_by_coders)
        for label, found in other.given.items():
            self.given[label].update(found)
        for sets, weight in other.sets.items():
            self.sets[sets] += weight

    def result(self, order: tuple[str, ...]) -> tuple[DocumentLabelAgreement, list[str]]:
        """Kappas, AC1 and alphas; `order` puts the schema's document labels first."""
        used = {label for per_pair in self.counts.values() for label in per_pair}
        labels = tuple([label for label in order if label in used] + sorted(used.difference(order)))
        notes = []
        pairs = []
        for pair in combinations(self.annotators, 2):
            documents = self.pair_documents[pair]
            if not documents:
                continue
            per_label = {
                label: _label_kappa(documents, *counts)
                for label, counts in sorted(
                    self.counts[pair].items(), key=lambda i: labels.index(i[0])
                )
            }
            pairs.append(PairKappa(*pair, documents, per_label))
        if not labels and pairs:
            notes.append("document label kappa: no document labels in the compared documents")
        m = len(self.annotators)
        fleiss: dict[str, float | None] = {}
        if m < 3:
            if m == 2 and labels:
                notes.append("Fleiss' kappa: needs three or more annotators")
        elif not self.all_documents:
            if labels:
                notes.append(f"Fleiss' kappa: no document has layers of all {m} annotators")
        else:
            for label in labels:
                histogram = self.present.get(label, Counter())
                table = [[0, m]] * (self.all_documents - histogram.total())
                for raters, count in histogram.items():
                    table.extend([[raters, m - raters]] * count)
                fleiss[label] = fleiss_kappa(table)
        alpha = {label: self._binary_alpha(label) for label in labels}
        masi = alpha_from_coincidences(self.sets, _masi) if labels else None
        result = DocumentLabelAgreement(
            labels,
            tuple(pairs),
            fleiss,
            self.all_documents,
            alpha,
            masi,
            self.documents_by_coders.total(),
        )
        return result, notes

    def _binary_alpha(self, label: str) -> float | None:
        """Nominal alpha on present/absent of `label`, over every paired document."""
        found: Coincidences = defaultdict(Fraction)
        seen: Counter[int] = Counter()
        for (coders, raters), documents in self.given[label].items():
            seen[coders] += documents
            values = [True] * raters + [False] * (coders - raters)
            for pair, weight in coincidences(values).items():
                found[pair] += weight * documents
        for coders, documents in self.documents_by_coders.items():
            found[False, False] += coders * (documents - seen[coders])  # nobody gave it
        return alpha_from_coincidences(found, nominal_distance)


def _masi(x: Hashable, y: Hashable) -> Fraction:
    return masi_distance(x, y)  # type: ignore[arg-type]  # the values are frozensets


def _label_kappa(documents: int, both: int, only_a: int, only_b: int) -> LabelKappa:
    neither = documents - both - only_a - only_b
    a = [True] * (both + only_a) + [False] * (only_b + neither)
    b = [True] * both + [False] * only_a + [True] * only_b + [False] * neither
    return LabelKappa(
        both,
        only_a,
        only_b,
        neither,
        cohen_kappa(a, b),
        kappa_standard_error(a, b),
        gwet_ac1(a, b),
    )


def _label_counts() -> defaultdict[str, list[int]]:
    """A module-level factory (not a lambda), so that a tally can be pickled."""
    return defaultdict(_three_zeros)


def _three_zeros() -> list[int]:
    return [0, 0, 0]
