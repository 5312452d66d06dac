"""Export 10,000 articles (~3,000 characters) with 200,000 spans as JSONL, against sqlite3.

Target (issue: export): `export(format="jsonl")` finishes within 2x the time of a plain
sqlite3 + json script that reads the same rows (documents in keyset pages, their spans by an
IN query per page) and writes the same lines; the two files are checked to be identical.
Run: python -m tests.perf.bench_export [--count N]
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
from datetime import UTC, datetime
from pathlib import Path

from annotator.io.export import ExportOptions, export
from annotator.store.database import open_database
from tests.perf.corpus import articles

TARGET_RATIO = 2.0
SPANS_PER_DOCUMENT = 20
LABELS = ("ACTOR", "ISSUE", "CLAIM", "ATTRIBUTION")
PAGE = 500


def build(db: Path, count: int) -> None:
    """A project with `count` documents and 20 spans each by one annotator, inserted fast."""
    open_database(str(db)).close()  # the tables, made by the app's migrations
    rng = random.Random(11)
    connection = sqlite3.connect(db)
    created = datetime.now(UTC).isoformat(sep=" ")
    annotator = uuid.uuid4().hex
    connection.execute(
        "INSERT INTO annotators (id, name, role, created_at) VALUES (?, 'bench', 'annotator', ?)",
        (annotator, created),
    )
    documents, spans = [], []
    for record in articles(count):
        text = str(record["text"])
        document = uuid.uuid4().hex
        documents.append(
            (
                document,
                record["id"],
                record["title"],
                record["source"],
                record["published"],
                record["story"],
                text,
                text,
                hashlib.sha256(text.encode()).hexdigest(),
                len(text),
                json.dumps({"bench": True}),
                created,
            )
        )
        for _ in range(SPANS_PER_DOCUMENT):
            start = rng.randrange(0, len(text) - 40)
            spans.append(
                (
                    uuid.uuid4().hex,
                    document,
                    annotator,
                    start,
                    start + rng.randint(3, 40),
                    rng.choice(LABELS),
                    "",
                    created,
                    created,
                )
            )
    connection.executemany(
        "INSERT INTO documents (id, external_id, title, source, published, story, text, "
        "raw_text, text_sha256, length, meta, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        documents,
    )
    connection.executemany(
        'INSERT INTO spans (id, document_id, annotator_id, start, "end", label, note, '
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
        spans,
    )
    connection.commit()
    connection.close()


def _uuid(hex_id: str) -> str:
    return str(uuid.UUID(hex_id))


def baseline(db: Path, out: Path) -> float:
    """The floor: the same rows with sqlite3, the same lines with json.dumps."""
    started = time.perf_counter()
    connection = sqlite3.connect(db)
    names = dict(connection.execute("SELECT id, name FROM annotators"))
    last = ""
    with out.open("w", encoding="utf-8") as handle:
        while True:
            documents = connection.execute(
                "SELECT id, external_id, title, source, url, published, story, text, meta "
                "FROM documents WHERE id > ? ORDER BY id LIMIT ?",
                (last, PAGE),
            ).fetchall()
            if not documents:
                break
            last = documents[-1][0]
            marks = ",".join("?" * len(documents))
            layers: dict[str, dict[str, list[tuple[int, int, str, str, str]]]] = {}
            for span_id, document_id, annotator_id, start, end, label, note in connection.execute(
                f'SELECT id, document_id, annotator_id, start, "end", label, note FROM spans '
                f"WHERE deleted_at IS NULL AND document_id IN ({marks})",
                [row[0] for row in documents],
            ):
                layers.setdefault(document_id, {}).setdefault(annotator_id, []).append(
                    (start, end, label, _uuid(span_id), note or "")
                )
            for identifier, external, title, source, url, published, story, text, meta in documents:
                for annotator_id, spans in layers.get(identifier, {}).items():
                    spans.sort()
                    line = {
                        "id": external or _uuid(identifier),
                        "text": text,
                        "title": title,
                        "source": source,
                        "url": url,
                        "published": published,
                        "story": story,
                        "meta": {
                            **json.loads(meta),
                            "document_id": _uuid(identifier),
                            "status": "todo",
                        },
                        "annotator": names[annotator_id],
                        # every span has every key (these spans link no actor or issue)
                        "spans": [
                            {
                                "id": i,
                                "start": s,
                                "end": e,
                                "label": b,
                                "text": text[s:e],
                                "actor": "",
                                "actor_type": "",
                                "issue": "",
                                "note": n,
                            }
                            for s, e, b, i, n in spans
                        ],
                        "stances": [],
                        "doc_labels": [],
                    }
                    encoded = json.dumps(line, ensure_ascii=False)
                    for separator in ("\u2028", "\u2029", "\x85"):  # as the export does
                        encoded = encoded.replace(separator, json.dumps(separator)[1:-1])
                    handle.write(encoded + "\n")
    connection.close()
    return time.perf_counter() - started


def measure(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        build(db, count)
        floor = baseline(db, Path(folder) / "baseline.jsonl")
        database = open_database(str(db), create=False)
        started = time.perf_counter()
        summary = export(
            database, options=ExportOptions(format="jsonl"), out=Path(folder) / "app.jsonl"
        )
        elapsed = time.perf_counter() - started
        database.close()
        assert summary.records == count and summary.spans == count * SPANS_PER_DOCUMENT
        same = (Path(folder) / "app.jsonl").read_bytes() == (
            Path(folder) / "baseline.jsonl"
        ).read_bytes()
        assert same, "the export and the baseline wrote different lines"
    return {
        "documents": count,
        "spans": count * SPANS_PER_DOCUMENT,
        "export_s": round(elapsed, 3),
        "baseline_s": round(floor, 3),
        "ratio": round(elapsed / floor, 2),
        "target_ratio": TARGET_RATIO,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    result = measure(parser.parse_args().count)
    print(json.dumps(result))
    print(
        f"export {result['export_s']} s vs sqlite3 + json {result['baseline_s']} s: "
        f"{result['ratio']}x (target <= {TARGET_RATIO}x)"
    )


if __name__ == "__main__":
    main()
