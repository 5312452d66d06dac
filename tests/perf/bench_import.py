"""Import 10,000 articles of ~3,000 characters from JSONL, against a plain sqlite3 baseline.

Target (issue: import): the import finishes within 3x the time of reading the same JSONL
and inserting the same rows with sqlite3's executemany, measured in the same run. The
baseline inserts into a database the app's migrations made, so each row also fires the
search index's trigger; the app's import indexes its documents in one statement instead
(store.search_index.indexed_together), which is why it can beat the baseline.
Run: python -m tests.perf.bench_import [--count N]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sqlite3
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.database import open_database
from tests.perf.corpus import articles

TARGET_RATIO = 3.0


def baseline(jsonl: Path, db: Path) -> float:
    """The floor: parse each line and insert the same columns with executemany."""
    open_database(str(db)).close()  # the same tables, made by the app's migrations
    started = time.perf_counter()
    connection = sqlite3.connect(db)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    rows = []
    created = datetime.now(UTC).isoformat(sep=" ")
    with jsonl.open(encoding="utf-8") as handle:
        for line in handle:
            record = json.loads(line)
            text = record["text"]
            rows.append(
                (
                    uuid.uuid4().hex,
                    record["id"],
                    record["title"],
                    record["source"],
                    record["published"],
                    record["story"],
                    text,
                    None,  # raw_text: NULL means "as the text", which is what the app stores
                    hashlib.sha256(text.encode()).hexdigest(),
                    len(text),
                    "{}",
                    created,
                )
            )
    connection.executemany(
        "INSERT INTO documents (id, external_id, title, source, published, story, text, "
        "raw_text, text_sha256, length, meta, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        rows,
    )
    connection.commit()
    connection.close()
    return time.perf_counter() - started


def measure(count: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as folder:
        jsonl = Path(folder) / "articles.jsonl"
        with jsonl.open("w", encoding="utf-8") as handle:
            for record in articles(count):
                handle.write(json.dumps(record) + "\n")
        floor = baseline(jsonl, Path(folder) / "baseline.sqlite")
        database = open_database(str(Path(folder) / "app.sqlite"))
        started = time.perf_counter()
        summary = import_paths(database, paths=[jsonl], options=ImportOptions())
        elapsed = time.perf_counter() - started
        database.close()
        assert summary.added == count, summary.lines()
    return {
        "articles": count,
        "import_s": round(elapsed, 3),
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
        f"import {result['import_s']} s vs sqlite3 executemany {result['baseline_s']} s: "
        f"{result['ratio']}x (target <= {TARGET_RATIO}x)"
    )


if __name__ == "__main__":
    main()
