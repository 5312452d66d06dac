"""Adjudicating units into the gold layer, with undo and redo.

Transactions: each public method of `GoldReview` (accept, reject, reopen, note, undo, redo)
is one committed transaction, like every edit in the workspace: a crash loses nothing that
was shown. The command objects underneath (`review.adjudication.commands`) do and undo
themselves on the caller's session and never commit; `GoldReview` keeps them on the same undo
history as the workspace (`core.commands.History`, over a session here; no Qt involved).
What the gold layer and the rejections hold, and how they are stored, is
`review.adjudication.gold_layer`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from annotator.core.commands import History
from annotator.review.adjudication.commands import (
    PutGold,
    ReviewCommand,
    ReviewGroup,
    ReviewStep,
    SetRejection,
)
from annotator.review.adjudication.comparison import DocumentComparison
from annotator.review.adjudication.gold_layer import (
    GoldSpanValue,
    GoldStanceValue,
    Rejection,
    gold_span_value,
    gold_stance_value,
    load_rejections,
)
from annotator.review.adjudication.units import SpanChoice, SpanUnit, StanceUnit
from annotator.store.models import Document, GoldSpan, GoldStance, GoldStanceEvidence, now


@dataclass
class GoldReview:
    """A reviewer's adjudication: each public call is one committed transaction."""

    sessions: sessionmaker[Session]
    reviewer_id: uuid.UUID
    history: History[Session, ReviewStep] = field(init=False)

    def __post_init__(self) -> None:
        self.history = History(self.sessions.begin)

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
        return self.history.undo()

    def redo(self) -> ReviewStep | None:
        return self.history.redo()

    def undo_text(self) -> str | None:
        return self.history.undo_text()

    def redo_text(self) -> str | None:
        return self.history.redo_text()

    def _run(
        self,
        text: str,
        unit: SpanUnit | StanceUnit,
        plan: Callable[[Session], list[ReviewCommand]],
    ) -> ReviewStep | None:
        """Plan the action's steps from what is stored and do them, in one transaction."""

        def group(session: Session) -> ReviewGroup | None:
            steps = plan(session)
            # No steps: already so, nothing to store, nothing to undo.
            return (
                ReviewGroup(steps, ReviewStep(text, unit.document_id, unit.key)) if steps else None
            )

        return self.history.plan(group)

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
