"""Storing an import plan: one transaction for the whole command, or nothing at all.

Documents are deduplicated by the hash of their stored text, against the project and
inside the batch. Spans, stances and document labels go to the layer of the annotator the
record names (created if new); labels, polarities, issues and actors the project does not
know yet are added and listed in the summary, never dropped. A new actor takes the type the
input gives it; an existing actor keeps its own (a different one is reported).

What makes an import idempotent without losing annotations: a span or stance that carries a
UUID is that annotation, so one already in the layer (even soft-deleted) is not stored again,
and two with different UUIDs are two annotations however alike. One without a UUID is
compared by content: a span by offsets, label, actor, issue and note; a stance by actor,
issue, polarity, evidence, confidence and note. It is already stored when the layer holds a
live one with the same content, and a duplicate (skipped, and counted in the summary) when
the input repeats one. A UUID another document or annotator uses is not reused: the
annotation gets a new id, so it never lands in, or cites evidence from, another layer.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import insert, select, tuple_, update
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
from annotator.io.records import SpanRecord, StanceRecord
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
UNKNOWN_TYPE = "unknown"  # an actor whose type nobody has said yet
# Spellings of the default schema's types that inputs use ("org" is DESIGN.md's own word).
TYPE_SPELLINGS = {"org": "organisation", "organization": "organisation"}

Layer = tuple[uuid.UUID, uuid.UUID]  # (document, annotator)
SpanKey = tuple[int, int, str, uuid.UUID | None, uuid.UUID | None, str]
StanceKey = tuple[uuid.UUID, uuid.UUID, str, frozenset[uuid.UUID], float | None, str]


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
    new_actor_types: dict[str, str] = field(default_factory=dict)  # new actor -> its type
    new_annotators: list[str] = field(default_factory=list)
    duplicate_spans: int = 0  # repeated in the input: stored once
    duplicate_stances: int = 0
    span_ids_reassigned: int = 0  # their UUID is another layer's: stored under a new one
    stance_ids_reassigned: int = 0
    actor_type_notes: list[str] = field(default_factory=list)  # types not used, or filled in

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
        for count, what, like in (
            (self.duplicate_spans, "span", "offsets, label, actor, issue and note"),
            (
                self.duplicate_stances,
                "stance",
                "actor, issue, polarity, evidence, confidence and note",
            ),
        ):
            if count:
                out.append(
                    f"{_plural(count, 'duplicate ' + what)} skipped (the same {like} as "
                    f"another {what} of the same annotator in the same document)"
                )
        for count, what in (
            (self.span_ids_reassigned, "span"),
            (self.stance_ids_reassigned, "stance"),
        ):
            if count:
                one = count == 1
                out.append(
                    f"{_plural(count, what)} got {'a new id' if one else 'new ids'}: "
                    f"{'its id belongs' if one else 'their ids belong'} to another document "
                    "or annotator in this project"
                )
        for origin, title in self.already_present:
            out.append(f"already in the project, not imported again: {origin} ({title})")
        for origin, first in self.repeated_in_batch:
            out.append(f"same text as {first}, imported once: {origin}")
        for what, names in (
            ("labels", self.new_labels),
            ("polarities", self.new_polarities),
            ("issues", self.new_issues),
            (
                "actors",
                [f"{n} ({self.new_actor_types.get(n, UNKNOWN_TYPE)})" for n in self.new_actors],
            ),
            ("annotators", self.new_annotators),
        ):
            if names:
                out.append(f"new {what} added to the project: {', '.join(names)}")
        out.extend(self.actor_type_notes)
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
        # Which layer each span and stance UUID met so far belongs to (stored or added now).
        self.span_layers: dict[uuid.UUID, Layer] = {}
        self.stance_layers: dict[uuid.UUID, Layer] = {}
        # What this import has read per layer, to find what the input repeats.
        self.seen_spans: dict[Layer, dict[SpanKey, uuid.UUID]] = {}
        self.seen_stances: dict[Layer, set[StanceKey]] = {}

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
        self._prepare_actors(articles, schema.actor_types)

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

    def _prepare_actors(self, articles: list[PlannedArticle], actor_types: Sequence[str]) -> None:
        kinds: dict[uuid.UUID, tuple[str, str]] = {}  # id -> (name, type) of stored actors
        for actor_id, name, kind in self.session.execute(select(Actor.id, Actor.name, Actor.type)):
            self.actors[name] = actor_id
            kinds[actor_id] = (name, kind)
        aliases: dict[str, set[uuid.UUID]] = {}
        for actor_id, alias in self.session.execute(select(ActorAlias.actor_id, ActorAlias.alias)):
            aliases.setdefault(alias, set()).add(actor_id)
        mentions: dict[str, list[tuple[str | None, str]]] = {}  # name -> (type given, origin)
        for article in articles:
            origin = article.record.origin
            for span in article.spans:
                if span.actor:
                    mentions.setdefault(span.actor, []).append((span.actor_type, origin))
            for stance in article.record.stances:
                mentions.setdefault(stance.actor, []).append((stance.actor_type, origin))
        types = _ActorTypes(actor_types)
        given_to: dict[uuid.UUID, list[tuple[str, str]]] = {}  # stored actor -> (type, origin)
        for name, said in mentions.items():
            given = [
                (known, origin)
                for typed, origin in said
                if (known := types.known(typed, name, origin))
            ]
            if name not in self.actors and len(aliases.get(name, ())) == 1:
                self.actors[name] = next(iter(aliases[name]))  # an unambiguous alias
            if name in self.actors:
                given_to.setdefault(self.actors[name], []).extend(given)
                continue
            kind = given[0][0] if given else UNKNOWN_TYPE
            actor = Actor(name=name, type=kind)
            self.session.add(actor)
            self.session.flush()
            self.actors[name] = actor.id
            self.summary.new_actors.append(name)
            self.summary.new_actor_types[name] = kind
            if given:
                types.disagreements(name, kind, f"in {given[0][1]}", given)
        for actor_id, given in given_to.items():
            name, kind = kinds[actor_id]
            if kind == UNKNOWN_TYPE and given:  # "unknown" is no type: fill it in, and say so
                kind, origin = given[0]
                self.session.execute(update(Actor).where(Actor.id == actor_id).values(type=kind))
                types.notes.append(
                    f"actor '{name}' had no type in the project: now {kind}, from {origin}"
                )
            types.disagreements(name, kind, "in the project", given)
        self.summary.actor_type_notes = types.lines()

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
        layer = (document_id, self._annotator(record.annotator))
        span_ids = self._spans(article.spans, layer)
        if record.stances:
            self._stances(record.stances, layer, span_ids)
        self._doc_labels(record.doc_labels, *layer)

    def _spans(self, spans: list[SpanRecord], layer: Layer) -> dict[str, uuid.UUID]:
        """Store what the layer lacks; returns the input's span ids -> the stored spans' ids."""
        document_id, annotator_id = layer
        stored: dict[SpanKey, uuid.UUID] = {}
        columns = (Span.start, Span.end, Span.label, Span.actor_id, Span.issue_id, Span.note)
        for row in self.session.execute(select(Span.id, *columns).where(*_live(Span, layer))):
            stored.setdefault((row[1], row[2], row[3], row[4], row[5], row[6]), row[0])
        self._find_layers(Span, [_uuid(span.id) for span in spans], self.span_layers)
        seen = self.seen_spans.setdefault(layer, {})
        span_ids: dict[str, uuid.UUID] = {}
        rows = []
        for span in spans:
            key: SpanKey = (
                span.start,
                span.end,
                span.label,
                self.actors[span.actor] if span.actor else None,
                self.issues[span.issue] if span.issue else None,
                span.note,
            )
            wanted = _uuid(span.id)
            owner = self.span_layers.get(wanted) if wanted else None
            if owner is not None and owner != layer:
                wanted = None  # that id is another layer's span
            if owner == layer and wanted is not None:
                identifier = wanted  # stored before (perhaps deleted since): not again
            elif wanted is None and key in seen:
                identifier = seen[key]
                self.summary.duplicate_spans += 1
            elif wanted is None and key in stored:
                identifier = stored[key]
            else:
                identifier = wanted or new_id()
                self.span_layers[identifier] = layer
                self.summary.span_ids_reassigned += owner is not None
                rows.append(
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
                        "created_at": now(),
                        "updated_at": now(),
                    }
                )
            seen.setdefault(key, identifier)
            if span.id:
                span_ids[span.id] = identifier
        if rows:
            self.session.execute(insert(Span), rows)
            self.summary.spans += len(rows)
        return span_ids

    def _stances(
        self, stances: list[StanceRecord], layer: Layer, span_ids: dict[str, uuid.UUID]
    ) -> None:
        document_id, annotator_id = layer
        rows = list(
            self.session.execute(
                select(
                    Stance.id,
                    Stance.actor_id,
                    Stance.issue_id,
                    Stance.polarity,
                    Stance.confidence,
                    Stance.note,
                ).where(*_live(Stance, layer))
            )
        )
        cited: dict[uuid.UUID, set[uuid.UUID]] = {}
        for start in range(0, len(rows), CHUNK):
            query = select(StanceEvidence.stance_id, StanceEvidence.span_id).where(
                StanceEvidence.stance_id.in_([row.id for row in rows[start : start + CHUNK]])
            )
            for stance_id, span_id in self.session.execute(query):
                cited.setdefault(stance_id, set()).add(span_id)
        stored = {
            (
                r.actor_id,
                r.issue_id,
                r.polarity,
                frozenset(cited.get(r.id, ())),
                r.confidence,
                r.note,
            )
            for r in rows
        }
        self._find_layers(Stance, [_uuid(stance.id) for stance in stances], self.stance_layers)
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
            wanted = _uuid(stance.id)
            owner = self.stance_layers.get(wanted) if wanted else None
            if owner is not None and owner != layer:
                wanted = None
            if owner == layer and wanted is not None:
                pass  # stored before (perhaps deleted since): not again
            elif wanted is None and key in seen:
                self.summary.duplicate_stances += 1
            elif wanted is None and key in stored:
                pass
            else:
                row = Stance(
                    id=wanted or new_id(),
                    document_id=document_id,
                    annotator_id=annotator_id,
                    actor_id=key[0],
                    issue_id=key[1],
                    polarity=stance.polarity,
                    confidence=stance.confidence,
                    note=stance.note,
                )
                row.evidence = [StanceEvidence(span_id=span_id) for span_id in evidence]
                self.session.add(row)
                self.stance_layers[row.id] = layer
                self.summary.stances += 1
                self.summary.stance_ids_reassigned += owner is not None
            seen.add(key)
        self.session.flush()

    def _find_layers(
        self,
        model: type[Span] | type[Stance],
        ids: list[uuid.UUID | None],
        layers: dict[uuid.UUID, Layer],
    ) -> None:
        """Add to `layers` the layer of every id in `ids` the project already has."""
        unknown = [i for i in dict.fromkeys(ids) if i is not None and i not in layers]
        for start in range(0, len(unknown), CHUNK):
            query = select(model.id, model.document_id, model.annotator_id).where(
                model.id.in_(unknown[start : start + CHUNK])
            )
            for identifier, document_id, annotator_id in self.session.execute(query):
                layers[identifier] = (document_id, annotator_id)

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


class _ActorTypes:
    """Reads the actor types an input gives, and words what could not be used."""

    def __init__(self, actor_types: Sequence[str]) -> None:
        self.actor_types = actor_types
        self.by_spelling = {kind.casefold(): kind for kind in actor_types}
        for spelling, kind in TYPE_SPELLINGS.items():
            if kind in actor_types:
                self.by_spelling.setdefault(spelling, kind)
        self.not_types: dict[str, list[str]] = {}  # a type as given -> the actors it was for
        self.first_said: dict[str, str] = {}  # a type as given -> where it was first given
        self.notes: list[str] = []

    def known(self, given: str | None, name: str, origin: str) -> str | None:
        """The schema's type `given` names, or None (none given, or not a type: noted)."""
        if given is None:
            return None
        kind = self.by_spelling.get(given.casefold())
        if kind is None:
            names = self.not_types.setdefault(given, [])
            self.first_said.setdefault(given, origin)
            if name not in names:
                names.append(name)
        return kind

    def disagreements(
        self, name: str, kept: str, where: str, given: Sequence[tuple[str, str]]
    ) -> None:
        """Note the types in `given` other than `kept`, the type actor `name` has `where`."""
        other: dict[str, str] = {}  # type -> the first origin that gives it
        for kind, origin in given:
            if kind != kept:
                other.setdefault(kind, origin)
        if other:
            said = ", ".join(f"{kind} in {origin}" for kind, origin in other.items())
            self.notes.append(
                f"actor type not changed: '{name}' is {kept} {where} but {said}; kept {kept}"
            )

    def lines(self) -> list[str]:
        out = list(self.notes)
        for given, names in self.not_types.items():
            shown = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
            out.append(
                f"actor type '{given}' is not one of the project's "
                f"({', '.join(self.actor_types)}); not used for {shown} "
                f"(first in {self.first_said[given]})"
            )
        return out


def _live(model: type[Span] | type[Stance], layer: Layer) -> tuple[Any, ...]:
    return (
        model.document_id == layer[0],
        model.annotator_id == layer[1],
        model.deleted_at.is_(None),
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


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
