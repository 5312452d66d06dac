"""Storing one annotator's layer of one document: every call is its own transaction.

This is the `LayerBackend` of `annotator.core.annotations`: the workspace's commands write
through it, so an edit is committed before the window shows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from annotator.core.annotations import AnnotationLayer, SpanValue, StanceValue
from annotator.core.changes import ProjectChange
from annotator.core.errors import StaleEdit
from annotator.store.layers import SPAN_COLUMNS as _SPAN_COLUMNS
from annotator.store.layers import StoredLayer, live, read_layers
from annotator.store.models import (
    Document,
    DocumentLabel,
    DocumentStatus,
    Span,
    Stance,
    StanceEvidence,
    now,
)
from annotator.store.sessions import Sessions


class LayerStore:
    """Reads and writes the spans and stances of (document, annotator)."""

    def __init__(self, sessions: Sessions, document_id: uuid.UUID, annotator_id: uuid.UUID) -> None:
        self.sessions = sessions
        self.document_id = document_id
        self.annotator_id = annotator_id
        self._touched = False  # the status row was checked once; later edits skip that
        # The status as last read (None: read it when asked), so a key press that stores a
        # span does not read it again; and whether an edit changed it, for the progress line.
        self._status: str | None = None
        self._status_changed = False
        self._batch: Session | None = None  # the transaction of the step being stored

    def load(self) -> AnnotationLayer:
        """The layer as stored now (soft-deleted rows left out)."""
        self._status = None  # read again too: it may have changed with the layer
        with self.sessions() as session:
            length = session.scalar(select(Document.length).where(Document.id == self.document_id))
            if length is None:
                raise LookupError(f"no document {self.document_id}")
            key = (self.document_id, self.annotator_id)
            stored = read_layers(
                session, document_id=self.document_id, annotator_id=self.annotator_id
            ).get(key, StoredLayer())
            labels = set(
                session.scalars(
                    select(DocumentLabel.label).where(
                        DocumentLabel.document_id == self.document_id,
                        DocumentLabel.annotator_id == self.annotator_id,
                    )
                )
            )
        return AnnotationLayer(length, self, stored.spans, stored.stances, labels)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Every change stored inside is one transaction, committed at the end of the block
        (rolled back, with nothing stored, if the block raises)."""
        if self._batch is not None:  # already in one: part of it
            yield
            return
        touched = self._touched
        try:
            with self.sessions.begin() as session:
                self._batch = session
                yield
        except BaseException:
            self._touched = touched  # the status row it may have made was rolled back too
            raise
        finally:
            self._batch = None

    @contextmanager
    def _transaction(self) -> Iterator[Session]:
        """The step's transaction inside `batch()`, else one of this call's own."""
        if self._batch is not None:
            yield self._batch
            return
        with self.sessions.begin() as session:
            yield session

    def put_span(self, span: SpanValue, old: SpanValue | None = None) -> None:
        # Core statements, not ORM objects: this runs on every key press that marks text.
        values = {
            "start": span.start,
            "end": span.end,
            "label": span.label,
            "actor_id": span.actor_id,
            "issue_id": span.issue_id,
            "note": span.note,
            "deleted_at": None,
            "updated_at": now(),
        }
        with self._transaction() as session:
            self._check_span(session, span, old)
            # An undone delete brings back the very row (its tombstone), so a merged
            # laptop sees one span, deleted and restored, not two.
            updated = session.execute(update(Span).where(Span.id == span.id).values(**values))
            if not updated.rowcount:  # type: ignore[attr-defined]
                session.execute(
                    insert(Span).values(
                        id=span.id,
                        document_id=self.document_id,
                        annotator_id=self.annotator_id,
                        created_at=now(),
                        **values,
                    )
                )
            self._touch(session)

    def remove_span(self, old: SpanValue) -> None:
        with self._transaction() as session:
            self._check_span(session, old, old)
            session.execute(update(Span).where(Span.id == old.id).values(deleted_at=now()))
            # ^ a tombstone, so merged laptops learn of the delete

    def put_stance(self, stance: StanceValue, old: StanceValue | None = None) -> None:
        with self._transaction() as session:
            self._check_stance(session, stance.id, old)
            row = session.get(Stance, stance.id)
            if row is None:
                row = Stance(
                    id=stance.id, document_id=self.document_id, annotator_id=self.annotator_id
                )
                session.add(row)
            row.actor_id, row.issue_id, row.polarity = (
                stance.actor_id,
                stance.issue_id,
                stance.polarity,
            )
            row.confidence, row.note, row.deleted_at = stance.confidence, stance.note, None
            row.updated_at = now()  # also when only the evidence changed: bundles merge by it
            session.flush()
            session.execute(delete(StanceEvidence).where(StanceEvidence.stance_id == stance.id))
            session.add_all(
                StanceEvidence(stance_id=stance.id, span_id=span_id) for span_id in stance.evidence
            )
            self._touch(session)

    def remove_stance(self, old: StanceValue) -> None:
        with self._transaction() as session:
            self._check_stance(session, old.id, old)
            row = session.get(Stance, old.id)  # ORM, as put_stance: one view of it per step
            if row is not None:
                row.deleted_at = now()

    # -- changes made elsewhere ------------------------------------------------------------

    def _check_span(self, session: Session, span: SpanValue, old: SpanValue | None) -> None:
        """Refuse the edit if the stored span is not `old` (what the window showed): another
        window or program changed or deleted it since, or (for a new span) already stored
        the same span (all but the id alike, the import's rule for a duplicate)."""
        if old is None:
            # The very span brought back elsewhere (another window's undo). A twin made
            # elsewhere is caught by the window's own duplicate check once it has looked.
            twin = session.execute(select(Span.id).where(Span.id == span.id, live(Span))).first()
            if twin is not None:
                raise StaleEdit(
                    f"A {span.label} span at {span.start}-{span.end} was stored meanwhile "
                    "by another window or program; the document is shown as stored now."
                )
            return
        row = session.execute(
            select(*_SPAN_COLUMNS, Span.deleted_at).where(
                Span.id == old.id,
                Span.document_id == self.document_id,
                Span.annotator_id == self.annotator_id,
            )
        ).first()
        if row is None or row.deleted_at is not None:
            raise StaleEdit(
                f"The {old.label} span at {old.start}-{old.end} was deleted meanwhile by "
                "another window or program; the document is shown as stored now."
            )
        if SpanValue(*row[:-1]) != old:
            raise StaleEdit(
                f"The {old.label} span at {old.start}-{old.end} was changed meanwhile by "
                "another window or program; the document is shown as stored now."
            )

    def _check_stance(
        self, session: Session, stance_id: uuid.UUID, old: StanceValue | None
    ) -> None:
        row = session.execute(
            select(
                Stance.actor_id,
                Stance.issue_id,
                Stance.polarity,
                Stance.confidence,
                Stance.note,
                Stance.deleted_at,
            ).where(Stance.id == stance_id)
        ).first()
        if old is None:
            if row is not None and row.deleted_at is None:
                raise StaleEdit(
                    "This stance was stored meanwhile by another window or program; "
                    "the document is shown as stored now."
                )
            return
        evidence = set(
            session.scalars(
                select(StanceEvidence.span_id)
                .join(Span, Span.id == StanceEvidence.span_id)
                .where(StanceEvidence.stance_id == stance_id, live(Span))
            )
        )
        if (
            row is None
            or row.deleted_at is not None
            or tuple(row[:5])
            != (old.actor_id, old.issue_id, old.polarity, old.confidence, old.note)
            or evidence != set(old.evidence)
        ):
            raise StaleEdit(
                "This stance was changed or deleted meanwhile by another window or program; "
                "the document is shown as stored now."
            )

    def set_document_label(self, label: str, present: bool) -> None:
        with self._transaction() as session:
            session.execute(
                delete(DocumentLabel).where(
                    DocumentLabel.document_id == self.document_id,
                    DocumentLabel.annotator_id == self.annotator_id,
                    DocumentLabel.label == label,
                )
            )
            if present:
                session.add(
                    DocumentLabel(
                        document_id=self.document_id, annotator_id=self.annotator_id, label=label
                    )
                )
            self._touch(session)

    def set_status(self, status: str) -> ProjectChange:
        """Mark the document todo, in progress, done or skipped for this annotator."""
        self._touched = status != "todo"  # back to "todo": the next edit makes it in progress
        self._status = None
        with self._transaction() as session:
            row = session.get(DocumentStatus, (self.document_id, self.annotator_id))
            if row is None:
                session.add(
                    DocumentStatus(
                        document_id=self.document_id, annotator_id=self.annotator_id, status=status
                    )
                )
            else:
                row.status = status
        return ProjectChange(statuses=frozenset({(self.document_id, self.annotator_id)}))

    def status(self) -> str:
        if self._status is None:
            with self.sessions() as session:
                row = session.get(DocumentStatus, (self.document_id, self.annotator_id))
                self._status = row.status if row else "todo"
        return self._status

    def take_status_change(self) -> bool:
        """Whether an edit since the last call made the document "in progress"."""
        changed, self._status_changed = self._status_changed, False
        return changed

    def _touch(self, session: Session) -> None:
        """A document somebody has started on is "in progress" (unless already done)."""
        if self._touched:
            return
        self._touched = True
        status = session.get(DocumentStatus, (self.document_id, self.annotator_id))
        if status is None:
            session.add(
                DocumentStatus(
                    document_id=self.document_id,
                    annotator_id=self.annotator_id,
                    status="in_progress",
                )
            )
        elif status.status == "todo":
            status.status = "in_progress"
        else:
            return
        self._status, self._status_changed = None, True


def _same(column: InstrumentedAttribute[uuid.UUID | None], value: uuid.UUID | None) -> Any:
    """`column` holds `value`, NULL included (SQL's = is never true for NULL)."""
    return column.is_(None) if value is None else column == value
