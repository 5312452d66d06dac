"""The actor registry as a service: list, search, create, edit, merge and delete actors.

Every function takes a session and never commits; the caller owns the transaction (the GUI
commits one per user action). Bad requests raise `ActorError` with a one-line message.

Search folds case and accents in Python rather than in SQL: SQLite's `lower()` only knows ASCII
and neither backend strips accents portably, and a registry is small (thousands of names).
"""

from __future__ import annotations

import re
import unicodedata
import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from types import EllipsisType
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session, aliased

from annotator.core.errors import AnnotatorError
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

MAX_LENGTH = 300  # the width of the name and alias columns
MISSING = "that actor no longer exists; it may have been merged or deleted"


class ActorError(AnnotatorError):
    """A change to the actor registry that cannot be made as asked."""


class ActorNotFoundError(ActorError):
    """The actor asked for does not exist (any more)."""


@dataclass(frozen=True)
class ActorRow:
    """One actor as lists and pickers show it; `mention_count` counts live linked spans."""

    id: uuid.UUID
    name: str
    type: str
    parent_id: uuid.UUID | None
    parent_name: str | None
    aliases: tuple[str, ...]
    mention_count: int


@dataclass(frozen=True)
class ActorMatch:
    """A search hit: the actor and the name or alias that matched the typed text."""

    actor: ActorRow
    matched: str

    @property
    def via_alias(self) -> bool:
        """True when an alias, not the name, matched."""
        return self.matched != self.actor.name


@dataclass(frozen=True)
class MergeSummary:
    """What `merge_actors` moved; `*_folded` rows duplicated one of the kept actor's."""

    kept: str
    merged: str
    spans: int
    stances: int
    stances_folded: int
    gold_spans: int
    gold_stances: int
    gold_stances_folded: int
    children: int
    aliases_added: tuple[str, ...]


# Letters NFKD does not decompose, and typographic punctuation people rarely type.
_FOLD = str.maketrans(
    {"ł": "l", "ø": "o", "đ": "d", "ħ": "h", "ı": "i", "ð": "d", "þ": "th", "æ": "ae", "œ": "oe"}
    | dict.fromkeys("’‘ʼ`´", "'")
    | dict.fromkeys("‐‑‒–—−", "-")
)
_WORD = re.compile(r"\w+")


def fold(text: str) -> str:
    """`text` for comparison: NFKD without combining marks, casefolded, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().translate(_FOLD).split())


def list_actors(session: Session) -> list[ActorRow]:
    """Every actor, sorted by name without regard to case or accents."""
    return sorted(_rows(session), key=lambda row: (fold(row.name), row.name))


def actor_row(session: Session, actor_id: uuid.UUID) -> ActorRow:
    """One actor as an `ActorRow`."""
    rows = _rows(session, [actor_id])
    if not rows:
        raise ActorNotFoundError(MISSING)
    return rows[0]


def search_actors(session: Session, text: str, limit: int = 20) -> list[ActorMatch]:
    """Actors whose name or an alias matches `text`, best first, one hit per actor.

    Ranking: exact match, then the whole name starting with the text, then any word starting
    with it, then the text anywhere, then (for several words) every word starting some word.
    Ties go to names before aliases, shorter matches, then alphabetical order. Case and accents
    never matter ("zelensky" finds "Zelenskyy", "erdogan" finds "Erdoğan"). Empty text lists
    the first `limit` actors alphabetically.
    """
    query = fold(text)
    if not query:
        return [ActorMatch(row, row.name) for row in list_actors(session)[:limit]]
    words = _WORD.findall(query)
    names = dict(session.execute(select(Actor.id, Actor.name)).all())
    candidates: list[tuple[uuid.UUID, str, int]] = [(i, n, 0) for i, n in names.items()]
    candidates += [
        (actor_id, alias, 1)
        for actor_id, alias in session.execute(select(ActorAlias.actor_id, ActorAlias.alias))
    ]
    best: dict[uuid.UUID, tuple[tuple[int, int, int], str]] = {}
    for actor_id, candidate, is_alias in candidates:
        folded = fold(candidate)
        rank = _rank(query, words, folded)
        if rank is None:
            continue
        key = (rank, is_alias, len(folded))
        if actor_id not in best or key < best[actor_id][0]:
            best[actor_id] = (key, candidate)
    chosen = sorted(best, key=lambda i: (best[i][0], fold(names[i]), names[i]))[: max(limit, 0)]
    rows = {row.id: row for row in _rows(session, chosen)}
    return [ActorMatch(rows[i], best[i][1]) for i in chosen if i in rows]


def _rank(query: str, words: Sequence[str], candidate: str) -> int | None:
    if candidate == query:
        return 0
    if candidate.startswith(query):
        return 1
    position = candidate.find(query)
    if position >= 0:
        while position >= 0:
            if not candidate[position - 1].isalnum():  # position > 0 here
                return 2
            position = candidate.find(query, position + 1)
        return 3
    if len(words) > 1:
        own = _WORD.findall(candidate)
        if all(any(word.startswith(w) for word in own) for w in words):
            return 4
    return None


def ancestors(session: Session, actor_id: uuid.UUID) -> list[ActorRow]:
    """The actor's parent, grandparent and so on, nearest first (the actor itself excluded).

    For Dmitry Peskov: [Kremlin, Russia], to show "Dmitry Peskov → Kremlin → Russia".
    """
    _get(session, actor_id)
    chain = _ancestor_ids(session, actor_id)
    rows = {row.id: row for row in _rows(session, chain)}
    return [rows[i] for i in chain]


def create_actor(
    session: Session,
    name: str,
    type: str,  # the registry's word; shadowing the builtin is harmless here
    parent_id: uuid.UUID | None = None,
    aliases: Iterable[str] = (),
    *,
    actor_types: Collection[str],
) -> Actor:
    """Add an actor; `type` must be one of `actor_types` (the schema's). Flushed, not committed."""
    name = _clean_name(name)
    _check_unique_name(session, name, None)
    _check_type(type, actor_types)
    if parent_id is not None:
        _check_parent(session, None, name, parent_id)
    actor = Actor(name=name, type=type, parent_id=parent_id)
    actor.aliases = [ActorAlias(alias=alias) for alias in _clean_aliases(aliases, name)]
    session.add(actor)
    _flush(session, name)
    return actor


def update_actor(
    session: Session,
    actor_id: uuid.UUID,
    *,
    actor_types: Collection[str],
    name: str | None = None,
    type: str | None = None,  # the registry's word; shadowing the builtin is harmless here
    parent_id: uuid.UUID | EllipsisType | None = ...,
    aliases: Iterable[str] | None = None,
) -> Actor:
    """Change what is given (None, or `...` for the parent, leaves a field as it is).

    `aliases` replaces the whole set. The same checks as `create_actor` apply, and a parent
    that would make a cycle is refused.
    """
    actor = _get(session, actor_id)
    if name is not None:
        name = _clean_name(name)
        _check_unique_name(session, name, actor_id)
        actor.name = name
    if type is not None and type != actor.type:
        _check_type(type, actor_types)
        actor.type = type
    if not isinstance(parent_id, EllipsisType) and parent_id != actor.parent_id:
        if parent_id is not None:
            _check_parent(session, actor_id, actor.name, parent_id)
        actor.parent_id = parent_id
    wanted = _clean_aliases(
        aliases if aliases is not None else [a.alias for a in actor.aliases], actor.name
    )
    # Keep rows whose text is unchanged: deleting and re-inserting the same alias in one flush
    # could hit the (actor_id, alias) unique constraint, since the ORM inserts before deleting.
    current = {a.alias: a for a in actor.aliases}
    actor.aliases = [current.get(alias) or ActorAlias(alias=alias) for alias in wanted]
    _flush(session, actor.name)
    return actor


def merge_actors(session: Session, keep_id: uuid.UUID, merge_id: uuid.UUID) -> MergeSummary:
    """Fold actor `merge_id` into `keep_id` and delete it.

    Spans, stances, gold spans, gold stances and child actors of the merged actor move to the
    kept one; its name and aliases become aliases of the kept actor. A live stance that would
    then duplicate one of the kept actor's (same document, annotator, issue and polarity) is
    folded into it: evidence is unioned, a missing confidence or note is filled in, and the
    duplicate is soft-deleted (a tombstone, so bundles from other laptops still resolve it).
    Gold stances are unique per (document, actor, issue, polarity), so a duplicate gold stance
    is folded the same way (agreement and sources unioned) and then removed.
    """
    keep = _get(session, keep_id)
    merge = _get(session, merge_id)
    if keep_id == merge_id:
        raise ActorError(f"cannot merge {keep.name} into itself")
    if merge_id in _ancestor_ids(session, keep_id):
        raise ActorError(
            f"cannot merge {merge.name} into {keep.name}: {keep.name} is part of {merge.name};"
            f" merge {keep.name} into {merge.name} instead"
        )
    spans = _relink(session, Span.actor_id, merge_id, keep_id)
    gold_spans = _relink(session, GoldSpan.actor_id, merge_id, keep_id)
    children = _relink(session, Actor.parent_id, merge_id, keep_id)
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
    return MergeSummary(keep.name, merge.name, *moved, tuple(added))


def _move_stances(session: Session, keep_id: uuid.UUID, merge_id: uuid.UUID) -> tuple[int, int]:
    """Move the stances; returns (moved, folded into a duplicate of the kept actor's)."""
    kept: dict[tuple[Any, ...], Stance] = {}
    live = select(Stance).where(Stance.actor_id == keep_id, Stance.deleted_at.is_(None))
    for stance in session.scalars(live.order_by(Stance.created_at, Stance.id)):
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


def delete_actor(session: Session, actor_id: uuid.UUID) -> int:
    """Delete an actor no stance uses; returns how many spans lose their link to it.

    Its children move up to its parent (Peskov → Kremlin → Russia without Kremlin is
    Peskov → Russia). Soft-deleted stances of the actor are purged with it, since they would
    otherwise block the deletion with nothing the user can see.
    """
    actor = _get(session, actor_id)
    stances = _count(session, Stance, Stance.actor_id == actor_id, Stance.deleted_at.is_(None))
    gold = _count(session, GoldStance, GoldStance.actor_id == actor_id)
    if stances or gold:
        users = [_plural(stances, "stance"), _plural(gold, "gold stance")]
        raise ActorError(
            f"cannot delete {actor.name}: {' and '.join(u for u in users if u)}"
            f" {'uses' if stances + gold == 1 else 'use'} it; merge it into another actor instead"
        )
    tombstones = select(Stance.id).where(Stance.actor_id == actor_id)
    session.execute(delete(StanceEvidence).where(StanceEvidence.stance_id.in_(tombstones)))
    session.execute(delete(Stance).where(Stance.actor_id == actor_id))
    spans = _count(session, Span, Span.actor_id == actor_id, Span.deleted_at.is_(None))
    _relink(session, Span.actor_id, actor_id, None)
    _relink(session, GoldSpan.actor_id, actor_id, None)
    _relink(session, Actor.parent_id, actor_id, actor.parent_id)
    session.delete(actor)
    session.flush()
    return spans


def _rows(session: Session, ids: Sequence[uuid.UUID] | None = None) -> list[ActorRow]:
    parent = aliased(Actor)
    mentions = (
        select(Span.actor_id, func.count().label("n"))
        .where(Span.actor_id.is_not(None), Span.deleted_at.is_(None))
        .group_by(Span.actor_id)
        .subquery()
    )
    query = (
        select(Actor.id, Actor.name, Actor.type, Actor.parent_id, parent.name, mentions.c.n)
        .outerjoin(parent, Actor.parent_id == parent.id)
        .outerjoin(mentions, mentions.c.actor_id == Actor.id)
    )
    alias_query = select(ActorAlias.actor_id, ActorAlias.alias)
    if ids is not None:
        if not ids:
            return []
        query = query.where(Actor.id.in_(ids))
        alias_query = alias_query.where(ActorAlias.actor_id.in_(ids))
    aliases: dict[uuid.UUID, list[str]] = {}
    for actor_id, alias in session.execute(alias_query):
        aliases.setdefault(actor_id, []).append(alias)
    return [
        ActorRow(
            actor_id,
            name,
            kind,
            parent_id,
            parent_name,
            tuple(sorted(aliases.get(actor_id, []), key=lambda a: (fold(a), a))),
            count or 0,  # actors nobody mentioned have no row in `mentions`
        )
        for actor_id, name, kind, parent_id, parent_name, count in session.execute(query)
    ]


def _get(session: Session, actor_id: uuid.UUID) -> Actor:
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise ActorNotFoundError(MISSING)
    return actor


def _ancestor_ids(session: Session, actor_id: uuid.UUID) -> list[uuid.UUID]:
    parents = dict(session.execute(select(Actor.id, Actor.parent_id)).all())
    chain: list[uuid.UUID] = []
    current = parents.get(actor_id)
    while current is not None and current not in chain and current != actor_id:
        chain.append(current)
        current = parents.get(current)
    return chain


def _clean_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise ActorError("an actor needs a name")
    if len(name) > MAX_LENGTH:
        raise ActorError(f"an actor's name can be at most {MAX_LENGTH} characters long")
    return name


def _check_unique_name(session: Session, name: str, actor_id: uuid.UUID | None) -> None:
    for other_id, other in session.execute(select(Actor.id, Actor.name)):
        if other_id != actor_id and other.casefold() == name.casefold():
            written = "" if other == name else f" (written '{other}')"
            raise ActorError(f"'{name}' is already an actor{written}")


def _check_type(kind: str, actor_types: Collection[str]) -> None:
    if kind not in actor_types:
        raise ActorError(f"'{kind}' is not an actor type; use one of {', '.join(actor_types)}")


def _check_parent(
    session: Session, actor_id: uuid.UUID | None, name: str, parent_id: uuid.UUID
) -> None:
    if parent_id == actor_id:
        raise ActorError(f"{name} cannot be its own parent")
    parent = session.get(Actor, parent_id)
    if parent is None:
        raise ActorNotFoundError(f"the parent chosen for {name} no longer exists")
    if actor_id is not None and actor_id in _ancestor_ids(session, parent_id):
        raise ActorError(
            f"{parent.name} cannot be the parent of {name}: {name} is already an ancestor of"
            f" {parent.name}"
        )


def _clean_aliases(aliases: Iterable[str], name: str) -> list[str]:
    seen = {name.casefold()}
    kept: list[str] = []
    for alias in aliases:
        alias = " ".join(alias.split())
        if len(alias) > MAX_LENGTH:
            raise ActorError(f"an alias can be at most {MAX_LENGTH} characters long")
        if alias and alias.casefold() not in seen:
            seen.add(alias.casefold())
            kept.append(alias)
    return kept


def _flush(session: Session, name: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        # Another window or laptop added the same name between our check and the insert.
        raise ActorError(f"'{name}' is already an actor") from None


def _relink(
    session: Session, column: InstrumentedAttribute[Any], old: uuid.UUID, new: uuid.UUID | None
) -> int:
    """Point every row whose `column` is `old` at `new`; returns how many rows changed."""
    model: Any = column.class_
    count = _count(session, model, column == old)
    session.execute(update(model).where(column == old).values({column.key: new}))
    return count


def _count(session: Session, entity: type[Any], *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(entity).where(*where)) or 0


def _joined(first: str, second: str) -> str:
    if not second or second in first:
        return first
    return f"{first}\n{second}" if first else second


def _plural(count: int, noun: str) -> str:
    return "" if count == 0 else f"{count} {noun}{'s' if count != 1 else ''}"
