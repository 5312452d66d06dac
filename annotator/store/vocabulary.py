"""What the workspace needs to know about the project: schema, issue tree, actor names."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.schema import LabelSchema, default_schema
from annotator.store.models import Actor, ActorAlias, Issue
from annotator.store.project import active_schema


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

    @property
    def actor_label(self) -> str:
        """The span label for actor mentions ("ACTOR" in the default schema)."""
        names = [label.name for label in self.schema.labels]
        return "ACTOR" if "ACTOR" in names else names[0]


def load_vocabulary(session: Session) -> Vocabulary:
    schema = active_schema(session) or default_schema()
    rows = list(session.execute(select(Issue.id, Issue.key, Issue.name, Issue.parent_id)))
    children: dict[uuid.UUID | None, list[tuple[uuid.UUID, str, str]]] = {}
    for issue_id, key, name, parent in rows:
        children.setdefault(parent, []).append((issue_id, key, name))
    order = {issue.key: n for n, issue in enumerate(schema.issues)}
    issues: list[IssueEntry] = []

    def walk(parent: uuid.UUID | None, depth: int) -> None:
        for issue_id, key, name in sorted(
            children.get(parent, []), key=lambda c: (order.get(c[1], 10**6), c[2])
        ):
            issues.append(IssueEntry(issue_id, key, name, depth))
            walk(issue_id, depth + 1)

    walk(None, 0)
    actors = {row.id: row.name for row in session.execute(select(Actor.id, Actor.name))}
    types = {row.id: row.type for row in session.execute(select(Actor.id, Actor.type))}
    aliases = [
        (row.actor_id, row.alias)
        for row in session.execute(select(ActorAlias.actor_id, ActorAlias.alias))
    ]
    names = tuple(list(actors.items()) + aliases)
    return Vocabulary(schema, tuple(issues), actors, types, names)
