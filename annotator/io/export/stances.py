"""Stance triples for analysis: one row per stance, as CSV (`.csv`) or JSONL (`.jsonl`).

Columns: document_id, external_id, title, outlet (the source), date (published), story,
split (with --split), annotator, stance_id, actor (canonical name), actor_type,
actor_parent, issue (key), issue_name, issue_parent, polarity, confidence, note, and the
evidence. In JSONL `evidence` is a list of `{"span_id", "start", "end", "label", "text"}`;
in CSV it is three columns: `evidence_text` (texts joined by " | "), `evidence_offsets`
(`start-end` joined by ";", code points, end exclusive) and `evidence_span_ids`.
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, TextIO

from annotator.io.export.context import ExportContext, WriterReport
from annotator.io.export.jsonl import encode
from annotator.io.export.options import WrittenFile
from annotator.io.export.records import LayerRecord, StanceRow

COLUMNS = (
    "document_id",
    "external_id",
    "title",
    "outlet",
    "date",
    "story",
    "split",
    "annotator",
    "stance_id",
    "actor",
    "actor_type",
    "actor_parent",
    "issue",
    "issue_name",
    "issue_parent",
    "polarity",
    "confidence",
    "note",
)
EVIDENCE_COLUMNS = ("evidence_text", "evidence_offsets", "evidence_span_ids")


def stance_row(record: LayerRecord, stance: StanceRow) -> dict[str, Any]:
    """The columns of one stance, evidence as a list of objects."""
    document = record.document
    text = document.text
    return {
        "document_id": document.id,
        "external_id": document.external_id,
        "title": document.title,
        "outlet": document.source,
        "date": document.published,
        "story": document.story,
        "split": record.split,
        "annotator": record.annotator,
        "stance_id": stance.id,
        "actor": stance.actor.name,
        "actor_type": stance.actor.type,
        "actor_parent": stance.actor.parent,
        "issue": stance.issue.key,
        "issue_name": stance.issue.name,
        "issue_parent": stance.issue.parent,
        "polarity": stance.polarity,
        "confidence": stance.confidence,
        "note": stance.note,
        "evidence": [
            {
                "span_id": span.id,
                "start": span.start,
                "end": span.end,
                "label": span.label,
                "text": text[span.start : span.end],
            }
            for span in stance.evidence
        ],
    }


class StancesWriter:
    """Writes one CSV row or JSONL line per stance."""

    def __init__(self, handle: TextIO, target: Path, context: ExportContext) -> None:
        self.handle = handle
        self.target = target
        self.as_csv = target.suffix.lower() == ".csv"
        self.rows = 0
        self.csv = csv.writer(handle) if self.as_csv else None
        if self.csv is not None:
            self.csv.writerow((*COLUMNS, *EVIDENCE_COLUMNS))

    def write(self, record: LayerRecord) -> None:
        for stance in record.stances:
            row = stance_row(record, stance)
            if self.csv is None:
                self.handle.write(encode(row))
                self.handle.write("\n")
            else:
                evidence = row["evidence"]
                self.csv.writerow(
                    [
                        *("" if row[column] is None else row[column] for column in COLUMNS),
                        " | ".join(item["text"] for item in evidence),
                        ";".join(f"{item['start']}-{item['end']}" for item in evidence),
                        ";".join(item["span_id"] for item in evidence),
                    ]
                )
            self.rows += 1

    def finish(self) -> WriterReport:
        unit = "rows" if self.as_csv else "lines"
        return WriterReport(files=[WrittenFile(self.target, f"{self.rows} stances ({unit})")])
