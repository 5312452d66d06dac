"""doccano sequence labelling JSONL: `{"id", "text", "label": [[start, end, label], ...]}`.

Offsets are code points, end exclusive. Everything doccano does not model (title, source,
annotator, status, split, the stances) goes into `meta`, which doccano shows as metadata;
the top-level `annotator` lets `annotator import` put the spans back in the right layer.
`meta.spans` (where a span has a link or the layer has stances) gives, for each `label`
entry in order, the span's id (which stance evidence cites), actor, actor type, issue and
note, so `annotator import` gives back the same annotations. Document labels are left out:
doccano's classification projects use the same `label` key. doccano keeps overlapping
spans only in a project created with "Allow overlapping spans"; the card says when the
export has overlaps.
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any, TextIO

from annotator.io.export.context import Counts, ExportContext, WriterReport
from annotator.io.export.jsonl import document_meta, encode, stance_json
from annotator.io.export.records import LayerRecord, SpanRow


def record_json(record: LayerRecord) -> dict[str, Any]:
    """The doccano object of one document layer."""
    document = record.document
    meta = document_meta(record)
    meta.update(
        title=document.title,
        source=document.source,
        url=document.url,
        published=document.published,
        story=document.story,
        annotator=record.annotator,
    )
    if record.stances:
        meta["stances"] = [stance_json(stance) for stance in record.stances]
    links = [_link(span) for span in record.spans]
    if any(len(link) > 1 for link in links):
        meta["spans"] = links
    return {
        "id": document.name,
        "text": document.text,
        "label": [[span.start, span.end, span.label] for span in record.spans],
        "annotator": record.annotator,
        "meta": meta,
    }


def _link(span: SpanRow) -> dict[str, str]:
    """What `label` cannot say of a span: its id (stance evidence), actor, issue, note."""
    link = {"id": span.id}
    if span.actor is not None:
        link.update(actor=span.actor.name, actor_type=span.actor.type)
    if span.issue is not None:
        link["issue"] = span.issue.key
    if span.note:
        link["note"] = span.note
    return link


class DoccanoWriter:
    """Writes one doccano line per layer record."""

    def __init__(self, handle: TextIO, target: Path, context: ExportContext) -> None:
        self.handle = handle
        self.target = target
        self.counts = Counts()
        self.doc_labels = 0
        self.overlapping = 0  # document layers with spans that overlap

    def write(self, record: LayerRecord) -> None:
        self.handle.write(encode(record_json(record)))
        self.handle.write("\n")
        self.counts.add(record)
        self.doc_labels += len(record.doc_labels)
        ordered = sorted(record.spans)
        self.overlapping += any(a.end > b.start for a, b in itertools.pairwise(ordered))

    def finish(self) -> WriterReport:
        notes = []
        if self.doc_labels:
            notes.append(
                f"doccano: {self.doc_labels} document labels are not part of this format "
                "and were left out (use --format jsonl to keep them)"
            )
        card: dict[str, object] = {"doccano_overlapping_layers": self.overlapping}
        if self.overlapping:
            card["doccano_project"] = (
                f"{self.overlapping} document layers have overlapping spans: create the "
                "doccano project with 'Allow overlapping spans' ticked, or doccano drops them"
            )
            notes.append(f"doccano: {card['doccano_project']}")
        card["doccano_offsets"] = (
            "code points; doccano keeps them as given, but spans made in doccano's web UI "
            "count UTF-16 units: import those with --offsets utf16"
        )
        return WriterReport(
            files=[self.counts.written(self.target, "lines")], notes=notes, card=card
        )
