"""Importing annotated records loses nothing: repeated offsets, stances, ids, actor types.

Runs on SQLite and PostgreSQL (`db_url`). The round trip at the end builds its project through
the app's own layer store, not the importer, so the importer is checked against the app.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from annotator.core.annotations import SpanValue, StanceValue
from annotator.core.schema import default_schema
from annotator.core.text import text_hash
from annotator.io.export import ExportOptions, export
from annotator.io.imports.importer import ImportFailed, import_paths
from annotator.io.imports.layers import REASSIGNED_IDS
from annotator.io.imports.planning import ImportOptions
from annotator.io.imports.summary import ImportSummary
from annotator.store.actors import create_actor
from annotator.store.annotations import LayerStore
from annotator.store.database import Database, open_database
from annotator.store.models import Actor, Annotator, Document, Issue, Span, Stance
from annotator.store.project import annotator_named, install_schema
from tests.io.test_export_support import read_jsonl, snapshot

TEXT = "Yesterday the two leaders met in Geneva and agreed to resume the grain talks."
LEADERS = TEXT.index("the two leaders")
GENEVA = TEXT.index("Geneva")
TALKS = TEXT.index("the grain talks")


def leaders(**extra: Any) -> dict[str, Any]:
    return {"start": LEADERS, "end": LEADERS + 15, "label": "ACTOR", **extra}


def talks(**extra: Any) -> dict[str, Any]:
    return {"start": TALKS, "end": TALKS + 15, "label": "CLAIM", **extra}


@pytest.fixture
def database(db_url: str) -> Iterator[Database]:
    opened = open_database(db_url)
    yield opened
    opened.close()


def run(database: Database, folder: Path, *records: dict[str, Any]) -> ImportSummary:
    path = folder / "input.jsonl"
    path.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8"
    )
    return import_paths(database, paths=[path], options=ImportOptions())


SpanTuple = tuple[int, int, str, str | None, str | None, str]


def spans_of(database: Database, annotator: str = "ana") -> list[SpanTuple]:
    """The annotator's live spans as (start, end, label, actor, issue key, note), sorted."""
    with database.sessions() as session:
        actors = {a.id: a.name for a in session.scalars(select(Actor))}
        issues = {i.id: i.key for i in session.scalars(select(Issue))}
        rows = session.scalars(
            select(Span)
            .join(Annotator, Annotator.id == Span.annotator_id)
            .where(Annotator.name == annotator, Span.deleted_at.is_(None))
        )
        return sorted(
            (
                (s.start, s.end, s.label, actors.get(s.actor_id), issues.get(s.issue_id), s.note)
                for s in rows
            ),
            key=repr,
        )


StanceTuple = tuple[str, str, str, float | None, str, tuple[SpanTuple, ...]]


def stances_of(database: Database, annotator: str = "ana") -> list[StanceTuple]:
    """The annotator's live stances with their evidence spans spelled out, sorted."""
    with database.sessions() as session:
        actors = {a.id: a.name for a in session.scalars(select(Actor))}
        issues = {i.id: i.key for i in session.scalars(select(Issue))}
        spans = {s.id: s for s in session.scalars(select(Span))}
        rows = session.scalars(
            select(Stance)
            .join(Annotator, Annotator.id == Stance.annotator_id)
            .where(Annotator.name == annotator, Stance.deleted_at.is_(None))
        )
        out = []
        for t in rows:
            evidence = []
            for link in t.evidence:
                s = spans[link.span_id]
                assert s.annotator_id == t.annotator_id  # evidence never crosses layers
                evidence.append(
                    (
                        s.start,
                        s.end,
                        s.label,
                        actors.get(s.actor_id),
                        issues.get(s.issue_id),
                        s.note,
                    )
                )
            out.append(
                (
                    actors[t.actor_id],
                    issues[t.issue_id],
                    t.polarity,
                    t.confidence,
                    t.note,
                    tuple(sorted(evidence, key=repr)),
                )
            )
        return sorted(out, key=repr)


def actor_types(database: Database) -> dict[str, str]:
    with database.sessions() as session:
        return dict(session.execute(select(Actor.name, Actor.type)).all())


# -- spans ------------------------------------------------------------------------------------


def test_spans_on_the_same_text_that_differ_in_actor_issue_or_note_are_all_kept(
    database: Database, tmp_path: Path
) -> None:
    record = {
        "text": TEXT,
        "annotator": "ana",
        "spans": [
            leaders(actor="Joe Biden"),
            leaders(actor="Xi Jinping"),
            leaders(),
            talks(issue="grain"),
            talks(issue="ceasefire"),
            talks(note="hedged"),
        ],
    }
    summary = run(database, tmp_path, record)
    assert summary.spans == 6 and summary.duplicate_spans == 0
    end, stop = LEADERS + 15, TALKS + 15
    assert spans_of(database) == sorted(
        [
            (LEADERS, end, "ACTOR", "Joe Biden", None, ""),
            (LEADERS, end, "ACTOR", "Xi Jinping", None, ""),
            (LEADERS, end, "ACTOR", None, None, ""),
            (TALKS, stop, "CLAIM", None, "grain", ""),
            (TALKS, stop, "CLAIM", None, "ceasefire", ""),
            (TALKS, stop, "CLAIM", None, None, "hedged"),
        ],
        key=repr,
    )
    assert not any("duplicate" in line for line in summary.lines())
    again = run(database, tmp_path, record)
    assert (again.spans, again.duplicate_spans) == (0, 0)
    assert len(spans_of(database)) == 6


def test_identical_spans_are_stored_once_and_the_summary_says_so(
    database: Database, tmp_path: Path
) -> None:
    record = {
        "text": TEXT,
        "annotator": "ana",
        "spans": [
            leaders(actor="Joe Biden"),
            leaders(actor="Joe Biden"),
            talks(id="first"),
            talks(id="second"),  # the same CLAIM again, under its own local id
        ],
        "stances": [
            {"actor": "Joe Biden", "issue": "grain", "polarity": "support", "evidence": ["second"]},
            {
                "actor": "Joe Biden",
                "issue": "grain",
                "polarity": "oppose",
                "evidence": ["first", "second"],
            },
        ],
    }
    summary = run(database, tmp_path, record)
    claim = (TALKS, TALKS + 15, "CLAIM", None, None, "")
    assert spans_of(database) == sorted(
        [(LEADERS, LEADERS + 15, "ACTOR", "Joe Biden", None, ""), claim], key=repr
    )
    assert (summary.spans, summary.duplicate_spans) == (2, 2)
    assert "2 duplicate spans skipped" in "\n".join(summary.lines())
    # Stances that cite the duplicate cite the one span that was kept, once.
    assert stances_of(database) == [
        ("Joe Biden", "grain", "oppose", None, "", (claim,)),
        ("Joe Biden", "grain", "support", None, "", (claim,)),
    ]

    again = run(database, tmp_path, record)
    assert (again.spans, again.stances, again.duplicate_spans) == (0, 0, 2)
    assert len(spans_of(database)) == 2 and len(stances_of(database)) == 2


def test_spans_with_their_own_uuids_stay_apart_even_when_identical(
    database: Database, tmp_path: Path
) -> None:
    first, second = str(uuid.uuid4()), str(uuid.uuid4())
    record = {
        "text": TEXT,
        "annotator": "ana",
        "spans": [talks(id=first), talks(id=second)],
        "stances": [
            {"actor": "A", "issue": "grain", "polarity": "oppose", "evidence": [second]},
        ],
    }
    summary = run(database, tmp_path, record)
    with database.sessions() as session:
        assert set(session.scalars(select(Span.id))) == {uuid.UUID(first), uuid.UUID(second)}
        [stance] = session.scalars(select(Stance))
        assert [e.span_id for e in stance.evidence] == [uuid.UUID(second)]
    assert (summary.spans, summary.duplicate_spans) == (2, 0)
    again = run(database, tmp_path, record)
    assert (again.spans, again.stances) == (0, 0)


def test_a_span_id_another_annotator_uses_does_not_swallow_the_span(
    database: Database, tmp_path: Path
) -> None:
    shared = str(uuid.uuid4())
    records = [
        {
            "text": TEXT,
            "annotator": who,
            "spans": [talks(id=shared, note=who)],
            "stances": [
                {"actor": "A", "issue": "grain", "polarity": polarity, "evidence": [shared]}
            ],
        }
        for who, polarity in (("ana", "support"), ("bo", "oppose"))
    ]
    summary = run(database, tmp_path, *records)
    for who, polarity in (("ana", "support"), ("bo", "oppose")):
        claim = (TALKS, TALKS + 15, "CLAIM", None, None, who)
        assert spans_of(database, who) == [claim]
        assert stances_of(database, who) == [("A", "grain", polarity, None, "", (claim,))]
    assert (summary.spans, summary.stances) == (2, 2)
    assert (summary.span_ids_reassigned, summary.stance_ids_reassigned) == (1, 0)
    assert "1 span got a new id" in "\n".join(summary.lines())
    again = run(database, tmp_path, *records)
    assert (again.spans, again.stances) == (0, 0)


def cleo_copy(database: Database, tmp_path: Path) -> tuple[dict[str, Any], list[str]]:
    """Ana's layer: two identical spans with their own ids and a stance citing the second;
    then the same record imported as cleo. Returns cleo's record and ana's span ids."""
    ids = [str(uuid.uuid4()) for _ in range(3)]
    record = {
        "text": TEXT,
        "annotator": "ana",
        "spans": [talks(id=ids[0]), talks(id=ids[1])],
        "stances": [
            {
                "id": ids[2],
                "actor": "A",
                "issue": "grain",
                "polarity": "oppose",
                "evidence": [ids[1]],
            }
        ],
    }
    run(database, tmp_path, record)
    return {**record, "annotator": "cleo"}, ids


def layer_ids(database: Database, annotator: str) -> tuple[set[uuid.UUID], dict[uuid.UUID, Any]]:
    """The ids of the annotator's live spans, and its live stances' ids -> their evidence ids."""
    with database.sessions() as session:
        who = session.scalars(select(Annotator.id).where(Annotator.name == annotator)).one()
        spans = set(
            session.scalars(
                select(Span.id).where(Span.annotator_id == who, Span.deleted_at.is_(None))
            )
        )
        stances = {
            t.id: [e.span_id for e in t.evidence]
            for t in session.scalars(
                select(Stance).where(Stance.annotator_id == who, Stance.deleted_at.is_(None))
            )
        }
        return spans, stances


def test_ids_of_another_layer_give_new_ids_that_keep_every_span_and_its_evidence(
    database: Database, tmp_path: Path
) -> None:
    record, (first, second, stance) = cleo_copy(database, tmp_path)
    summary = run(database, tmp_path, record)
    assert (summary.spans, summary.stances, summary.duplicate_spans) == (2, 1, 0)
    assert (summary.span_ids_reassigned, summary.stance_ids_reassigned) == (2, 1)
    assert "2 spans got new ids" in "\n".join(summary.lines())
    claim = (TALKS, TALKS + 15, "CLAIM", None, None, "")
    assert spans_of(database, "cleo") == [claim, claim]
    assert stances_of(database, "cleo") == [("A", "grain", "oppose", None, "", (claim,))]
    ana_spans, ana_stances = layer_ids(database, "ana")
    cleo_spans, cleo_stances = layer_ids(database, "cleo")
    assert ana_spans == {uuid.UUID(first), uuid.UUID(second)}
    assert len(cleo_spans) == 2 and not cleo_spans & ana_spans
    assert not cleo_stances.keys() & ana_stances.keys()
    # The stance cites cleo's copy of the second span, not the first: the ids follow one rule.
    with database.sessions() as session:
        document_id = session.scalars(select(Document.id)).one()
        cleo = session.scalars(select(Annotator.id).where(Annotator.name == "cleo")).one()

    def moved(old: str) -> uuid.UUID:
        return uuid.uuid5(REASSIGNED_IDS, f"{document_id}:{cleo}:{old}")

    assert cleo_spans == {moved(first), moved(second)}
    assert cleo_stances == {moved(stance): [moved(second)]}

    again = run(database, tmp_path, record)
    assert (again.spans, again.stances, again.duplicate_spans) == (0, 0, 0)
    assert (again.span_ids_reassigned, again.stance_ids_reassigned) == (0, 0)
    assert not any("new id" in line for line in again.lines())
    assert layer_ids(database, "cleo") == (cleo_spans, cleo_stances)


def test_reimporting_does_not_bring_back_what_was_deleted_from_a_reassigned_layer(
    database: Database, tmp_path: Path
) -> None:
    record, _ = cleo_copy(database, tmp_path)
    run(database, tmp_path, record)
    cleo_spans, cleo_stances = layer_ids(database, "cleo")
    with database.sessions() as session:
        document_id = session.scalars(select(Document.id)).one()
        cleo = session.scalars(select(Annotator.id).where(Annotator.name == "cleo")).one()
    layer = LayerStore(database.sessions, document_id, cleo).load()
    for stance_id in cleo_stances:
        layer.remove_stance(stance_id)
    for span_id in cleo_spans:
        layer.remove_span(span_id)
    assert spans_of(database, "cleo") == [] and stances_of(database, "cleo") == []

    again = run(database, tmp_path, record)
    assert (again.spans, again.stances, again.duplicate_spans) == (0, 0, 0)
    assert (again.span_ids_reassigned, again.stance_ids_reassigned) == (0, 0)
    assert spans_of(database, "cleo") == [] and stances_of(database, "cleo") == []
    assert len(spans_of(database, "ana")) == 2 and len(stances_of(database, "ana")) == 1


# -- stances ----------------------------------------------------------------------------------


def test_stances_that_differ_in_polarity_or_evidence_are_all_kept(
    database: Database, tmp_path: Path
) -> None:
    def stance(polarity: str, *evidence: str, **extra: Any) -> dict[str, Any]:
        return {
            "actor": "Kremlin",
            "issue": "grain",
            "polarity": polarity,
            "evidence": list(evidence),
            **extra,
        }

    record = {
        "text": TEXT,
        "annotator": "ana",
        "spans": [talks(id="c"), {"id": "g", "start": GENEVA, "end": GENEVA + 6, "label": "CLAIM"}],
        "stances": [
            stance("oppose", "c"),
            stance("oppose", "g"),  # same actor, issue and polarity: other evidence
            stance("oppose", "c", confidence=0.4),
            stance("oppose", "c", note="sarcastic"),
            stance("support", "c"),  # same actor and issue: other polarity
            stance("oppose", "c"),  # the first one again
        ],
    }
    summary = run(database, tmp_path, record)
    c = (TALKS, TALKS + 15, "CLAIM", None, None, "")
    g = (GENEVA, GENEVA + 6, "CLAIM", None, None, "")
    assert stances_of(database) == sorted(
        [
            ("Kremlin", "grain", "oppose", None, "", (c,)),
            ("Kremlin", "grain", "oppose", None, "", (g,)),
            ("Kremlin", "grain", "oppose", 0.4, "", (c,)),
            ("Kremlin", "grain", "oppose", None, "sarcastic", (c,)),
            ("Kremlin", "grain", "support", None, "", (c,)),
        ],
        key=repr,
    )
    assert (summary.stances, summary.duplicate_stances) == (5, 1)
    assert "1 duplicate stance skipped" in "\n".join(summary.lines())
    again = run(database, tmp_path, record)
    assert (again.stances, again.duplicate_stances) == (0, 1)
    assert len(stances_of(database)) == 5


def test_stances_with_their_own_uuids_stay_apart_even_when_identical(
    database: Database, tmp_path: Path
) -> None:
    ids = [str(uuid.uuid4()), str(uuid.uuid4())]
    record = {
        "text": TEXT,
        "annotator": "ana",
        "stances": [{"id": i, "actor": "A", "issue": "grain", "polarity": "oppose"} for i in ids],
    }
    summary = run(database, tmp_path, record)
    with database.sessions() as session:
        assert set(session.scalars(select(Stance.id))) == {uuid.UUID(i) for i in ids}
    assert (summary.stances, summary.duplicate_stances) == (2, 0)
    assert run(database, tmp_path, record).stances == 0


# -- actor types ------------------------------------------------------------------------------


def registry(database: Database, *actors: tuple[str, str]) -> None:
    schema = default_schema()
    with database.sessions.begin() as session:
        install_schema(session, schema)
        for name, kind in actors:
            create_actor(session, name=name, type=kind, actor_types=schema.actor_types)


def test_new_actors_take_the_type_the_input_gives(database: Database, tmp_path: Path) -> None:
    registry(database)
    record = {
        "text": TEXT,
        "annotator": "ana",
        "spans": [
            leaders(actor="Joe Biden", actor_type="person"),
            leaders(actor="Xi Jinping"),  # no type
            {"start": GENEVA, "end": GENEVA + 6, "label": "ACTOR", "actor": "Geneva"},
            talks(actor="Grain Board", actor_type="Organisation"),  # case does not matter
            talks(actor="Acme", actor_type="company"),  # not one of the schema's types
        ],
        "stances": [
            {"actor": "Geneva", "actor_type": "state", "issue": "grain", "polarity": "support"},
            {"actor": "Xi Jinping", "issue": "grain", "polarity": "support"},
        ],
    }
    summary = run(database, tmp_path, record)
    assert actor_types(database) == {
        "Joe Biden": "person",
        "Xi Jinping": "unknown",
        "Geneva": "state",  # the stance says what the span did not
        "Grain Board": "organisation",
        "Acme": "unknown",
    }
    text = "\n".join(summary.lines())
    assert "Joe Biden (person)" in text and "Xi Jinping (unknown)" in text
    assert "'company'" in text and "Acme" in text and "input.jsonl:1" in text


def test_unknown_as_a_type_is_no_type_and_no_mistake(database: Database, tmp_path: Path) -> None:
    """Our exports write "unknown" for an actor nobody has typed; reading it back is no news."""
    registry(database)
    record = {
        "text": TEXT,
        "annotator": "ana",
        "spans": [
            leaders(actor="Lenin", actor_type="unknown"),
            talks(actor="Xi Jinping", actor_type="Unknown"),
        ],
        "stances": [
            {"actor": "Xi Jinping", "actor_type": "person", "issue": "grain", "polarity": "support"}
        ],
    }
    summary = run(database, tmp_path, record)
    assert actor_types(database) == {"Lenin": "unknown", "Xi Jinping": "person"}
    assert summary.actor_type_notes == []


def test_an_actor_type_that_is_not_a_string_is_refused_with_its_line(
    database: Database, tmp_path: Path
) -> None:
    good = {"text": TEXT, "spans": [leaders(actor="A", actor_type="person")]}
    bad = {"text": TEXT + " Later.", "stances": [{**STANCE, "actor_type": 5}]}
    with pytest.raises(ImportFailed, match=r"input\.jsonl:2: stance 1: 'actor_type' must be"):
        run(database, tmp_path, good, bad)
    assert actor_types(database) == {}  # nothing was stored


STANCE = {"actor": "A", "issue": "grain", "polarity": "support"}


def test_a_type_that_conflicts_with_the_registry_keeps_the_registry_and_is_reported(
    database: Database, tmp_path: Path
) -> None:
    registry(database, ("Kremlin", "organisation"), ("Joe Biden", "person"))
    with database.sessions.begin() as session:
        session.add(Actor(name="Old Import", type="unknown"))  # as older imports made them
    record = {
        "text": TEXT,
        "annotator": "ana",
        "spans": [
            leaders(actor="Kremlin", actor_type="state"),
            leaders(actor="Joe Biden", actor_type="person"),  # agrees: nothing to say
            talks(actor="Old Import", actor_type="organisation"),
            talks(actor="Newcomer", actor_type="person"),
            {"start": GENEVA, "end": GENEVA + 6, "label": "ACTOR", "actor": "Newcomer"},
            {"start": 0, "end": 9, "label": "ACTOR", "actor": "Newcomer", "actor_type": "state"},
        ],
    }
    summary = run(database, tmp_path, record)
    assert actor_types(database) == {
        "Kremlin": "organisation",
        "Joe Biden": "person",
        "Old Import": "organisation",  # "unknown" is no type: the input fills it in
        "Newcomer": "person",  # the first type the input gives
    }
    conflicts = [line for line in summary.actor_type_notes if "Kremlin" in line]
    assert len(conflicts) == 1
    assert "state" in conflicts[0] and "organisation" in conflicts[0]
    assert "input.jsonl:1" in conflicts[0]
    assert not [line for line in summary.actor_type_notes if "Joe Biden" in line]
    assert [line for line in summary.actor_type_notes if "Old Import" in line]
    assert [line for line in summary.actor_type_notes if "Newcomer" in line]
    lines = "\n".join(summary.lines())
    assert all(note in lines for note in summary.actor_type_notes)
    again = run(database, tmp_path, record)
    assert actor_types(database)["Kremlin"] == "organisation"
    assert again.new_actors == []


# -- the round trip ---------------------------------------------------------------------------


def app_project(path: Path) -> Database:
    """A project annotated the way the app does it (layer store), with tricky repetitions."""
    database = open_database(str(path))
    schema = default_schema()
    with database.sessions.begin() as session:
        install_schema(session, schema)
        kinds = {
            "Joe Biden": "person",
            "Xi Jinping": "person",
            "Kremlin": "organisation",
            "Ukraine": "state",
            "NATO": "alliance",
            "European Union": "alliance",  # only a stance names it
        }
        actors = {
            name: create_actor(session, name=name, type=kind, actor_types=schema.actor_types).id
            for name, kind in kinds.items()
        }
        issues = {i.key: i.id for i in session.scalars(select(Issue))}
        annotators = {name: annotator_named(session, name).id for name in ("ana", "bo")}
        document = Document(
            text=TEXT,
            text_sha256=text_hash(TEXT),
            length=len(TEXT),
            title="Leaders",
            external_id="d1",
        )
        session.add(document)
        session.flush()
        document_id = document.id
    ana = LayerStore(database.sessions, document_id, annotators["ana"])
    bo = LayerStore(database.sessions, document_id, annotators["bo"])

    def span(store: LayerStore, start: int, length: int, label: str, **extra: Any) -> uuid.UUID:
        value = SpanValue(uuid.uuid4(), start, start + length, label, **extra)
        store.put_span(value)
        return value.id

    biden = span(ana, LEADERS, 15, "ACTOR", actor_id=actors["Joe Biden"])
    xi = span(ana, LEADERS, 15, "ACTOR", actor_id=actors["Xi Jinping"])
    claim = span(ana, TALKS, 15, "CLAIM", issue_id=issues["ceasefire"])
    # Made twice, by hand, in a version before the window refused a duplicate: written
    # as a row, since the layer store now refuses it.
    twin = uuid.uuid4()
    with database.sessions.begin() as session:
        session.add(
            Span(
                id=twin, document_id=document_id, annotator_id=annotators["ana"], start=TALKS,
                end=TALKS + 15, label="CLAIM", issue_id=issues["ceasefire"], note="",
            )
        )  # fmt: skip
    span(ana, TALKS, 15, "CLAIM", issue_id=issues["nato-membership"], note="also")
    kremlin = span(ana, GENEVA, 6, "ACTOR", actor_id=actors["Kremlin"])
    span(bo, GENEVA, 6, "ACTOR", actor_id=actors["Ukraine"])
    nato = span(bo, GENEVA, 6, "ACTOR", actor_id=actors["NATO"])
    ceasefire = issues["ceasefire"]
    for evidence, polarity in (((biden, claim), "support"), ((xi, twin), "support")):
        ana.put_stance(
            StanceValue(uuid.uuid4(), actors["Joe Biden"], ceasefire, polarity, evidence)
        )
    ana.put_stance(StanceValue(uuid.uuid4(), actors["Kremlin"], ceasefire, "oppose", (kremlin,)))
    ana.put_stance(StanceValue(uuid.uuid4(), actors["Kremlin"], ceasefire, "mixed", (kremlin,)))
    bo.put_stance(StanceValue(uuid.uuid4(), actors["NATO"], ceasefire, "support", (nato,), 0.7))
    bo.put_stance(StanceValue(uuid.uuid4(), actors["European Union"], ceasefire, "support"))
    return database


def test_export_then_import_into_a_fresh_project_keeps_every_annotation_and_actor_type(
    db_url: str, tmp_path: Path
) -> None:
    source = app_project(tmp_path / "source.sqlite")
    fresh = open_database(db_url)
    try:
        out = tmp_path / "layers.jsonl"
        export(source, options=ExportOptions(), out=out)
        assert sum(len(line["spans"]) for line in read_jsonl(out)) == 8
        summary = import_paths(fresh, paths=[out], options=ImportOptions())
        assert (summary.spans, summary.stances) == (8, 6)
        assert snapshot(fresh) == snapshot(source)  # ids, offsets, actors, issues, notes
        for who in ("ana", "bo"):
            assert spans_of(fresh, who) == spans_of(source, who)
            assert stances_of(fresh, who) == stances_of(source, who)
        assert actor_types(fresh) == actor_types(source)
        # The type of an actor only a stance names travels on the stance.
        assert actor_types(fresh)["European Union"] == "alliance"
        assert summary.new_actor_types["European Union"] == "alliance"
        assert summary.actor_type_notes == []

        again = import_paths(
            fresh, paths=[out], options=ImportOptions()
        )  # and once more: nothing changes
        assert (again.spans, again.stances, again.new_actors) == (0, 0, [])
        assert snapshot(fresh) == snapshot(source)
        into_source = import_paths(source, paths=[out], options=ImportOptions())
        assert (into_source.spans, into_source.stances) == (0, 0)
    finally:
        source.close()
        fresh.close()
