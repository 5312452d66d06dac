"""The actor registry as a service: list, search, create, edit and delete actors.

Every function takes a session and never commits; the caller owns the transaction (the GUI
commits one per user action). Bad requests raise `ActorError` with a one-line message.
Merging two actors is `store.actor_merge`.

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

from annotator.core.actors import actor_key
from annotator.core.changes import ProjectChange
from annotator.core.errors import AnnotatorError
from annotator.store.layers import live
from annotator.store.models import (
    Actor,
    ActorAlias,
    GoldSpan,
    GoldStance,
    Span,
    Stance,
    StanceEvidence,
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
    get_actor(session, actor_id)
    chain = ancestor_ids(session, actor_id)
    rows = {row.id: row for row in _rows(session, chain)}
    return [rows[i] for i in chain]


def create_actor(
    session: Session,
    *,
    name: str,
    type: str,  # the registry's word; shadowing the builtin is harmless here
    parent_id: uuid.UUID | None = None,
    aliases: Iterable[str] = (),
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
    *,
    actor_id: uuid.UUID,
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
    actor = get_actor(session, actor_id)
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


@dataclass(frozen=True)
class ActorDeleted:
    """What `delete_actor` did: how many spans lost their link to the actor."""

    actor_id: uuid.UUID
    spans: int

    @property
    def change(self) -> ProjectChange:
        return ProjectChange(actors_gone=frozenset({self.actor_id}))


def delete_actor(session: Session, *, actor_id: uuid.UUID) -> ActorDeleted:
    """Delete an actor no stance uses; says how many spans lose their link to it.

    Its children move up to its parent (Peskov → Kremlin → Russia without Kremlin is
    Peskov → Russia). Soft-deleted stances of the actor are purged with it, since they would
    otherwise block the deletion with nothing the user can see.
    """
    actor = get_actor(session, actor_id)
    stances = _count(session, Stance, Stance.actor_id == actor_id, live(Stance))
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
    spans = _count(session, Span, Span.actor_id == actor_id, live(Span))
    relink(session, Span.actor_id, actor_id, None)
    relink(session, GoldSpan.actor_id, actor_id, None)
    relink(session, Actor.parent_id, actor_id, actor.parent_id)
    session.delete(actor)
    session.flush()
    return ActorDeleted(actor_id, spans)


def _rows(session: Session, ids: Sequence[uuid.UUID] | None = None) -> list[ActorRow]:
    parent = aliased(Actor)
    mentions = (
        select(Span.actor_id, func.count().label("n"))
        .where(Span.actor_id.is_not(None), live(Span))
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


def get_actor(session: Session, actor_id: uuid.UUID) -> Actor:
    """The stored actor; `ActorNotFoundError` when it no longer exists."""
    actor = session.get(Actor, actor_id)
    if actor is None:
        raise ActorNotFoundError(MISSING)
    return actor


def ancestor_ids(session: Session, actor_id: uuid.UUID) -> list[uuid.UUID]:
    """The ids of the actor's parent, grandparent and so on, nearest first (cycles cut)."""
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
        if other_id != actor_id and actor_key(other) == actor_key(name):
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
    if actor_id is not None and actor_id in ancestor_ids(session, parent_id):
        raise ActorError(
            f"{parent.name} cannot be the parent of {name}: {name} is already an ancestor of"
            f" {parent.name}"
        )


def _clean_aliases(aliases: Iterable[str], name: str) -> list[str]:
    seen = {actor_key(name)}
    kept: list[str] = []
    for alias in aliases:
        alias = " ".join(alias.split())
        if len(alias) > MAX_LENGTH:
            raise ActorError(f"an alias can be at most {MAX_LENGTH} characters long")
        if alias and actor_key(alias) not in seen:
            seen.add(actor_key(alias))
            kept.append(alias)
    return kept


def _flush(session: Session, name: str) -> None:
    try:
        session.flush()
    except IntegrityError:
        # Another window or laptop added the same name between our check and the insert.
        raise ActorError(f"'{name}' is already an actor") from None


def relink(
    session: Session, column: InstrumentedAttribute[Any], old: uuid.UUID, new: uuid.UUID | None
) -> int:
    """Point every row whose `column` is `old` at `new`; returns how many rows changed."""
    model: Any = column.class_
    count = _count(session, model, column == old)
    session.execute(update(model).where(column == old).values({column.key: new}))
    return count


def _count(session: Session, entity: type[Any], *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(entity).where(*where)) or 0


def _plural(count: int, noun: str) -> str:
    return "" if count == 0 else f"{count} {noun}{'s' if count != 1 else ''}"
