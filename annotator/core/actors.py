"""Actor registry files: canonical actors with type, parent and aliases (TOML)."""

from __future__ import annotations

import unicodedata
from collections.abc import Collection
from dataclasses import dataclass

from annotator.core.toml_file import TableReader, parse_toml


def actor_key(name: str) -> str:
    """What makes two names the same actor: equal after Unicode NFKC, casefolding and
    collapsing white space ("kremlin", "Kremlin" and "KREMLIN " are one actor; "Erdoğan" and
    "Erdogan" are two, though a search finds either). The store holds it in a unique column
    (`actors.name_key`), so no two actors of a project share it."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True)
class ActorDefinition:
    name: str
    type: str
    parent: str | None = None
    aliases: tuple[str, ...] = ()


def parse_actor_registry(
    text: str, path: str, actor_types: Collection[str]
) -> tuple[ActorDefinition, ...]:
    """Validate an actor registry; parents must be defined in the same file, without cycles."""
    top = TableReader(parse_toml(text, path), path, "", text)
    top.reject_unknown(["actors"])
    actors: list[ActorDefinition] = []
    names: dict[str, int] = {}
    for index, reader in enumerate(top.tables("actors")):
        reader.reject_unknown(["name", "type", "parent", "aliases"])
        name = reader.string("name")
        if name in names:
            raise reader.error(f"'{name}' is already actor {names[name]}", "name")
        kind = reader.string("type")
        if kind not in actor_types:
            raise reader.error(f"'{kind}' is not one of {', '.join(actor_types)}", "type")
        aliases = tuple(a for a in reader.string_list("aliases", required=False) if a != name)
        actors.append(ActorDefinition(name, kind, reader.optional_string("parent"), aliases))
        names[name] = index
    by_name = {actor.name: actor for actor in actors}
    for index, actor in enumerate(actors):
        reader = TableReader({}, path, f"actors[{index}]", text)
        if actor.parent is not None and actor.parent not in by_name:
            raise reader.error(f"names parent '{actor.parent}', which is not listed", "parent")
        seen = {actor.name}
        parent = actor.parent
        while parent is not None:
            if parent in seen:
                raise reader.error(f"'{actor.name}' is its own ancestor", "parent")
            seen.add(parent)
            parent = by_name[parent].parent
    return tuple(actors)
