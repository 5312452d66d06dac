"""Each annotator's figures: against the other annotators (from the pair figures) and,
where a reviewer has settled gold spans, against the gold (precision, recall, F1).

Against gold, a document counts for an annotator when it has gold spans and the annotator
has a layer on it (any live span, stance, label or status); spans are matched one to one
as in span F1: exactly (start, end, label) and by overlap (same label, a maximum matching).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from typing import Any

from sqlalchemy import Connection, select

from annotator.io.export.queries import raw_id
from annotator.review.agreement.spans import match_spans
from annotator.review.agreement.values import (
    AnnotatorFigures,
    F1Summary,
    GoldQuality,
    PairKappa,
    f1,
    mean,
)
from annotator.store.layers import live
from annotator.store.models import Document, DocumentLabel, DocumentStatus, GoldSpan, Span, Stance


def annotator_figures(
    names: tuple[str, ...],
    span_f1: F1Summary,
    label_pairs: tuple[PairKappa, ...],
    gold: dict[str, GoldQuality],
) -> tuple[AnnotatorFigures, ...]:
    """Per annotator: the pair counts summed over the pairs they are in."""
    figures = []
    for name in names:
        pairs = [pair for pair in span_f1.pairs if name in (pair.a, pair.b)]
        spans = sum(pair.spans_a + pair.spans_b for pair in pairs)
        exact = sum(pair.matches_exact for pair in pairs)
        overlap = sum(pair.matches_overlap for pair in pairs)
        kappas = [pair.kappa for pair in label_pairs if name in (pair.a, pair.b)]
        figures.append(
            AnnotatorFigures(
                name,
                f1(exact, spans, 0),
                f1(overlap, spans, 0),
                mean(kappas),
                gold.get(name),
            )
        )
    return tuple(figures)


def gold_quality(
    connection: Connection,
    annotators: dict[Any, str],
    story: str | None,
    label: str | None,
) -> dict[str, GoldQuality]:
    """Each annotator against the gold spans, on the documents with gold spans."""
    query = select(raw_id(GoldSpan.document_id), GoldSpan.start, GoldSpan.end, GoldSpan.label)
    if story is not None:
        query = query.join(Document, Document.id == GoldSpan.document_id).where(
            Document.story == story
        )
    if label is not None:
        query = query.where(GoldSpan.label == label)
    gold: defaultdict[Any, list[tuple[int, int, str]]] = defaultdict(list)
    for document, start, end, span_label in connection.execute(query):
        gold[document].append((start, end, span_label))
    if not gold:
        return {}
    ids = list(gold)
    coders = list(annotators)
    layers: set[tuple[Any, Any]] = set()
    spans: defaultdict[tuple[Any, Any], list[tuple[int, int, str]]] = defaultdict(list)
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        rows = connection.execute(
            select(
                raw_id(Span.document_id),
                raw_id(Span.annotator_id),
                Span.start,
                Span.end,
                Span.label,
            ).where(
                live(Span),
                raw_id(Span.document_id).in_(chunk),
                raw_id(Span.annotator_id).in_(coders),
            )
        )
        for document, annotator, span_start, end, span_label in rows:
            layers.add((document, annotator))
            if label is None or span_label == label:
                spans[document, annotator].append((span_start, end, span_label))
        for model in (Stance, DocumentLabel, DocumentStatus):
            extra = select(raw_id(model.document_id), raw_id(model.annotator_id)).where(
                raw_id(model.document_id).in_(chunk), raw_id(model.annotator_id).in_(coders)
            )
            if model is Stance:
                extra = extra.where(live(Stance))
            layers.update(tuple(row) for row in connection.execute(extra))
    totals: defaultdict[str, Counter[str]] = defaultdict(Counter)
    for document, annotator in layers:
        name = annotators[annotator]
        mine = sorted(spans.get((document, annotator), []))
        reference = sorted(gold[document])
        matches = match_spans(mine, reference)
        counts = totals[name]
        counts["documents"] += 1
        counts["gold"] += len(reference)
        counts["spans"] += len(mine)
        counts["exact"] += matches.exact.total()
        counts["overlap"] += matches.overlap.total()
    return {
        name: GoldQuality(c["documents"], c["gold"], c["spans"], c["exact"], c["overlap"])
        for name, c in totals.items()
    }
