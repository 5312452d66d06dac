"""Merging checked bundles into a project: all of them in one transaction, or nothing.

Rows keep the ids they had on the laptop. A span or stance is inserted when new, updated
when the bundle's `updated_at` is newer than the project's (a tombstone is an update like
any other, so deletions propagate), and left alone when older, so importing a bundle twice,
or an older bundle after a newer one, changes nothing. Equal timestamps with different
contents happen (changing only a stance's evidence leaves its row's `updated_at` alone on
the laptop); then the bundle wins only if no newer bundle of the same annotator was imported
before: the newest bundle time per annotator is kept in `project_settings`. Rows of other
annotators are never touched: a uuid that belongs to someone else's layer stops the import.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy import exc as sa_exc
from sqlalchemy.orm import Session

from annotator.io.bundles.contents import Bundle, BundleError, LayerEntry, iso, utc
from annotator.io.bundles.registry import ActorMerge, merge_vocabulary
from annotator.io.bundles.summary import BundleImportSummary
from annotator.store.bulk import insert_rows
from annotator.store.database import Database
from annotator.store.models import (
    Annotator,
    Document,
    DocumentLabel,
    DocumentStatus,
    ImportBatch,
    ProjectSetting,
    Span,
    Stance,
    StanceEvidence,
    new_id,
    now,
)
from annotator.store.project import find_annotator
from annotator.store.search_index import indexed_together

NEWEST_PREFIX = "bundle.newest."  # + annotator id: when their newest imported bundle was made

CHUNK = 500  # ids per IN query
_SPAN_FIELDS = ("start", "end", "label", "actor_id", "issue_id", "note", "updated_at", "deleted_at")
_STANCE_FIELDS = (
    "actor_id",
    "issue_id",
    "polarity",
    "confidence",
    "note",
    "updated_at",
    "deleted_at",
)


def merge_bundles(project: Database, *, bundles: Sequence[Bundle]) -> BundleImportSummary:
    """Store checked bundles in one transaction; any problem leaves the project unchanged."""
    summary = BundleImportSummary()
    current = ""
    try:
        # New documents are indexed for search in one statement at the end, not row by row.
        with project.sessions.begin() as session, indexed_together(session):
            for bundle in bundles:
                current = bundle.path
                _BundleMerge(session, bundle, summary).run()
    except (sa_exc.IntegrityError, sa_exc.DataError) as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise BundleError(
            f"{current}: the project refused it ({reason}); nothing was imported"
        ) from None
    return summary


def _chunks(values: Sequence[Any]) -> Iterable[Sequence[Any]]:
    for start in range(0, len(values), CHUNK):
        yield values[start : start + CHUNK]


class _BundleMerge:
    """One bundle's writes inside the open transaction."""

    def __init__(self, session: Session, bundle: Bundle, summary: BundleImportSummary) -> None:
        self.session = session
        self.bundle = bundle
        self.summary = summary
        self.annotator_id = bundle.manifest.annotator.id
        self.current = True  # no newer bundle of this annotator was imported before

    def run(self) -> None:
        """Annotator, vocabulary, actors, documents, then the layer itself."""
        info = self.bundle.manifest.annotator
        self.summary.bundles.append((self.bundle.path, info.name))
        self.annotator_id = self._annotator()
        self.current = self._note_newest()
        self.issues = merge_vocabulary(self.session, self.bundle, self.summary)
        self.actors = ActorMerge(self.session, self.summary, self.bundle.path).merge(
            self.bundle.actors
        )
        self.summary.actor_ids.update(self.actors.values())
        documents = self._documents()
        self.summary.layers.update((d, self.annotator_id) for d in documents.values())
        self.session.flush()  # the Core statements below need the ORM's rows
        self._spans(documents)
        self._stances(documents)
        self._labels_and_statuses(documents)

    def _note_newest(self) -> bool:
        """Whether this bundle is the annotator's newest so far; if so, remember it."""
        key = NEWEST_PREFIX + str(self.annotator_id)
        made = self.bundle.manifest.created
        setting = self.session.get(ProjectSetting, key)
        if setting is None:
            self.session.add(ProjectSetting(key=key, value=iso(made)))
            return True
        try:
            newest = utc(datetime.fromisoformat(setting.value))
        except ValueError:  # edited by hand: trust the bundle
            newest = made
        if made < newest:
            return False
        setting.value = iso(made)
        return True

    def _annotator(self) -> uuid.UUID:
        info = self.bundle.manifest.annotator
        same_id = self.session.get(Annotator, info.id)
        if same_id is not None:
            if same_id.name != info.name:
                self.summary.notes.append(
                    f"{self.bundle.path}: annotator '{info.name}' is called '{same_id.name}' "
                    "here (same id); the layer goes to them"
                )
            return same_id.id
        same_name = find_annotator(self.session, info.name)
        if same_name is not None:
            raise BundleError(
                f"{self.bundle.path}: annotator '{info.name}' of this project (id "
                f"{same_name.id}) is not the '{info.name}' who made the bundle (id {info.id});"
                " two people share the name: rename one and export again"
            )
        self.session.add(Annotator(id=info.id, name=info.name, role=info.role))
        self.session.flush()
        self.summary.annotators_added.append(info.name)
        return info.id

    def _documents(self) -> dict[str, uuid.UUID]:
        """The project's document id for each text hash, creating the documents it lacks."""
        entries = self.bundle.documents
        found: dict[str, uuid.UUID] = {}
        for chunk in _chunks(sorted(entries)):
            query = select(Document.text_sha256, Document.id)
            found |= dict(self.session.execute(query.where(Document.text_sha256.in_(chunk))).all())
        self.summary.documents_matched += len(found)
        missing = [entries[digest] for digest in entries if digest not in found]
        if not missing:
            return found
        taken_ids: set[uuid.UUID] = set()
        taken_external: set[str] = set()
        for chunk in _chunks(missing):
            ids = [entry.uuid for entry in chunk]
            taken_ids |= set(self.session.scalars(select(Document.id).where(Document.id.in_(ids))))
            names = [entry.external_id for entry in chunk if entry.external_id]
            known = select(Document.external_id).where(Document.external_id.in_(names))
            taken_external |= {name for name in self.session.scalars(known) if name}
        batch = ImportBatch(description=f"bundle {self.bundle.path} from "
                            f"{self.bundle.manifest.annotator.name}")  # fmt: skip
        self.session.add(batch)
        self.session.flush()
        rows = []
        for entry in missing:
            external_id = entry.external_id
            if external_id in taken_external:
                self.summary.notes.append(
                    f"{self.bundle.path}: external id '{external_id}' already names another "
                    f"document here (a different text); '{entry.title}' was added without it"
                )
                external_id = None
            # The laptop's id when it is free, so both copies of the project agree.
            found[entry.text_sha256] = identifier = (
                entry.uuid if entry.uuid not in taken_ids else new_id()
            )
            rows.append(
                {
                    "id": identifier,
                    "external_id": external_id,
                    "title": entry.title,
                    "source": entry.source,
                    "url": entry.url,
                    "published": entry.published,
                    "story": entry.story,
                    "text": entry.text,
                    "raw_text": None,  # the laptop's raw input is not in the bundle
                    "text_sha256": entry.text_sha256,
                    "length": len(entry.text),
                    "import_batch_id": batch.id,
                    "meta": entry.meta,
                    "created_at": now(),
                }
            )
        insert_rows(self.session, Document, rows)
        self.summary.documents_added += len(rows)
        self.summary.document_ids.update(found[entry.text_sha256] for entry in missing)
        return found

    def _existing(self, model: type[Span] | type[Stance], ids: list[uuid.UUID]) -> dict[Any, Any]:
        """Rows of `model` with these ids, whoever they belong to."""
        fields = _SPAN_FIELDS if model is Span else _STANCE_FIELDS
        columns = [model.id, model.annotator_id, model.document_id]
        columns += [getattr(model, name) for name in fields]
        rows: dict[Any, Any] = {}
        for chunk in _chunks(ids):
            for row in self.session.execute(select(*columns).where(model.id.in_(chunk))):
                rows[row[0]] = row
        return rows

    def _check_owner(self, what: str, row: Any, document_id: uuid.UUID) -> None:
        if row.annotator_id != self.annotator_id:
            owner = self.session.get_one(Annotator, row.annotator_id).name
            raise BundleError(
                f"{self.bundle.path}: {what} {row.id} belongs to {owner}'s layer in this "
                "project; a bundle never overwrites another annotator's work"
            )
        if row.document_id != document_id:
            raise BundleError(
                f"{self.bundle.path}: {what} {row.id} is on another document in this project"
            )

    def _spans(self, documents: dict[str, uuid.UUID]) -> None:
        layers = self.bundle.layers
        existing = self._existing(Span, [s.uuid for layer in layers for s in layer.spans])
        inserts = []
        for layer in layers:
            document_id = documents[layer.text_sha256]
            for span in layer.spans:
                values: dict[str, Any] = {
                    "start": span.start,
                    "end": span.end,
                    "label": span.label,
                    "actor_id": self.actors[span.actor] if span.actor else None,
                    "issue_id": self.issues[span.issue] if span.issue else None,
                    "note": span.note,
                    "updated_at": span.updated_at,
                    "deleted_at": span.deleted_at,
                }
                row = existing.get(span.uuid)
                if row is None:
                    values |= {"id": span.uuid, "document_id": document_id}
                    values |= {"annotator_id": self.annotator_id, "created_at": span.created_at}
                    inserts.append(values)
                    self._count("spans", None, span.deleted_at)
                    continue
                self._check_owner("span", row, document_id)
                if self._wins(span.updated_at, row) and _differs(values, row, _SPAN_FIELDS):
                    self.session.execute(update(Span).where(Span.id == span.uuid).values(values))
                    self._count("spans", row, span.deleted_at)
        insert_rows(self.session, Span, inserts)

    def _stances(self, documents: dict[str, uuid.UUID]) -> None:
        layers = self.bundle.layers
        ids = [s.uuid for layer in layers for s in layer.stances]
        existing = self._existing(Stance, ids)
        evidence: dict[uuid.UUID, set[uuid.UUID]] = {}
        for chunk in _chunks(list(existing)):
            query = select(StanceEvidence.stance_id, StanceEvidence.span_id)
            for stance_id, span_id in self.session.execute(
                query.where(StanceEvidence.stance_id.in_(chunk))
            ):
                evidence.setdefault(stance_id, set()).add(span_id)
        inserts, links = [], []
        for layer in layers:
            document_id = documents[layer.text_sha256]
            for stance in layer.stances:
                values: dict[str, Any] = {
                    "actor_id": self.actors[stance.actor],
                    "issue_id": self.issues[stance.issue],
                    "polarity": stance.polarity,
                    "confidence": stance.confidence,
                    "note": stance.note,
                    "updated_at": stance.updated_at,
                    "deleted_at": stance.deleted_at,
                }
                cited = [{"stance_id": stance.uuid, "span_id": e} for e in stance.evidence]
                row = existing.get(stance.uuid)
                if row is None:
                    values |= {"id": stance.uuid, "document_id": document_id}
                    values |= {"annotator_id": self.annotator_id, "created_at": stance.created_at}
                    inserts.append(values)
                    links += cited
                    self._count("stances", None, stance.deleted_at)
                    continue
                self._check_owner("stance", row, document_id)
                if not self._wins(stance.updated_at, row):
                    continue
                # Editing only a stance's evidence does not touch its row on the laptop, so
                # the evidence is compared as well as the fields.
                same_evidence = evidence.get(stance.uuid, set()) == set(stance.evidence)
                if same_evidence and not _differs(values, row, _STANCE_FIELDS):
                    continue
                self.session.execute(update(Stance).where(Stance.id == stance.uuid).values(values))
                if not same_evidence:
                    self.session.execute(
                        delete(StanceEvidence).where(StanceEvidence.stance_id == stance.uuid)
                    )
                    links += cited
                self._count("stances", row, stance.deleted_at)
        insert_rows(self.session, Stance, inserts)
        insert_rows(self.session, StanceEvidence, links)

    def _wins(self, theirs: datetime, row_or_time: Any) -> bool:
        """Whether the bundle's version (changed at `theirs`) replaces the project's."""
        ours = utc(row_or_time if isinstance(row_or_time, datetime) else row_or_time.updated_at)
        return theirs > ours or (theirs == ours and self.current)

    def _count(self, kind: str, row: Any, deleted_at: Any) -> None:
        """Count a written span or stance as added, updated or deleted."""
        was_live = row is not None and row.deleted_at is None
        if deleted_at is not None and (row is None or was_live):
            outcome = "deleted"
        else:
            outcome = "added" if row is None else "updated"
        name = f"{kind}_{outcome}"
        setattr(self.summary, name, getattr(self.summary, name) + 1)

    def _labels_and_statuses(self, documents: dict[str, uuid.UUID]) -> None:
        by_document = {documents[layer.text_sha256]: layer for layer in self.bundle.layers}
        ids = list(by_document)
        labels: dict[uuid.UUID, dict[str, Any]] = {}
        statuses: dict[uuid.UUID, Any] = {}
        mine = self.annotator_id
        for chunk in _chunks(ids):
            query = select(
                DocumentLabel.id,
                DocumentLabel.document_id,
                DocumentLabel.label,
                DocumentLabel.created_at,
            ).where(DocumentLabel.annotator_id == mine, DocumentLabel.document_id.in_(chunk))
            for row in self.session.execute(query):
                labels.setdefault(row.document_id, {})[row.label] = row
            query2 = select(
                DocumentStatus.document_id, DocumentStatus.status, DocumentStatus.updated_at
            ).where(DocumentStatus.annotator_id == mine, DocumentStatus.document_id.in_(chunk))
            for document_id, status, updated_at in self.session.execute(query2):
                statuses[document_id] = (status, updated_at)
        self.new_labels: list[dict[str, Any]] = []
        self.new_statuses: list[dict[str, Any]] = []
        for document_id, layer in by_document.items():
            self._labels(document_id, layer, labels.get(document_id, {}))
            self._status(document_id, layer, statuses.get(document_id))
        insert_rows(self.session, DocumentLabel, self.new_labels)
        insert_rows(self.session, DocumentStatus, self.new_statuses)

    def _labels(self, document_id: uuid.UUID, layer: LayerEntry, have: dict[str, Any]) -> None:
        """Make the project's labels of this layer the bundle's, if it is the newest bundle.

        Document labels carry no tombstones, so an older bundle cannot tell a label it lacks
        from one removed later: only the annotator's newest bundle sets them.
        """
        if not self.current:
            return
        made = self.bundle.manifest.created
        wanted = {label.label: label for label in layer.labels}
        for name, label in wanted.items():
            if name not in have:
                self.new_labels.append(
                    {
                        "id": new_id(),
                        "document_id": document_id,
                        "annotator_id": self.annotator_id,
                        "label": name,
                        "created_at": label.created_at,
                    }
                )
                self.summary.document_labels_added += 1
        for name, row in have.items():
            # Missing from the bundle: removed on the laptop, unless the label is younger than
            # the bundle (then it was not made on the laptop).
            if name not in wanted and utc(row.created_at) <= made:
                self.session.execute(delete(DocumentLabel).where(DocumentLabel.id == row.id))
                self.summary.document_labels_removed += 1

    def _status(self, document_id: uuid.UUID, layer: LayerEntry, have: Any) -> None:
        if layer.status is None:
            return
        wanted = (layer.status.status, layer.status.updated_at)
        if have is None:
            self.new_statuses.append(
                {
                    "document_id": document_id,
                    "annotator_id": self.annotator_id,
                    "status": wanted[0],
                    "updated_at": wanted[1],
                }
            )
        elif self._wins(wanted[1], have[1]) and wanted != (have[0], utc(have[1])):
            self.session.execute(
                update(DocumentStatus)
                .where(
                    DocumentStatus.document_id == document_id,
                    DocumentStatus.annotator_id == self.annotator_id,
                )
                .values(status=wanted[0], updated_at=wanted[1])
            )
        else:
            return
        self.summary.statuses_changed += 1


def _differs(values: dict[str, Any], row: Any, fields: tuple[str, ...]) -> bool:
    for name in fields:
        theirs, ours = values[name], getattr(row, name)
        if name in ("updated_at", "deleted_at"):
            ours = utc(ours) if ours is not None else None
        if name == "note":
            ours = ours or ""
        if theirs != ours:
            return True
    return False
