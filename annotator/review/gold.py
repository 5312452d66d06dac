"""The gold layer: reading it, and adjudicating units into it with undo and redo.

Transactions: each public method of `GoldReview` (accept, reject, reopen, note, undo, redo)
is one committed transaction, like every edit in the workspace: a crash loses nothing that
was shown. The command objects underneath do and undo themselves on the caller's session
and never commit; `GoldReview` keeps them on its undo and redo lists (no Qt involved).

Rejections need no table of their own: the rejections of a document are a JSON list in
`project_settings` under `review:rejected:<document id>`, each one naming the annotators'
span (or stance) ids it covers, the reviewer, a note and the time. A unit whose ids are all
covered by rejections counts as rejected, so stepping skips it; when an annotator adds a
span to it later, it opens again. Accepting a unit drops the rejections that cover it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from annotator.store.models import (
    Document,
    GoldSpan,
    GoldStance,
    GoldStanceEvidence,
    ProjectSetting,
    now,
)

if TYPE_CHECKING:  # comparison imports this module; the unit types are only annotations here
    from annotator.review.comparison import DocumentComparison, SpanChoice, SpanUnit, StanceUnit

REJECTED_PREFIX = "review:rejected:"


@dataclass(frozen=True)
class GoldSpanValue:
    """A gold span as a plain value (see `GoldSpan`); ids in lists are strings, as stored."""

    id: uuid.UUID
    document_id: uuid.UUID
    start: int
    end: int
    label: str
    actor_id: uuid.UUID | None = None
    issue_id: uuid.UUID | None = None
    agreed_by: tuple[str, ...] = ()  # annotators who marked exactly this span
    source_span_ids: tuple[str, ...] = ()  # every span of the unit it was decided from
    note: str = ""
    reviewer_id: uuid.UUID | None = None


@dataclass(frozen=True)
class GoldStanceValue:
    """A gold stance as a plain value; `evidence` holds gold span ids."""

    id: uuid.UUID
    document_id: uuid.UUID
    actor_id: uuid.UUID
    issue_id: uuid.UUID
    polarity: str
    agreed_by: tuple[str, ...] = ()
    source_stance_ids: tuple[str, ...] = ()
    evidence: tuple[uuid.UUID, ...] = ()
    note: str = ""
    reviewer_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Rejection:
    """A reviewer's "none of these goes into gold" for the annotators' spans or stances."""

    kind: Literal["span", "stance"]
    ids: frozenset[str]  # the annotators' span or stance ids the decision covers
    reviewer_id: str = ""
    note: str = ""
    at: str = ""  # ISO 8601, for the audit trail

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ids": sorted(self.ids),
            "reviewer": self.reviewer_id,
            "note": self.note,
            "at": self.at,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rejection:
        kind = data["kind"]
        if kind not in ("span", "stance"):
            raise ValueError(f"unknown rejection kind {kind!r}")
        ids = frozenset(str(i) for i in data["ids"])
        text = {k: str(data.get(k, "")) for k in ("reviewer", "note", "at")}
        return cls(kind, ids, text["reviewer"], text["note"], text["at"])


GoldValue: TypeAlias = "GoldSpanValue | GoldStanceValue"


@dataclass(frozen=True)
class ReviewStep:
    """What a review action (or its undo) touched, so the window can show it."""

    text: str
    document_id: uuid.UUID
    unit_key: str


# -- reading -------------------------------------------------------------------------------


def for_document(column: Any, only: uuid.UUID | None) -> list[Any]:
    """A WHERE condition for one document, or none (all documents) for `only=None`."""
    return [] if only is None else [column == only]


def load_gold(
    session: Session, only: uuid.UUID | None
) -> tuple[dict[uuid.UUID, list[GoldSpanValue]], dict[uuid.UUID, list[GoldStanceValue]]]:
    """Gold spans and stances by document: of one document, or of all with `only=None`."""
    spans: dict[uuid.UUID, list[GoldSpanValue]] = {}
    query = select(GoldSpan).where(*for_document(GoldSpan.document_id, only))
    for row in session.scalars(query.order_by(GoldSpan.start, GoldSpan.end, GoldSpan.label)):
        spans.setdefault(row.document_id, []).append(gold_span_value(row))
    links: dict[uuid.UUID, list[uuid.UUID]] = {}
    evidence = (
        select(GoldStanceEvidence.gold_stance_id, GoldStanceEvidence.gold_span_id)
        .join(GoldStance, GoldStance.id == GoldStanceEvidence.gold_stance_id)
        .where(*for_document(GoldStance.document_id, only))
    )
    for stance_id, span_id in session.execute(evidence):
        links.setdefault(stance_id, []).append(span_id)
    stances: dict[uuid.UUID, list[GoldStanceValue]] = {}
    for stance in session.scalars(
        select(GoldStance).where(*for_document(GoldStance.document_id, only))
    ):
        value = gold_stance_value(stance, links.get(stance.id, []))
        stances.setdefault(stance.document_id, []).append(value)
    return spans, stances


def gold_span_value(row: GoldSpan) -> GoldSpanValue:
    """A stored gold span as a plain value."""
    return GoldSpanValue(
        row.id, row.document_id, row.start, row.end, row.label, row.actor_id, row.issue_id,
        tuple(str(a) for a in row.agreed_by or ()),
        tuple(str(s) for s in row.source_span_ids or ()),
        row.note or "", row.reviewer_id,
    )  # fmt: skip


def gold_stance_value(row: GoldStance, evidence: Iterable[uuid.UUID]) -> GoldStanceValue:
    """A stored gold stance, with the ids of its evidence gold spans, as a plain value."""
    return GoldStanceValue(
        row.id, row.document_id, row.actor_id, row.issue_id, row.polarity,
        tuple(str(a) for a in row.agreed_by or ()),
        tuple(str(s) for s in row.source_stance_ids or ()),
        tuple(sorted(evidence, key=str)), row.note or "", row.reviewer_id,
    )  # fmt: skip


def rejection_key(document_id: uuid.UUID) -> str:
    """The `project_settings` key that holds the rejections of one document."""
    return f"{REJECTED_PREFIX}{document_id}"


def parse_rejections(value: str) -> list[Rejection]:
    """Rejections from their stored JSON; an unreadable value counts as none."""
    try:
        return [Rejection.from_json(item) for item in json.loads(value)["rejections"]]
    except (ValueError, TypeError, KeyError, AttributeError):
        return []


def dump_rejections(rejections: Iterable[Rejection]) -> str:
    """The JSON stored for a document's rejections."""
    items = [r.to_json() for r in rejections]
    return json.dumps({"format": 1, "rejections": items}, sort_keys=True)


def load_rejections(session: Session, only: uuid.UUID | None) -> dict[uuid.UUID, list[Rejection]]:
    """Rejections by document: of one document, or of all with `only=None`."""
    if only is not None:
        query = select(ProjectSetting).where(ProjectSetting.key == rejection_key(only))
    else:
        query = select(ProjectSetting).where(ProjectSetting.key.startswith(REJECTED_PREFIX))
    result = {}
    for row in session.scalars(query):
        try:
            document_id = uuid.UUID(row.key.removeprefix(REJECTED_PREFIX))
        except ValueError:
            continue
        result[document_id] = parse_rejections(row.value)
    return result


# -- commands: do and undo on the caller's session -------------------------------------------


class ReviewCommand:
    """A change to the gold layer or the rejections that can be done and undone."""

    def do(self, session: Session) -> None:
        raise NotImplementedError

    def undo(self, session: Session) -> None:
        raise NotImplementedError


@dataclass
class PutGold(ReviewCommand):
    """Replace gold span or stance `old` by `new`; None on one side adds or removes one."""

    old: GoldValue | None
    new: GoldValue | None

    def do(self, session: Session) -> None:
        _put(session, self.old, self.new)

    def undo(self, session: Session) -> None:
        _put(session, self.new, self.old)


@dataclass
class SetRejection(ReviewCommand):
    """Add (or with `present=False` withdraw) a rejection of a document."""

    document_id: uuid.UUID
    rejection: Rejection
    present: bool = True

    def do(self, session: Session) -> None:
        _edit_rejections(session, self.document_id, self.rejection, self.present)

    def undo(self, session: Session) -> None:
        _edit_rejections(session, self.document_id, self.rejection, not self.present)


@dataclass
class ReviewGroup(ReviewCommand):
    """The steps of one review action, done and undone as one."""

    steps: Sequence[ReviewCommand]
    step: ReviewStep

    def do(self, session: Session) -> None:
        for command in self.steps:
            command.do(session)

    def undo(self, session: Session) -> None:
        for command in reversed(self.steps):
            command.undo(session)


def _put(session: Session, old: GoldValue | None, new: GoldValue | None) -> None:
    if isinstance(new, GoldSpanValue):
        _write_span(session, new)
    elif isinstance(new, GoldStanceValue):
        _write_stance(session, new)
    elif old is not None:
        # Evidence rows go explicitly, not by ON DELETE CASCADE, so the session holds no
        # stale ones; a removed span's citing stances were re-pointed by an earlier step.
        link = GoldStanceEvidence.gold_span_id
        if isinstance(old, GoldStanceValue):
            link = GoldStanceEvidence.gold_stance_id
        session.execute(delete(GoldStanceEvidence).where(link == old.id))
        row = session.get(GoldSpan if isinstance(old, GoldSpanValue) else GoldStance, old.id)
        if row is not None:
            session.delete(row)
    session.flush()  # now, so a later step may reuse a unique key this one freed


def _write_span(session: Session, value: GoldSpanValue) -> None:
    row = session.get(GoldSpan, value.id)
    if row is None:
        row = GoldSpan(id=value.id, document_id=value.document_id)
        session.add(row)
    row.start, row.end, row.label = value.start, value.end, value.label
    row.actor_id, row.issue_id = value.actor_id, value.issue_id
    row.agreed_by, row.source_span_ids = list(value.agreed_by), list(value.source_span_ids)
    row.note, row.reviewer_id = value.note, value.reviewer_id


def _write_stance(session: Session, value: GoldStanceValue) -> None:
    row = session.get(GoldStance, value.id)
    if row is None:
        row = GoldStance(id=value.id, document_id=value.document_id)
        session.add(row)
    row.actor_id, row.issue_id, row.polarity = value.actor_id, value.issue_id, value.polarity
    row.agreed_by, row.source_stance_ids = list(value.agreed_by), list(value.source_stance_ids)
    row.note, row.reviewer_id = value.note, value.reviewer_id
    session.flush()  # the evidence rows refer to it
    session.execute(delete(GoldStanceEvidence).where(GoldStanceEvidence.gold_stance_id == row.id))
    if value.evidence:
        session.execute(
            insert(GoldStanceEvidence),
            [{"gold_stance_id": row.id, "gold_span_id": e} for e in value.evidence],
        )


def _edit_rejections(
    session: Session, document_id: uuid.UUID, rejection: Rejection, present: bool
) -> None:
    row = session.get(ProjectSetting, rejection_key(document_id))
    found = parse_rejections(row.value) if row else []
    if present:
        found.append(rejection)
    elif rejection in found:
        found.remove(rejection)
    if found and row is None:
        session.add(ProjectSetting(key=rejection_key(document_id), value=dump_rejections(found)))
    elif found and row is not None:
        row.value = dump_rejections(found)
    elif row is not None:
        session.delete(row)  # nothing rejected any more: no empty row left behind
    session.flush()


# -- the service ---------------------------------------------------------------------------


@dataclass
class GoldReview:
    """A reviewer's adjudication: each public call is one committed transaction."""

    sessions: sessionmaker[Session]
    reviewer_id: uuid.UUID
    _done: list[ReviewGroup] = field(default_factory=list)
    _undone: list[ReviewGroup] = field(default_factory=list)

    def accept_span(
        self, unit: SpanUnit, choice: SpanChoice | None = None, note: str = ""
    ) -> ReviewStep | None:
        """Put `choice` (default: the version most annotators marked) into gold for `unit`."""
        chosen = choice or unit.versions[0].choice
        text = f"{'accept' if choice is None else 'accept edited'} {chosen.label}"
        return self._run(text, unit, lambda s: self._accept_span_steps(s, unit, chosen, note)[0])

    def accept_stance(
        self,
        comparison: DocumentComparison,
        unit: StanceUnit,
        polarity: str | None = None,
        note: str = "",
    ) -> ReviewStep | None:
        """Put the stance into gold with `polarity` (default: the majority's), with evidence.

        The supporters' evidence spans go into gold too where they are not yet (their
        unit's default version), except those whose unit the reviewer rejected.
        """
        chosen = polarity or unit.versions[0][0]
        return self._run(
            f"accept stance ({chosen})",
            unit,
            lambda s: self._accept_stance_steps(s, comparison, unit, chosen, note, {}),
        )

    def accept_all_agreed(self, comparison: DocumentComparison) -> ReviewStep | None:
        """Accept every open unit all annotators agree on, as one undoable step."""
        spans = [u for u in comparison.span_units if u.decision == "open" and not u.is_disagreement]
        stances = [
            u for u in comparison.stance_units if u.decision == "open" and not u.is_disagreement
        ]
        if not spans and not stances:
            return None

        def plan(session: Session) -> list[ReviewCommand]:
            steps: list[ReviewCommand] = []
            accepted: dict[str, uuid.UUID] = {}
            for unit in spans:
                more, accepted[unit.key] = self._accept_span_steps(
                    session, unit, unit.versions[0].choice, ""
                )
                steps += more
            for stance in stances:
                polarity = stance.versions[0][0]
                # Evidence only from units accepted already: a disagreement is not
                # settled behind the reviewer's back by an agreed stance citing it.
                steps += self._accept_stance_steps(
                    session, comparison, stance, polarity, "", accepted, take_evidence=False
                )
            return steps

        first = (spans or stances)[0]
        return self._run(f"accept {len(spans) + len(stances)} agreed units", first, plan)

    def reject(self, unit: SpanUnit | StanceUnit, note: str = "") -> ReviewStep | None:
        """Record that nothing of `unit` goes into gold (taking out what was accepted)."""

        def plan(session: Session) -> list[ReviewCommand]:
            steps = self._remove_gold_steps(session, unit)
            if not _covering(self._rejections(session, unit.document_id), unit):
                at = now().isoformat(timespec="seconds")
                rejection = Rejection(unit.kind, unit.ids, str(self.reviewer_id), note, at)
                steps.append(SetRejection(unit.document_id, rejection))
            return steps

        return self._run(f"reject {_name(unit)}", unit, plan)

    def reopen(self, unit: SpanUnit | StanceUnit) -> ReviewStep | None:
        """Undecide `unit`: out of gold, rejection forgotten."""

        def plan(session: Session) -> list[ReviewCommand]:
            return self._remove_gold_steps(session, unit) + self._unreject_steps(session, unit)

        return self._run(f"reopen {_name(unit)}", unit, plan)

    def set_note(self, unit: SpanUnit | StanceUnit, note: str) -> ReviewStep | None:
        """Note on the unit's gold rows (or on its rejection); an open unit has none."""

        def plan(session: Session) -> list[ReviewCommand]:
            steps: list[ReviewCommand] = []
            for span in self._fresh_spans(session, unit):
                if span.note != note:
                    steps.append(PutGold(span, replace(span, note=note)))
            for stance in self._fresh_stances(session, unit):
                if stance.note != note:
                    steps.append(PutGold(stance, replace(stance, note=note)))
            for rejection in _covering(self._rejections(session, unit.document_id), unit):
                if rejection.note != note:
                    steps.append(SetRejection(unit.document_id, rejection, present=False))
                    steps.append(SetRejection(unit.document_id, replace(rejection, note=note)))
            return steps

        return self._run(f"note on {_name(unit)}", unit, plan)

    # -- undo ------------------------------------------------------------------------------

    def undo(self) -> ReviewStep | None:
        """Undo the last review action (in its own transaction); None if there is none."""
        return self._replay(self._done, self._undone, undo=True)

    def redo(self) -> ReviewStep | None:
        return self._replay(self._undone, self._done, undo=False)

    def undo_text(self) -> str | None:
        return self._done[-1].step.text if self._done else None

    def redo_text(self) -> str | None:
        return self._undone[-1].step.text if self._undone else None

    def _replay(
        self, source: list[ReviewGroup], target: list[ReviewGroup], *, undo: bool
    ) -> ReviewStep | None:
        if not source:
            return None
        group = source[-1]
        with self.sessions.begin() as session:
            if undo:
                group.undo(session)
            else:
                group.do(session)
        target.append(source.pop())  # only once committed: a failed undo stays undoable
        return group.step

    def _run(
        self,
        text: str,
        unit: SpanUnit | StanceUnit,
        plan: Callable[[Session], list[ReviewCommand]],
    ) -> ReviewStep | None:
        with self.sessions.begin() as session:
            steps = plan(session)
            if not steps:
                return None  # already so: nothing to store, nothing to undo
            group = ReviewGroup(steps, ReviewStep(text, unit.document_id, unit.key))
            group.do(session)
        self._done.append(group)
        self._undone.clear()
        return group.step

    # -- planning: read the stored state, return the steps ------------------------------------

    def _accept_span_steps(
        self, session: Session, unit: SpanUnit, choice: SpanChoice, note: str
    ) -> tuple[list[ReviewCommand], uuid.UUID]:
        length = session.scalar(select(Document.length).where(Document.id == unit.document_id))
        if length is None or not 0 <= choice.start < choice.end <= length:
            raise ValueError(f"span {choice.start}-{choice.end} is outside the text")
        steps = self._unreject_steps(session, unit)
        extent = (choice.start, choice.end, choice.label)
        agreed = tuple(
            sorted(str(a) for a, s in unit.members if (s.start, s.end, s.label) == extent)
        )
        sources = tuple(sorted(unit.ids))
        own = self._fresh_spans(session, unit)
        row = session.scalars(
            select(GoldSpan).where(
                GoldSpan.document_id == unit.document_id,
                GoldSpan.start == choice.start,
                GoldSpan.end == choice.end,
                GoldSpan.label == choice.label,
            )
        ).first()
        old = gold_span_value(row) if row is not None else None
        if old is not None and old.id not in {g.id for g in own}:
            # Another unit's gold span has this very extent: one gold span, both provenances.
            agreed, sources = _union(old.agreed_by, agreed), _union(old.source_span_ids, sources)
        elif old is None and own:
            old = own[0]  # edit the unit's gold span in place: stances citing it stay linked
        own = [g for g in own if old is None or g.id != old.id]
        new = GoldSpanValue(
            old.id if old else uuid.uuid4(), unit.document_id, choice.start, choice.end,
            choice.label, choice.actor_id, choice.issue_id, agreed, sources,
            note or (old.note if old else ""), self.reviewer_id,
        )  # fmt: skip
        if new != old:
            steps.append(PutGold(old, new))
        for other in own:
            steps += self._remove_span_steps(session, other, replacement=new.id)
        return steps, new.id

    def _accept_stance_steps(
        self,
        session: Session,
        comparison: DocumentComparison,
        unit: StanceUnit,
        polarity: str,
        note: str,
        accepted: dict[str, uuid.UUID],
        *,
        take_evidence: bool = True,
    ) -> list[ReviewCommand]:
        steps = self._unreject_steps(session, unit)
        supporters = [(a, s) for a, s in unit.members if s.polarity == polarity]
        evidence: list[uuid.UUID] = []
        for _, stance in supporters:
            for span_id in stance.evidence:
                span_unit = comparison.unit_of_span(span_id)
                if span_unit is None or span_unit.decision == "rejected":
                    continue
                gold_id = accepted.get(span_unit.key)
                if gold_id is None and span_unit.gold:
                    gold_id = span_unit.gold[0].id
                if gold_id is None and not take_evidence:
                    continue
                if gold_id is None:
                    more, gold_id = self._accept_span_steps(
                        session, span_unit, span_unit.versions[0].choice, ""
                    )
                    steps += more
                accepted[span_unit.key] = gold_id
                if gold_id not in evidence:
                    evidence.append(gold_id)
        own = self._fresh_stances(session, unit)
        # The unique key is (document, actor, issue, polarity): reuse the row of that
        # polarity, else change another of the unit's rows in place.
        old = next((g for g in own if g.polarity == polarity), own[0] if own else None)
        new = GoldStanceValue(
            old.id if old else uuid.uuid4(), unit.document_id, unit.actor_id, unit.issue_id,
            polarity, tuple(sorted({str(a) for a, _ in supporters})),
            tuple(sorted(str(s.id) for _, s in supporters)), tuple(evidence),
            note or (old.note if old else ""), self.reviewer_id,
        )  # fmt: skip
        steps += [PutGold(g, None) for g in own if old is None or g.id != old.id]
        if new != old:
            steps.append(PutGold(old, new))
        return steps

    def _remove_gold_steps(
        self, session: Session, unit: SpanUnit | StanceUnit
    ) -> list[ReviewCommand]:
        steps: list[ReviewCommand] = []
        for span in self._fresh_spans(session, unit):
            steps += self._remove_span_steps(session, span, replacement=None)
        steps += [PutGold(s, None) for s in self._fresh_stances(session, unit)]
        return steps

    def _remove_span_steps(
        self, session: Session, span: GoldSpanValue, replacement: uuid.UUID | None
    ) -> list[ReviewCommand]:
        """Remove a gold span; stances citing it cite `replacement` instead (or lose it)."""
        steps: list[ReviewCommand] = []
        citing = select(GoldStance).join(
            GoldStanceEvidence, GoldStanceEvidence.gold_stance_id == GoldStance.id
        )
        for row in session.scalars(citing.where(GoldStanceEvidence.gold_span_id == span.id)):
            stance = self._stance_value(session, row)
            kept = [e for e in stance.evidence if e != span.id]
            if replacement is not None and replacement not in kept:
                kept.append(replacement)
            steps.append(PutGold(stance, replace(stance, evidence=tuple(kept))))
        steps.append(PutGold(span, None))
        return steps

    def _unreject_steps(self, session: Session, unit: SpanUnit | StanceUnit) -> list[ReviewCommand]:
        found = _covering(self._rejections(session, unit.document_id), unit)
        return [SetRejection(unit.document_id, r, present=False) for r in found]

    def _fresh_spans(self, session: Session, unit: SpanUnit | StanceUnit) -> list[GoldSpanValue]:
        """The unit's gold spans as stored now (the unit may be a little stale)."""
        if unit.kind != "span":
            return []
        rows = (session.get(GoldSpan, g.id) for g in unit.gold)
        return [gold_span_value(row) for row in rows if row is not None]

    def _fresh_stances(
        self, session: Session, unit: SpanUnit | StanceUnit
    ) -> list[GoldStanceValue]:
        if unit.kind != "stance":
            return []
        rows = session.scalars(
            select(GoldStance).where(
                GoldStance.document_id == unit.document_id,
                GoldStance.actor_id == unit.actor_id,
                GoldStance.issue_id == unit.issue_id,
            )
        )
        return [self._stance_value(session, row) for row in rows]

    def _stance_value(self, session: Session, row: GoldStance) -> GoldStanceValue:
        query = select(GoldStanceEvidence.gold_span_id)
        return gold_stance_value(
            row, session.scalars(query.where(GoldStanceEvidence.gold_stance_id == row.id))
        )

    def _rejections(self, session: Session, document_id: uuid.UUID) -> list[Rejection]:
        return load_rejections(session, document_id).get(document_id, [])


def _covering(rejections: Iterable[Rejection], unit: SpanUnit | StanceUnit) -> list[Rejection]:
    """The rejections that cover any of the unit's annotations."""
    return [r for r in rejections if r.kind == unit.kind and r.ids & unit.ids]


def _union(first: Iterable[str], second: Iterable[str]) -> tuple[str, ...]:
    return tuple(sorted({*first, *second}))


def _name(unit: SpanUnit | StanceUnit) -> str:
    return unit.label if unit.kind == "span" else "stance"
