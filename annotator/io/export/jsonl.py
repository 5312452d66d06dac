"""JSONL for training: one line per document and layer, the shape our importer reads back.

`{"id", "text", "title", "source", "url", "published", "story", "meta", "annotator",
"spans": [{"id", "start", "end", "label", "text", "actor", "actor_type", "issue",
"note"}], "stances": [{"id", "actor", "actor_type", "issue", "polarity", "evidence",
"confidence", "note"}], "doc_labels"}`. Every line has every key, and every span and stance
too ("" where a span has no actor, issue or note; `confidence` null where none was given),
so a loader that infers columns (Hugging Face `datasets`, pandas) sees one shape in every
line and every file. In a `--split` export `meta` (whose keys differ from document to
document) is a JSON string, and `<out>.features.json` beside the files is the `datasets`
Features of the lines: `load_dataset("json", data_files=..., features=Features.from_dict(
json.load(open("data.jsonl.features.json"))))` loads the splits together. Offsets are code
points, end exclusive, so `text[start:end]` is the span's text in Python, spaCy
(`Doc.char_span`) and Prodigy.
`actor` is the canonical name and `issue` the issue key, which is what `annotator import`
looks them up by; `actor_type` is the actor's type in the registry ("unknown" where it has
none), on stances as on spans, so an actor that only stances name keeps its type through an
import. Span and stance ids are the UUIDs, which an import keeps. Characters other than
ASCII are written as they are (UTF-8), except U+2028, U+2029 and U+0085, which are escaped
so that every line reader sees one record per line.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, TextIO

from annotator.core.json_input import finite
from annotator.io.export.context import Counts, ExportContext, WriterReport
from annotator.io.export.records import LayerRecord, SpanRow, StanceRow

# One encoder for every line: json.dumps with options builds a new one per call.
_encode = json.JSONEncoder(ensure_ascii=False, check_circular=False, allow_nan=False).encode


def encode(value: object) -> str:
    """Compact JSON, non-ASCII kept, but never a raw Unicode line break.

    JSON allows U+2028, U+2029 and U+0085 inside strings, yet Python's str.splitlines() and
    many line readers break lines there; escaped, every record stays on its own line.
    """
    try:
        line = _encode(value)
    except ValueError:  # a NaN stored before imports refused them: JSON has none
        line = _encode(finite(value))
    return line.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029").replace("\x85", "\\u0085")


def document_meta(record: LayerRecord) -> dict[str, Any]:
    """The document's stored meta plus where it came from in this project."""
    meta = dict(record.document.meta)
    meta["document_id"] = record.document.id
    meta["status"] = record.status
    if record.split is not None:
        meta["split"] = record.split
    return meta


def span_json(span: SpanRow, text: str) -> dict[str, Any]:
    """The JSONL object of one span; `text` is the span's text, sliced by code points."""
    item: dict[str, Any] = {
        "id": span.id,
        "start": span.start,
        "end": span.end,
        "label": span.label,
        "text": text[span.start : span.end],
    }
    item["actor"] = span.actor.name if span.actor is not None else ""
    item["actor_type"] = span.actor.type if span.actor is not None else ""
    item["issue"] = span.issue.key if span.issue is not None else ""
    item["note"] = span.note
    return item


def stance_json(stance: StanceRow) -> dict[str, Any]:
    """The JSONL object of one stance; evidence as span ids."""
    item: dict[str, Any] = {
        "id": stance.id,
        "actor": stance.actor.name,
        "actor_type": stance.actor.type,
        "issue": stance.issue.key,
        "polarity": stance.polarity,
        "evidence": [span.id for span in stance.evidence],
        "confidence": stance.confidence,
        "note": stance.note,
    }
    return item


def record_json(record: LayerRecord, *, meta_as_text: bool = False) -> dict[str, Any]:
    """The JSONL object of one document layer (`meta` as JSON text for a split export)."""
    document = record.document
    text = document.text
    return {
        "id": document.name,
        "text": text,
        "title": document.title,
        "source": document.source,
        "url": document.url,
        "published": document.published,
        "story": document.story,
        "meta": encode(document_meta(record)) if meta_as_text else document_meta(record),
        "annotator": record.annotator,
        "spans": [span_json(span, text) for span in record.spans],
        "stances": [stance_json(stance) for stance in record.stances],
        "doc_labels": record.doc_labels,
    }


class JsonlWriter:
    """Writes one line per layer record."""

    def __init__(self, handle: TextIO, target: Path, context: ExportContext) -> None:
        self.handle = handle
        self.target = target
        self.counts = Counts()
        self.split = context.options.split is not None

    def write(self, record: LayerRecord) -> None:
        self.handle.write(encode(record_json(record, meta_as_text=self.split)))
        self.handle.write("\n")
        self.counts.add(record)

    def finish(self) -> WriterReport:
        card: dict[str, object] = {}
        if self.split:
            card["jsonl_meta"] = "a JSON string in split files (its keys differ by document)"
            card["datasets_features"] = FEATURES
        return WriterReport(files=[self.counts.written(self.target, "lines")], card=card)


def _value(dtype: str) -> dict[str, str]:
    return {"dtype": dtype, "_type": "Value"}


_TEXT = _value("string")
# The lines' Hugging Face `datasets` Features (Features.to_dict() form; a list of one
# feature is a list column).
FEATURES: dict[str, Any] = {
    **dict.fromkeys(("id", "text", "title", "source", "url", "published", "story"), _TEXT),
    "meta": _TEXT,
    "annotator": _TEXT,
    "spans": [
        {
            "id": _TEXT,
            "start": _value("int64"),
            "end": _value("int64"),
            **dict.fromkeys(("label", "text", "actor", "actor_type", "issue", "note"), _TEXT),
        }
    ],
    "stances": [
        {
            **dict.fromkeys(("id", "actor", "actor_type", "issue", "polarity"), _TEXT),
            "evidence": [_TEXT],
            "confidence": _value("float64"),
            "note": _TEXT,
        }
    ],
    "doc_labels": [_TEXT],
}
