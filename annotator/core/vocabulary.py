"""What the workspace needs to know about the project: schema, issue tree, actor names.

Backend-free: `annotator.store.vocabulary` reads it through SQLAlchemy, and the first window
of a start gets it from `annotator.store.first_look` before SQLAlchemy has loaded.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from annotator.core.actors import actor_key
from annotator.core.schema import LabelSchema


@dataclass(frozen=True)
class IssueEntry:
    id: uuid.UUID
    key: str
    name: str
    depth: int  # 0 for a top issue, 1 for its children...


@dataclass(frozen=True)
class Vocabulary:
    schema: LabelSchema
    issues: tuple[IssueEntry, ...] = ()
    actors: dict[uuid.UUID, str] = field(default_factory=dict)  # id -> canonical name
    actor_types: dict[uuid.UUID, str] = field(default_factory=dict)
    names: tuple[tuple[uuid.UUID, str], ...] = ()  # names and aliases, for suggestions

    def issue(self, issue_id: uuid.UUID | None) -> IssueEntry | None:
        return next((i for i in self.issues if i.id == issue_id), None)

    def actor_named(self, text: str) -> uuid.UUID | None:
        """The one actor whose name or alias is `text` (as the registry compares names:
        case and spacing aside), or None when none or several are."""
        wanted = actor_key(text)
        found = {actor_id for actor_id, name in self.names if actor_key(name) == wanted}
        return found.pop() if wanted and len(found) == 1 else None

    @property
    def actor_label(self) -> str:
        """The span label for actor mentions ("ACTOR" in the default schema)."""
        names = [label.name for label in self.schema.labels]
        return "ACTOR" if "ACTOR" in names else names[0]


IssueRow = tuple[uuid.UUID, str, str, uuid.UUID | None]  # id, key, name, parent id
ActorRow = tuple[uuid.UUID, str, str]  # id, canonical name, type


def vocabulary_from_rows(
    schema: LabelSchema,
    issues: list[IssueRow],
    actors: list[ActorRow],
    aliases: list[tuple[uuid.UUID, str]],
) -> Vocabulary:
    """The vocabulary of these stored rows: issues as a tree in the schema's order (children
    under their parent; issues the schema does not name after the ones it does, by name)."""
    children: dict[uuid.UUID | None, list[tuple[uuid.UUID, str, str]]] = {}
    for issue_id, key, name, parent in issues:
        children.setdefault(parent, []).append((issue_id, key, name))
    order = {issue.key: n for n, issue in enumerate(schema.issues)}
    entries: list[IssueEntry] = []

    def walk(parent: uuid.UUID | None, depth: int) -> None:
        for issue_id, key, name in sorted(
            children.get(parent, []), key=lambda c: (order.get(c[1], 10**6), c[2])
        ):
            entries.append(IssueEntry(issue_id, key, name, depth))
            walk(issue_id, depth + 1)

    walk(None, 0)
    names = {actor_id: name for actor_id, name, _ in actors}
    types = {actor_id: kind for actor_id, _, kind in actors}
    return Vocabulary(schema, tuple(entries), names, types, (*names.items(), *aliases))
