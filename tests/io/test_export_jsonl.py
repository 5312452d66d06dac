"""JSONL export: offsets on hard texts, the round trip through our importer, spaCy, layers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from annotator.io.export import ExportOptions, export, reading
from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.database import Database, open_database
from annotator.store.models import Actor, Document, DocumentLabel
from annotator.store.project import annotator_named
from tests.io.test_export_support import (
    CLAIM_1,
    NATO_CLAIM,
    SAID,
    TEXT_1,
    build_project,
    read_jsonl,
    snapshot,
    write_jsonl,
)


@pytest.fixture
def project(db_url: str, tmp_path: Path) -> Iterator[Database]:
    database = build_project(db_url, tmp_path)
    yield database
    database.close()


@pytest.fixture
def sqlite_project(tmp_path: Path) -> Iterator[Database]:
    database = build_project(str(tmp_path / "project.sqlite"), tmp_path)
    yield database
    database.close()


def test_jsonl_round_trips_through_our_importer(project: Database, tmp_path: Path) -> None:
    layers = export(project, options=ExportOptions(), out=tmp_path / "layers.jsonl")
    gold = export(project, options=ExportOptions(gold=True), out=tmp_path / "gold.jsonl")
    lines = read_jsonl(tmp_path / "layers.jsonl") + read_jsonl(tmp_path / "gold.jsonl")
    assert len(lines) == layers.records + gold.records
    checked = 0
    for line in lines:
        for span in line["spans"]:
            assert line["text"][span["start"] : span["end"]] == span["text"]
            checked += 1
    assert checked == layers.spans + gold.spans > 100

    fresh = open_database(str(tmp_path / "fresh.sqlite"))
    summary = import_paths(
        fresh, paths=[tmp_path / "layers.jsonl", tmp_path / "gold.jsonl"], options=ImportOptions()
    )
    try:
        assert snapshot(fresh) == snapshot(project)
        # Every actor the export names comes back with its type (Lenin had none to begin with).
        types = [actor_types(database) for database in (fresh, project)]
        assert types[0] == {name: types[1][name] for name in types[0]}
        assert types[0]["Dmitry Peskov"] == "person" and types[0]["Lenin"] == "unknown"
        # The "unknown" written for Lenin reads as no type, not as a type the schema lacks.
        assert summary.actor_type_notes == []
    finally:
        fresh.close()


def actor_types(database: Database) -> dict[str, str]:
    with database.sessions() as session:
        return dict(session.execute(select(Actor.name, Actor.type)).all())


def test_hard_texts_keep_their_characters_and_offsets(project: Database, tmp_path: Path) -> None:
    export(project, options=ExportOptions(annotator="alice"), out=tmp_path / "alice.jsonl")
    [line] = [x for x in read_jsonl(tmp_path / "alice.jsonl") if x["id"] == "tricky-1"]
    stored = TEXT_1.replace("\r\n", "\n")  # the importer's only change to a text
    assert line["text"] == stored
    by_id = {span["id"]: span for span in line["spans"]}
    claim = by_id[CLAIM_1]
    assert claim["text"] == "Kremlin 👍🏽 rejects\nthe plan"
    assert (claim["start"], claim["end"]) == (16, 43)  # 27 code points (29 UTF-16 units)
    assert claim["note"] == "2 lines"
    peskov = next(span for span in line["spans"] if span["text"] == "Peskov")
    assert (peskov["actor"], peskov["actor_type"]) == ("Dmitry Peskov", "person")
    assert SAID not in by_id  # soft-deleted
    assert line["doc_labels"] == ["news report"]
    assert line["annotator"] == "alice"
    assert line["meta"]["status"] == "done"
    assert line["story"] == "plan" and line["source"] == "Meridian Wire"
    stances = {(s["actor"], s["issue"]): s for s in line["stances"]}
    assert stances["Kremlin", "ceasefire"] == {
        "id": stances["Kremlin", "ceasefire"]["id"],
        "actor": "Kremlin",
        "actor_type": "organisation",
        "issue": "ceasefire",
        "polarity": "oppose",
        "evidence": [CLAIM_1],
        "confidence": 0.8,
        "note": "firm",
    }
    # Evidence on a soft-deleted span is left out; the stance stays.
    assert stances["Kremlin", "nato-membership"]["evidence"] == [CLAIM_1]


def test_soft_deleted_stances_are_not_exported(project: Database, tmp_path: Path) -> None:
    export(project, options=ExportOptions(annotator="bob"), out=tmp_path / "bob.jsonl")
    [line] = [x for x in read_jsonl(tmp_path / "bob.jsonl") if x["text"].startswith("Peskov")]
    assert [s["actor"] for s in line["stances"]] == ["Kremlin"]  # NATO's stance was deleted
    assert NATO_CLAIM in {span["id"] for span in line["spans"]}


def test_spacy_accepts_every_token_aligned_span(sqlite_project: Database, tmp_path: Path) -> None:
    spacy = pytest.importorskip("spacy")
    export(sqlite_project, options=ExportOptions(), out=tmp_path / "train.jsonl")
    nlp = spacy.blank("en")
    checked = 0
    for line in read_jsonl(tmp_path / "train.jsonl"):
        doc = nlp(line["text"])
        starts = {token.idx for token in doc}
        ends = {token.idx + len(token.text) for token in doc}
        for span in line["spans"]:
            if span["start"] in starts and span["end"] in ends:
                found = doc.char_span(span["start"], span["end"], label=span["label"])
                assert found is not None, span
                assert found.text == span["text"]
                checked += 1
    assert checked >= 100


def test_layers_annotator_gold_all_and_status(project: Database, tmp_path: Path) -> None:
    def layers(options: ExportOptions) -> list[tuple[str, str]]:
        export(project, options=options, out=tmp_path / "out.jsonl")
        return sorted(
            (line["id"], line["annotator"]) for line in read_jsonl(tmp_path / "out.jsonl")
        )

    every = layers(ExportOptions())
    assert every == layers(ExportOptions(all_layers=True))
    assert {name for _, name in every} == {"alice", "bob", "rita"}  # rita: a status only
    assert ("tricky-1", "alice") in every and ("tricky-1", "bob") in every
    alice = layers(ExportOptions(annotator="alice"))
    assert alice == [item for item in every if item[1] == "alice"]
    assert layers(ExportOptions(gold=True)) == [("tricky-1", "gold")]
    assert layers(ExportOptions(annotator="alice", status="done")) == [
        ("bench-0", "alice"),
        ("tricky-1", "alice"),
        ("tricky-2", "alice"),
    ]
    assert layers(ExportOptions(status="in_progress")) == [("tricky-1", "bob")]
    todo = layers(ExportOptions(annotator="alice", status="todo"))  # no status row is "todo"
    assert ("bench-2", "alice") in todo and ("bench-1", "alice") not in todo
    assert layers(ExportOptions(gold=True, status="done")) == [("tricky-1", "gold")]  # rita's
    assert layers(ExportOptions(gold=True, status="skipped")) == []
    assert layers(ExportOptions(story="plan")) == [
        ("tricky-1", "alice"),
        ("tricky-1", "bob"),
        ("tricky-1", "rita"),
    ]


def test_small_pages_give_the_same_export(
    sqlite_project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    export(sqlite_project, options=ExportOptions(), out=tmp_path / "big.jsonl")
    monkeypatch.setattr(reading, "DOCUMENT_PAGE", 2)
    export(sqlite_project, options=ExportOptions(), out=tmp_path / "small.jsonl")
    assert (tmp_path / "small.jsonl").read_bytes() == (tmp_path / "big.jsonl").read_bytes()


def test_card_counts_labels_annotators_and_options(project: Database, tmp_path: Path) -> None:
    import json

    from annotator import __version__

    summary = export(project, options=ExportOptions(annotator="bob"), out=tmp_path / "bob.jsonl")
    card = json.loads((tmp_path / "bob.jsonl.card.json").read_text(encoding="utf-8"))
    assert card["tool"] == {"name": "annotator", "version": __version__}
    assert card["schema"]["name"] == "News stances"
    assert card["options"]["layers"] == "annotator" and card["options"]["annotator"] == "bob"
    assert card["counts"]["spans"] == summary.spans == sum(card["labels"].values())
    assert card["annotators"]["bob"]["document_layers"] == summary.records
    assert card["files"] == ["bob.jsonl"]
    assert card["created"].endswith("+00:00")
    markdown = (tmp_path / "bob.jsonl.card.md").read_text(encoding="utf-8")
    assert "| bob |" in markdown and "News stances" in markdown


def test_a_layer_with_only_document_labels_round_trips(tmp_path: Path) -> None:
    text = "Envoys met again on Monday in Geneva, officials said."
    spans = [{"start": 0, "end": 6, "label": "ACTOR"}]
    source = write_jsonl(
        tmp_path / "in.jsonl", [{"text": text, "annotator": "alice", "spans": spans}]
    )
    database = open_database(str(tmp_path / "a.sqlite"))
    import_paths(database, paths=[source], options=ImportOptions())
    with database.sessions.begin() as session:  # bob labels the document, nothing else
        document = session.scalars(select(Document)).one()
        bob = annotator_named(session, "bob")
        session.add(DocumentLabel(document_id=document.id, annotator_id=bob.id, label="analysis"))
    export(database, options=ExportOptions(), out=tmp_path / "out.jsonl")
    assert [line["doc_labels"] for line in read_jsonl(tmp_path / "out.jsonl")] == [[], ["analysis"]]
    fresh = open_database(str(tmp_path / "b.sqlite"))
    import_paths(fresh, paths=[tmp_path / "out.jsonl"], options=ImportOptions())
    try:
        assert snapshot(fresh) == snapshot(database)
    finally:
        fresh.close()
        database.close()
