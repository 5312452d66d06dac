"""Changes to the gold layer and the rejections, as commands that do and undo themselves.

A command works on the caller's session and never commits: `GoldReview` (`review.gold`)
runs the steps of one review action in one transaction and keeps them for undo and redo.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import delete, insert
from sqlalchemy.orm import Session

from annotator.core.changes import ProjectChange
from annotator.review.adjudication.gold_layer import (
    GoldSpanValue,
    GoldStanceValue,
    GoldValue,
    Rejection,
    dump_rejections,
    parse_rejections,
    rejection_key,
)
from annotator.store.models import GoldSpan, GoldStance, GoldStanceEvidence, ProjectSetting


@dataclass(frozen=True)
class ReviewStep:
    """What a review action (or its undo) touched, so the window can show it."""

    text: str
    document_id: uuid.UUID
    unit_key: str

    @property
    def change(self) -> ProjectChange:
        return ProjectChange(gold=frozenset({self.document_id}))


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
class ReviewGroup:
    """The steps of one review action, done and undone as one: the step of the review's
    undo history (`core.commands.History`, the workspace's too), telling what it touched."""

    steps: Sequence[ReviewCommand]
    step: ReviewStep

    @property
    def text(self) -> str:
        return self.step.text

    def do(self, session: Session) -> ReviewStep:
        for command in self.steps:
            command.do(session)
        return self.step

    def undo(self, session: Session) -> ReviewStep:
        for command in reversed(self.steps):
            command.undo(session)
        return self.step


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
