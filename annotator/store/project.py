"""Project-level services: the active label schema, the issue tree, the actor registry."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.actors import ActorDefinition
from annotator.core.schema import LabelSchema, parse_schema
from annotator.store.models import Actor, ActorAlias, Annotator, Issue, SchemaVersion, now


def install_schema(session: Session, schema: LabelSchema) -> SchemaVersion:
    """Store `schema` as the active schema and add its issues; re-installing is a no-op."""
    stored = session.scalars(
        select(SchemaVersion).where(
            SchemaVersion.name == schema.name, SchemaVersion.version == schema.version
        )
    ).first()
    if stored is None:
        stored = SchemaVersion(name=schema.name, version=schema.version, source=schema.source)
        session.add(stored)
    else:
        stored.loaded_at = now()  # loading an older schema again makes it the active one
    existing = {issue.key: issue for issue in session.scalars(select(Issue))}
    for definition in schema.issues:
        issue = existing.get(definition.key)
        if issue is None:
            issue = Issue(
                key=definition.key, name=definition.name, description=definition.description
            )
            session.add(issue)
            existing[definition.key] = issue
        else:
            issue.name = definition.name
    session.flush()
    for definition in schema.issues:
        parent = existing[definition.parent] if definition.parent else None
        existing[definition.key].parent_id = parent.id if parent else None
    session.flush()
    return stored


def active_schema(session: Session) -> LabelSchema | None:
    """The most recently loaded schema, or None in a project that has none yet."""
    stored = session.scalars(
        select(SchemaVersion).order_by(SchemaVersion.loaded_at.desc()).limit(1)
    ).first()
    if stored is None:
        return None
    return parse_schema(stored.source, f"schema '{stored.name}' {stored.version} in the database")


def install_actors(session: Session, actors: tuple[ActorDefinition, ...]) -> int:
    """Add the registry's actors (and new aliases of known ones); returns how many were new."""
    by_name = {actor.name: actor for actor in session.scalars(select(Actor))}
    added = 0
    for definition in actors:
        actor = by_name.get(definition.name)
        if actor is None:
            actor = Actor(name=definition.name, type=definition.type)
            session.add(actor)
            by_name[definition.name] = actor
            added += 1
        known = {alias.alias for alias in actor.aliases}
        for alias in definition.aliases:
            if alias not in known:
                actor.aliases.append(ActorAlias(alias=alias))
    session.flush()
    for definition in actors:
        if definition.parent is not None:
            by_name[definition.name].parent_id = by_name[definition.parent].id
    session.flush()
    return added


def annotator_named(session: Session, name: str, *, role: str = "annotator") -> Annotator:
    """The annotator with this name, created on first use."""
    annotator = session.scalars(select(Annotator).where(Annotator.name == name)).first()
    if annotator is None:
        annotator = Annotator(name=name, role=role)
        session.add(annotator)
        session.flush()
    return annotator


def find_annotator(session: Session, name: str) -> Annotator | None:
    return session.scalars(select(Annotator).where(Annotator.name == name)).first()


def get_annotator(session: Session, annotator_id: uuid.UUID) -> Annotator | None:
    return session.get(Annotator, annotator_id)


def annotator_choices(session: Session) -> list[tuple[uuid.UUID, str]]:
    """Every annotator of the project as (id, name), by name: for a choice on screen."""
    query = select(Annotator.id, Annotator.name).order_by(Annotator.name)
    return [(row.id, row.name) for row in session.execute(query)]
