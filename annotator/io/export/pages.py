"""The layers of one page of documents: annotators' layers or the gold layer.

A page's spans, evidence, stances, document labels and statuses each come from one IN
query over the page's document ids. Soft-deleted spans and stances are skipped, and
evidence pointing at a skipped span is left out. An annotator's layer of a document exists
when the annotator has a span, a stance, a document label or a status for it; the gold
layer exists when the document has gold spans or stances.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.sql.elements import ColumnElement

from annotator.io.export.queries import Registries, Selection, raw_id, status_matches, text_id
from annotator.io.export.records import (
    GOLD,
    ExportedDocument,
    LayerRecord,
    SpanRow,
    StanceRow,
    stance_order,
)
from annotator.store.layers import live
from annotator.store.models import (
    DocumentLabel,
    DocumentStatus,
    GoldSpan,
    GoldStance,
    GoldStanceEvidence,
    Span,
    Stance,
    StanceEvidence,
)

Key = tuple[Any, Any]  # raw (document id, annotator id)


class _Page:
    """One page of documents and what reading its layers needs."""

    def __init__(
        self,
        connection: Connection,
        registries: Registries,
        selection: Selection,
        documents: dict[Any, ExportedDocument],  # by raw id
    ) -> None:
        self.connection = connection
        self.registries = registries
        self.selection = selection
        self.documents = documents

    def _span_row(
        self,
        identifier: str,
        start: int,
        end: int,
        label: str,
        actor: Any,
        issue: Any,
        note: str | None,
    ) -> SpanRow:
        """A span as the formats write it: actor and issue looked up by raw id."""
        return SpanRow(
            start,
            end,
            label,
            identifier,
            self.registries.actors[actor] if actor else None,
            self.registries.issues[issue] if issue else None,
            note or "",
        )


class AnnotatorPage(_Page):
    """The annotators' layers of one page of documents."""

    def _filters(self, document: Any, annotator: Any) -> list[ColumnElement[bool]]:
        """This page's documents, and the chosen annotator's layer if there is one."""
        filters: list[ColumnElement[bool]] = [raw_id(document).in_(list(self.documents))]
        if self.selection.annotator_id is not None:
            filters.append(raw_id(annotator) == self.selection.annotator_id)
        return filters

    def _spans(self) -> tuple[dict[Key, list[SpanRow]], dict[str, SpanRow]]:
        spans: dict[Key, list[SpanRow]] = defaultdict(list)
        by_id: dict[str, SpanRow] = {}
        query = select(
            text_id(Span.id),
            raw_id(Span.document_id),
            raw_id(Span.annotator_id),
            Span.start,
            Span.end,
            Span.label,
            raw_id(Span.actor_id),
            raw_id(Span.issue_id),
            Span.note,
        ).where(live(Span), *self._filters(Span.document_id, Span.annotator_id))
        rows = self.connection.execute(query).all()
        for identifier, document, annotator, start, end, label, actor, issue, note in rows:
            span = self._span_row(identifier, start, end, label, actor, issue, note)
            spans[(document, annotator)].append(span)
            by_id[identifier] = span
        return spans, by_id

    def _stances(self, spans: dict[str, SpanRow]) -> dict[Key, list[StanceRow]]:
        actors, issues = self.registries.actors, self.registries.issues
        alive = live(Stance)
        filters = self._filters(Stance.document_id, Stance.annotator_id)
        evidence: dict[str, list[SpanRow]] = defaultdict(list)
        links = (
            select(text_id(StanceEvidence.stance_id), text_id(StanceEvidence.span_id))
            .join(Stance, Stance.id == StanceEvidence.stance_id)
            .where(alive, *filters)
        )
        for stance_id, span_id in self.connection.execute(links).all():
            if span_id in spans:  # evidence on a deleted span is not exported
                evidence[stance_id].append(spans[span_id])
        stances: dict[Key, list[StanceRow]] = defaultdict(list)
        query = select(
            text_id(Stance.id),
            raw_id(Stance.document_id),
            raw_id(Stance.annotator_id),
            raw_id(Stance.actor_id),
            raw_id(Stance.issue_id),
            Stance.polarity,
            Stance.confidence,
            Stance.note,
        ).where(alive, *filters)
        rows = self.connection.execute(query).all()
        for identifier, document, annotator, actor, issue, polarity, confidence, note in rows:
            stances[(document, annotator)].append(
                StanceRow(
                    identifier,
                    actors[actor],
                    issues[issue],
                    polarity,
                    confidence,
                    note or "",
                    tuple(sorted(evidence.get(identifier, ()))),
                )
            )
        return stances

    def _labels(self) -> dict[Key, list[str]]:
        labels: dict[Key, list[str]] = defaultdict(list)
        query = select(
            raw_id(DocumentLabel.document_id),
            raw_id(DocumentLabel.annotator_id),
            DocumentLabel.label,
        ).where(*self._filters(DocumentLabel.document_id, DocumentLabel.annotator_id))
        for document, annotator, label in self.connection.execute(query).all():
            labels[(document, annotator)].append(label)
        return labels

    def _statuses(self) -> dict[Key, str]:
        query = select(
            raw_id(DocumentStatus.document_id),
            raw_id(DocumentStatus.annotator_id),
            DocumentStatus.status,
        ).where(*self._filters(DocumentStatus.document_id, DocumentStatus.annotator_id))
        rows = self.connection.execute(query).all()
        return {(document, annotator): status for document, annotator, status in rows}

    def records(self) -> list[LayerRecord]:
        """The page's layer records: documents in page order, layers by annotator name."""
        spans, by_id = self._spans()
        stances = self._stances(by_id)
        labels = self._labels()
        statuses = self._statuses()
        layers: dict[Any, set[Any]] = defaultdict(set)
        for document_id, annotator_id in (*spans, *stances, *labels, *statuses):
            layers[document_id].add(annotator_id)
        names = self.registries.annotators
        records = []
        for document_id, document in self.documents.items():
            for annotator_id in sorted(layers.get(document_id, ()), key=names.__getitem__):
                key = (document_id, annotator_id)
                status = statuses.get(key)
                if not status_matches(self.selection.status, [status] if status else []):
                    continue
                records.append(
                    LayerRecord(
                        document,
                        names[annotator_id],
                        status or "todo",
                        sorted(spans.get(key, ())),
                        sorted(stances.get(key, ()), key=stance_order),
                        sorted(labels.get(key, ())),
                    )
                )
        return records


class GoldPage(_Page):
    """The gold layer of one page of documents."""

    def __init__(
        self,
        connection: Connection,
        registries: Registries,
        selection: Selection,
        documents: dict[Any, ExportedDocument],  # by raw id
    ) -> None:
        super().__init__(connection, registries, selection, documents)
        self.reviewers: dict[Any, set[Any]] = defaultdict(set)

    def _spans(self) -> tuple[dict[Any, list[SpanRow]], dict[str, SpanRow]]:
        spans: dict[Any, list[SpanRow]] = defaultdict(list)
        by_id: dict[str, SpanRow] = {}
        query = select(
            text_id(GoldSpan.id),
            raw_id(GoldSpan.document_id),
            raw_id(GoldSpan.reviewer_id),
            GoldSpan.start,
            GoldSpan.end,
            GoldSpan.label,
            raw_id(GoldSpan.actor_id),
            raw_id(GoldSpan.issue_id),
            GoldSpan.note,
        ).where(raw_id(GoldSpan.document_id).in_(list(self.documents)))
        rows = self.connection.execute(query).all()
        for identifier, document, reviewer, start, end, label, actor, issue, note in rows:
            span = self._span_row(identifier, start, end, label, actor, issue, note)
            spans[document].append(span)
            by_id[identifier] = span
            if reviewer is not None:
                self.reviewers[document].add(reviewer)
        return spans, by_id

    def _stances(self, spans: dict[str, SpanRow]) -> dict[Any, list[StanceRow]]:
        actors, issues = self.registries.actors, self.registries.issues
        on_page = raw_id(GoldStance.document_id).in_(list(self.documents))
        evidence: dict[str, list[SpanRow]] = defaultdict(list)
        links = (
            select(
                text_id(GoldStanceEvidence.gold_stance_id),
                text_id(GoldStanceEvidence.gold_span_id),
            )
            .join(GoldStance, GoldStance.id == GoldStanceEvidence.gold_stance_id)
            .where(on_page)
        )
        for stance_id, span_id in self.connection.execute(links).all():
            if span_id in spans:
                evidence[stance_id].append(spans[span_id])
        stances: dict[Any, list[StanceRow]] = defaultdict(list)
        query = select(
            text_id(GoldStance.id),
            raw_id(GoldStance.document_id),
            raw_id(GoldStance.reviewer_id),
            raw_id(GoldStance.actor_id),
            raw_id(GoldStance.issue_id),
            GoldStance.polarity,
            GoldStance.note,
        ).where(on_page)
        rows = self.connection.execute(query).all()
        for identifier, document, reviewer, actor, issue, polarity, note in rows:
            stances[document].append(
                StanceRow(
                    identifier,
                    actors[actor],
                    issues[issue],
                    polarity,
                    None,  # gold stances carry no confidence
                    note or "",
                    tuple(sorted(evidence.get(identifier, ()))),
                )
            )
            if reviewer is not None:
                self.reviewers[document].add(reviewer)
        return stances

    def _statuses(self) -> dict[Any, list[str]]:
        """The statuses the reviewers who wrote a document's gold layer gave it."""
        statuses: dict[Any, list[str]] = defaultdict(list)
        if self.selection.status is None:
            return statuses
        query = select(
            raw_id(DocumentStatus.document_id),
            raw_id(DocumentStatus.annotator_id),
            DocumentStatus.status,
        ).where(raw_id(DocumentStatus.document_id).in_(list(self.documents)))
        for document, annotator, status in self.connection.execute(query).all():
            if annotator in self.reviewers.get(document, ()):
                statuses[document].append(status)
        return statuses

    def records(self) -> list[LayerRecord]:
        """The page's gold records, one per document that has gold annotations."""
        spans, by_id = self._spans()
        stances = self._stances(by_id)
        statuses = self._statuses()
        records = []
        for document_id, document in self.documents.items():
            if document_id not in spans and document_id not in stances:
                continue
            if not status_matches(self.selection.status, statuses.get(document_id, [])):
                continue
            records.append(
                LayerRecord(
                    document,
                    GOLD,
                    self.selection.status or "adjudicated",
                    sorted(spans.get(document_id, ())),
                    sorted(stances.get(document_id, ()), key=stance_order),
                    [],
                )
            )
        return records
