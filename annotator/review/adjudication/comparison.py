"""Comparing the annotators' layers of one document, unit by unit, for review.

`DocumentComparison` holds every layer of a document the viewer may see, grouped into units
(`review.adjudication.units`), with the gold decisions. `disagreements()` lists the open units
worth a reviewer's look, in reading order, for stepping. Whose layers a viewer may see (blind
mode) and reading them is `review.adjudication.layers`.

Units are built by a pure function (`build_comparison`), so they are tested on hand-made
layers; the loaders only read rows. Nothing here writes: adjudication is `review.gold`.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.review.adjudication.gold_layer import (
    GoldSpanValue,
    GoldStanceValue,
    Rejection,
    load_gold,
    load_rejections,
)
from annotator.review.adjudication.layers import (
    Layer,
    annotator_names,
    layer_owners,
    load_layers,
    visible_annotators,
    visible_to,
)
from annotator.review.adjudication.units import (
    SpanUnit,
    StanceUnit,
    Unit,
    build_span_units,
    build_stance_units,
)
from annotator.store.models import Annotator, Document


@dataclass(frozen=True)
class DocumentComparison:
    """Every visible layer of one document, grouped into units, with the gold decisions."""

    document_id: uuid.UUID
    text: str
    title: str
    layers: tuple[Layer, ...]
    span_units: tuple[SpanUnit, ...]
    stance_units: tuple[StanceUnit, ...]
    gold_spans: tuple[GoldSpanValue, ...]
    gold_stances: tuple[GoldStanceValue, ...]
    rejections: tuple[Rejection, ...]

    def units(self) -> list[Unit]:
        """Span and stance units in reading order (a stance sits at its first evidence)."""
        return sorted([*self.span_units, *self.stance_units], key=_reading_order)

    def disagreements(self) -> list[Unit]:
        """Open units that are not an exact agreement of everyone, in reading order."""
        return [u for u in self.units() if u.decision == "open" and u.is_disagreement]

    def unit(self, key: str) -> Unit | None:
        return next((u for u in self.units() if u.key == key), None)

    def unit_of_span(self, span_id: uuid.UUID) -> SpanUnit | None:
        """The unit an annotator's span belongs to (None for a duplicate in one layer)."""
        return next((u for u in self.span_units if span_id in u.span_ids), None)

    def step(self, current: str | None, direction: int) -> Unit | None:
        """The next (1) or previous (-1) open disagreement after `current`, wrapping round."""
        open_units = self.disagreements()
        if not open_units:
            return None
        unit = self.unit(current) if current else None
        if unit is None:
            return open_units[0] if direction > 0 else open_units[-1]
        here = _reading_order(unit)
        if direction > 0:
            return next((u for u in open_units if _reading_order(u) > here), open_units[0])
        return next((u for u in reversed(open_units) if _reading_order(u) < here), open_units[-1])

    def counts(self) -> dict[str, int]:
        """Units decided and undecided, open disagreements, gold rows: for the status bar."""
        units: list[Unit] = [*self.span_units, *self.stance_units]
        decided = sum(u.decision != "open" for u in units)
        return {
            "units": len(units),
            "decided": decided,
            "undecided": len(units) - decided,
            "disagreements": sum(u.is_disagreement for u in units),
            "open": sum(u.is_disagreement and u.decision == "open" for u in units),
            "gold_spans": len(self.gold_spans),
            "gold_stances": len(self.gold_stances),
        }


@dataclass(frozen=True)
class DocumentOverview:
    """One document a viewer can review: how many layers, how much is still open."""

    document_id: uuid.UUID
    title: str
    source: str
    layers: int
    open: int  # open disagreements
    undecided: int  # every undecided unit, agreed or not


def _reading_order(unit: Unit) -> tuple[int, int, int, str]:
    return (unit.start, unit.end, 0 if isinstance(unit, SpanUnit) else 1, unit.key)


def build_comparison(
    document_id: uuid.UUID,
    text: str,
    layers: Sequence[Layer],
    gold_spans: Sequence[GoldSpanValue] = (),
    gold_stances: Sequence[GoldStanceValue] = (),
    rejections: Sequence[Rejection] = (),
    title: str = "",
) -> DocumentComparison:
    """Group `layers` (in the order given: it orders annotators everywhere) into units."""
    rejected_spans = {i for r in rejections if r.kind == "span" for i in r.ids}
    rejected_stances = {i for r in rejections if r.kind == "stance" for i in r.ids}
    spans = build_span_units(document_id, layers, gold_spans, rejected_spans)
    stances = build_stance_units(document_id, len(text), layers, gold_stances, rejected_stances)
    return DocumentComparison(
        document_id,
        text,
        title,
        tuple(layers),
        spans,
        stances,
        tuple(gold_spans),
        tuple(gold_stances),
        tuple(rejections),
    )


# -- loading -------------------------------------------------------------------------------


def load_comparison(
    session: Session, document_id: uuid.UUID, viewer_id: uuid.UUID
) -> DocumentComparison:
    """The comparison of one document as `viewer_id` may see it (see `visible_annotators`)."""
    document = session.get(Document, document_id)
    if document is None:
        raise LookupError(f"no document {document_id}")
    visible = visible_annotators(session, viewer_id, document_id)
    layers = load_layers(session, {document_id: visible}, document_id)[document_id]
    gold_spans, gold_stances = load_gold(session, document_id)
    return build_comparison(
        document_id,
        document.text,
        layers,
        gold_spans.get(document_id, []),
        gold_stances.get(document_id, []),
        load_rejections(session, document_id).get(document_id, []),
        title=document.title,
    )


def review_overview(session: Session, viewer_id: uuid.UUID) -> list[DocumentOverview]:
    """Documents with at least two layers the viewer may see, with their open counts.

    Reads the whole project in a few queries (no query per document).
    """
    viewer = session.get(Annotator, viewer_id)
    if viewer is None:
        raise LookupError(f"no annotator {viewer_id}")
    owners = layer_owners(session, None)
    visible = {d: visible_to(o, viewer.role, viewer_id) for d, o in owners.items()}
    names = annotator_names(session)
    wanted = {
        d: sorted(ids, key=lambda a: (names.get(a, ""), str(a)))
        for d, ids in visible.items()
        if len(ids) >= 2
    }
    layers = load_layers(session, wanted, None)
    gold_spans, gold_stances = load_gold(session, None)
    rejections = load_rejections(session, None)
    columns = (Document.id, Document.title, Document.source, Document.story, Document.length)
    documents = [row for row in session.execute(select(*columns)) if row.id in wanted]
    documents.sort(key=lambda d: (d.story or "", d.source or "", d.title, str(d.id)))
    overview = []
    for row in documents:
        # Units need only the text's length (stances without evidence sort at its end).
        counts = build_comparison(
            row.id,
            " " * row.length,
            layers[row.id],
            gold_spans.get(row.id, []),
            gold_stances.get(row.id, []),
            rejections.get(row.id, []),
        ).counts()
        overview.append(
            DocumentOverview(
                row.id,
                row.title,
                row.source or "",
                len(wanted[row.id]),
                counts["open"],
                counts["undecided"],
            )
        )
    return overview
