"""Commands on a stored layer: each edit is committed at once, undo and redo store too."""

from __future__ import annotations

import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.commands import (
    AddSpan,
    AddStance,
    ChangeSpan,
    Group,
    UndoStack,
    delete_spans,
)
from annotator.io.demo import load_demo
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.models import Actor, Document, DocumentStatus, Issue, Span
from annotator.store.project import annotator_named


@pytest.fixture
def project(db_url: str) -> Database:
    database = open_database(db_url)
    load_demo(database)
    yield database  # type: ignore[misc]
    database.close()


def layer_store(database: Database, name: str = "ana") -> tuple[LayerStore, Document]:
    with database.sessions.begin() as session:
        annotator = annotator_named(session, name)
        document = session.scalars(
            select(Document).where(Document.external_id == "troops-meridian")
        ).one()
    return LayerStore(database.sessions, document.id, annotator.id), document


def ids(database: Database) -> tuple[uuid.UUID, uuid.UUID]:
    with database.sessions() as session:
        actor = session.scalars(select(Actor.id).where(Actor.name == "Dmitry Peskov")).one()
        issue = session.scalars(select(Issue.id).where(Issue.key == "foreign-troops")).one()
    return actor, issue


def test_edits_undo_and_redo_are_stored_as_they_happen(project: Database) -> None:
    store, document = layer_store(project)
    stack = UndoStack(store.load())
    start = document.text.index("Peskov")
    span = SpanValue(uuid.uuid4(), start, start + 6, "ACTOR")
    stack.push(AddSpan(span))
    assert store.load().spans == {span.id: span}  # committed, read back from the database
    actor_id, issue_id = ids(project)
    linked = SpanValue(span.id, start, start + 6, "ACTOR", actor_id=actor_id)
    stack.push(ChangeSpan(span, linked, text="link actor"))
    assert store.load().spans[span.id].actor_id == actor_id
    claim = SpanValue(uuid.uuid4(), 0, 20, "CLAIM", issue_id=issue_id)
    stack.push(AddSpan(claim))
    stance = StanceValue(uuid.uuid4(), actor_id, issue_id, "oppose", (claim.id,), 0.8)
    stack.push(AddStance(stance))
    assert store.load().stances == {stance.id: stance}

    stack.push(delete_spans(stack.layer, [stack.layer.spans[claim.id]]))
    reloaded = store.load()
    assert claim.id not in reloaded.spans
    assert reloaded.stances[stance.id].evidence == ()  # the stance lost that evidence
    with project.sessions() as session:
        row = session.get(Span, claim.id)
        assert row is not None and row.deleted_at is not None  # a tombstone, not gone

    assert stack.undo() is not None
    assert store.load().stances[stance.id].evidence == (claim.id,)
    for _ in range(3):
        stack.undo()
    assert store.load().spans == {span.id: span}
    stack.undo()
    assert store.load().spans == {}
    assert stack.undo() is None
    stack.redo()
    assert store.load().spans == {span.id: span}
    with project.sessions() as session:
        status = session.get(DocumentStatus, (document.id, store.annotator_id))
        assert status is not None and status.status == "in_progress"


def test_layers_of_two_annotators_stay_apart(project: Database) -> None:
    ana, _ = layer_store(project, "ana")
    bo, _ = layer_store(project, "bo")
    UndoStack(ana.load()).push(AddSpan(SpanValue(uuid.uuid4(), 0, 5, "ACTOR")))
    assert len(ana.load().spans) == 1
    assert bo.load().spans == {}


def test_a_span_outside_the_text_is_refused(project: Database) -> None:
    store, document = layer_store(project)
    stack = UndoStack(store.load())
    with pytest.raises(ValueError, match="outside the text"):
        stack.push(AddSpan(SpanValue(uuid.uuid4(), 0, document.length + 1, "ACTOR")))
    assert store.load().spans == {}


KILLED = """
import os, signal, sys, uuid
from annotator.core.annotations import SpanValue
from annotator.core.commands import AddSpan, UndoStack
from annotator.store.annotations import LayerStore
from annotator.store.database import open_database
database = open_database(sys.argv[1])
store = LayerStore(database.sessions, uuid.UUID(sys.argv[2]), uuid.UUID(sys.argv[3]))
stack = UndoStack(store.load())
stack.push(AddSpan(SpanValue(uuid.UUID(sys.argv[4]), 0, 7, "ACTOR")))
print("shown", flush=True)  # the moment the window would show it
os.kill(os.getpid(), signal.SIGKILL)
"""


def test_kill_minus_9_after_an_edit_loses_nothing(tmp_path: Path) -> None:
    path = str(tmp_path / "p.sqlite")
    database = open_database(path)
    load_demo(database)
    store, document = layer_store(database)
    database.close()
    span_id = uuid.uuid4()
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            KILLED,
            path,
            str(document.id),
            str(store.annotator_id),
            str(span_id),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == -9, result.stderr
    assert result.stdout.strip() == "shown"
    reopened = open_database(path)
    layer = LayerStore(reopened.sessions, document.id, store.annotator_id).load()
    assert list(layer.spans) == [span_id]
    reopened.close()


def test_a_grouped_step_whose_third_part_fails_changes_nothing(project: Database) -> None:
    """Five spans accepted as one step, the third naming an actor the project lacks (the
    database refuses it): none is stored, the layer holds what it held, and the history is
    as it was (the earlier step is still the one to undo)."""
    store, document = layer_store(project)
    stack = UndoStack(store.load())
    first = SpanValue(uuid.uuid4(), 0, 4, "CLAIM")
    stack.push(AddSpan(first))
    start = document.text.index("Peskov")
    parts = [
        SpanValue(uuid.uuid4(), start + n, start + n + 1, "ACTOR", actor_id=actor)
        for n, actor in enumerate([None, None, uuid.uuid4(), None, None])
    ]
    with pytest.raises(Exception, match=r"(?i)foreign key"):
        stack.push(Group([AddSpan(span) for span in parts], text="accept 5 suggestions"))
    assert store.load().spans == {first.id: first}  # nothing of the step was stored
    assert stack.layer.spans == {first.id: first}  # nor is it on screen
    assert stack.undo_text() == "add CLAIM" and stack.redo_text() is None
    stack.undo()
    assert store.load().spans == {}
    stack.push(Group([AddSpan(span) for span in parts[:2]], text="accept 2 suggestions"))
    with project.sessions() as session:  # one step, one transaction, all stored
        stored = session.scalars(select(Span.id).where(Span.deleted_at.is_(None)))
        assert set(stored) == {parts[0].id, parts[1].id}
