"""The agreement report over 10,000 articles (~3,000 characters) x 3 annotators x 20 spans.

Target (issue: several annotators): `agreement_report` finishes in under 10 s on a 2-core
machine. Each annotator's 20 spans derive from 20 "true" spans of the document: about 70%
are copied exactly, the rest have moved boundaries, another label, or are replaced by a
span elsewhere, so spans overlap within and across annotators as in real work. Each
annotator also codes two stances and one document label per document.
Run: python -m tests.perf.bench_agreement [--count N]
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

from annotator.review.agreement.report import AgreementReport, agreement_report
from annotator.store.database import open_database
from tests.perf.corpus import articles

TARGET_SECONDS = 10.0
ANNOTATORS = ("ana", "ben", "cleo")
SPANS_PER_ANNOTATOR = 20
LABELS = ("ACTOR", "ISSUE", "CLAIM", "ATTRIBUTION")
POLARITIES = ("support", "oppose", "neutral", "mixed")
DOCUMENT_LABELS = ("news report", "analysis", "opinion")


def _variant(rng: random.Random, span: tuple[int, int, str], length: int) -> tuple[int, int, str]:
    """One annotator's version of a true span: mostly the same, sometimes not."""
    start, end, label = span
    roll = rng.random()
    if roll < 0.7:
        return span
    if roll < 0.85:  # the same mention, other boundaries
        start = max(0, start + rng.randint(-5, 5))
        end = min(length, max(start + 1, end + rng.randint(-5, 5)))
        return start, end, label
    if roll < 0.93:
        return start, end, rng.choice(LABELS)
    start = rng.randrange(0, length - 40)
    return start, start + rng.randint(3, 40), rng.choice(LABELS)


def build(db: Path, count: int) -> int:
    """A project of `count` documents and three annotators' layers; returns the span count."""
    open_database(str(db)).close()  # the tables, made by the app's migrations
    rng = random.Random(5)
    connection = sqlite3.connect(db)
    created = datetime.now(UTC).isoformat(sep=" ")
    annotators = [uuid.uuid4().hex for _ in ANNOTATORS]
    connection.executemany(
        "INSERT INTO annotators (id, name, role, created_at) VALUES (?, ?, 'annotator', ?)",
        [(a, name, created) for a, name in zip(annotators, ANNOTATORS, strict=True)],
    )
    actors = [(uuid.uuid4().hex, f"Actor {n}", "person", created) for n in range(20)]
    connection.executemany(
        "INSERT INTO actors (id, name, type, created_at) VALUES (?, ?, ?, ?)", actors
    )
    issues = [(uuid.uuid4().hex, f"issue-{n}", f"Issue {n}", "") for n in range(10)]
    connection.executemany(
        "INSERT INTO issues (id, key, name, description) VALUES (?, ?, ?, ?)", issues
    )
    documents, spans, stances, labels, statuses = [], [], [], [], []
    for record in articles(count):
        text = str(record["text"])
        document = uuid.uuid4().hex
        documents.append(
            (
                document,
                record["id"],
                record["title"],
                record["story"],
                text,
                text,
                hashlib.sha256(text.encode()).hexdigest(),
                len(text),
                "{}",
                created,
            )
        )
        truth = []
        for _ in range(SPANS_PER_ANNOTATOR):
            start = rng.randrange(0, len(text) - 40)
            truth.append((start, start + rng.randint(3, 40), rng.choice(LABELS)))
        units = [(rng.choice(actors)[0], rng.choice(issues)[0]) for _ in range(2)]
        polarity = [rng.choice(POLARITIES) for _ in units]
        genre = rng.choice(DOCUMENT_LABELS)
        for annotator in annotators:
            for span in truth:
                start, end, label = _variant(rng, span, len(text))
                spans.append(
                    (uuid.uuid4().hex, document, annotator, start, end, label, "", created, created)
                )
            for (actor, issue), agreed in zip(units, polarity, strict=True):
                if rng.random() < 0.9:  # sometimes a stance is not spotted at all
                    value = agreed if rng.random() < 0.75 else rng.choice(POLARITIES)
                    stances.append(
                        (uuid.uuid4().hex, document, annotator, actor, issue, value, "", created)
                    )
            label = genre if rng.random() < 0.8 else rng.choice(DOCUMENT_LABELS)
            labels.append((uuid.uuid4().hex, document, annotator, label, created))
            statuses.append((document, annotator, "done", created))
    connection.executemany(
        "INSERT INTO documents (id, external_id, title, story, text, raw_text, text_sha256, "
        "length, meta, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)",
        documents,
    )
    connection.executemany(
        'INSERT INTO spans (id, document_id, annotator_id, start, "end", label, note, '
        "created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
        spans,
    )
    connection.executemany(
        "INSERT INTO stances (id, document_id, annotator_id, actor_id, issue_id, polarity, "
        "note, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
        [(*row, created) for row in stances],
    )
    connection.executemany(
        "INSERT INTO document_labels (id, document_id, annotator_id, label, created_at) "
        "VALUES (?,?,?,?,?)",
        labels,
    )
    connection.executemany(
        "INSERT INTO document_status (document_id, annotator_id, status, updated_at) "
        "VALUES (?,?,?,?)",
        statuses,
    )
    connection.commit()
    connection.close()
    return len(spans)


def measure(count: int) -> dict[str, float | int | None]:
    """Build a project of `count` documents and time the report over it."""
    with tempfile.TemporaryDirectory() as folder:
        db = Path(folder) / "bench.sqlite"
        span_count = build(db, count)
        database = open_database(str(db), create=False)
        try:
            started = time.perf_counter()
            report: AgreementReport = agreement_report(database)
            elapsed = time.perf_counter() - started
        finally:
            database.close()
    assert report.documents_paired == count, report.notes
    return {
        "documents": count,
        "annotators": len(ANNOTATORS),
        "spans": span_count,
        "report_s": round(elapsed, 3),
        "target_s": TARGET_SECONDS,
        "f1_overlap": round(report.span_f1.overlap or 0.0, 3),
        "unitized_alpha_pooled": round(report.unitized.pooled or 0.0, 3),
        "stance_alpha": round(report.stances.alpha or 0.0, 3),
        "fleiss_kappa": round(report.document_labels.fleiss or 0.0, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=10_000)
    result = measure(parser.parse_args().count)
    print(json.dumps(result))
    print(
        f"agreement report over {result['documents']} documents, {result['spans']} spans: "
        f"{result['report_s']} s (target < {TARGET_SECONDS} s); overlap F1 "
        f"{result['f1_overlap']}, pooled uα {result['unitized_alpha_pooled']}, stance α "
        f"{result['stance_alpha']}, Fleiss κ {result['fleiss_kappa']}"
    )


if __name__ == "__main__":
    main()
