"""brat standoff: a folder with `<name>.txt` + `<name>.ann` per document (and layer).

Names come from the external id (else the UUID), reduced to `[A-Za-z0-9._-]`; a name that
had to change gets `-<first 8 characters of the UUID>` so two documents never share a name.
With `--all` (several layers) the name is `<document>__<annotator>`.

- Spans are `T` lines: `T1<TAB>LABEL start end<TAB>text`. A span that crosses a line
  break is written as fragments `start1 end1;start2 end2` without the break characters
  (brat cannot show an annotation across lines), the quoted text joined by spaces.
  A tab inside a span stays in the quoted text (brat compares it with the document).
  brat type names are `[A-Za-z0-9_-]`, starting with a letter: a label that is not one
  (`人物`, `Stance`, `news report`) gets a type made of its ASCII part and a short hash
  of the label (`LABEL_3f2a9c`), never shared by two labels; `annotation.conf` lists each
  such type as `# label TYPE = label` (which `annotator import` reads back), `visual.conf`
  makes brat show the label's own name, and the card holds the same mapping.
- An actor link is `N1<TAB>Reference T1 Actors:<actor uuid><TAB><canonical name>`, an
  issue link `N2<TAB>Reference T1 Issues:<issue key><TAB><issue name>`, a span's note
  `#1<TAB>AnnotatorNotes T1<TAB>note`.
- A stance is an event: brat needs a trigger of the event's own type, so the first evidence
  span is repeated as a `Stance` trigger, `E1<TAB>Stance:T9 Evidence:T3 Evidence2:T4` lists
  every evidence span, `A1<TAB>Polarity E1 support` gives the polarity, and `N` lines on E1
  name the actor and the issue; confidence and note are the event's AnnotatorNotes.
  A stance without evidence has nothing in the text to anchor it, and document labels have
  no place in brat: both are counted in the summary and the card, not written.
- `annotation.conf` declares the entity types, the Stance event, the Polarity attribute and
  lets any annotations overlap.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from annotator.io.export.context import ExportContext, WriterReport
from annotator.io.export.options import WrittenFile
from annotator.io.export.records import LayerRecord, SpanRow

# Every character Python's str.splitlines() breaks at: none may appear inside an .ann line.
LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]+")
_UNSAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")
_UNSAFE_TYPE = re.compile(r"[^A-Za-z0-9_-]+")
STANCE = "Stance"
OURS = "# Written by Annotator's brat export."  # how `annotator import` knows the folder


def safe_name(value: str, unique: str) -> str:
    """A portable file name for `value`; `unique` is appended when `value` had to change."""
    cleaned = _UNSAFE_NAME.sub("_", value).strip("._-")[:80]
    if cleaned == value:
        return cleaned
    return f"{cleaned}-{unique[:8]}" if cleaned else unique


_TYPE = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


def layer_file_name(record: LayerRecord, *, multi_layer: bool) -> str:
    """The file name (without suffix) of one document layer in a folder export (brat, XMI,
    WebAnno TSV): the document's name, and `__<annotator>` when several layers go out."""
    document = record.document
    name = safe_name(document.name, document.id)
    if multi_layer:
        digest = hashlib.sha256(record.annotator.encode()).hexdigest()
        name = f"{name}__{safe_name(record.annotator, digest)}"
    return name


def brat_type(label: str) -> str:
    """A brat type name for a label or polarity: the label itself where brat can spell it,
    else its ASCII part (or LABEL) and a hash of the label, which no other label shares."""
    if _TYPE.match(label) and label != STANCE:
        return label
    cleaned = _UNSAFE_TYPE.sub("_", label).strip("_-")
    if not cleaned or not cleaned[0].isalpha():
        cleaned = f"LABEL_{cleaned}".rstrip("_")
    digest = hashlib.sha256(label.encode("utf-8", "surrogatepass")).hexdigest()[:6]
    return f"{cleaned[:40]}_{digest}"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The pieces of text[start:end] between line breaks (brat's discontinuous spans)."""
    pieces = []
    position = start
    for found in LINE_BREAKS.finditer(text, start, end):
        if found.start() > position:
            pieces.append((position, found.start()))
        position = found.end()
    if position < end:
        pieces.append((position, end))
    return pieces


def one_line(value: str) -> str:
    """The value on one .ann line: line breaks and tabs become spaces."""
    return LINE_BREAKS.sub(" ", value).replace("\t", " ")


class _AnnFile:
    """The lines of one .ann file, with brat's per-prefix numbering."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines: list[str] = []
        self.numbers: dict[str, int] = {}

    def next_id(self, prefix: str) -> str:
        self.numbers[prefix] = self.numbers.get(prefix, 0) + 1
        return f"{prefix}{self.numbers[prefix]}"

    def textbound(self, kind: str, span: SpanRow) -> str | None:
        pieces = fragments(self.text, span.start, span.end)
        if not pieces:
            return None
        identifier = self.next_id("T")
        offsets = ";".join(f"{start} {end}" for start, end in pieces)
        # Pieces hold no line break; a tab stays, as brat checks the quote against the text.
        quoted = " ".join(self.text[start:end] for start, end in pieces)
        self.lines.append(f"{identifier}\t{kind} {offsets}\t{quoted}")
        return identifier

    def reference(self, target: str, database: str, key: str, name: str) -> None:
        self.lines.append(
            f"{self.next_id('N')}\tReference {target} {database}:{key}\t{one_line(name)}"
        )

    def note(self, target: str, note: str) -> None:
        self.lines.append(f"{self.next_id('#')}\tAnnotatorNotes {target}\t{one_line(note)}")


class BratWriter:
    """Writes a .txt and an .ann per layer record into the temp folder, annotation.conf last."""

    def __init__(self, folder: Path, target: Path, context: ExportContext) -> None:
        self.folder = folder
        self.target = target
        self.context = context
        self.multi_layer = context.options.layers == "all"
        self.types: dict[str, str] = {brat_type(label): label for label in context.labels}
        self.polarities: dict[str, str] = {brat_type(p): p for p in context.polarities}
        self.files = self.spans = self.stances = 0
        self.unanchored = self.doc_labels = self.empty_spans = 0

    def name(self, record: LayerRecord) -> str:
        """The file name (without suffix) of a record's .txt and .ann."""
        return layer_file_name(record, multi_layer=self.multi_layer)

    def write(self, record: LayerRecord) -> None:
        text = record.document.text
        ann = _AnnFile(text)
        span_ids: dict[str, str] = {}
        for span in record.spans:
            kind = brat_type(span.label)
            self.types[kind] = span.label
            identifier = ann.textbound(kind, span)
            if identifier is None:
                self.empty_spans += 1
                continue
            span_ids[span.id] = identifier
            self.spans += 1
            if span.actor is not None:
                ann.reference(identifier, "Actors", span.actor.id, span.actor.name)
            if span.issue is not None:
                ann.reference(identifier, "Issues", span.issue.key, span.issue.name)
            if span.note:
                ann.note(identifier, span.note)
        for stance in record.stances:
            anchored = [span for span in stance.evidence if span.id in span_ids]
            evidence = [span_ids[span.id] for span in anchored]
            trigger = ann.textbound(STANCE, anchored[0]) if anchored else None
            if trigger is None:
                self.unanchored += 1
                continue
            event = ann.next_id("E")
            roles = " ".join(
                f"Evidence{'' if number == 1 else number}:{identifier}"
                for number, identifier in enumerate(evidence, start=1)
            )
            ann.lines.append(f"{event}\t{STANCE}:{trigger} {roles}")
            polarity = brat_type(stance.polarity)
            self.polarities[polarity] = stance.polarity
            ann.lines.append(f"{ann.next_id('A')}\tPolarity {event} {polarity}")
            ann.reference(event, "Actors", stance.actor.id, stance.actor.name)
            ann.reference(event, "Issues", stance.issue.key, stance.issue.name)
            details = [f"confidence {stance.confidence}"] if stance.confidence is not None else []
            if stance.note:
                details.append(stance.note)
            if details:
                ann.note(event, "; ".join(details))
            self.stances += 1
        self.doc_labels += len(record.doc_labels)
        name = self.name(record)
        (self.folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="")
        body = "".join(line + "\n" for line in ann.lines)
        (self.folder / f"{name}.ann").write_text(body, encoding="utf-8", newline="")
        self.files += 1

    def renamed(self) -> dict[str, str]:
        """brat type -> label, for the labels and polarities brat could not spell."""
        both = {**self.types, **self.polarities}
        return {kind: label for kind, label in both.items() if kind != label}

    def finish(self) -> WriterReport:
        (self.folder / "annotation.conf").write_text(self.conf(), encoding="utf-8")
        (self.folder / "visual.conf").write_text(self.visual_conf(), encoding="utf-8")
        notes = []
        if self.unanchored:
            notes.append(
                f"brat: {self.unanchored} stances without evidence spans have no place in "
                "the text and were not written"
            )
        if self.doc_labels:
            notes.append(f"brat: {self.doc_labels} document labels were not written")
        if self.empty_spans:
            notes.append(f"brat: {self.empty_spans} spans of only line breaks were not written")
        description = (
            f"{self.files} .txt/.ann pairs, {self.spans} spans, {self.stances} stances"
            " (as Stance events), annotation.conf"
        )
        return WriterReport(
            files=[WrittenFile(self.target, description)],
            notes=notes,
            card={
                "brat_stances": "Stance events: trigger = first evidence span, Evidence "
                "arguments, Polarity attribute, actor and issue as Reference normalisations",
                "brat_stances_not_written": self.unanchored,
                "brat_doc_labels_not_written": self.doc_labels,
                "brat_type_names": self.renamed(),
            },
        )

    def visual_conf(self) -> str:
        """visual.conf: brat shows each type under its label's own name."""
        lines = ["[labels]"]
        for kind, label in {**self.types, STANCE: STANCE, **self.polarities}.items():
            lines.append(f"{kind} | {one_line(label).replace('|', '/')}")
        return "\n".join([*lines, "", "[drawing]", ""])

    def conf(self) -> str:
        """annotation.conf for the types and polarities this export used."""
        types = list(self.types) or ["LABEL"]
        mapping = [f"# label {kind} = {one_line(label)}" for kind, label in self.renamed().items()]
        return "\n".join(
            [
                OURS,
                *(["# Labels brat cannot spell as type names:", *mapping] if mapping else []),
                "[entities]",
                *types,
                "",
                "[relations]",
                "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
                "",
                "[events]",
                f"{STANCE}\tEvidence*:{'|'.join(types)}",
                "",
                "[attributes]",
                f"Polarity\tArg:{STANCE}, Value:{'|'.join(self.polarities) or 'unknown'}",
                "",
            ]
        )
