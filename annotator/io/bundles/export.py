"""Writing one annotator's work to a bundle file (see `annotator.io.bundles`).

The layer is read with Core selects a page of documents at a time (IN queries over the
page's ids, as the export does), inside one read transaction, so the bundle is one
consistent snapshot. Tombstones (soft-deleted spans and stances) are included: they are how
a deletion made on a laptop reaches the lead.
"""

from __future__ import annotations

import shutil
import tempfile
import uuid
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select, union

from annotator import __version__
from annotator.io.bundles.archive import MIB, atomic_zip
from annotator.io.bundles.contents import (
    ACTORS,
    DOCUMENTS,
    FORMAT,
    KIND,
    LAYER,
    MANIFEST,
    BundleError,
    dumps_bytes,
    iso,
)
from annotator.store.database import Database
from annotator.store.models import (
    Actor,
    ActorAlias,
    Annotator,
    Document,
    DocumentLabel,
    DocumentStatus,
    Issue,
    SchemaVersion,
    Span,
    Stance,
    StanceEvidence,
    now,
)
from annotator.store.project_file import project_clash

PAGE = 500  # documents per IN query


@dataclass(frozen=True)
class BundleSummary:
    """What `export_bundle` wrote."""

    path: Path
    annotator: str
    documents: int
    spans: int
    deleted_spans: int
    stances: int
    deleted_stances: int
    actors: int
    issues: int
    size: int  # bytes

    def lines(self) -> list[str]:
        """The summary as a person reads it."""
        return [
            f"wrote {self.path} ({_size(self.size)}): {self.annotator}'s layer of "
            f"{self.documents} document{'s' if self.documents != 1 else ''}",
            f"{self.spans} spans and {self.stances} stances, plus {self.deleted_spans} deleted "
            f"spans and {self.deleted_stances} deleted stances (so deletions reach the lead); "
            f"{self.actors} actors, {self.issues} issues",
        ]


def _size(size: int) -> str:
    return f"{size / MIB:.1f} MiB" if size >= MIB else f"{max(size // 1024, 1)} KiB"


def export_bundle(project: Database, *, annotator: str, out: Path) -> BundleSummary:
    """Write `annotator`'s layer to the bundle file `out` (atomically; never over the project)."""
    clash = project_clash(Path(out), project.path)
    if clash is not None:
        raise BundleError(f"{out}: {clash}")
    created = now()  # before reading: labels made after this are never taken as removed
    with project.engine.connect() as connection, connection.begin():
        person = connection.execute(
            select(Annotator.id, Annotator.name, Annotator.role).where(Annotator.name == annotator)
        ).first()
        if person is None:
            names = sorted(connection.scalars(select(Annotator.name)))
            known = f" (annotators: {', '.join(names)})" if names else " (it has no annotators)"
            raise BundleError(f"no annotator named '{annotator}' in {project.display_name}{known}")
        writer = _LayerWriter(connection, person.id)
        with atomic_zip(out) as open_member:
            counts = writer.write(open_member)
            with open_member(ACTORS) as member:
                member.write(dumps_bytes(writer.registry()))
            manifest = {
                "kind": KIND,
                "format": FORMAT,
                "tool": f"annotator {__version__}",
                "created": iso(created),
                "annotator": {"id": str(person.id), "name": person.name, "role": person.role},
                "schema": _schema(connection),
                "counts": counts,
            }
            with open_member(MANIFEST) as member:
                member.write(dumps_bytes(manifest))
    return BundleSummary(
        out,
        person.name,
        counts["documents"],
        counts["spans"],
        counts["deleted_spans"],
        counts["stances"],
        counts["deleted_stances"],
        len(writer.actor_names),
        len(writer.issue_keys),
        out.stat().st_size,
    )


def _schema(connection: Connection) -> dict[str, str] | None:
    row = connection.execute(
        select(SchemaVersion.name, SchemaVersion.version, SchemaVersion.source)
        .order_by(SchemaVersion.loaded_at.desc())
        .limit(1)
    ).first()
    return None if row is None else {"name": row[0], "version": row[1], "source": row[2]}


class _LayerWriter:
    """Reads the annotator's layer page by page and writes documents.jsonl and layer.jsonl."""

    def __init__(self, connection: Connection, annotator_id: uuid.UUID) -> None:
        self.connection = connection
        self.annotator_id = annotator_id
        actors = connection.execute(select(Actor.id, Actor.name, Actor.type, Actor.parent_id))
        self.actors = {row[0]: (row[1], row[2], row[3]) for row in actors}
        issues = connection.execute(
            select(Issue.id, Issue.key, Issue.name, Issue.parent_id, Issue.description)
        )
        self.issues = {row[0]: (row[1], row[2], row[3], row[4]) for row in issues}
        self.actor_names: dict[uuid.UUID, str] = {}  # the actors the layer uses
        self.issue_keys: dict[uuid.UUID, str] = {}

    def document_ids(self) -> list[uuid.UUID]:
        """Every document the annotator has a span, stance, label or status on."""
        mine = self.annotator_id
        query = union(
            select(Span.document_id).where(Span.annotator_id == mine),
            select(Stance.document_id).where(Stance.annotator_id == mine),
            select(DocumentLabel.document_id).where(DocumentLabel.annotator_id == mine),
            select(DocumentStatus.document_id).where(DocumentStatus.annotator_id == mine),
        )
        return sorted(self.connection.scalars(query))

    def write(self, open_member: Any) -> dict[str, int]:
        """Write documents.jsonl and layer.jsonl; returns the counts for the manifest."""
        counts = dict.fromkeys(
            ("documents", "spans", "deleted_spans", "stances", "deleted_stances"), 0
        )
        # The layer lines wait in a temp file: a zip member is written in one go, and both
        # members come from the same pages.
        with tempfile.SpooledTemporaryFile(max_size=16 * MIB) as layers:
            with open_member(DOCUMENTS) as documents:
                ids = self.document_ids()
                for start in range(0, len(ids), PAGE):
                    for document, layer in self._page(ids[start : start + PAGE]):
                        documents.write(dumps_bytes(document, line=True))
                        layers.write(dumps_bytes(layer, line=True))
                        counts["documents"] += 1
                        for kind in ("spans", "stances"):
                            deleted = sum(1 for row in layer[kind] if row["deleted_at"])
                            counts[kind] += len(layer[kind]) - deleted
                            counts[f"deleted_{kind}"] += deleted
            layers.seek(0)
            with open_member(LAYER) as member:
                shutil.copyfileobj(layers, member, MIB)
        return counts

    def _page(self, ids: list[uuid.UUID]) -> list[tuple[dict[str, Any], dict[str, Any]]]:
        """(documents.jsonl line, layer.jsonl line) for each document of the page."""
        spans = self._spans(ids)
        stances = self._stances(ids, spans)
        labels = self._labels(ids)
        statuses = self._statuses(ids)
        pages = []
        keys = ("external_id", "text_sha256", "title", "source", "url", "published", "story")
        query = select(
            Document.id, *(getattr(Document, key) for key in keys), Document.meta, Document.text
        ).where(Document.id.in_(ids))
        for row in self.connection.execute(query.order_by(Document.id)):
            document_id = row[0]
            document = {"uuid": str(document_id), **dict(zip(keys, row[1:8], strict=True))}
            document |= {"meta": row[8] or {}, "text": row[9]}
            layer = {
                "text_sha256": document["text_sha256"],
                "document": str(document_id),
                "status": statuses.get(document_id),
                "labels": labels[document_id],
                "spans": sorted(spans[document_id], key=lambda s: (s["start"], s["end"])),
                "stances": sorted(stances[document_id], key=lambda s: s["created_at"]),
            }
            pages.append((document, layer))
        return pages

    def _spans(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
        spans: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
        query = select(
            Span.document_id, Span.id, Span.start, Span.end, Span.label, Span.actor_id,
            Span.issue_id, Span.note, Span.created_at, Span.updated_at, Span.deleted_at,
        ).where(Span.annotator_id == self.annotator_id, Span.document_id.in_(ids))  # fmt: skip
        for document, *row in self.connection.execute(query):
            spans[document].append(self._span(*row))
        return spans

    def _stances(
        self, ids: list[uuid.UUID], spans: dict[uuid.UUID, list[dict[str, Any]]]
    ) -> dict[uuid.UUID, list[dict[str, Any]]]:
        mine = self.annotator_id
        evidence: dict[uuid.UUID, list[str]] = defaultdict(list)
        links = (
            select(StanceEvidence.stance_id, StanceEvidence.span_id)
            .join(Stance, Stance.id == StanceEvidence.stance_id)
            .where(Stance.annotator_id == mine, Stance.document_id.in_(ids))
        )
        for stance_id, span_id in self.connection.execute(links):
            evidence[stance_id].append(str(span_id))
        stances: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
        query = select(
            Stance.document_id, Stance.id, Stance.actor_id, Stance.issue_id, Stance.polarity,
            Stance.confidence, Stance.note, Stance.created_at, Stance.updated_at,
            Stance.deleted_at,
        ).where(Stance.annotator_id == mine, Stance.document_id.in_(ids))  # fmt: skip
        for document, *row in self.connection.execute(query):
            # Evidence only ever cites spans of the same layer; keep it that way in the file.
            own = {span["uuid"] for span in spans[document]}
            cited = sorted(e for e in evidence[row[0]] if e in own)
            stances[document].append(self._stance(cited, *row))
        return stances

    def _labels(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[dict[str, Any]]]:
        labels: dict[uuid.UUID, list[dict[str, Any]]] = defaultdict(list)
        query = (
            select(DocumentLabel.document_id, DocumentLabel.label, DocumentLabel.created_at)
            .where(
                DocumentLabel.annotator_id == self.annotator_id,
                DocumentLabel.document_id.in_(ids),
            )
            .order_by(DocumentLabel.label)
        )
        for document, label, created_at in self.connection.execute(query):
            labels[document].append({"label": label, "created_at": iso(created_at)})
        return labels

    def _statuses(self, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, str]]:
        query = select(
            DocumentStatus.document_id, DocumentStatus.status, DocumentStatus.updated_at
        ).where(
            DocumentStatus.annotator_id == self.annotator_id, DocumentStatus.document_id.in_(ids)
        )
        return {
            document: {"status": status, "updated_at": iso(updated_at)}
            for document, status, updated_at in self.connection.execute(query)
        }

    def _span(
        self,
        identifier: uuid.UUID,
        start: int,
        end: int,
        label: str,
        actor_id: uuid.UUID | None,
        issue_id: uuid.UUID | None,
        note: str | None,
        *moments: Any,
    ) -> dict[str, Any]:
        return {
            "uuid": str(identifier),
            "start": start,
            "end": end,
            "label": label,
            "actor": self._actor(actor_id) if actor_id else None,
            "issue": self._issue(issue_id) if issue_id else None,
            "note": note or "",
            **_moments(*moments),
        }

    def _stance(
        self,
        evidence: list[str],
        identifier: uuid.UUID,
        actor_id: uuid.UUID,
        issue_id: uuid.UUID,
        polarity: str,
        confidence: float | None,
        note: str | None,
        *moments: Any,
    ) -> dict[str, Any]:
        return {
            "uuid": str(identifier),
            "actor": self._actor(actor_id),
            "issue": self._issue(issue_id),
            "polarity": polarity,
            "evidence": evidence,
            "confidence": confidence,
            "note": note or "",
            **_moments(*moments),
        }

    def _actor(self, actor_id: uuid.UUID) -> str:
        """The actor's name; it and its ancestors join the registry the bundle carries."""
        current: uuid.UUID | None = actor_id
        while current is not None and current not in self.actor_names:
            name, _, parent = self.actors[current]
            self.actor_names[current] = name
            current = parent
        return self.actor_names[actor_id]

    def _issue(self, issue_id: uuid.UUID) -> str:
        current: uuid.UUID | None = issue_id
        while current is not None and current not in self.issue_keys:
            key, _, parent, _ = self.issues[current]
            self.issue_keys[current] = key
            current = parent
        return self.issue_keys[issue_id]

    def registry(self) -> dict[str, Any]:
        """actors.json: the actors and issues the layer uses, with their ancestors."""
        aliases: dict[uuid.UUID, list[str]] = defaultdict(list)
        if self.actor_names:
            for actor_id, alias in self.connection.execute(
                select(ActorAlias.actor_id, ActorAlias.alias)
                .where(ActorAlias.actor_id.in_(list(self.actor_names)))
                .order_by(ActorAlias.alias)
            ):
                aliases[actor_id].append(alias)
        actors = []
        for actor_id, name in sorted(self.actor_names.items(), key=lambda item: item[1]):
            _, kind, parent = self.actors[actor_id]
            actors.append(
                {
                    "name": name,
                    "type": kind,
                    "parent": self.actor_names[parent] if parent else None,
                    "aliases": aliases[actor_id],
                }
            )
        issues = []
        for issue_id, key in sorted(self.issue_keys.items(), key=lambda item: item[1]):
            _, name, parent, description = self.issues[issue_id]
            issues.append(
                {
                    "key": key,
                    "name": name,
                    "parent": self.issue_keys[parent] if parent else None,
                    "description": description or "",
                }
            )
        return {"actors": actors, "issues": issues}


def _moments(created_at: Any, updated_at: Any, deleted_at: Any) -> dict[str, str | None]:
    return {
        "created_at": iso(created_at),
        "updated_at": iso(updated_at),
        "deleted_at": iso(deleted_at) if deleted_at else None,
    }
