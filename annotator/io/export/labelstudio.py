"""Label Studio JSON: one array of tasks, a task per document, an annotation per layer.

Task: `{"id": n, "data": {"text", "document_id", "external_id", "title", "source", "url",
"published", "story", "split"?, "meta"}, "annotations": [{"result": [...], "ground_truth",
"was_cancelled"}], "meta": {"layers": [...]}}`. Each span is a `labels` region
(`from_name` "label", `to_name` "text", `value.start/end/text/labels`, code points, which is
what Label Studio has counted since 2022); its note is the region's `meta.text`. Document
labels are one `choices` result (`from_name` "doc_labels").

Stances join a registry actor to an issue, which are not regions of the text, so they do not
fit Label Studio's relation results (region to region). They go into the task's `meta`:
`meta.layers[i]` belongs to `annotations[i]` and holds the layer's annotator, status,
stances (with evidence region ids) and each region's actor and issue. Label Studio keeps a
task's `meta` and shows it to ML backends. Label Studio needs a user id for
`completed_by`, so it is left out; the annotator is named in `meta.layers[i]`.
The labelling config to create the project with is in the dataset card.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import quoteattr

from annotator.io.export.context import Counts, ExportContext, WriterReport
from annotator.io.export.jsonl import encode, stance_json
from annotator.io.export.options import WrittenFile
from annotator.io.export.records import GOLD, LayerRecord


def region(record: LayerRecord, index: int) -> dict[str, Any]:
    """The `labels` result of the record's span number `index`."""
    span = record.spans[index]
    item: dict[str, Any] = {
        "id": span.id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {
            "start": span.start,
            "end": span.end,
            "text": record.document.text[span.start : span.end],
            "labels": [span.label],
        },
    }
    if span.note:
        item["meta"] = {"text": [span.note]}
    return item


def annotation(record: LayerRecord) -> dict[str, Any]:
    """The Label Studio annotation of one layer: its regions and document labels."""
    result = [region(record, index) for index in range(len(record.spans))]
    if record.doc_labels:
        result.append(
            {
                "id": f"doc-labels-{record.document.id}",
                "from_name": "doc_labels",
                "to_name": "text",
                "type": "choices",
                "origin": "manual",
                "value": {"choices": list(record.doc_labels)},
            }
        )
    return {"result": result, "ground_truth": record.annotator == GOLD, "was_cancelled": False}


def layer_meta(record: LayerRecord) -> dict[str, Any]:
    """What Label Studio has no place for: annotator, status, stances, actor/issue links."""
    links: dict[str, dict[str, str]] = {}
    for span in record.spans:
        link: dict[str, str] = {}
        if span.actor is not None:
            link.update(actor=span.actor.name, actor_type=span.actor.type)
        if span.issue is not None:
            link["issue"] = span.issue.key
        if link:
            links[span.id] = link
    return {
        "annotator": record.annotator,
        "status": record.status,
        "stances": [stance_json(stance) for stance in record.stances],
        "regions": links,
    }


def task(number: int, layers: list[LayerRecord]) -> dict[str, Any]:
    """The Label Studio task of one document and its layers."""
    document = layers[0].document
    data: dict[str, Any] = {
        "text": document.text,
        "document_id": document.id,
        "external_id": document.external_id,
        "title": document.title,
        "source": document.source,
        "url": document.url,
        "published": document.published,
        "story": document.story,
        "meta": document.meta,
    }
    if layers[0].split is not None:
        data["split"] = layers[0].split
    return {
        "id": number,
        "data": data,
        "annotations": [annotation(record) for record in layers],
        "meta": {"layers": [layer_meta(record) for record in layers]},
    }


def labelling_config(labels: list[str], doc_labels: list[str]) -> str:
    """A Label Studio labelling config that shows this export's regions and choices."""
    lines = ["<View>", '  <Labels name="label" toName="text">']
    lines += [f"    <Label value={quoteattr(label)}/>" for label in labels]
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>']
    if doc_labels:
        lines.append('  <Choices name="doc_labels" toName="text" choice="multiple">')
        lines += [f"    <Choice value={quoteattr(label)}/>" for label in doc_labels]
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines)


class LabelStudioWriter:
    """Writes the JSON array, one task per document (its layers arrive together)."""

    def __init__(self, handle: TextIO, target: Path, context: ExportContext) -> None:
        self.handle = handle
        self.target = target
        self.counts = Counts()
        self.tasks = 0
        self.pending: list[LayerRecord] = []  # the layers of the current document
        self.labels: dict[str, None] = dict.fromkeys(context.labels)
        self.doc_labels: dict[str, None] = {}
        handle.write("[")

    def write(self, record: LayerRecord) -> None:
        if self.pending and self.pending[0].document.id != record.document.id:
            self._flush()
        self.pending.append(record)
        self.counts.add(record)
        self.labels.update(dict.fromkeys(span.label for span in record.spans))
        self.doc_labels.update(dict.fromkeys(record.doc_labels))

    def _flush(self) -> None:
        self.tasks += 1
        self.handle.write("\n" if self.tasks == 1 else ",\n")
        self.handle.write(encode(task(self.tasks, self.pending)))
        self.pending = []

    def finish(self) -> WriterReport:
        if self.pending:
            self._flush()
        self.handle.write("\n]\n")
        description = f"{self.tasks} tasks, {self.counts.describe('annotations')}"
        return WriterReport(
            files=[WrittenFile(self.target, description)],
            card={
                "labelstudio_config": labelling_config(list(self.labels), list(self.doc_labels)),
                "stances": "in each task's meta.layers[i].stances (annotation i's layer)",
            },
        )
