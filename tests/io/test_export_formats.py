"""Each interchange format, read back by an independent reader and checked against the
database: doccano, Label Studio, brat, CoNLL, stance tables and the actor-issue network."""

from __future__ import annotations

import csv
import itertools
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from annotator.io.export import ExportOptions, export
from annotator.io.export.brat import fragments, safe_name
from annotator.io.export.conll import choose_spans, tokenize
from annotator.io.export.records import SpanRow
from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.database import Database, open_database
from annotator.store.models import Document
from tests.io.test_export_support import build_project, read_jsonl, snapshot

Spans = dict[tuple[str, str], Counter[tuple[int, int, str]]]


@pytest.fixture
def project(db_url: str, tmp_path: Path) -> Iterator[Database]:
    database = build_project(db_url, tmp_path)
    yield database
    database.close()


def texts(database: Database) -> dict[str, str]:
    """Document text by the id exports show (external id, else UUID)."""
    with database.sessions() as session:
        rows = session.execute(select(Document.id, Document.external_id, Document.text)).all()
    return {external or str(identifier): text for identifier, external, text in rows}


def stored_spans(database: Database, *, gold: bool = False) -> Spans:
    """(text, layer) -> (start, end, label) of the live spans, straight from the database."""
    return {
        key: Counter((span[1], span[2], span[3]) for span in layer[0])
        for key, layer in snapshot(database).items()
        if (key[1] == "gold") == gold and layer[0]
    }


def stored_stances(database: Database) -> Counter[tuple[str, str, str, str]]:
    """(layer, actor, issue, polarity) of the live stances of the annotators' layers."""
    return Counter(
        (key[1], stance[1], stance[2], stance[3])
        for key, layer in snapshot(database).items()
        if key[1] != "gold"
        for stance in layer[1]
    )


def test_doccano_lines_carry_every_span(project: Database, tmp_path: Path) -> None:
    export(project, options=ExportOptions(format="doccano"), out=tmp_path / "doccano.jsonl")
    found: Spans = {}
    for line in read_jsonl(tmp_path / "doccano.jsonl"):
        assert set(line) == {"id", "text", "label", "annotator", "meta"}
        layer = found.setdefault((line["text"], line["meta"]["annotator"]), Counter())
        for start, end, label in line["label"]:
            assert 0 <= start < end <= len(line["text"])
            layer[(start, end, label)] += 1
    assert {key: spans for key, spans in found.items() if spans} == stored_spans(project)


def test_label_studio_tasks_hold_one_annotation_per_layer(
    project: Database, tmp_path: Path
) -> None:
    export(project, options=ExportOptions(format="labelstudio"), out=tmp_path / "tasks.json")
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    found: Spans = {}
    stances: Counter[tuple[str, str, str, str]] = Counter()
    assert len({task["data"]["document_id"] for task in tasks}) == len(tasks)
    for task in tasks:
        text = task["data"]["text"]
        layers = task["meta"]["layers"]
        assert len(layers) == len(task["annotations"])
        for layer, annotation in zip(layers, task["annotations"], strict=True):
            spans = found.setdefault((text, layer["annotator"]), Counter())
            region_ids = set()
            for result in annotation["result"]:
                assert result["to_name"] == "text"
                if result["type"] == "choices":
                    continue
                value = result["value"]
                assert result["from_name"] == "label" and result["type"] == "labels"
                assert text[value["start"] : value["end"]] == value["text"]
                spans[(value["start"], value["end"], value["labels"][0])] += 1
                region_ids.add(result["id"])
            for stance in layer["stances"]:
                assert set(stance["evidence"]) <= region_ids
                stances[
                    (layer["annotator"], stance["actor"], stance["issue"], stance["polarity"])
                ] += 1
    assert {key: spans for key, spans in found.items() if spans} == stored_spans(project)
    assert stances == stored_stances(project)
    card = json.loads((tmp_path / "tasks.json.card.json").read_text(encoding="utf-8"))
    assert '<Labels name="label" toName="text">' in card["format_details"]["labelstudio_config"]


def read_ann(path: Path) -> dict[str, tuple[str, str]]:
    """A small brat .ann reader: id -> (type and arguments, the text after the second tab)."""
    found = {}
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line:
            identifier, middle, *rest = line.split("\t")
            found[identifier] = (middle, rest[0] if rest else "")
    return found


def read_conf(path: Path) -> dict[str, list[str]]:
    sections: dict[str, list[str]] = {}
    current = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("[") and line.endswith("]"):
            current = line[1:-1]
            sections[current] = []
        elif line.strip() and not line.startswith("#"):
            sections[current].append(line)
    return sections


def test_brat_folder_has_text_annotations_events_and_a_conf(
    project: Database, tmp_path: Path
) -> None:
    summary = export(project, options=ExportOptions(format="brat"), out=tmp_path / "corpus")
    by_name = texts(project)
    found: Spans = {}
    stances: Counter[tuple[str, str, str, str]] = Counter()
    for ann_path in sorted((tmp_path / "corpus").glob("*.ann")):
        document, annotator = ann_path.stem.rsplit("__", 1)  # --all: <document>__<annotator>
        text = ann_path.with_suffix(".txt").read_text(encoding="utf-8")
        assert text == by_name[document]
        annotations = read_ann(ann_path)
        spans = found.setdefault((text, annotator), Counter())
        references: dict[str, dict[str, tuple[str, str]]] = {}
        polarities = {}
        for identifier, (middle, tail) in annotations.items():
            if identifier.startswith("T"):
                kind, ranges = middle.split(" ", 1)
                pieces = [tuple(map(int, part.split())) for part in ranges.split(";")]
                assert tail == " ".join(text[start:end] for start, end in pieces)
                assert all(c not in text[s:e] for s, e in pieces for c in "\n\u2028\u2029")
                if kind != "Stance":  # a Stance trigger repeats an evidence span
                    spans[(pieces[0][0], pieces[-1][1], kind)] += 1
            elif identifier.startswith("N"):
                kind, target, reference = middle.split(" ")
                database, key = reference.split(":", 1)
                references.setdefault(target, {})[database] = (key, tail)
            elif identifier.startswith("A"):
                kind, target, value = middle.split(" ")
                assert kind == "Polarity"
                polarities[target] = value
        for identifier, (middle, _) in annotations.items():
            if identifier.startswith("E"):
                trigger, *arguments = middle.split(" ")
                assert trigger.split(":")[0] == "Stance" and arguments
                assert all(re.fullmatch(r"Evidence\d*:T\d+", a) for a in arguments)
                actor, issue = references[identifier]["Actors"], references[identifier]["Issues"]
                stances[(annotator, actor[1], issue[0], polarities[identifier])] += 1
    assert {key: spans for key, spans in found.items() if spans} == stored_spans(project)
    expected = stored_stances(project)
    expected[("bob", "Kremlin", "ceasefire", "support")] -= 1  # no evidence: nothing to anchor
    assert stances == +expected
    assert "brat: 1 stances without evidence spans have no place in the text" in summary.notes[0]
    conf = read_conf(tmp_path / "corpus" / "annotation.conf")
    used = {label for spans in found.values() for _, _, label in spans}
    assert used <= set(conf["entities"])
    assert conf["events"][0].startswith("Stance\tEvidence*:")
    assert conf["attributes"] == ["Polarity\tArg:Stance, Value:support|oppose|neutral|mixed"]
    assert conf["relations"] == ["<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>"]


def test_brat_actor_links_are_normalisations(project: Database, tmp_path: Path) -> None:
    export(project, options=ExportOptions(format="brat", annotator="alice"), out=tmp_path / "alice")
    annotations = read_ann(tmp_path / "alice" / "tricky-1.ann")  # one layer: no __annotator
    text = (tmp_path / "alice" / "tricky-1.txt").read_text(encoding="utf-8")
    [peskov] = [i for i, (m, t) in annotations.items() if i.startswith("T") and t == "Peskov"]
    [link] = [(m, t) for i, (m, t) in annotations.items() if f" {peskov} Actors:" in m]
    assert link[1] == "Dmitry Peskov" and link[0].startswith("Reference ")
    [claim] = [m for m, t in annotations.values() if m.startswith("CLAIM") and "rejects" in t]
    start = text.index("Kremlin 👍🏽")
    assert claim == f"CLAIM {start} {start + 18};{start + 19} {start + 27}"  # around the \n
    notes = [t for i, (m, t) in annotations.items() if i.startswith("#")]
    assert "2 lines" in notes and "confidence 0.8; firm" in notes
    assert text.count("\n") == 2


def read_conll(path: Path) -> Iterator[tuple[str, str, list[list[tuple[str, int, int, str]]]]]:
    """(document id, annotator, sentences of (token, start, end, tag)) per -DOCSTART- block;
    the blocks' ids and annotators are in the card, in order."""
    card = json.loads(path.with_name(path.name + ".card.json").read_text(encoding="utf-8"))
    about = iter(card["format_details"]["conll_documents"][path.name])
    block: tuple[str, str] | None = None
    sentences: list[list[tuple[str, int, int, str]]] = [[]]
    for line in path.read_text(encoding="utf-8").split("\n"):
        if line.startswith("-DOCSTART-"):
            assert line == "-DOCSTART- -X- O O"  # spaCy splits documents on exactly this
            if block is not None:
                yield (*block, [s for s in sentences if s])
            document = next(about)
            block, sentences = (document["id"], document["annotator"]), [[]]
        elif not line:
            sentences.append([])
        else:
            token, pos, start, end, _space, tag = line.split("\t")
            assert pos == "-"
            sentences[-1].append((token, int(start), int(end), tag))
    if block is not None:
        yield (*block, [s for s in sentences if s])
    assert next(about, None) is None


def test_conll_tokens_map_back_and_bio_spans_are_stored_spans(
    project: Database, tmp_path: Path
) -> None:
    summary = export(project, options=ExportOptions(format="conll"), out=tmp_path / "tokens.conll")
    by_name = texts(project)
    stored = stored_spans(project)
    rebuilt = 0
    for document, annotator, sentences in read_conll(tmp_path / "tokens.conll"):
        text = by_name[document]
        spans: list[tuple[int, int, str]] = []
        for sentence in sentences:
            assert not sentence[0][3].startswith("I-")  # no span crosses a sentence break
            for token, start, end, tag in sentence:
                assert text[start:end] == token and token.strip() == token
                if tag.startswith("B-"):
                    spans.append((start, end, tag[2:]))
                elif tag.startswith("I-"):
                    assert spans[-1][2] == tag[2:]
                    spans[-1] = (spans[-1][0], end, tag[2:])
        layer = stored.get((text, annotator), Counter())
        assert set(spans) <= set(layer)
        assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # no overlaps left
        rebuilt += len(spans)
    card = json.loads((tmp_path / "tokens.conll.card.json").read_text(encoding="utf-8"))
    details = card["format_details"]
    dropped = details["conll_spans_dropped"]
    assert dropped > 0 and details["conll_spans_without_token"] == 0
    assert rebuilt + dropped == summary.spans == sum(sum(c.values()) for c in stored.values())
    assert details["conll_overlap_rule"].startswith("longest span wins")
    assert any(
        note.startswith(f"conll: {dropped} overlapping spans dropped") for note in summary.notes
    )


@pytest.mark.parametrize("suffix", [".csv", ".jsonl"])
def test_stance_table_rows(project: Database, tmp_path: Path, suffix: str) -> None:
    out = tmp_path / f"stances{suffix}"
    export(project, options=ExportOptions(format="stances"), out=out)
    if suffix == ".csv":
        with out.open(encoding="utf-8", newline="") as handle:
            rows: list[dict[str, Any]] = list(csv.DictReader(handle))
    else:
        rows = read_jsonl(out)
    by_name = texts(project)
    found = Counter((r["annotator"], r["actor"], r["issue"], r["polarity"]) for r in rows)
    assert found == stored_stances(project)
    for row in rows:
        text = by_name[row["external_id"] or row["document_id"]]
        if suffix == ".csv":
            pieces = [
                tuple(map(int, p.split("-"))) for p in row["evidence_offsets"].split(";") if p
            ]
            assert row["evidence_text"] == " | ".join(text[s:e] for s, e in pieces)
        else:
            for evidence in row["evidence"]:
                assert text[evidence["start"] : evidence["end"]] == evidence["text"]
    kremlin = next(
        r
        for r in rows
        if r["actor"] == "Kremlin" and r["polarity"] == "oppose" and r["issue"] == "ceasefire"
    )
    assert (kremlin["actor_type"], kremlin["actor_parent"], kremlin["issue_name"]) == (
        "organisation",
        "Russia",
        "Ceasefire",
    )
    assert (kremlin["outlet"], kremlin["date"], kremlin["story"]) == (
        "Meridian Wire",
        "2025-09-01",
        "plan",
    )


def test_network_edges_in_csv_and_graphml(project: Database, tmp_path: Path) -> None:
    networkx = pytest.importorskip("networkx")
    export(project, options=ExportOptions(format="network"), out=tmp_path / "net.csv")
    expected: Counter[tuple[str, str]] = Counter()
    polarities: dict[tuple[str, str], Counter[str]] = {}
    for _, actor, issue, polarity in stored_stances(project).elements():
        expected[(actor, issue)] += 1
        polarities.setdefault((actor, issue), Counter())[polarity] += 1
    with (tmp_path / "net.csv").open(encoding="utf-8", newline="") as handle:
        rows = {(r["actor"], r["issue"]): r for r in csv.DictReader(handle)}
    assert {key: int(row["weight"]) for key, row in rows.items()} == dict(expected)
    both = rows[("Kremlin", "ceasefire")]
    assert (both["source"], both["target"]) == ("actor:Kremlin", "issue:ceasefire")
    assert (both["polarity:support"], both["polarity:oppose"], both["annotators"]) == (
        "1",
        "1",
        "2",
    )
    assert float(both["agreement"]) == 0.5 and float(both["conflict"]) == 0.5
    graph = networkx.read_graphml(tmp_path / "net.graphml")
    assert graph.number_of_edges() == len(expected)
    for (actor, issue), weight in expected.items():
        data = graph.edges[f"actor:{actor}", f"issue:{issue}"]
        assert data["weight"] == weight
        for polarity, count in polarities[(actor, issue)].items():
            assert data[f"polarity:{polarity}"] == count
        assert data["agreement"] == max(polarities[(actor, issue)].values()) / weight
    kremlin = graph.nodes["actor:Kremlin"]
    assert (kremlin["kind"], kremlin["type"], kremlin["parent"]) == (
        "actor",
        "organisation",
        "Russia",
    )
    assert graph.nodes["issue:ceasefire"]["kind"] == "issue"
    assert graph.nodes["issue:ceasefire"]["name"] == "Ceasefire"
    assert not (tmp_path / "net.csv.graphml").exists()
    # Read as an edge list (networkx, Gephi), actors and issues stay apart.
    with (tmp_path / "net.csv").open(encoding="utf-8", newline="") as handle:
        listed = networkx.parse_edgelist(
            (f"{r['source']}\t{r['target']}" for r in csv.DictReader(handle)), delimiter="\t"
        )
    assert set(listed.edges) | {(b, a) for a, b in listed.edges} >= set(graph.edges)


def test_network_columns_cannot_collide(db_url: str, tmp_path: Path) -> None:
    """A polarity named like a column, an actor named like an issue key: apart in both files."""
    networkx = pytest.importorskip("networkx")
    from tests.io.test_export_support import write_jsonl

    database = open_database(db_url)
    record = {
        "text": "Weight backs the weight plan.",
        "annotator": "ann",
        "spans": [{"id": "s1", "start": 0, "end": 6, "label": "ACTOR"}],
        "stances": [
            {"actor": "weight", "issue": "weight", "polarity": "weight", "evidence": ["s1"]},
            {"actor": "weight", "issue": "weight", "polarity": "source", "evidence": ["s1"]},
        ],
    }
    try:
        import_paths(
            database, paths=[write_jsonl(tmp_path / "in.jsonl", [record])], options=ImportOptions()
        )
        export(database, options=ExportOptions(format="network"), out=tmp_path / "net")
    finally:
        database.close()
    with (tmp_path / "net.csv").open(encoding="utf-8", newline="") as handle:
        (row,) = list(csv.DictReader(handle))
    assert (row["source"], row["target"], row["weight"]) == ("actor:weight", "issue:weight", "2")
    assert (row["polarity:weight"], row["polarity:source"]) == ("1", "1")
    graph = networkx.read_graphml(tmp_path / "net.graphml")
    assert sorted(graph.nodes) == ["actor:weight", "issue:weight"]
    assert graph.edges["actor:weight", "issue:weight"]["weight"] == 2


def test_the_conll_tokenizer_and_overlap_rule() -> None:
    text = "NATO's chief\u00a0welcomed 👍🏽 e\u0301te\u0301 «plan»."
    tokens = [text[start:end] for start, end in tokenize(text)]
    assert tokens == [
        "NATO",
        "'",
        "s",
        "chief",
        "welcomed",
        "👍🏽",
        "e\u0301te\u0301",
        "«",
        "plan",
        "»",
        ".",
    ]
    cut = text.index("chief") + 2
    assert [text[s:e] for s, e in tokenize(text, frozenset({cut}))][3:5] == ["ch", "ief"]
    spans = [
        SpanRow(0, 12, "ACTOR", "a", None, None, ""),
        SpanRow(0, 4, "ACTOR", "b", None, None, ""),
        SpanRow(7, 22, "CLAIM", "c", None, None, ""),
        SpanRow(23, 25, "ISSUE", "d", None, None, ""),
        SpanRow(23, 25, "ACTOR", "e", None, None, ""),  # a tie: the label decides
    ]
    kept, dropped = choose_spans(spans)  # c is longer than a; b does not touch c
    assert [s.id for s in kept] == ["b", "c", "e"] and sorted(s.id for s in dropped) == ["a", "d"]


def test_brat_names_and_fragments() -> None:
    assert safe_name("bench-12", "0123456789") == "bench-12"
    assert safe_name("a/b c", "0123456789") == "a_b_c-01234567"
    assert safe_name("«»", "0123456789") == "0123456789"
    text = "one\ntwo\u2028three\n\nfour"
    assert fragments(text, 0, len(text)) == [(0, 3), (4, 7), (8, 13), (15, 19)]
    assert fragments(text, 3, 4) == []
