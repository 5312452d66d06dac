"""One actor per name, whatever its case, width or spacing: `actors.name_key` is unique.

"kremlin" imported beside "Kremlin" made two actors, which agreement and networks counted as
two. Each actor now carries `actor_key(name)` (NFKC, casefolded, white space collapsed) in a
unique column, and each alias its key, unique per actor. Actors that already share a key are
merged first, the way the registry merges them (`store.actor_merge.merge_actors`): into the
oldest, whose name stays; the others' spans, stances, gold annotations and sub-actors move to
it, duplicate stances are folded, and their names become its aliases. What was merged is
logged (the project was backed up before the upgrade, as before every upgrade).

This migration uses the ORM models as they are at revision 0007; a later migration that
changes the actor, annotation or gold tables must freeze what this one needs.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02
"""

from __future__ import annotations

import logging
import uuid

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

log = logging.getLogger("annotator.store.migrations")


def upgrade() -> None:
    from annotator.core.actors import actor_key
    from annotator.core.errors import AnnotatorError
    from annotator.store.actor_merge import merge_actors

    op.add_column("actors", sa.Column("name_key", sa.String(300), nullable=True))
    op.add_column("actor_aliases", sa.Column("alias_key", sa.String(300), nullable=True))
    bind = op.get_bind()
    actors = sa.table(
        "actors", sa.column("id", sa.Uuid), sa.column("name"), sa.column("name_key"),
        sa.column("created_at", sa.DateTime),
    )  # fmt: skip
    aliases = sa.table(
        "actor_aliases", sa.column("id", sa.Uuid), sa.column("actor_id", sa.Uuid),
        sa.column("alias"), sa.column("alias_key"),
    )  # fmt: skip
    rows = bind.execute(
        sa.select(actors.c.id, actors.c.name).order_by(actors.c.created_at, actors.c.id)
    ).all()
    groups: dict[str, list[tuple[uuid.UUID, str]]] = {}
    for actor_id, name in rows:
        groups.setdefault(actor_key(name), []).append((actor_id, name))
    session = Session(bind=bind)
    for group in groups.values():
        keep_id, keep_name = group[0]
        for merge_id, merge_name in group[1:]:
            try:
                with session.begin_nested():
                    summary = merge_actors(session, keep_id=keep_id, merge_id=merge_id)
                kept, gone = keep_name, merge_name
            except AnnotatorError:  # the older is part of the newer: the newer stays
                summary = merge_actors(session, keep_id=merge_id, merge_id=keep_id)
                kept, gone = merge_name, keep_name
                keep_id, keep_name = merge_id, merge_name
            log.warning(
                "merged actor '%s' into '%s' (one actor by the new name rule): %d spans and "
                "%d stances moved",
                gone, kept, summary.spans, summary.stances,
            )  # fmt: skip
    session.flush()
    session.close()
    for actor_id, name in bind.execute(sa.select(actors.c.id, actors.c.name)).all():
        bind.execute(
            actors.update().where(actors.c.id == actor_id).values(name_key=actor_key(name))
        )
    seen: set[tuple[object, str]] = set()
    for alias_id, actor_id, alias in bind.execute(
        sa.select(aliases.c.id, aliases.c.actor_id, aliases.c.alias).order_by(aliases.c.alias)
    ).all():
        key = actor_key(alias)
        if (actor_id, key) in seen:  # "Peskov" and "peskov": one alias
            bind.execute(aliases.delete().where(aliases.c.id == alias_id))
            continue
        seen.add((actor_id, key))
        bind.execute(aliases.update().where(aliases.c.id == alias_id).values(alias_key=key))
    op.create_index("ix_actors_name_key", "actors", ["name_key"], unique=True)
    op.create_index("ix_actor_aliases_key", "actor_aliases", ["actor_id", "alias_key"], unique=True)


def downgrade() -> None:
    op.drop_index("ix_actor_aliases_key", table_name="actor_aliases")
    op.drop_index("ix_actors_name_key", table_name="actors")
    # Plain ALTER TABLE (SQLite 3.35+ and PostgreSQL): batch mode would copy the actors table,
    # and dropping the old copy would unlink every span that names an actor.
    op.execute("ALTER TABLE actor_aliases DROP COLUMN alias_key")
    op.execute("ALTER TABLE actors DROP COLUMN name_key")
