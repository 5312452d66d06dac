"""Annotated imports and bundle merges against a plain sqlite3 + json baseline.

Articles of about 500 words, each with 20 spans (UUIDs, as our exports and bundles carry
them; labels, an actor on every fourth, an issue on every fifth), 2 stances citing 2 spans
each and a document label, by one annotator. Two figures:
- import: `import_paths` of the annotated JSONL into a new project, against a script that
  reads the same JSONL with json and inserts the same documents, spans, stances, evidence
  and labels with sqlite3's executemany into a database the app's migrations made.
- merge: `merge_bundles` of that annotator's bundle into a lead's project that has the
  documents but not the layer (the common case: a lead collecting work), against a script
  that reads the bundle's layer.jsonl with json and inserts the same rows.
Target (issue: performance): each within 3x its baseline, at 5,000 and 100,000 articles.
Run: python -m tests.perf.bench_annotated [--count N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sqlite3
import tempfile
import time
import uuid
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from annotator.io.bundles import export_bundle, merge_bundles, read_bundle
from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.database import open_database
from tests.perf.corpus import articles

TARGET_RATIO = 3.0
SPANS, STANCES = 20, 2
ACTORS = ["Kremlin", "Kyiv", "Brussels", "Washington", "NATO"]
ISSUES = ["ceasefire", "sanctions", "grain-deal"]
LABELS = ["ACTOR", "CLAIM", "PLACE", "QUOTE"]


def annotated(count: int) -> list[dict[str, Any]]:
    """`count` articles with spans on word boundaries, stances and a document label."""
    rng = random.Random(11)
    records = []
    for record in articles(count):
        text = str(record["text"])
        starts = [0] + [i + 1 for i, c in enumerate(text) if c == " "]
        spans = []
        for n, start in enumerate(sorted(rng.sample(starts, SPANS))):
            end = text.find(" ", start)
            span: dict[str, Any] = {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "start": start,
                "end": len(text) if end < 0 else end,
                "label": LABELS[n % len(LABELS)],
            }
            if n % 4 == 0:
                span["actor"] = ACTORS[n % len(ACTORS)]
            if n % 5 == 0:
                span["issue"] = ISSUES[n % len(ISSUES)]
            spans.append(span)
        stances = [
            {
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "actor": ACTORS[s],
                "issue": ISSUES[s],
                "polarity": "support" if s % 2 == 0 else "oppose",
                "evidence": [spans[2 * s]["id"], spans[2 * s + 1]["id"]],
            }
            for s in range(STANCES)
        ]
        records.append(
            {
                **record,
                "annotator": "alice",
                "spans": spans,
                "stances": stances,
                "doc_labels": ["news"],
            }
        )
    return records


def _connect(db: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    return connection


def _layer_rows(
    items: list[dict[str, Any]],
    document_ids: list[str],
    annotator: str,
    stamp: str,
    actors: dict[str, str],
    issues: dict[str, str],
) -> tuple[list[tuple[Any, ...]], ...]:
    """The span, stance, evidence and label rows of `items` (one per document)."""
    spans, stances, evidence, labels = [], [], [], []
    for item, document in zip(items, document_ids, strict=True):
        for span in item["spans"]:
            spans.append(
                (
                    uuid.UUID(span["id"]).hex,
                    document,
                    annotator,
                    span["start"],
                    span["end"],
                    span["label"],
                    actors.get(span.get("actor") or ""),
                    issues.get(span.get("issue") or ""),
                    "",
                    stamp,
                    stamp,
                )
            )
        for stance in item["stances"]:
            stance_id = uuid.UUID(stance["id"]).hex
            stances.append(
                (
                    stance_id,
                    document,
                    annotator,
                    actors[stance["actor"]],
                    issues[stance["issue"]],
                    stance["polarity"],
                    None,
                    "",
                    stamp,
                    stamp,
                )
            )
            evidence += [(stance_id, uuid.UUID(e).hex) for e in stance["evidence"]]
        for label in item.get("doc_labels", item.get("labels", [])):
            name = label if isinstance(label, str) else label["label"]
            labels.append((uuid.uuid4().hex, document, annotator, name, stamp))
    return spans, stances, evidence, labels


def _insert_layers(connection: sqlite3.Connection, rows: tuple[list[tuple[Any, ...]], ...]) -> None:
    spans, stances, evidence, labels = rows
    connection.executemany(
        'INSERT INTO spans (id, document_id, annotator_id, start, "end", '
        "label, actor_id, issue_id, note, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        spans,
    )
    connection.executemany(
        "INSERT INTO stances (id, document_id, annotator_id, actor_id, "
        "issue_id, polarity, confidence, note, created_at, updated_at) "
        "VALUES (?,?,?,?,?,?,?,?,?,?)",
        stances,
    )
    connection.executemany(
        "INSERT INTO stance_evidence (stance_id, span_id) VALUES (?,?)", evidence
    )
    connection.executemany(
        "INSERT INTO document_labels (id, document_id, annotator_id, label, "
        "created_at) VALUES (?,?,?,?,?)",
        labels,
    )


def _annotator(connection: sqlite3.Connection, name: str, stamp: str) -> str:
    identifier = uuid.uuid4().hex
    connection.execute(
        "INSERT INTO annotators (id, name, role, created_at) VALUES (?, ?, 'annotator', ?)",
        (identifier, name, stamp),
    )
    return identifier


def _vocabulary(connection: sqlite3.Connection, stamp: str) -> tuple[dict[str, str], ...]:
    actors = {name: uuid.uuid4().hex for name in ACTORS}
    issues = {key: uuid.uuid4().hex for key in ISSUES}
    connection.executemany(
        "INSERT INTO actors (id, name, type, created_at, name_key) VALUES (?,?,'organisation',?,?)",
        [(i, n, stamp, n.lower()) for n, i in actors.items()],
    )
    connection.executemany(
        "INSERT INTO issues (id, key, name, description) VALUES (?,?,?,'')",
        [(i, k, k) for k, i in issues.items()],
    )
    return actors, issues


def import_baseline(jsonl: Path, db: Path) -> float:
    """Parse each line and insert the same documents and annotations with executemany."""
    open_database(str(db)).close()
    started = time.perf_counter()
    connection = _connect(db)
    stamp = datetime.now(UTC).isoformat(sep=" ")
    annotator = _annotator(connection, "alice", stamp)
    actors, issues = _vocabulary(connection, stamp)
    documents, items, ids = [], [], []
    with jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record["text"]
            ids.append(uuid.uuid4().hex)
            items.append(record)
            documents.append(
                (
                    ids[-1],
                    record["id"],
                    record["title"],
                    record["source"],
                    record["published"],
                    record["story"],
                    text,
                    None,
                    hashlib.sha256(text.encode()).hexdigest(),
                    len(text),
                    "{}",
                    stamp,
                )
            )
    connection.executemany(
        "INSERT INTO documents (id, external_id, title, source, published, story, text, "
        "raw_text, text_sha256, length, meta, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        documents,
    )
    _insert_layers(connection, _layer_rows(items, ids, annotator, stamp, actors, issues))
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def merge_baseline(bundle: Path, db: Path) -> float:
    """Read the bundle's layer.jsonl with json and insert its rows (documents present)."""
    connection = _connect(db)
    by_hash = dict(connection.execute("SELECT text_sha256, id FROM documents"))
    connection.close()
    started = time.perf_counter()
    connection = _connect(db)
    stamp = datetime.now(UTC).isoformat(sep=" ")
    annotator = _annotator(connection, "alice2", stamp)
    actors = dict(connection.execute("SELECT name, id FROM actors"))
    issues = dict(connection.execute("SELECT key, id FROM issues"))
    with zipfile.ZipFile(bundle) as archive:
        items = [json.loads(line) for line in archive.read("layer.jsonl").decode().splitlines()]
    for item in items:
        for span in item["spans"]:
            span["id"] = span.get("uuid", span.get("id"))
        for stance in item["stances"]:
            stance["id"] = stance.get("uuid", stance.get("id"))
            stance["evidence"] = stance.get("evidence", [])
    ids = [by_hash[item["text_sha256"]] for item in items]
    _insert_layers(connection, _layer_rows(items, ids, annotator, stamp, actors, issues))
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def measure(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        jsonl = root / "annotated.jsonl"
        with jsonl.open("w", encoding="utf-8") as handle:
            for record in annotated(count):
                handle.write(json.dumps(record) + "\n")
        floor = import_baseline(jsonl, root / "baseline.sqlite")
        laptop = open_database(str(root / "alice.sqlite"))
        started = time.perf_counter()
        summary = import_paths(laptop, paths=[jsonl], options=ImportOptions())
        elapsed = time.perf_counter() - started
        assert summary.added == count and summary.spans == count * SPANS, summary.lines()
        bundle = root / "alice.zip"
        export_bundle(laptop, annotator="alice", out=bundle)
        laptop.close()
        # The lead has the same documents (imported without annotations) but not the layer.
        plain = root / "plain.jsonl"
        with plain.open("w", encoding="utf-8") as handle:
            for record in articles(count):
                handle.write(json.dumps(record) + "\n")
        lead_path = root / "lead.sqlite"
        lead = open_database(str(lead_path))
        import_paths(lead, paths=[plain], options=ImportOptions())
        lead.close()
        copy = root / "lead-baseline.sqlite"
        copy.write_bytes(lead_path.read_bytes())
        # the baseline's project needs the actors and issues the app's merge finds by name
        connection = _connect(copy)
        _vocabulary(connection, datetime.now(UTC).isoformat(sep=" "))
        connection.commit()
        connection.close()
        merge_floor = merge_baseline(bundle, copy)
        lead = open_database(str(lead_path))
        started = time.perf_counter()
        merged = merge_bundles(lead, bundles=[read_bundle(bundle)])
        merge_elapsed = time.perf_counter() - started
        lead.close()
        assert merged.changed, merged.lines()
    return {
        "articles": count,
        "import_s": round(elapsed, 3),
        "import_baseline_s": round(floor, 3),
        "import_ratio": round(elapsed / floor, 2),
        "merge_s": round(merge_elapsed, 3),
        "merge_baseline_s": round(merge_floor, 3),
        "merge_ratio": round(merge_elapsed / merge_floor, 2),
        "target_ratio": TARGET_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=5_000)
    result = measure(parser.parse_args().count)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
