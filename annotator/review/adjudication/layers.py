"""The annotators' layers of a document as the review reads them, and who may see which.

Blind mode: `visible_annotators` decides whose layers a viewer may see; every listing of
layers in the review goes through it. The layers are read as plain values (`Layer`), so
units are built from them without the database.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.annotations import SpanValue, StanceValue
from annotator.review.adjudication.gold_layer import for_document
from annotator.store.layers import StoredLayer, live, read_layers
from annotator.store.models import Annotator, DocumentStatus, Span, Stance


@dataclass(frozen=True)
class Layer:
    """One annotator's live spans and stances of the document."""

    annotator_id: uuid.UUID
    name: str
    status: str = "todo"
    spans: tuple[SpanValue, ...] = ()
    stances: tuple[StanceValue, ...] = ()


# -- blind mode ----------------------------------------------------------------------------


def visible_annotators(
    session: Session, viewer_id: uuid.UUID, document_id: uuid.UUID
) -> list[uuid.UUID]:
    """Whose layers of `document_id` the viewer may see, ordered by annotator name.

    A reviewer sees every layer. An annotator sees only their own layer until their own
    status for the document is "done"; then they see everyone's (blind annotation: nobody
    is swayed by the others before committing to their own reading).
    """
    viewer = session.get(Annotator, viewer_id)
    if viewer is None:
        raise LookupError(f"no annotator {viewer_id}")
    owners = layer_owners(session, document_id).get(document_id, {})
    names = annotator_names(session)
    visible = visible_to(owners, viewer.role, viewer_id)
    return sorted(visible, key=lambda a: (names.get(a, ""), str(a)))


def visible_to(owners: Mapping[uuid.UUID, str], role: str, viewer_id: uuid.UUID) -> set[uuid.UUID]:
    """Which of a document's layer `owners` (annotator -> status) the viewer may see."""
    if role == "reviewer" or owners.get(viewer_id) == "done":
        return set(owners)
    return {viewer_id} & set(owners)


def layer_owners(session: Session, only: uuid.UUID | None) -> dict[uuid.UUID, dict[uuid.UUID, str]]:
    """document -> {annotator: status} for everyone with a layer on it.

    A layer is live spans or stances, or a status of "in_progress" or "done" (an annotator
    who found nothing to mark disagrees with those who did). "skipped" means the annotator
    opted out of the document, so whatever they marked there is left out.
    """
    statuses = _statuses(session, only)
    pairs = {p for p, status in statuses.items() if status in ("in_progress", "done")}
    for model in (Span, Stance):
        query = select(model.document_id, model.annotator_id).distinct()
        query = query.where(live(model), *for_document(model.document_id, only))
        pairs.update((d, a) for d, a in session.execute(query))
    owners: dict[uuid.UUID, dict[uuid.UUID, str]] = {}
    for document_id, annotator_id in pairs:
        status = statuses.get((document_id, annotator_id), "todo")
        if status != "skipped":
            owners.setdefault(document_id, {})[annotator_id] = status
    return owners


# -- loading -------------------------------------------------------------------------------


def load_layers(
    session: Session, wanted: Mapping[uuid.UUID, Sequence[uuid.UUID]], only: uuid.UUID | None
) -> dict[uuid.UUID, list[Layer]]:
    """Live spans and stances of the wanted (document -> annotators), as plain values."""
    stored = read_layers(session, document_id=only)
    names = annotator_names(session)
    statuses = _statuses(session, only)
    return {
        document_id: [
            Layer(
                annotator_id,
                names.get(annotator_id, str(annotator_id)),
                statuses.get((document_id, annotator_id), "todo"),
                tuple(stored.get((document_id, annotator_id), EMPTY).spans),
                tuple(stored.get((document_id, annotator_id), EMPTY).stances),
            )
            for annotator_id in annotators
        ]
        for document_id, annotators in wanted.items()
    }


EMPTY = StoredLayer()  # an annotator with a status but nothing marked


# -- helpers -------------------------------------------------------------------------------


def annotator_names(session: Session) -> dict[uuid.UUID, str]:
    """Every annotator's name by id."""
    return {row.id: row.name for row in session.execute(select(Annotator.id, Annotator.name))}


def _statuses(session: Session, only: uuid.UUID | None) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
    query = select(
        DocumentStatus.document_id, DocumentStatus.annotator_id, DocumentStatus.status
    ).where(*for_document(DocumentStatus.document_id, only))
    return {(d, a): s for d, a, s in session.execute(query)}
