"""Merging one actor of the registry into another: everything that named it moves over.

Like the rest of the registry service (`store.actors`), it takes a session and never
commits; a merge that cannot be made raises `ActorError` with a one-line message.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from annotator.core.changes import ProjectChange
from annotator.store.actors import ActorError, ancestor_ids, fold, get_actor, relink
from annotator.store.layers import live
from annotator.store.models import (
    Actor,
    ActorAlias,
    GoldSpan,
    GoldStance,
    GoldStanceEvidence,
    Span,
    Stance,
    StanceEvidence,
    now,
)


@dataclass(frozen=True)
class MergeSummary:
    """What `merge_actors` moved; `*_folded` rows duplicated one of the kept actor's."""

    kept: str
    merged: str
    kept_id: uuid.UUID
    merged_id: uuid.UUID
    spans: int
    stances: int
    stances_folded: int
    gold_spans: int
    gold_stances: int
    gold_stances_folded: int
    children: int
    aliases_added: tuple[str, ...]

    @property
    def change(self) -> ProjectChange:
        # The merged actor is gone: every view citing it reads again (its spans and stances,
        # in any layer and in gold, now name the kept actor).
        return ProjectChange(
            actors=frozenset({self.kept_id}), actors_gone=frozenset({self.merged_id})
        )


def merge_actors(session: Session, *, keep_id: uuid.UUID, merge_id: uuid.UUID) -> MergeSummary:
    """Fold actor `merge_id` into `keep_id` and delete it.

    Spans, stances, gold spans, gold stances and child actors of the merged actor move to the
    kept one; its name and aliases become aliases of the kept actor. A live stance that would
    then duplicate one of the kept actor's (same document, annotator, issue and polarity) is
    folded into it: evidence is unioned, a missing confidence or note is filled in, and the
    duplicate is soft-deleted (a tombstone, so bundles from other laptops still resolve it).
    Gold stances are unique per (document, actor, issue, polarity), so a duplicate gold stance
    is folded the same way (agreement and sources unioned) and then removed.
    """
    keep = get_actor(session, keep_id)
    merge = get_actor(session, merge_id)
    if keep_id == merge_id:
        raise ActorError(f"cannot merge {keep.name} into itself")
    if merge_id in ancestor_ids(session, keep_id):
        raise ActorError(
            f"cannot merge {merge.name} into {keep.name}: {keep.name} is part of {merge.name};"
            f" merge {keep.name} into {merge.name} instead"
        )
    spans = relink(session, Span.actor_id, merge_id, keep_id)
    gold_spans = relink(session, GoldSpan.actor_id, merge_id, keep_id)
    children = relink(session, Actor.parent_id, merge_id, keep_id)
    stances = _move_stances(session, keep_id, merge_id)
    gold_stances = _move_gold_stances(session, keep_id, merge_id)

    known = {fold(keep.name)} | {fold(a.alias) for a in keep.aliases}
    added: list[str] = []
    for alias in [merge.name, *(a.alias for a in merge.aliases)]:
        if fold(alias) not in known:
            known.add(fold(alias))
            added.append(alias)
            keep.aliases.append(ActorAlias(alias=alias))
    # Flush the moves first: the ORM cannot see that stances depend on the deleted actor.
    session.flush()
    session.delete(merge)
    session.flush()
    moved = (spans, *stances, gold_spans, *gold_stances, children)
    return MergeSummary(keep.name, merge.name, keep_id, merge_id, *moved, tuple(added))


def _move_stances(session: Session, keep_id: uuid.UUID, merge_id: uuid.UUID) -> tuple[int, int]:
    """Move the stances; returns (moved, folded into a duplicate of the kept actor's)."""
    kept: dict[tuple[Any, ...], Stance] = {}
    alive = select(Stance).where(Stance.actor_id == keep_id, live(Stance))
    for stance in session.scalars(alive.order_by(Stance.created_at, Stance.id)):
        kept.setdefault(_stance_key(stance), stance)
    moved = folded = 0
    for stance in session.scalars(select(Stance).where(Stance.actor_id == merge_id)):
        stance.actor_id = keep_id
        moved += 1
        target = kept.get(_stance_key(stance)) if stance.deleted_at is None else None
        if target is None:
            continue
        have = {evidence.span_id for evidence in target.evidence}
        for evidence in stance.evidence:
            if evidence.span_id not in have:
                target.evidence.append(StanceEvidence(span_id=evidence.span_id))
        if target.confidence is None:
            target.confidence = stance.confidence
        target.note = _joined(target.note, stance.note)
        stance.deleted_at = now()
        folded += 1
    return moved, folded


def _stance_key(stance: Stance) -> tuple[Any, ...]:
    return (stance.document_id, stance.annotator_id, stance.issue_id, stance.polarity)


def _move_gold_stances(
    session: Session, keep_id: uuid.UUID, merge_id: uuid.UUID
) -> tuple[int, int]:
    kept = {
        (g.document_id, g.issue_id, g.polarity): g
        for g in session.scalars(select(GoldStance).where(GoldStance.actor_id == keep_id))
    }
    moved = folded = 0
    for gold in session.scalars(select(GoldStance).where(GoldStance.actor_id == merge_id)):
        moved += 1
        target = kept.get((gold.document_id, gold.issue_id, gold.polarity))
        if target is None:
            gold.actor_id = keep_id
            continue
        # New lists, not in-place changes: the ORM only notices a reassigned JSON value.
        target.agreed_by = list(dict.fromkeys([*target.agreed_by, *gold.agreed_by]))
        target.source_stance_ids = list(
            dict.fromkeys([*target.source_stance_ids, *gold.source_stance_ids])
        )
        target.note = _joined(target.note, gold.note)
        # Move the evidence the kept gold stance lacks; the rest goes with the duplicate.
        evidence = GoldStanceEvidence
        have = select(evidence.gold_span_id).where(evidence.gold_stance_id == target.id)
        session.execute(
            update(evidence)
            .where(evidence.gold_stance_id == gold.id, evidence.gold_span_id.not_in(have))
            .values(gold_stance_id=target.id)
        )
        session.execute(delete(evidence).where(evidence.gold_stance_id == gold.id))
        session.delete(gold)
        folded += 1
    return moved, folded


def _joined(first: str, second: str) -> str:
    if not second or second in first:
        return first
    return f"{first}\n{second}" if first else second
