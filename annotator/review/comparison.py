"""Comparing the annotators' layers of one document: span units, stance units, disagreements.

A span *unit* is one place in the text that annotators marked: the spans that match exactly
(same start, end and label) or overlap with the same label, at most one span per annotator.
Each unit has an agreement class ("all", "partial", "single") and a decision ("open",
"accepted" into gold, "rejected"). Stances are grouped by (actor, issue) with each annotator's
polarity. `DocumentComparison.disagreements()` lists the open units worth a reviewer's look,
in reading order, for stepping.

Blind mode: `visible_annotators` decides whose layers a viewer may see; every listing of
layers in the review goes through it.

Units are built by a pure function (`build_comparison`), so they are tested on hand-made
layers; the loaders only read rows. Nothing here writes: adjudication is `review.gold`.
"""

from __future__ import annotations

import uuid
from bisect import bisect_left
from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeAlias, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.annotations import SpanValue, StanceValue
from annotator.review.gold import (
    GoldSpanValue,
    GoldStanceValue,
    Rejection,
    for_document,
    load_gold,
    load_rejections,
)
from annotator.store.models import Annotator, Document, DocumentStatus, Span, Stance, StanceEvidence

Agreement: TypeAlias = Literal["all", "partial", "single", "conflict"]
Decision: TypeAlias = Literal["open", "accepted", "rejected"]
T = TypeVar("T")


@dataclass(frozen=True)
class Layer:
    """One annotator's live spans and stances of the document."""

    annotator_id: uuid.UUID
    name: str
    status: str = "todo"
    spans: tuple[SpanValue, ...] = ()
    stances: tuple[StanceValue, ...] = ()


@dataclass(frozen=True)
class SpanChoice:
    """What a reviewer puts into gold for a span unit: one annotator's version, or an edit."""

    start: int
    end: int
    label: str
    actor_id: uuid.UUID | None = None
    issue_id: uuid.UUID | None = None


@dataclass(frozen=True)
class SpanVersion:
    """One distinct (start, end, label) within a unit, and who marked exactly that."""

    choice: SpanChoice
    annotators: tuple[uuid.UUID, ...]
    span_ids: tuple[uuid.UUID, ...]


@dataclass(frozen=True)
class SpanUnit:
    """Spans of several annotators on one stretch of text with one label."""

    kind: ClassVar[Literal["span"]] = "span"
    key: str
    document_id: uuid.UUID
    members: tuple[tuple[uuid.UUID, SpanValue], ...]  # (annotator, span): one per annotator
    versions: tuple[SpanVersion, ...]  # most annotators first; versions[0] is the default
    agreement: Agreement
    decision: Decision
    gold: tuple[GoldSpanValue, ...]
    links_differ: bool  # the members link different actors or issues
    start: int  # where the members' spans begin and end, together
    end: int

    @property
    def label(self) -> str:
        return self.versions[0].choice.label

    @property
    def span_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(span.id for _, span in self.members)

    @property
    def ids(self) -> frozenset[str]:
        """The member ids as stored in rejections and gold provenance."""
        return frozenset(str(span.id) for _, span in self.members)

    @property
    def is_disagreement(self) -> bool:
        return self.agreement != "all" or self.links_differ

    def member(self, annotator_id: uuid.UUID) -> SpanValue | None:
        return next((s for a, s in self.members if a == annotator_id), None)

    def version_of(self, annotator_id: uuid.UUID) -> int | None:
        """Index into `versions` of what this annotator marked, or None."""
        return next((n for n, v in enumerate(self.versions) if annotator_id in v.annotators), None)


@dataclass(frozen=True)
class StanceUnit:
    """Every annotator's stance of one actor on one issue."""

    kind: ClassVar[Literal["stance"]] = "stance"
    key: str
    document_id: uuid.UUID
    actor_id: uuid.UUID
    issue_id: uuid.UUID
    members: tuple[tuple[uuid.UUID, StanceValue], ...]  # an annotator may give two polarities
    agreement: Agreement  # "conflict" when polarities differ
    decision: Decision
    gold: tuple[GoldStanceValue, ...]
    start: int  # the first evidence span (the end of the text without evidence)
    end: int

    @property
    def versions(self) -> tuple[tuple[str, tuple[uuid.UUID, ...]], ...]:
        """(polarity, annotators who gave it), most annotators first."""
        by_polarity: dict[str, list[uuid.UUID]] = {}
        for annotator, stance in self.members:
            who = by_polarity.setdefault(stance.polarity, [])
            if annotator not in who:
                who.append(annotator)
        ranked = sorted(by_polarity.items(), key=lambda item: -len(item[1]))  # stable on ties
        return tuple((polarity, tuple(who)) for polarity, who in ranked)

    @property
    def stance_ids(self) -> tuple[uuid.UUID, ...]:
        return tuple(stance.id for _, stance in self.members)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(str(stance.id) for _, stance in self.members)

    @property
    def is_disagreement(self) -> bool:
        return self.agreement != "all"

    def polarities(self, annotator_id: uuid.UUID) -> tuple[str, ...]:
        return tuple(dict.fromkeys(s.polarity for a, s in self.members if a == annotator_id))


Unit: TypeAlias = SpanUnit | StanceUnit


@dataclass(frozen=True)
class DocumentComparison:
    """Every visible layer of one document, grouped into units, with the gold decisions."""

    document_id: uuid.UUID
    text: str
    title: str
    layers: tuple[Layer, ...]
    span_units: tuple[SpanUnit, ...]
    stance_units: tuple[StanceUnit, ...]
    gold_spans: tuple[GoldSpanValue, ...]
    gold_stances: tuple[GoldStanceValue, ...]
    rejections: tuple[Rejection, ...]

    def units(self) -> list[Unit]:
        """Span and stance units in reading order (a stance sits at its first evidence)."""
        return sorted([*self.span_units, *self.stance_units], key=_reading_order)

    def disagreements(self) -> list[Unit]:
        """Open units that are not an exact agreement of everyone, in reading order."""
        return [u for u in self.units() if u.decision == "open" and u.is_disagreement]

    def unit(self, key: str) -> Unit | None:
        return next((u for u in self.units() if u.key == key), None)

    def unit_of_span(self, span_id: uuid.UUID) -> SpanUnit | None:
        """The unit an annotator's span belongs to (None for a duplicate in one layer)."""
        return next((u for u in self.span_units if span_id in u.span_ids), None)

    def step(self, current: str | None, direction: int) -> Unit | None:
        """The next (1) or previous (-1) open disagreement after `current`, wrapping round."""
        open_units = self.disagreements()
        if not open_units:
            return None
        unit = self.unit(current) if current else None
        if unit is None:
            return open_units[0] if direction > 0 else open_units[-1]
        here = _reading_order(unit)
        if direction > 0:
            return next((u for u in open_units if _reading_order(u) > here), open_units[0])
        return next((u for u in reversed(open_units) if _reading_order(u) < here), open_units[-1])

    def counts(self) -> dict[str, int]:
        """Units decided and undecided, open disagreements, gold rows: for the status bar."""
        units: list[Unit] = [*self.span_units, *self.stance_units]
        decided = sum(u.decision != "open" for u in units)
        return {
            "units": len(units),
            "decided": decided,
            "undecided": len(units) - decided,
            "disagreements": sum(u.is_disagreement for u in units),
            "open": sum(u.is_disagreement and u.decision == "open" for u in units),
            "gold_spans": len(self.gold_spans),
            "gold_stances": len(self.gold_stances),
        }


@dataclass(frozen=True)
class DocumentOverview:
    """One document a viewer can review: how many layers, how much is still open."""

    document_id: uuid.UUID
    title: str
    source: str
    layers: int
    open: int  # open disagreements
    undecided: int  # every undecided unit, agreed or not


def _reading_order(unit: Unit) -> tuple[int, int, int, str]:
    return (unit.start, unit.end, 0 if isinstance(unit, SpanUnit) else 1, unit.key)


def build_comparison(
    document_id: uuid.UUID,
    text: str,
    layers: Sequence[Layer],
    gold_spans: Sequence[GoldSpanValue] = (),
    gold_stances: Sequence[GoldStanceValue] = (),
    rejections: Sequence[Rejection] = (),
    title: str = "",
) -> DocumentComparison:
    """Group `layers` (in the order given: it orders annotators everywhere) into units."""
    rejected_spans = {i for r in rejections if r.kind == "span" for i in r.ids}
    rejected_stances = {i for r in rejections if r.kind == "stance" for i in r.ids}
    spans = build_span_units(document_id, layers, gold_spans, rejected_spans)
    stances = build_stance_units(document_id, len(text), layers, gold_stances, rejected_stances)
    return DocumentComparison(
        document_id,
        text,
        title,
        tuple(layers),
        spans,
        stances,
        tuple(gold_spans),
        tuple(gold_stances),
        tuple(rejections),
    )


# -- building units ------------------------------------------------------------------------


def build_span_units(
    document_id: uuid.UUID,
    layers: Sequence[Layer],
    gold_spans: Sequence[GoldSpanValue],
    rejected: Collection[str],
) -> tuple[SpanUnit, ...]:
    """Cluster the layers' spans into units, at most one span per annotator in each."""
    exact: dict[tuple[int, int, str], list[tuple[uuid.UUID, SpanValue]]] = {}
    by_label: dict[tuple[uuid.UUID, str], _Candidates] = {}
    for layer in layers:
        seen: set[tuple[int, int, str]] = set()
        for span in layer.spans:
            extent = (span.start, span.end, span.label)
            if extent not in seen:  # a layer's duplicate counts once
                seen.add(extent)
                exact.setdefault(extent, []).append((layer.annotator_id, span))
                by_label.setdefault((layer.annotator_id, span.label), _Candidates()).add(span)
    # Gold spans by the spans they came from and by extent, for deciding units.
    gold: dict[object, list[GoldSpanValue]] = {}
    for value in gold_spans:
        for source in value.source_span_ids:
            gold.setdefault(source, []).append(value)
        gold.setdefault((value.start, value.end, value.label), []).append(value)
    # The version most annotators chose seeds a unit first; the others' overlapping spans
    # with that label then join it, so a unit centres on the majority reading.
    seeds = sorted(exact.items(), key=lambda item: (-len(item[1]), item[0]))
    used: set[uuid.UUID] = set()
    units = []
    for (start, end, label), group in seeds:
        members = {a: s for a, s in group if s.id not in used}
        if not members:
            continue
        for layer in layers:
            candidates = by_label.get((layer.annotator_id, label))
            if layer.annotator_id not in members and candidates is not None:
                best = candidates.best_overlap(start, end, used)
                if best is not None:
                    members[layer.annotator_id] = best
        used.update(span.id for span in members.values())
        ordered = tuple(
            (x.annotator_id, members[x.annotator_id]) for x in layers if x.annotator_id in members
        )
        units.append(_span_unit(document_id, ordered, len(layers), gold, rejected))
    return tuple(sorted(units, key=lambda u: (u.start, u.end, u.key)))


class _Candidates:
    """One annotator's spans with one label, found by overlap in O(log n + k)."""

    def __init__(self) -> None:
        self.spans: list[SpanValue] = []
        self.longest = 0
        self._sorted = True

    def add(self, span: SpanValue) -> None:
        self._sorted = self._sorted and (not self.spans or self.spans[-1].start <= span.start)
        self.spans.append(span)
        self.longest = max(self.longest, span.end - span.start)

    def best_overlap(self, start: int, end: int, used: Collection[uuid.UUID]) -> SpanValue | None:
        """The unused span sharing most characters with [start, end); earlier, shorter on ties."""
        if not self._sorted:
            self.spans.sort(key=lambda s: s.start)
            self._sorted = True
        # Only spans starting after start - longest can reach into [start, end).
        first = bisect_left(self.spans, start - self.longest, key=lambda s: s.start)
        best: tuple[int, int, int] | None = None
        found = None
        for span in self.spans[first:]:
            if span.start >= end:
                break
            shared = min(end, span.end) - max(start, span.start)
            if shared > 0 and span.id not in used:
                rank = (-shared, span.start, span.end)
                if best is None or rank < best:
                    best, found = rank, span
        return found


def _span_unit(
    document_id: uuid.UUID,
    members: tuple[tuple[uuid.UUID, SpanValue], ...],
    everyone: int,
    gold_index: Mapping[object, list[GoldSpanValue]],
    rejected: Collection[str],
) -> SpanUnit:
    groups: dict[tuple[int, int, str], list[tuple[uuid.UUID, SpanValue]]] = {}
    for annotator, span in members:
        groups.setdefault((span.start, span.end, span.label), []).append((annotator, span))
    versions = sorted(
        (
            SpanVersion(
                SpanChoice(
                    start,
                    end,
                    label,
                    _most_common(s.actor_id for _, s in group if s.actor_id),
                    _most_common(s.issue_id for _, s in group if s.issue_id),
                ),
                tuple(a for a, _ in group),
                tuple(s.id for _, s in group),
            )
            for (start, end, label), group in groups.items()
        ),
        key=lambda v: (-len(v.annotators), v.choice.start, v.choice.end),
    )
    ids = {str(span.id) for _, span in members}
    found = {g.id: g for key in [*ids, *groups] for g in gold_index.get(key, [])}
    gold = tuple(sorted(found.values(), key=lambda g: (g.start, g.end, g.label)))
    agreement: Agreement = "partial"
    if len(members) == 1:
        agreement = "single"
    elif len(members) == everyone and len(versions) == 1:
        agreement = "all"
    decision: Decision = "accepted" if gold else "rejected" if ids.issubset(rejected) else "open"
    links = {(span.actor_id, span.issue_id) for _, span in members}
    return SpanUnit(
        f"span:{min(ids)}",
        document_id,
        members,
        tuple(versions),
        agreement,
        decision,
        gold,
        len(links) > 1,
        min(span.start for _, span in members),
        max(span.end for _, span in members),
    )


def build_stance_units(
    document_id: uuid.UUID,
    length: int,
    layers: Sequence[Layer],
    gold_stances: Sequence[GoldStanceValue],
    rejected: Collection[str],
) -> tuple[StanceUnit, ...]:
    """Group the layers' stances by (actor, issue)."""
    spans = {span.id: span for layer in layers for span in layer.spans}
    groups: dict[tuple[uuid.UUID, uuid.UUID], list[tuple[uuid.UUID, StanceValue]]] = {}
    for layer in layers:
        for stance in layer.stances:
            groups.setdefault((stance.actor_id, stance.issue_id), []).append(
                (layer.annotator_id, stance)
            )
    units = []
    for (actor_id, issue_id), members in groups.items():
        annotators = {a for a, _ in members}
        agreement: Agreement = "partial"
        if len(annotators) == 1:
            agreement = "single"
        elif len({s.polarity for _, s in members}) > 1:
            agreement = "conflict"
        elif len(annotators) == len(layers):
            agreement = "all"
        evidence = [spans[e] for _, s in members for e in s.evidence if e in spans]
        first = min(evidence, key=lambda s: (s.start, s.end), default=None)
        ids = {str(stance.id) for _, stance in members}
        gold = tuple(
            g
            for g in gold_stances
            if (g.actor_id, g.issue_id) == (actor_id, issue_id) or ids & set(g.source_stance_ids)
        )
        rejected_all = ids.issubset(rejected)
        decision: Decision = "accepted" if gold else "rejected" if rejected_all else "open"
        units.append(
            StanceUnit(
                f"stance:{actor_id}:{issue_id}",
                document_id,
                actor_id,
                issue_id,
                tuple(members),
                agreement,
                decision,
                gold,
                first.start if first else length,
                first.end if first else length,
            )
        )
    return tuple(sorted(units, key=lambda u: (u.start, u.end, u.key)))


def _most_common(values: Iterable[T]) -> T | None:
    """The most frequent value, the first seen winning a tie; None for no values."""
    counts = Counter(values)
    if len(counts) < 2:  # the usual case, without the max()
        return next(iter(counts), None)
    return max(counts, key=lambda v: counts[v])


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
    owners = _layer_owners(session, document_id).get(document_id, {})
    names = _names(session)
    visible = _visible(owners, viewer.role, viewer_id)
    return sorted(visible, key=lambda a: (names.get(a, ""), str(a)))


def _visible(owners: Mapping[uuid.UUID, str], role: str, viewer_id: uuid.UUID) -> set[uuid.UUID]:
    if role == "reviewer" or owners.get(viewer_id) == "done":
        return set(owners)
    return {viewer_id} & set(owners)


def _layer_owners(
    session: Session, only: uuid.UUID | None
) -> dict[uuid.UUID, dict[uuid.UUID, str]]:
    """document -> {annotator: status} for everyone with a layer on it.

    A layer is live spans or stances, or a status of "in_progress" or "done" (an annotator
    who found nothing to mark disagrees with those who did). "skipped" means the annotator
    opted out of the document, so whatever they marked there is left out.
    """
    statuses = _statuses(session, only)
    pairs = {p for p, status in statuses.items() if status in ("in_progress", "done")}
    for model in (Span, Stance):
        query = select(model.document_id, model.annotator_id).distinct()
        query = query.where(model.deleted_at.is_(None), *for_document(model.document_id, only))
        pairs.update((d, a) for d, a in session.execute(query))
    owners: dict[uuid.UUID, dict[uuid.UUID, str]] = {}
    for document_id, annotator_id in pairs:
        status = statuses.get((document_id, annotator_id), "todo")
        if status != "skipped":
            owners.setdefault(document_id, {})[annotator_id] = status
    return owners


# -- loading -------------------------------------------------------------------------------


def load_comparison(
    session: Session, document_id: uuid.UUID, viewer_id: uuid.UUID
) -> DocumentComparison:
    """The comparison of one document as `viewer_id` may see it (see `visible_annotators`)."""
    document = session.get(Document, document_id)
    if document is None:
        raise LookupError(f"no document {document_id}")
    visible = visible_annotators(session, viewer_id, document_id)
    layers = _load_layers(session, {document_id: visible}, document_id)[document_id]
    gold_spans, gold_stances = load_gold(session, document_id)
    return build_comparison(
        document_id,
        document.text,
        layers,
        gold_spans.get(document_id, []),
        gold_stances.get(document_id, []),
        load_rejections(session, document_id).get(document_id, []),
        title=document.title,
    )


def review_overview(session: Session, viewer_id: uuid.UUID) -> list[DocumentOverview]:
    """Documents with at least two layers the viewer may see, with their open counts.

    Reads the whole project in a few queries (no query per document).
    """
    viewer = session.get(Annotator, viewer_id)
    if viewer is None:
        raise LookupError(f"no annotator {viewer_id}")
    owners = _layer_owners(session, None)
    visible = {d: _visible(o, viewer.role, viewer_id) for d, o in owners.items()}
    names = _names(session)
    wanted = {
        d: sorted(ids, key=lambda a: (names.get(a, ""), str(a)))
        for d, ids in visible.items()
        if len(ids) >= 2
    }
    layers = _load_layers(session, wanted, None)
    gold_spans, gold_stances = load_gold(session, None)
    rejections = load_rejections(session, None)
    columns = (Document.id, Document.title, Document.source, Document.story, Document.length)
    documents = [row for row in session.execute(select(*columns)) if row.id in wanted]
    documents.sort(key=lambda d: (d.story or "", d.source or "", d.title, str(d.id)))
    overview = []
    for row in documents:
        # Units need only the text's length (stances without evidence sort at its end).
        counts = build_comparison(
            row.id,
            " " * row.length,
            layers[row.id],
            gold_spans.get(row.id, []),
            gold_stances.get(row.id, []),
            rejections.get(row.id, []),
        ).counts()
        overview.append(
            DocumentOverview(
                row.id,
                row.title,
                row.source or "",
                len(wanted[row.id]),
                counts["open"],
                counts["undecided"],
            )
        )
    return overview


def _load_layers(
    session: Session, wanted: Mapping[uuid.UUID, Sequence[uuid.UUID]], only: uuid.UUID | None
) -> dict[uuid.UUID, list[Layer]]:
    """Live spans and stances of the wanted (document -> annotators), as plain values."""
    spans: dict[tuple[uuid.UUID, uuid.UUID], list[SpanValue]] = {}
    # Plain rows, not ORM objects: the overview reads every span of the project.
    span_rows = select(
        Span.document_id, Span.annotator_id, Span.id, Span.start, Span.end, Span.label,
        Span.actor_id, Span.issue_id, Span.note,
    ).where(Span.deleted_at.is_(None), *for_document(Span.document_id, only))  # fmt: skip
    for row in session.execute(span_rows.order_by(Span.start, Span.end, Span.label)):
        spans.setdefault((row.document_id, row.annotator_id), []).append(
            SpanValue(row.id, row.start, row.end, row.label, row.actor_id, row.issue_id, row.note)
        )
    evidence: dict[uuid.UUID, list[uuid.UUID]] = {}
    links = (
        select(StanceEvidence.stance_id, StanceEvidence.span_id)
        .join(Stance, Stance.id == StanceEvidence.stance_id)
        .where(*for_document(Stance.document_id, only))
    )
    for stance_id, span_id in session.execute(links):
        evidence.setdefault(stance_id, []).append(span_id)
    stances: dict[tuple[uuid.UUID, uuid.UUID], list[StanceValue]] = {}
    stance_rows = select(Stance).where(
        Stance.deleted_at.is_(None), *for_document(Stance.document_id, only)
    )
    for stance in session.scalars(stance_rows):
        owner = (stance.document_id, stance.annotator_id)
        live = {s.id for s in spans.get(owner, [])}
        # Evidence deleted since is evidence no more (as `LayerStore.load` has it).
        cited = tuple(sorted(e for e in evidence.get(stance.id, []) if e in live))
        stances.setdefault(owner, []).append(
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
    names = _names(session)
    statuses = _statuses(session, only)
    return {
        document_id: [
            Layer(
                annotator_id,
                names.get(annotator_id, str(annotator_id)),
                statuses.get((document_id, annotator_id), "todo"),
                tuple(spans.get((document_id, annotator_id), [])),
                tuple(stances.get((document_id, annotator_id), [])),
            )
            for annotator_id in annotators
        ]
        for document_id, annotators in wanted.items()
    }


# -- helpers -------------------------------------------------------------------------------


def _names(session: Session) -> dict[uuid.UUID, str]:
    return {row.id: row.name for row in session.execute(select(Annotator.id, Annotator.name))}


def _statuses(session: Session, only: uuid.UUID | None) -> dict[tuple[uuid.UUID, uuid.UUID], str]:
    query = select(
        DocumentStatus.document_id, DocumentStatus.annotator_id, DocumentStatus.status
    ).where(*for_document(DocumentStatus.document_id, only))
    return {(d, a): s for d, a, s in session.execute(query)}
