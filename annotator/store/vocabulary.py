"""Reading the workspace's `Vocabulary` (schema, issue tree, actor names) from the project."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.schema import default_schema
from annotator.core.vocabulary import Vocabulary, vocabulary_from_rows
from annotator.store.models import Actor, ActorAlias, Issue
from annotator.store.project import active_schema


def load_vocabulary(session: Session) -> Vocabulary:
    schema = active_schema(session) or default_schema()
    # Ordered by key (unique): issues the schema does not order, and that share a name, then
    # come in one order on every read (store.first_look reads them the same way).
    issues = session.execute(
        select(Issue.id, Issue.key, Issue.name, Issue.parent_id).order_by(Issue.key)
    )
    actors = session.execute(select(Actor.id, Actor.name, Actor.type).order_by(Actor.name))
    aliases = session.execute(
        select(ActorAlias.actor_id, ActorAlias.alias).order_by(ActorAlias.alias, ActorAlias.id)
    )
    return vocabulary_from_rows(
        schema,
        [(i, key, name, parent) for i, key, name, parent in issues],
        [(i, name, kind) for i, name, kind in actors],
        [(actor, alias) for actor, alias in aliases],
    )
