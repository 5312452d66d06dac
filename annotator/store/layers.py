"""Annotators' layers as stored: live spans and stances, read as plain values.

A layer is what one annotator marked in one document. Spans and stances are soft-deleted
(`deleted_at` set, so that a deletion travels in a bundle as a tombstone), and `live` is
the one way a query leaves them out. `read_layers` is the one reader of layers as values:
the workspace's layer store reads one layer with it, the review's comparison every layer of
a document (or of the project). The export, the agreement report and bundle export stream
pages of documents as Core rows of their own columns; they filter with `live` too.

Evidence a stance cites that has been deleted since is evidence no more: it is dropped
here, so every reader sees the same stance.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from annotator.core.annotations import SpanValue, StanceValue
from annotator.store.models import Span, Stance, StanceEvidence

LayerKey = tuple[uuid.UUID, uuid.UUID]  # document id, annotator id

# The columns of a span that make its `SpanValue`, in the order of its fields.
SPAN_COLUMNS = (Span.id, Span.start, Span.end, Span.label, Span.actor_id, Span.issue_id, Span.note)


def live(model: type[Span] | type[Stance]) -> ColumnElement[bool]:
    """The rows of `model` that are not soft-deleted."""
    return model.deleted_at.is_(None)


@dataclass
class StoredLayer:
    """One annotator's live spans (by start, end, label) and stances (in the order made)."""

    spans: list[SpanValue] = field(default_factory=list)
    stances: list[StanceValue] = field(default_factory=list)


def read_layers(
    session: Session,
    *,
    document_id: uuid.UUID | None = None,
    annotator_id: uuid.UUID | None = None,
) -> dict[LayerKey, StoredLayer]:
    """The live layers of one document (or all), of one annotator (or all), by (document,
    annotator). Plain rows, not ORM objects: a long article can carry thousands of spans."""
    # One layer (the workspace opening a document) reads no owner columns: thousands of rows,
    # each UUID parsed costs. Spans come in the layer index's order, read from it.
    columns = SPAN_COLUMNS
    where = (live(Span), *_of(Span, document_id, annotator_id))
    order = (Span.start, Span.end, Span.label)
    layers: dict[LayerKey, StoredLayer] = {}
    if document_id is not None and annotator_id is not None:
        one = select(*columns).where(*where).order_by(*order)
        spans = [SpanValue(*row) for row in session.execute(one)]
        if spans:
            layers[document_id, annotator_id] = StoredLayer(spans)
    else:
        every = select(Span.document_id, Span.annotator_id, *columns).where(*where)
        for row in session.execute(every.order_by(*order)):
            layers.setdefault((row[0], row[1]), StoredLayer()).spans.append(
                SpanValue(row[2], row[3], row[4], row[5], row[6], row[7], row[8])
            )
    stance_query = select(
        Stance.document_id, Stance.annotator_id, Stance.id, Stance.actor_id, Stance.issue_id,
        Stance.polarity, Stance.confidence, Stance.note,
    ).where(live(Stance), *_of(Stance, document_id, annotator_id))  # fmt: skip
    stance_rows = list(session.execute(stance_query.order_by(Stance.created_at, Stance.id)))
    if not stance_rows:
        return layers
    links = (
        select(StanceEvidence.stance_id, StanceEvidence.span_id)
        .join(Stance, Stance.id == StanceEvidence.stance_id)
        .where(live(Stance), *_of(Stance, document_id, annotator_id))
    )
    evidence: dict[uuid.UUID, list[uuid.UUID]] = {}
    for stance_id, span_id in session.execute(links):
        evidence.setdefault(stance_id, []).append(span_id)
    live_spans = {key: {span.id for span in layer.spans} for key, layer in layers.items()}
    for stance in stance_rows:
        key = (stance.document_id, stance.annotator_id)
        alive = live_spans.get(key, set())
        cited = tuple(sorted(e for e in evidence.get(stance.id, []) if e in alive))
        layers.setdefault(key, StoredLayer()).stances.append(
            StanceValue(
                stance.id,
                stance.actor_id,
                stance.issue_id,
                stance.polarity,
                cited,
                stance.confidence,
                stance.note,
            )
        )
    return layers


def _of(
    model: type[Span] | type[Stance], document_id: uuid.UUID | None, annotator_id: uuid.UUID | None
) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if document_id is not None:
        conditions.append(model.document_id == document_id)
    if annotator_id is not None:
        conditions.append(model.annotator_id == annotator_id)
    return conditions
