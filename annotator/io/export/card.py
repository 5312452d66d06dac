"""The dataset card written next to every export: `<out>.card.json` and `<out>.card.md`.

`<out>` is the path given to `--out` (`data.jsonl` -> `data.jsonl.card.json`, for its split
files too; the brat folder `corpus` -> `corpus.card.json`), so two exports into one folder
never share a card. It names the project by its file name, never its path (a card is
shared with the data; a path names the user). The card records what was exported and how:
counts per label, polarity, annotator and split, the schema name and version, the export
options, the UTC date, the Annotator version, and the format's own decisions (e.g. the
CoNLL overlap rule and how many spans it dropped).
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from annotator import __version__
from annotator.io.export.context import ExportContext, WriterReport
from annotator.io.export.records import LayerRecord

OFFSETS = "code points into the exported text, end exclusive: text[start:end] is the span"


@dataclass
class _Group:
    documents: int = 0
    records: int = 0
    spans: int = 0
    stances: int = 0
    doc_labels: int = 0
    last: str | None = None

    def add(self, record: LayerRecord) -> None:
        self.records += 1
        self.spans += len(record.spans)
        self.stances += len(record.stances)
        self.doc_labels += len(record.doc_labels)
        if record.document.id != self.last:  # a document's layers come together
            self.documents += 1
            self.last = record.document.id

    def as_json(self) -> dict[str, int]:
        return {
            "documents": self.documents,
            "document_layers": self.records,
            "spans": self.spans,
            "stances": self.stances,
            "doc_labels": self.doc_labels,
        }


@dataclass
class Tally:
    """Counts gathered while the records stream by."""

    total: _Group = field(default_factory=_Group)
    labels: Counter[str] = field(default_factory=Counter)
    polarities: Counter[str] = field(default_factory=Counter)
    doc_labels: Counter[str] = field(default_factory=Counter)
    annotators: dict[str, _Group] = field(default_factory=dict)
    splits: dict[str, _Group] = field(default_factory=dict)

    def add(self, record: LayerRecord) -> None:
        self.total.add(record)
        self.labels.update(span.label for span in record.spans)
        self.polarities.update(stance.polarity for stance in record.stances)
        self.doc_labels.update(record.doc_labels)
        self.annotators.setdefault(record.annotator, _Group()).add(record)
        if record.split is not None:
            self.splits.setdefault(record.split, _Group()).add(record)


def card_json(
    context: ExportContext, tally: Tally, files: list[str], reports: list[WriterReport]
) -> dict[str, Any]:
    """The card as one JSON object."""
    options = context.options
    schema = context.registries.schema
    details: dict[str, object] = {}
    notes: list[str] = []
    for report in reports:
        details.update(report.card)
        notes.extend(report.notes)
    card: dict[str, Any] = {
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "tool": {"name": "annotator", "version": __version__},
        "database": context.database,
        "schema": {"name": schema[0], "version": schema[1]} if schema else None,
        "options": options.as_json(),
        "offsets": OFFSETS,
        "files": files,
        "counts": tally.total.as_json(),
        "labels": dict(sorted(tally.labels.items())),
        "polarities": dict(sorted(tally.polarities.items())),
        "doc_labels": dict(sorted(tally.doc_labels.items())),
        "annotators": {name: group.as_json() for name, group in sorted(tally.annotators.items())},
        "format_details": details,
        "notes": notes,
    }
    if options.split is not None:
        card["split"] = {
            "shares": dict(zip(("train", "dev", "test"), options.split, strict=True)),
            "seed": options.seed,
            "rule": "sha256 of seed and story key (or text hash without a story); "
            "a story's documents share a split",
            "counts": {name: group.as_json() for name, group in tally.splits.items()},
        }
    return card


def card_markdown(card: dict[str, Any]) -> str:
    """The same card for people."""
    options = card["options"]
    schema = card["schema"]
    lines = [
        f"# Dataset card: {options['format']} export",
        "",
        f"- Exported: {card['created']} (UTC) with Annotator {card['tool']['version']}",
        f"- Database: {card['database']}",
        f"- Schema: {schema['name']} {schema['version']}" if schema else "- Schema: none",
        f"- Layers: {options['layers']}"
        + (f" ({options['annotator']})" if options["annotator"] else ""),
        f"- Story: {options['story'] or 'all'}; status: {options['status'] or 'any'}",
        f"- Offsets: {card['offsets']}",
        "- Files: " + ", ".join(card["files"]),
        "",
        "## Counts",
        "",
        *_table(("what", "count"), list(card["counts"].items())),
    ]
    for title, key in (("Span labels", "labels"), ("Polarities", "polarities")):
        if card[key]:
            lines += ["", f"## {title}", "", *_table(("name", "count"), list(card[key].items()))]
    if card["doc_labels"]:
        rows = list(card["doc_labels"].items())
        lines += ["", "## Document labels", "", *_table(("label", "count"), rows)]
    columns = ("documents", "document_layers", "spans", "stances", "doc_labels")
    rows = [(name, *(group[c] for c in columns)) for name, group in card["annotators"].items()]
    lines += ["", "## Annotators", "", *_table(("annotator", *columns), rows)]
    if "split" in card:
        split = card["split"]
        shares = "/".join(str(share) for share in split["shares"].values())
        lines += ["", "## Split", "", f"{shares} with seed {split['seed']}: {split['rule']}.", ""]
        rows = [(name, *(group[c] for c in columns)) for name, group in split["counts"].items()]
        lines += _table(("split", *columns), rows)
    if card["format_details"]:
        lines += ["", "## Format details", ""]
        for key, value in card["format_details"].items():
            shown = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
            if "\n" in shown:
                lines += [f"- {key}:", "", "```", shown, "```", ""]
            else:
                lines.append(f"- {key}: {shown}")
    if card["notes"]:
        lines += ["", "## Not exported", "", *(f"- {note}" for note in card["notes"])]
    return "\n".join(lines) + "\n"


def _table(header: tuple[str, ...], rows: list[tuple[Any, ...]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    out += ["| " + " | ".join(_cell(value) for value in row) + " |" for row in rows]
    return out


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")
