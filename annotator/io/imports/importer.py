"""Storing an import plan: one transaction for the whole command, or nothing at all.

Documents are deduplicated by the hash of their stored text, against the project and
inside the batch. Labels, polarities, issues and actors the project does not know yet are
added and listed in the summary, never dropped (`imports.actors` matches the actors and their
types). Then spans, stances and document labels go to their layers (`imports.layers`, which
also says what makes an import idempotent without losing annotations).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.errors import AnnotatorError
from annotator.core.schema import IssueDefinition, LabelSchema, default_schema, extended, slug
from annotator.io.imports.actors import match_actors
from annotator.io.imports.layers import CHUNK, LayerWriter
from annotator.io.imports.planning import (
    Cancelled,
    ImportCancelled,
    ImportOptions,
    ImportPlan,
    PlannedArticle,
    Progress,
    plan_import,
)
from annotator.io.imports.summary import ImportSummary
from annotator.store.bulk import insert_rows
from annotator.store.database import Database
from annotator.store.models import Document, ImportBatch, Issue, new_id, now
from annotator.store.project import active_schema, install_schema
from annotator.store.search_index import indexed_together


class ImportFailed(AnnotatorError):
    """Bad input stopped the import; nothing was stored."""


def import_paths(
    project: Database,
    *,
    paths: Sequence[Path],
    options: ImportOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    """Read, check and store everything in `paths` in one transaction."""
    plan = plan_import(paths, options, progress, cancelled)
    return store_plan(project, plan=plan, options=options, progress=progress, cancelled=cancelled)


def check_plan(plan: ImportPlan, options: ImportOptions) -> None:
    """Raise ImportFailed (one line) when `plan` must not be stored. Asked before the project
    is opened, so bad input never creates, upgrades or backs up a project file."""
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


def store_plan(
    project: Database,
    *,
    plan: ImportPlan,
    options: ImportOptions,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ImportSummary:
    check_plan(plan, options)
    summary = ImportSummary(
        files=plan.files,
        skipped=[str(p) for p in plan.problems],
        passed_over=plan.passed_over,
        repeated_in_batch=plan.repeated,
        read_notes=plan.notes,
    )
    with project.sessions.begin() as session:
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
        self._check_ids_free(rows, articles)
        with indexed_together(self.session):  # twice as fast as the per-row trigger
            insert_rows(self.session, Document, rows)
        self.summary.added = len(rows)
        self.summary.document_ids.update(row["id"] for row in rows)
        layers = LayerWriter(self.session, self.summary, self.options, self.actors, self.issues)
        layers.write_all(
            [
                (article, document_ids[article.sha256])
                for article in articles
                if article.spans or article.record.stances or article.record.doc_labels
            ]
        )
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

    def _check_ids_free(self, rows: list[dict[str, Any]], articles: list[PlannedArticle]) -> None:
        """A new document's id must not name a document already in the project (with
        another text: the same text was found by its hash and not added again)."""
        wanted = sorted({row["external_id"] for row in rows if row["external_id"] is not None})
        for start in range(0, len(wanted), CHUNK):
            query = select(Document.external_id, Document.title).where(
                Document.external_id.in_(wanted[start : start + CHUNK])
            )
            taken = self.session.execute(query).first()
            if taken is not None:
                origin = next(a.record.origin for a in articles if a.record.external_id == taken[0])
                raise ImportFailed(
                    f"{origin}: 'id' {taken[0]!r} is already the id of another document in "
                    f"the project ({taken[1] or 'untitled'}); give this one another id; "
                    "nothing was imported"
                )

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

    # -- vocabulary: schema labels, polarities, issues, actors -------------------------------

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
        self.actors = match_actors(self.session, articles, schema.actor_types, self.summary)

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


def _new(known: Iterable[str], wanted: Iterable[str]) -> list[str]:
    known_set = set(known)
    return [name for name in dict.fromkeys(wanted) if name not in known_set]
