"""Storing an import plan: one transaction for the whole command, or nothing at all.

Documents are deduplicated by the hash of their stored text, against the project and
inside the batch. Spans, stances and document labels go to the layer of the annotator the
record names (created if new); labels, polarities, issues and actors the project does not
know yet are added and listed in the summary, never dropped.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, tuple_
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.schema import IssueDefinition, LabelSchema, default_schema, extended, slug
from annotator.io.planning import (
    Cancelled,
    ImportCancelled,
    ImportOptions,
    ImportPlan,
    PlannedArticle,
    Progress,
    plan_import,
)
from annotator.settings import Settings
from annotator.store.database import Database
from annotator.store.models import (
    Actor,
    ActorAlias,
    Document,
    DocumentLabel,
    ImportBatch,
    Issue,
    Span,
    Stance,
    StanceEvidence,
    new_id,
    now,
)
from annotator.store.project import (
    active_schema,
    annotator_named,
    find_annotator,
    install_schema,
)

CHUNK = 500
DEFAULT_ANNOTATOR = "imported"


class ImportFailed(AnnotatorError):
    """Bad input stopped the import; nothing was stored."""


@dataclass
class ImportSummary:
    files: int = 0
    added: int = 0
    already_present: list[tuple[str, str]] = field(default_factory=list)  # origin, title
    repeated_in_batch: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # problems passed over with --skip-bad
    passed_over: list[Path] = field(default_factory=list)
    dropped_lines: int = 0
    spans: int = 0
    stances: int = 0
    doc_labels: int = 0
    new_labels: list[str] = field(default_factory=list)
    new_polarities: list[str] = field(default_factory=list)
    new_issues: list[str] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)
    new_annotators: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """The summary as a person reads it, most important first."""
        out = [
            f"imported {self.added} new documents from {self.files} files"
            + (
                f" ({self.dropped_lines} lines of page chrome removed)"
                if self.dropped_lines
                else ""
            )
        ]
        if self.spans or self.stances or self.doc_labels:
            out.append(
                f"added {self.spans} spans, {self.stances} stances, "
                f"{self.doc_labels} document labels"
            )
        for origin, title in self.already_present:
            out.append(f"already in the project, not imported again: {origin} ({title})")
        for origin, first in self.repeated_in_batch:
            out.append(f"same text as {first}, imported once: {origin}")
        for what, names in (
            ("labels", self.new_labels),
            ("polarities", self.new_polarities),
            ("issues", self.new_issues),
            ("actors", self.new_actors),
            ("annotators", self.new_annotators),
        ):
            if names:
                out.append(f"new {what} added to the project: {', '.join(names)}")
        for problem in self.skipped:
            out.append(f"skipped: {problem}")
        if self.passed_over:
            out.append(
                f"passed over {len(self.passed_over)} files that are not articles "
                f"(e.g. {self.passed_over[0]})"
            )
        return out


def import_paths(
    database: Database,
    paths: Sequence[Path],
    options: ImportOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    """Read, check and store everything in `paths` in one transaction."""
    plan = plan_import(paths, options, progress, cancelled)
    return store_plan(database, plan, options, progress, cancelled)


def store_plan(
    database: Database,
    plan: ImportPlan,
    options: ImportOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    if plan.problems and not options.skip_bad:
        more = len(plan.problems) - 1
        extra = f" ({more} more problems; --skip-bad imports the rest)" if more else ""
        raise ImportFailed(f"{plan.problems[0]}{extra}; nothing was imported")
    if not plan.articles and not plan.problems and not plan.repeated and plan.files == 0:
        raise ImportFailed(
            "no article files found"
            + (
                f" (passed over {len(plan.passed_over)} files with other extensions; "
                "name a --format to read them)"
                if plan.passed_over
                else ""
            )
        )
    summary = ImportSummary(
        files=plan.files,
        skipped=[str(p) for p in plan.problems],
        passed_over=plan.passed_over,
        repeated_in_batch=plan.repeated,
    )
    with database.sessions.begin() as session:
        _Writer(session, summary, options, progress, cancelled).write(plan.articles)
    return summary


class _Writer:
    """One import's writes inside one open transaction."""

    def __init__(
        self,
        session: Session,
        summary: ImportSummary,
        options: ImportOptions,
        progress: Progress | None,
        cancelled: Cancelled | None,
    ) -> None:
        self.session = session
        self.summary = summary
        self.options = options
        self.progress = progress
        self.cancelled = cancelled
        self.annotators: dict[str, uuid.UUID] = {}
        self.actors: dict[str, uuid.UUID] = {}
        self.issues: dict[str, uuid.UUID] = {}

    def write(self, articles: list[PlannedArticle]) -> None:
        batch = ImportBatch(description=f"{self.summary.files} files")
        self.session.add(batch)
        self.session.flush()
        if any(a.spans or a.record.stances or a.record.doc_labels for a in articles):
            self._prepare_vocabulary(articles)
        existing = self._existing_documents({a.sha256 for a in articles})
        rows: list[dict[str, Any]] = []
        document_ids: dict[str, uuid.UUID] = {}
        for number, article in enumerate(articles):
            if number % CHUNK == 0:
                self._check(number, len(articles))
            if article.sha256 in existing:
                document_ids[article.sha256], title = existing[article.sha256]
                if not (article.spans or article.record.stances):
                    self.summary.already_present.append((article.record.origin, title))
                continue
            if article.sha256 in document_ids:
                continue  # a second layer of a document this batch adds
            document_ids[article.sha256] = identifier = new_id()
            rows.append(self._document_row(identifier, article, batch.id))
            self.summary.dropped_lines += len(article.dropped)
        for start in range(0, len(rows), CHUNK):
            self.session.execute(insert(Document), rows[start : start + CHUNK])
        self.summary.added = len(rows)
        for article in articles:
            if article.spans or article.record.stances or article.record.doc_labels:
                self._annotations(article, document_ids[article.sha256])
        self._check(len(articles), len(articles))

    def _check(self, done: int, total: int) -> None:
        if self.cancelled is not None and self.cancelled():
            raise ImportCancelled
        if self.progress is not None:
            self.progress(done, total, "storing")

    def _document_row(
        self, identifier: uuid.UUID, article: PlannedArticle, batch: uuid.UUID
    ) -> dict[str, Any]:
        record = article.record
        meta = dict(record.meta)
        if record.author:
            meta.setdefault("author", record.author)
        if article.dropped:
            meta["cleaning"] = {"dropped_lines": len(article.dropped)}
        return {
            "id": identifier,
            "external_id": record.external_id,
            "title": record.title or "",
            # A story or source chosen for the whole import wins over what the file says.
            "source": self.options.source or record.source,
            "url": record.url,
            "published": record.published,
            "story": self.options.story or record.story,
            "text": article.text,
            "raw_text": None if record.raw == article.text else record.raw,
            "text_sha256": article.sha256,
            "length": len(article.text),
            "import_batch_id": batch,
            "meta": meta,
            "created_at": now(),
        }

    def _existing_documents(self, hashes: set[str]) -> dict[str, tuple[uuid.UUID, str]]:
        found: dict[str, tuple[uuid.UUID, str]] = {}
        ordered = sorted(hashes)
        for start in range(0, len(ordered), CHUNK):
            query = select(Document.text_sha256, Document.id, Document.title).where(
                Document.text_sha256.in_(ordered[start : start + CHUNK])
            )
            for digest, identifier, title in self.session.execute(query):
                found[digest] = (identifier, title)
        return found

    # -- vocabulary: schema labels, polarities, issues, actors, annotators -----------------

    def _prepare_vocabulary(self, articles: list[PlannedArticle]) -> None:
        schema = active_schema(self.session)
        if schema is None:
            schema = default_schema()
            install_schema(self.session, schema)
        labels = _new(
            (label.name for label in schema.labels), (s.label for a in articles for s in a.spans)
        )
        polarities = _new(
            schema.polarities, (s.polarity for a in articles for s in a.record.stances)
        )
        self.issues = {issue.key: issue.id for issue in self.session.scalars(select(Issue))}
        by_name = {issue.name.lower(): issue.id for issue in self.session.scalars(select(Issue))}
        wanted_issues = [
            name
            for a in articles
            for name in [s.issue for s in a.spans if s.issue] + [s.issue for s in a.record.stances]
        ]
        new_issues: list[IssueDefinition] = []
        for name in dict.fromkeys(wanted_issues):
            if name in self.issues:
                continue
            if name.lower() in by_name:
                self.issues[name] = by_name[name.lower()]
                continue
            key = slug(name)
            if key not in self.issues:
                issue = Issue(key=key, name=name, description="Added by an import.")
                self.session.add(issue)
                self.session.flush()
                self.issues[key] = issue.id
                new_issues.append(IssueDefinition(key=key, name=name))
            self.issues[name] = self.issues[key]
        if labels or polarities or new_issues:
            self._extend_schema(schema, labels, polarities, new_issues)
        self._prepare_actors(articles)

    def _extend_schema(
        self,
        schema: LabelSchema,
        labels: list[str],
        polarities: list[str],
        issues: list[IssueDefinition],
    ) -> None:
        install_schema(
            self.session,
            extended(
                schema, labels=tuple(labels), polarities=tuple(polarities), issues=tuple(issues)
            ),
        )
        self.summary.new_labels = labels
        self.summary.new_polarities = polarities
        self.summary.new_issues = [issue.name for issue in issues]

    def _prepare_actors(self, articles: list[PlannedArticle]) -> None:
        for actor_id, name in self.session.execute(select(Actor.id, Actor.name)):
            self.actors[name] = actor_id
        aliases: dict[str, set[uuid.UUID]] = {}
        for actor_id, alias in self.session.execute(select(ActorAlias.actor_id, ActorAlias.alias)):
            aliases.setdefault(alias, set()).add(actor_id)
        wanted = [
            name
            for a in articles
            for name in [s.actor for s in a.spans if s.actor] + [s.actor for s in a.record.stances]
        ]
        for name in dict.fromkeys(wanted):
            if name in self.actors:
                continue
            if len(aliases.get(name, ())) == 1:  # an unambiguous alias names its actor
                self.actors[name] = next(iter(aliases[name]))
                continue
            actor = Actor(name=name, type="unknown")
            self.session.add(actor)
            self.session.flush()
            self.actors[name] = actor.id
            self.summary.new_actors.append(name)

    def _annotator(self, name: str | None) -> uuid.UUID:
        name = name or self.options.annotator or Settings.load().annotator or DEFAULT_ANNOTATOR
        if name not in self.annotators:
            found = find_annotator(self.session, name)
            if found is None:
                found = annotator_named(self.session, name)
                self.summary.new_annotators.append(name)
            self.annotators[name] = found.id
        return self.annotators[name]

    # -- annotations -------------------------------------------------------------------------

    def _annotations(self, article: PlannedArticle, document_id: uuid.UUID) -> None:
        record = article.record
        annotator_id = self._annotator(record.annotator)
        known_spans = {
            (row.start, row.end, row.label): row.id
            for row in self.session.execute(
                select(Span.id, Span.start, Span.end, Span.label).where(
                    Span.document_id == document_id,
                    Span.annotator_id == annotator_id,
                    Span.deleted_at.is_(None),
                )
            )
        }
        given_ids = [_uuid(s.id) for s in article.spans if _uuid(s.id)]
        taken = (
            set(self.session.scalars(select(Span.id).where(Span.id.in_(given_ids))))
            if given_ids
            else set()
        )
        span_ids: dict[str, uuid.UUID] = {}
        rows = []
        for span in article.spans:
            wanted = _uuid(span.id)
            key = (span.start, span.end, span.label)
            if wanted in taken or key in known_spans:
                identifier = wanted if wanted in taken else known_spans[key]
            else:
                identifier = wanted or new_id()
                known_spans[key] = identifier
                rows.append(
                    {
                        "id": identifier,
                        "document_id": document_id,
                        "annotator_id": annotator_id,
                        "start": span.start,
                        "end": span.end,
                        "label": span.label,
                        "actor_id": self.actors.get(span.actor) if span.actor else None,
                        "issue_id": self.issues.get(span.issue) if span.issue else None,
                        "note": span.note,
                        "created_at": now(),
                        "updated_at": now(),
                    }
                )
            if span.id:
                span_ids[span.id] = identifier
        if rows:
            self.session.execute(insert(Span), rows)
            self.summary.spans += len(rows)
        self._stances(article, document_id, annotator_id, span_ids)
        self._doc_labels(record.doc_labels, document_id, annotator_id)

    def _stances(
        self,
        article: PlannedArticle,
        document_id: uuid.UUID,
        annotator_id: uuid.UUID,
        span_ids: dict[str, uuid.UUID],
    ) -> None:
        existing = {
            (row.actor_id, row.issue_id, row.polarity)
            for row in self.session.execute(
                select(Stance.actor_id, Stance.issue_id, Stance.polarity).where(
                    Stance.document_id == document_id,
                    Stance.annotator_id == annotator_id,
                    Stance.deleted_at.is_(None),
                )
            )
        }
        for stance in article.record.stances:
            actor_id, issue_id = self.actors[stance.actor], self.issues[stance.issue]
            if (actor_id, issue_id, stance.polarity) in existing:
                continue
            wanted = _uuid(stance.id)
            if wanted is not None and self.session.get(Stance, wanted) is not None:
                continue
            row = Stance(
                id=wanted or new_id(),
                document_id=document_id,
                annotator_id=annotator_id,
                actor_id=actor_id,
                issue_id=issue_id,
                polarity=stance.polarity,
                confidence=stance.confidence,
                note=stance.note,
            )
            row.evidence = [StanceEvidence(span_id=span_ids[e]) for e in stance.evidence]
            self.session.add(row)
            existing.add((actor_id, issue_id, stance.polarity))
            self.summary.stances += 1
        self.session.flush()

    def _doc_labels(
        self, labels: list[str], document_id: uuid.UUID, annotator_id: uuid.UUID
    ) -> None:
        if not labels:
            return
        have = set(
            self.session.scalars(
                select(DocumentLabel.label).where(
                    tuple_(DocumentLabel.document_id, DocumentLabel.annotator_id)
                    == tuple_(document_id, annotator_id)
                )
            )
        )
        for label in dict.fromkeys(labels):
            if label not in have:
                self.session.add(
                    DocumentLabel(document_id=document_id, annotator_id=annotator_id, label=label)
                )
                self.summary.doc_labels += 1
        self.session.flush()


def _new(known: Iterable[str], wanted: Iterable[str]) -> list[str]:
    known_set = set(known)
    return [name for name in dict.fromkeys(wanted) if name not in known_set]


def _uuid(value: str | None) -> uuid.UUID | None:
    if not value:
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None
