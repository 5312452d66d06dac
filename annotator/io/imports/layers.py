"""Storing the annotations an import carries: spans, stances and document labels, per layer.

A layer is one annotator's annotations of one document. A record's annotations go to the
layer of the annotator it names (created if new), else the one the import or the settings
name, else "imported".

What makes an import idempotent without losing annotations: a span or stance that carries a
UUID is that annotation, so one already in the layer (even soft-deleted) is not stored again,
and two with different UUIDs are two annotations however alike. One without a UUID is
compared by content: a span by offsets, label, actor, issue and note; a stance by actor,
issue, polarity, evidence, confidence and note. It is already stored when the layer holds a
live one with the same content, and a duplicate (skipped, and counted in the summary) when
the input repeats one. A UUID another document or annotator uses is not reused: the
annotation gets an id derived from it and its layer (`REASSIGNED_IDS`), and is then treated
like one that carries that id, so it never lands in, or cites evidence from, another layer, a
re-import finds it again (deleted work stays deleted), and evidence citing the old id cites
the derived one.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.io.imports.planning import ImportOptions, PlannedArticle
from annotator.io.imports.records import SpanRecord, StanceRecord
from annotator.io.imports.summary import ImportSummary
from annotator.settings import Settings
from annotator.store.bulk import insert_rows
from annotator.store.layers import live
from annotator.store.models import DocumentLabel, Span, Stance, StanceEvidence, new_id, now
from annotator.store.project import annotator_named, find_annotator

CHUNK = 500  # ids per IN query
DEFAULT_ANNOTATOR = "imported"
# The namespace of the ids given to a span or stance whose own UUID is another layer's:
# uuid5(REASSIGNED_IDS, "<document id>:<annotator id>:<its UUID>"). Fixed for good, so that
# importing the same input again derives the same ids and finds them (soft-deleted ones too);
# changing it would make every re-import store those annotations again.
REASSIGNED_IDS = uuid.UUID("5b0e6d2c-8f0e-4c53-9a7e-3f1d2b6a4c81")

Layer = tuple[uuid.UUID, uuid.UUID]  # (document, annotator)
SpanKey = tuple[int, int, str, uuid.UUID | None, uuid.UUID | None, str]
StanceKey = tuple[uuid.UUID, uuid.UUID, str, frozenset[uuid.UUID], float | None, str]


class LayerWriter:
    """Stores one import's annotations, layer by layer, inside its open transaction.

    `actors` and `issues` map the names and keys the input uses to stored ids; every one the
    input names must be there (the import adds the missing ones first). `write_all` reads
    what the project already holds in a few queries (none for the documents this import
    creates), decides article by article, and inserts the new rows in a few executemany
    statements at the end.
    """

    def __init__(
        self,
        session: Session,
        summary: ImportSummary,
        options: ImportOptions,
        actors: dict[str, uuid.UUID],
        issues: dict[str, uuid.UUID],
    ) -> None:
        self.session = session
        self.summary = summary
        self.options = options
        self.actors = actors
        self.issues = issues
        self.annotators: dict[str, uuid.UUID] = {}
        # Which layer each span and stance UUID met so far belongs to (stored or added now),
        # and the ids asked about that the project does not have.
        self.span_layers: dict[uuid.UUID, Layer] = {}
        self.stance_layers: dict[uuid.UUID, Layer] = {}
        self.absent: dict[type, set[uuid.UUID]] = {Span: set(), Stance: set()}
        # What this import has read per layer, to find what the input repeats.
        self.seen_spans: dict[Layer, dict[SpanKey, uuid.UUID]] = {}
        self.seen_stances: dict[Layer, set[StanceKey]] = {}
        self.seen_labels: dict[Layer, set[str]] = {}
        # What the project held before, for the layers of documents it had.
        self.stored_spans: dict[Layer, dict[SpanKey, uuid.UUID]] = {}
        self.stored_stances: dict[Layer, set[StanceKey]] = {}
        self.stored_labels: dict[Layer, set[str]] = {}
        self.rows: dict[str, list[dict[str, Any]]] = {
            "spans": [],
            "stances": [],
            "evidence": [],
            "labels": [],
        }
        self.stamp = now()
        self.parsed: dict[str, uuid.UUID | None] = {}  # each id read once

    def _uuid(self, value: str | None) -> uuid.UUID | None:
        if not value:
            return None
        if value not in self.parsed:
            self.parsed[value] = _uuid(value)
        return self.parsed[value]

    def write_all(self, articles: list[tuple[PlannedArticle, uuid.UUID]]) -> None:
        """Store what each article's layer of its document lacks."""
        layered = [(a, (d, self._annotator(a.record.annotator))) for a, d in articles]
        self._read_stored({layer for _, layer in layered})
        self._find_layers(
            Span, [self._uuid(s.id) for a, _ in layered for s in a.spans], self.span_layers
        )
        self._find_layers(
            Stance,
            [self._uuid(s.id) for a, _ in layered for s in a.record.stances],
            self.stance_layers,
        )
        for article, layer in layered:
            self.summary.layers.add(layer)
            span_ids = self._spans(article.spans, layer)
            if article.record.stances:
                self._stances(article.record.stances, layer, span_ids)
            self._doc_labels(article.record.doc_labels, layer)
        self.session.flush()  # the annotators added above, before rows that cite them
        insert_rows(self.session, Span, self.rows["spans"])
        insert_rows(self.session, Stance, self.rows["stances"])
        insert_rows(self.session, StanceEvidence, self.rows["evidence"])
        insert_rows(self.session, DocumentLabel, self.rows["labels"])
        self.summary.spans += len(self.rows["spans"])
        self.summary.stances += len(self.rows["stances"])
        self.summary.doc_labels += len(self.rows["labels"])

    def _annotator(self, name: str | None) -> uuid.UUID:
        name = name or self.options.annotator or Settings.load().annotator or DEFAULT_ANNOTATOR
        if name not in self.annotators:
            found = find_annotator(self.session, name)
            if found is None:
                found = annotator_named(self.session, name)
                self.summary.new_annotators.append(name)
            self.annotators[name] = found.id
        return self.annotators[name]

    def _read_stored(self, layers: set[Layer]) -> None:
        """The live spans, stances and labels of the layers of documents stored before."""
        old = sorted({d for d, _ in layers if d not in self.summary.document_ids})
        wanted = {layer for layer in layers if layer[0] not in self.summary.document_ids}
        spans = (Span.start, Span.end, Span.label, Span.actor_id, Span.issue_id, Span.note)
        stances = (
            Stance.id,
            Stance.actor_id,
            Stance.issue_id,
            Stance.polarity,
            Stance.confidence,
            Stance.note,
        )
        for begin in range(0, len(old), CHUNK):
            chunk = old[begin : begin + CHUNK]
            query = select(Span.document_id, Span.annotator_id, Span.id, *spans).where(
                Span.document_id.in_(chunk), live(Span)
            )
            for row in self.session.execute(query):
                if (row[0], row[1]) in wanted:
                    found = self.stored_spans.setdefault((row[0], row[1]), {})
                    found.setdefault(tuple(row[3:]), row[2])  # type: ignore[arg-type]
            stance_query = select(Stance.document_id, Stance.annotator_id, *stances).where(
                Stance.document_id.in_(chunk), live(Stance)
            )
            rows = [r for r in self.session.execute(stance_query) if (r[0], r[1]) in wanted]
            cited: dict[uuid.UUID, set[uuid.UUID]] = {}
            for start in range(0, len(rows), CHUNK):
                evidence = select(StanceEvidence.stance_id, StanceEvidence.span_id).where(
                    StanceEvidence.stance_id.in_([r.id for r in rows[start : start + CHUNK]])
                )
                for stance_id, span_id in self.session.execute(evidence):
                    cited.setdefault(stance_id, set()).add(span_id)
            for r in rows:
                self.stored_stances.setdefault((r[0], r[1]), set()).add(
                    (
                        r.actor_id,
                        r.issue_id,
                        r.polarity,
                        frozenset(cited.get(r.id, ())),
                        r.confidence,
                        r.note,
                    )
                )
            label_query = select(
                DocumentLabel.document_id, DocumentLabel.annotator_id, DocumentLabel.label
            ).where(DocumentLabel.document_id.in_(chunk))
            for document_id, annotator_id, label in self.session.execute(label_query):
                if (document_id, annotator_id) in wanted:
                    self.stored_labels.setdefault((document_id, annotator_id), set()).add(label)

    def _spans(self, spans: list[SpanRecord], layer: Layer) -> dict[str, uuid.UUID]:
        """Store what the layer lacks; returns the input's span ids -> the stored spans' ids."""
        document_id, annotator_id = layer
        stored = self.stored_spans.get(layer, {})
        own = self._own_ids(Span, [self._uuid(span.id) for span in spans], layer, self.span_layers)
        seen = self.seen_spans.setdefault(layer, {})
        span_ids: dict[str, uuid.UUID] = {}
        for span in spans:
            key: SpanKey = (
                span.start,
                span.end,
                span.label,
                self.actors[span.actor] if span.actor else None,
                self.issues[span.issue] if span.issue else None,
                span.note,
            )
            given = self._uuid(span.id)
            wanted = own[given] if given is not None else None
            if wanted is not None and self.span_layers.get(wanted) == layer:
                identifier = wanted  # stored before (perhaps deleted since): not again
            elif wanted is None and key in seen:
                identifier = seen[key]
                self.summary.duplicate_spans += 1
            elif wanted is None and key in stored:
                identifier = stored[key]
            else:
                identifier = wanted or new_id()
                self.span_layers[identifier] = layer
                self.summary.span_ids_reassigned += wanted != given
                self.rows["spans"].append(
                    {
                        "id": identifier,
                        "document_id": document_id,
                        "annotator_id": annotator_id,
                        "start": span.start,
                        "end": span.end,
                        "label": span.label,
                        "actor_id": key[3],
                        "issue_id": key[4],
                        "note": span.note,
                        "created_at": self.stamp,
                        "updated_at": self.stamp,
                        "deleted_at": None,
                    }
                )
            seen.setdefault(key, identifier)
            if span.id:
                span_ids[span.id] = identifier
        return span_ids

    def _stances(
        self, stances: list[StanceRecord], layer: Layer, span_ids: dict[str, uuid.UUID]
    ) -> None:
        document_id, annotator_id = layer
        stored = self.stored_stances.get(layer, set())
        own = self._own_ids(
            Stance, [self._uuid(stance.id) for stance in stances], layer, self.stance_layers
        )
        seen = self.seen_stances.setdefault(layer, set())
        for stance in stances:
            # Two input ids can name one stored span (a duplicate span): cite it once.
            evidence = list(dict.fromkeys(span_ids[e] for e in stance.evidence))
            key: StanceKey = (
                self.actors[stance.actor],
                self.issues[stance.issue],
                stance.polarity,
                frozenset(evidence),
                stance.confidence,
                stance.note,
            )
            given = self._uuid(stance.id)
            wanted = own[given] if given is not None else None
            if wanted is not None and self.stance_layers.get(wanted) == layer:
                pass  # stored before (perhaps deleted since): not again
            elif wanted is None and key in seen:
                self.summary.duplicate_stances += 1
            elif wanted is None and key in stored:
                pass
            else:
                identifier = wanted or new_id()
                self.rows["stances"].append(
                    {
                        "id": identifier,
                        "document_id": document_id,
                        "annotator_id": annotator_id,
                        "actor_id": key[0],
                        "issue_id": key[1],
                        "polarity": stance.polarity,
                        "confidence": stance.confidence,
                        "note": stance.note,
                        "created_at": self.stamp,
                        "updated_at": self.stamp,
                        "deleted_at": None,
                    }
                )
                self.rows["evidence"] += [
                    {"stance_id": identifier, "span_id": span_id} for span_id in evidence
                ]
                self.stance_layers[identifier] = layer
                self.summary.stance_ids_reassigned += wanted != given
            seen.add(key)

    def _own_ids(
        self,
        model: type[Span] | type[Stance],
        ids: list[uuid.UUID | None],
        layer: Layer,
        layers: dict[uuid.UUID, Layer],
    ) -> dict[uuid.UUID, uuid.UUID]:
        """The id each of `ids` takes in `layer`: itself, unless another layer uses it.

        Else the id derived from it and the layer, or if another layer uses that too (which
        only an input carrying derived ids into other layers can do), the one derived from
        that, and so on. `layers` learns the layer of every stored id met.
        """
        own: dict[uuid.UUID, uuid.UUID] = {}
        pending = {i: i for i in ids if i is not None}
        while pending:
            self._find_layers(model, list(pending.values()), layers)
            taken: dict[uuid.UUID, uuid.UUID] = {}
            for given, candidate in pending.items():
                if layers.get(candidate, layer) == layer:
                    own[given] = candidate
                else:
                    taken[given] = uuid.uuid5(REASSIGNED_IDS, f"{layer[0]}:{layer[1]}:{candidate}")
            pending = taken
        return own

    def _find_layers(
        self,
        model: type[Span] | type[Stance],
        ids: list[uuid.UUID | None],
        layers: dict[uuid.UUID, Layer],
    ) -> None:
        """Add to `layers` the layer of every id in `ids` the project already has (each
        asked about once: the rest join `absent`)."""
        unknown = [
            i
            for i in dict.fromkeys(ids)
            if i is not None and i not in layers and i not in self.absent[model]
        ]
        for start in range(0, len(unknown), CHUNK):
            chunk = unknown[start : start + CHUNK]
            query = select(model.id, model.document_id, model.annotator_id).where(
                model.id.in_(chunk)
            )
            for identifier, document_id, annotator_id in self.session.execute(query):
                layers[identifier] = (document_id, annotator_id)
            self.absent[model].update(i for i in chunk if i not in layers)

    def _doc_labels(self, labels: list[str], layer: Layer) -> None:
        if not labels:
            return
        have = self.seen_labels.setdefault(layer, set(self.stored_labels.get(layer, ())))
        for label in dict.fromkeys(labels):
            if label not in have:
                have.add(label)
                self.rows["labels"].append(
                    {
                        "id": new_id(),
                        "document_id": layer[0],
                        "annotator_id": layer[1],
                        "label": label,
                        "created_at": self.stamp,
                    }
                )


def _uuid(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
