"""The actors an import names: matched to the registry, added where new, with their types.

An actor is matched by its canonical name, or by an alias only one actor has. A new actor
takes the first type the input gives it that the schema knows; an existing actor keeps its
own, unless it is "unknown", which is no type and is filled in (so an input's "unknown",
which our exports write for such an actor, gives none). Types the input gives that were not
used (another type, or one the schema does not know) are noted with the file and line that
gave them, for the import summary.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from annotator.core.actors import actor_key
from annotator.io.imports.planning import PlannedArticle
from annotator.io.imports.summary import UNKNOWN_TYPE, ImportSummary
from annotator.store.models import Actor, ActorAlias

# Spellings of the default schema's types that inputs use ("org" is DESIGN.md's own word).
TYPE_SPELLINGS = {"org": "organisation", "organization": "organisation"}


def match_actors(
    session: Session,
    articles: list[PlannedArticle],
    actor_types: Sequence[str],
    summary: ImportSummary,
) -> dict[str, uuid.UUID]:
    """The stored id of every actor the project has or `articles` name, by name and alias.

    Adds the actors the project lacks, fills in types the project did not know, and puts
    both, and every type not used, in `summary`.
    """
    actors: dict[str, uuid.UUID] = {}
    kinds: dict[uuid.UUID, tuple[str, str]] = {}  # id -> (name, type) of stored actors
    by_key: dict[str, uuid.UUID] = {}  # actor_key of a name -> its actor
    for actor_id, name, kind in session.execute(select(Actor.id, Actor.name, Actor.type)):
        actors[name] = actor_id
        by_key[actor_key(name)] = actor_id
        kinds[actor_id] = (name, kind)
    aliases: dict[str, set[uuid.UUID]] = {}  # actor_key of an alias -> the actors that have it
    for actor_id, alias in session.execute(select(ActorAlias.actor_id, ActorAlias.alias)):
        aliases.setdefault(actor_key(alias), set()).add(actor_id)
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
            (known, origin) for typed, origin in said if (known := types.known(typed, name, origin))
        ]
        key = actor_key(name)
        if name not in actors and key in by_key:  # "kremlin" is the registry's "Kremlin"
            actors[name] = by_key[key]
        elif name not in actors and len(aliases.get(key, ())) == 1:
            actors[name] = next(iter(aliases[key]))  # an unambiguous alias
        if name in actors:
            given_to.setdefault(actors[name], []).extend(given)
            continue
        kind = given[0][0] if given else UNKNOWN_TYPE
        actor = Actor(name=name, type=kind)
        session.add(actor)
        session.flush()
        actors[name] = by_key[key] = actor.id
        summary.new_actors.append(name)
        summary.actor_ids.add(actor.id)
        summary.new_actor_types[name] = kind
        if given:
            types.disagreements(name, kind, f"in {given[0][1]}", given)
    for actor_id, given in given_to.items():
        name, kind = kinds[actor_id]
        if kind == UNKNOWN_TYPE and given:  # "unknown" is no type: fill it in, and say so
            kind, origin = given[0]
            session.execute(update(Actor).where(Actor.id == actor_id).values(type=kind))
            summary.actor_ids.add(actor_id)
            types.notes.append(
                f"actor '{name}' had no type in the project: now {kind}, from {origin}"
            )
        types.disagreements(name, kind, "in the project", given)
    summary.actor_type_notes = types.lines()
    return actors


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
        """The schema's type `given` names, or None: none given, "unknown", or not a type
        (noted)."""
        if given is None:
            return None
        kind = self.by_spelling.get(given.casefold())
        # "unknown" is how our exports write an actor nobody has typed: no type, no mistake.
        if kind is None and given.casefold() != UNKNOWN_TYPE:
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
