"""Merging a bundle's actor registry, issues and labels into the project's.

Actors are matched by canonical name (ignoring case and runs of spaces), else by an alias
that names exactly one actor. A match with a different type, or a name that is an alias of
several actors, is a conflict: the bundle's actor is kept apart as "Name (type)" and the
conflict reported, so nothing is silently linked to the wrong actor; the lead can merge the
two in the registry if they are the same (`annotator.store.actor_merge.merge_actors`). A parent
that differs, or an alias that already names another actor, is reported and the project's
registry kept as it is. Issues are matched by key; labels and polarities the project's schema
lacks are added to it, as the importer does.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from itertools import count

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.core.actors import actor_key
from annotator.core.schema import IssueDefinition, LabelSchema, default_schema, extended
from annotator.io.bundles.contents import Bundle, BundleActor
from annotator.io.bundles.summary import BundleImportSummary
from annotator.store.models import Actor, ActorAlias, Issue
from annotator.store.project import active_schema, install_schema

NAME_WIDTH = 300  # the actors.name column


@dataclass
class _Known:
    id: uuid.UUID
    name: str
    type: str
    parent_id: uuid.UUID | None


class ActorMerge:
    """Maps a bundle's actor names onto the project's actors, creating what is missing."""

    def __init__(self, session: Session, summary: BundleImportSummary, where: str) -> None:
        self.session = session
        self.summary = summary
        self.where = where
        self.known: dict[uuid.UUID, _Known] = {
            row[0]: _Known(*row)
            for row in session.execute(select(Actor.id, Actor.name, Actor.type, Actor.parent_id))
        }
        self.names = {actor_key(actor.name): actor.id for actor in self.known.values()}
        self.aliases: dict[str, set[uuid.UUID]] = {}
        for actor_id, alias in session.execute(select(ActorAlias.actor_id, ActorAlias.alias)):
            self.aliases.setdefault(actor_key(alias), set()).add(actor_id)

    def merge(self, entries: dict[str, BundleActor]) -> dict[str, uuid.UUID]:
        """The project's actor id for each bundle actor name (parents come first)."""
        mapping: dict[str, uuid.UUID] = {}
        for entry in entries.values():
            parent = mapping[entry.parent] if entry.parent else None
            mapping[entry.name] = self._actor(entry, parent)
        return mapping

    def _actor(self, entry: BundleActor, parent: uuid.UUID | None) -> uuid.UUID:
        found_id = self.names.get(actor_key(entry.name))
        here = ""
        if found_id is None:
            owners = self.aliases.get(actor_key(entry.name), set())
            if len(owners) > 1:
                names = ", ".join(sorted(self.known[o].name for o in owners))
                return self._apart(entry, parent, f"is an alias of several actors here ({names})")
            if owners:
                found_id = next(iter(owners))
                here = f" (an alias of '{self.known[found_id].name}')"
        if found_id is None:
            return self._create(entry, entry.name, parent).id
        found = self.known[found_id]
        if found.type != entry.type:
            return self._apart(
                entry, parent, f"is {entry.type} in the bundle but {found.type} here{here}"
            )
        self.summary.actors_matched += 1
        if parent != found.parent_id:
            self._conflict(
                f"actor '{entry.name}' has parent {self._name(parent)} in {self.where} but "
                f"{self._name(found.parent_id)} here; kept {self._name(found.parent_id)}"
            )
        self._add_aliases(found, entry, new_actor=False)
        return found.id

    def _apart(self, entry: BundleActor, parent: uuid.UUID | None, why: str) -> uuid.UUID:
        """The actor kept apart from a conflicting one, as "Name (type)", made once."""
        for number in count(1):
            suffix = f" ({entry.type})" if number == 1 else f" ({entry.type} {number})"
            name = entry.name[: NAME_WIDTH - len(suffix)] + suffix
            existing = self.names.get(actor_key(name))
            if existing is None or self.known[existing].type == entry.type:
                actor_id = existing or self._create(entry, name, parent, aliases=False).id
                self._conflict(
                    f"actor '{entry.name}' from {self.where} {why}; kept apart as '{name}' "
                    "(merge the two in the actor registry if they are the same)"
                )
                return actor_id
        raise AssertionError("unreachable")  # count() never ends

    def _create(
        self, entry: BundleActor, name: str, parent: uuid.UUID | None, *, aliases: bool = True
    ) -> _Known:
        actor = Actor(name=name, type=entry.type, parent_id=parent)
        self.session.add(actor)
        self.session.flush()
        known = _Known(actor.id, name, entry.type, parent)
        self.known[actor.id] = known
        self.names[actor_key(name)] = actor.id
        self.summary.actors_added.append(name)
        if aliases:
            self._add_aliases(known, entry, new_actor=True)
        return known

    def _add_aliases(self, actor: _Known, entry: BundleActor, *, new_actor: bool) -> None:
        for alias in entry.aliases:
            key = actor_key(alias)
            if key == actor_key(actor.name) or actor.id in self.aliases.get(key, set()):
                continue
            others = ({self.names[key]} if key in self.names else set()) | (
                self.aliases.get(key, set()) - {actor.id}
            )
            if others:
                names = ", ".join(sorted(f"'{self.known[o].name}'" for o in others))
                self._conflict(
                    f"alias '{alias}' of actor '{entry.name}' from {self.where} already names "
                    f"{names} here; not added"
                )
                continue
            self.session.add(ActorAlias(actor_id=actor.id, alias=alias))
            self.aliases.setdefault(key, set()).add(actor.id)
            if not new_actor:
                self.summary.aliases_added.append(f"{alias} (of {actor.name})")

    def _name(self, actor_id: uuid.UUID | None) -> str:
        return "none" if actor_id is None else f"'{self.known[actor_id].name}'"

    def _conflict(self, message: str) -> None:
        if message not in self.summary.conflicts:
            self.summary.conflicts.append(message)


def merge_vocabulary(
    session: Session, bundle: Bundle, summary: BundleImportSummary
) -> dict[str, uuid.UUID]:
    """Make the schema know the bundle's labels, polarities and issues; returns issue ids."""
    schema = active_schema(session)
    if schema is None:
        schema = bundle.manifest.schema or default_schema()
        install_schema(session, schema)
        summary.schema_installed = f"'{schema.name}' {schema.version}"
    elif bundle.manifest.schema and bundle.manifest.schema.name != schema.name:
        summary.notes.append(
            f"{bundle.path} was labelled with schema '{bundle.manifest.schema.name}'; "
            f"this project uses '{schema.name}'"
        )
    live_spans = [s for layer in bundle.layers for s in layer.spans if s.deleted_at is None]
    live_stances = [s for layer in bundle.layers for s in layer.stances if s.deleted_at is None]
    known_labels = {label.name for label in schema.labels}
    labels = [s.label for s in live_spans if s.label not in known_labels]
    polarities = [s.polarity for s in live_stances if s.polarity not in schema.polarities]
    issues = {key: (i, parent) for i, key, parent in session.execute(_ISSUES)}
    new = [entry for key, entry in bundle.issues.items() if key not in issues]
    if labels or polarities or new:
        in_schema = {issue.key for issue in schema.issues} | {entry.key for entry in new}
        definitions = tuple(
            IssueDefinition(
                entry.key,
                entry.name,
                entry.parent if entry.parent in in_schema else None,
                entry.description,
            )
            for entry in new
        )
        install_schema(session, _extended(schema, labels, polarities, definitions))
        summary.labels_added += [x for x in dict.fromkeys(labels) if x not in summary.labels_added]
        summary.polarities_added += [
            x for x in dict.fromkeys(polarities) if x not in summary.polarities_added
        ]
        summary.issues_added += [entry.key for entry in new]
        issues = {key: (i, parent) for i, key, parent in session.execute(_ISSUES)}
    names = {i: key for key, (i, _) in issues.items()}
    new_keys = {entry.key for entry in new}
    for key, entry in bundle.issues.items():
        issue_id, parent_id = issues[key]
        wanted = issues[entry.parent][0] if entry.parent else None
        if wanted == parent_id:
            continue
        if key in new_keys:  # a parent the schema could not name (see above): set it here
            session.get_one(Issue, issue_id).parent_id = wanted
            continue
        here = f"'{names[parent_id]}'" if parent_id else "none"
        message = (
            f"issue '{key}' has parent {repr(entry.parent) if entry.parent else 'none'} in "
            f"{bundle.path} but {here} here; kept {here}"
        )
        if message not in summary.conflicts:
            summary.conflicts.append(message)
    return {key: issue_id for key, (issue_id, _) in issues.items()}


_ISSUES = select(Issue.id, Issue.key, Issue.parent_id)


def _extended(
    schema: LabelSchema,
    labels: list[str],
    polarities: list[str],
    issues: tuple[IssueDefinition, ...],
) -> LabelSchema:
    return extended(
        schema,
        labels=tuple(dict.fromkeys(labels)),
        polarities=tuple(dict.fromkeys(polarities)),
        issues=issues,
    )
