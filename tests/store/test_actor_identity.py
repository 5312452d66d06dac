"""One rule for "the same actor": NFKC, casefold, collapsed white space, held by the schema."""

from __future__ import annotations

import json
import sqlite3
import uuid
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from annotator.core.actors import actor_key
from annotator.core.schema import default_schema
from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.actors import ActorError, create_actor, update_actor
from annotator.store.database import current_revision, head_revision, open_database
from annotator.store.models import Actor, ActorAlias, Span, Stance
from tests.store.test_database import migrate_to

TYPES = default_schema().actor_types


def test_the_rule_folds_case_width_and_spacing_but_not_accents() -> None:
    assert actor_key("Kremlin") == actor_key("kremlin") == actor_key("  KREMLIN ")
    assert actor_key("Ｋｒｅｍｌｉｎ") == actor_key("Kremlin")  # full-width letters (NFKC)
    assert actor_key("Dmitry\u00a0Peskov") == actor_key("dmitry peskov")  # a no-break space
    assert actor_key("Straße") == actor_key("STRASSE")  # casefold, not lower
    assert actor_key("Erdoğan") != actor_key("Erdogan")  # two spellings, two names


def _row(connection: sqlite3.Connection, table: str, **values: object) -> str:
    identifier = uuid.uuid4().hex
    values = {"id": identifier, **values}
    columns = ", ".join(f'"{name}"' for name in values)
    marks = ", ".join("?" for _ in values)
    connection.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(values.values()))
    return identifier


def test_upgrading_merges_actors_that_differ_only_in_case_keeping_every_annotation(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "old.sqlite"
    migrate_to(f"sqlite:///{path}", "0006")
    raw = sqlite3.connect(path)
    when = "2025-01-01 00:00:00"
    ana = _row(raw, "annotators", name="ana", role="annotator", created_at=when)
    text = "The Kremlin said no. The kremlin said it again."
    document = _row(
        raw, "documents", title="Talks", text=text, text_sha256="x", length=len(text),
        meta="{}", created_at=when,
    )  # fmt: skip
    upper = _row(raw, "actors", name="Kremlin", type="state", created_at=when)
    lower = _row(raw, "actors", name="kremlin", type="unknown", created_at="2025-02-01 00:00:00")
    _row(raw, "actor_aliases", actor_id=upper, alias="Moscow")
    _row(raw, "actor_aliases", actor_id=lower, alias="moscow")
    truce = _row(raw, "issues", key="truce", name="Truce", description="")
    troops = _row(raw, "issues", key="troops", name="Troops", description="")
    for start, actor in ((4, upper), (25, lower)):
        _row(
            raw, "spans", document_id=document, annotator_id=ana, start=start, end=start + 7,
            label="ACTOR", actor_id=actor, note="", created_at=when, updated_at=when,
        )  # fmt: skip
    for actor, issue in ((upper, truce), (lower, troops)):
        _row(
            raw, "stances", document_id=document, annotator_id=ana, actor_id=actor,
            issue_id=issue, polarity="oppose", note="", created_at=when, updated_at=when,
        )  # fmt: skip
    raw.commit()
    raw.close()

    database = open_database(str(path))
    try:
        assert current_revision(database.engine) == head_revision()
        assert database.backup is not None and "rev0006" in database.backup.name
        with database.sessions() as session:
            actors = session.execute(select(Actor.name, Actor.type, Actor.name_key)).all()
            assert actors == [("Kremlin", "state", "kremlin")]
            kept = session.scalars(select(Actor.id)).one()
            aliases = session.scalars(select(ActorAlias.alias).where(ActorAlias.actor_id == kept))
            assert sorted(aliases) == ["Moscow"]  # "moscow" was the same alias
            spans = session.execute(select(Span.start, Span.actor_id).order_by(Span.start)).all()
            assert spans == [(4, kept), (25, kept)]
            live = select(Stance.actor_id).where(Stance.deleted_at.is_(None))
            assert session.scalars(live).all() == [kept, kept]
    finally:
        database.close()
    assert any("merged actor 'kremlin' into 'Kremlin'" in r.getMessage() for r in caplog.records)
    backup = sqlite3.connect(database.backup)
    assert backup.execute("SELECT count(*) FROM actors").fetchone() == (2,)  # as it was
    backup.close()


def test_the_schema_refuses_a_second_actor_with_the_same_key(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    try:
        with pytest.raises(IntegrityError), database.sessions.begin() as session:
            session.add_all(
                [Actor(name="Kremlin", type="state"), Actor(name="KREMLIN", type="state")]
            )
        with database.sessions.begin() as session:
            create_actor(session, name="Kremlin", type="state", actor_types=TYPES)
        with pytest.raises(ActorError, match="already an actor"), database.sessions.begin() as s:
            create_actor(s, name="Ｋｒｅｍｌｉｎ", type="state", actor_types=TYPES)
        with database.sessions.begin() as session:
            actor = create_actor(session, name="Dmitry Peskov", type="person", actor_types=TYPES)
            update_actor(session, actor_id=actor.id, actor_types=TYPES, name="Dmitri Peskov")
            assert actor.name_key == "dmitri peskov"  # the key follows a rename
    finally:
        database.close()


def test_an_import_naming_an_actor_in_other_case_uses_the_registry_actor(tmp_path: Path) -> None:
    database = open_database(str(tmp_path / "p.sqlite"))
    source = tmp_path / "in.jsonl"
    text = "The Kremlin said no."
    span = {"start": 4, "end": 11, "label": "ACTOR", "actor": "kremlin"}
    source.write_text(json.dumps({"text": text, "spans": [span]}) + "\n", encoding="utf-8")
    try:
        with database.sessions.begin() as session:
            create_actor(session, name="Kremlin", type="state", actor_types=TYPES)
        summary = import_paths(database, paths=[source], options=ImportOptions())
        assert summary.new_actors == []
        with database.sessions() as session:
            assert session.scalar(select(func.count()).select_from(Actor)) == 1
            linked = session.scalars(select(Actor.name).join(Span, Span.actor_id == Actor.id))
            assert linked.all() == ["Kremlin"]
    finally:
        database.close()
