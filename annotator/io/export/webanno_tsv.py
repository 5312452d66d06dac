"""WebAnno TSV 3.3 (INCEpTION, WebAnno): a folder with one `<name>.tsv` per document layer.

Layers (the same as the XMI export's; create them in the INCEpTION project first):
`#T_SP=webanno.custom.Span|actor|actor_type|id|issue|label|note` and
`#T_RL=webanno.custom.Stance|actor|confidence|issue|note|polarity|stance_id|BT_webanno.custom.Span`.
Token rows are `sentence-token`, `begin-end`, the token, then one column per feature.
- A span covering several tokens, or sharing a token with another span, carries its number
  in brackets on each value (`ACTOR[3]`); stacked values are joined by `|`; `_` is no
  annotation, `*` an annotation whose feature is empty.
- A stance is a relation per evidence span after the first (the first one to itself when
  there is only one), written on the dependent's first token; the last column is the
  governor's first token (`1-3`), with `[governor_dependent]` span numbers where either has
  one. One `stance_id` groups a stance's relations.
- Offsets count UTF-16 units, as Java (INCEpTION) does. Sentences are cut as the CoNLL
  export cuts them; each starts at its first token (where INCEpTION's reader puts it) and
  runs to where the next one starts, so the `#Text=` lines (one per line of the sentence)
  hold the whole text; what comes before the first token is kept in a `#Annotator.before=`
  line, which INCEpTION passes over, so `annotator import` finds the document exactly.
- Reserved characters are escaped with a backslash in values (`\\ [ ] | _ -> ; * `, tab and
  line break); `#Text=` lines escape only backslash, tab, CR, FF and BS, as INCEpTION does.
  Rows end with a tab; one empty line between sentences and none at the end (INCEpTION's
  reader refuses any other).
- Document labels have no place in the format: counted in the card, not written.
"""

from __future__ import annotations

import json
from pathlib import Path

from annotator.core.offsets import Utf16Index
from annotator.io.export.brat import layer_file_name
from annotator.io.export.conll import sentences, tokenize
from annotator.io.export.context import Counts, ExportContext, WriterReport
from annotator.io.export.options import WrittenFile
from annotator.io.export.records import LayerRecord, SpanRow

FORMAT = "#FORMAT=WebAnno TSV 3.3"
BEFORE = "#Annotator.before="  # the text before the first token, as a JSON string
SPAN_LAYER = "webanno.custom.Span"
STANCE_LAYER = "webanno.custom.Stance"
SPAN_FEATURES = ("actor", "actor_type", "id", "issue", "label", "note")
STANCE_FEATURES = ("actor", "confidence", "issue", "note", "polarity", "stance_id")
_RESERVED = {
    "\\": "\\\\",
    "[": "\\[",
    "]": "\\]",
    "|": "\\|",
    "_": "\\_",
    ";": "\\;",
    "*": "\\*",
    "\t": "\\t",
    "\n": "\\n",
}


def escape(value: str) -> str:
    """A value on one TSV cell: reserved characters behind a backslash (`->` as one unit;
    a CR, which INCEpTION does not escape in values, as a line break)."""
    out = "".join(_RESERVED.get(character, character) for character in value.replace("\r", "\n"))
    return out.replace("->", "\\->")


_TEXT_ESCAPES = {"\\": "\\\\", "\t": "\\t", "\r": "\\r", "\f": "\\f", "\b": "\\b"}


def escape_text(value: str) -> str:
    """A `#Text=` line as INCEpTION escapes it: backslash, tab, CR, FF, BS (and nothing of
    what values escape)."""
    return "".join(_TEXT_ESCAPES.get(character, character) for character in value)


def header() -> list[str]:
    return [
        FORMAT,
        f"#T_SP={SPAN_LAYER}|{'|'.join(SPAN_FEATURES)}",
        f"#T_RL={STANCE_LAYER}|{'|'.join(STANCE_FEATURES)}|BT_{SPAN_LAYER}",
        "",
        "",
    ]


def _span_values(span: SpanRow) -> dict[str, str]:
    return {
        "actor": span.actor.name if span.actor else "",
        "actor_type": span.actor.type if span.actor else "",
        "id": span.id,
        "issue": span.issue.key if span.issue else "",
        "label": span.label,
        "note": span.note,
    }


def document_tsv(record: LayerRecord) -> tuple[str, int]:
    """The TSV text of one document layer, and how many stances had no evidence."""
    text = record.document.text
    utf16 = Utf16Index(text)
    cuts = frozenset(o for span in record.spans for o in (span.start, span.end))
    tokens = tokenize(text, cuts)
    groups = list(sentences(text, tokens, ["O"] * len(tokens)))
    address: dict[tuple[int, int], str] = {}
    for number, sentence in enumerate(groups, start=1):
        for index, (start, end, _) in enumerate(sentence, start=1):
            address[(start, end)] = f"{number}-{index}"
    covering: dict[str, list[tuple[int, int]]] = {}
    on_token: dict[tuple[int, int], list[SpanRow]] = {}
    for span in record.spans:
        covered = [t for t in tokens if span.start <= t[0] and t[1] <= span.end]
        covering[span.id] = covered
        for token in covered:
            on_token.setdefault(token, []).append(span)
    # A span needs a number when it covers several tokens or shares one with another.
    numbered = {
        span.id
        for span in record.spans
        if len(covering[span.id]) > 1 or any(len(on_token[t]) > 1 for t in covering[span.id])
    }
    numbers = {span.id: n for n, span in enumerate(record.spans, start=1) if span.id in numbered}
    relations: dict[tuple[int, int], list[tuple[dict[str, str], str]]] = {}
    unanchored = 0
    spans_by_id = {span.id: span for span in record.spans}
    for stance in record.stances:
        evidence = [s for s in stance.evidence if s.id in spans_by_id and covering[s.id]]
        if not evidence:
            unanchored += 1
            continue
        governor = evidence[0]
        for dependent in evidence[1:] or evidence:
            values = {
                "actor": stance.actor.name,
                "confidence": "" if stance.confidence is None else str(stance.confidence),
                "issue": stance.issue.key,
                "note": stance.note,
                "polarity": stance.polarity,
                "stance_id": stance.id,
            }
            target = address[covering[governor.id][0]]
            if governor.id in numbers or dependent.id in numbers:
                target += f"[{numbers.get(governor.id, 0)}_{numbers.get(dependent.id, 0)}]"
            relations.setdefault(covering[dependent.id][0], []).append((values, target))
    lines = header()
    for number, sentence in enumerate(groups):
        begin = sentence[0][0]
        end = groups[number + 1][0][0] if number + 1 < len(groups) else len(text)
        if number:
            lines.append("")  # exactly one empty line between sentences, none at the end
        elif begin:
            # INCEpTION places a sentence at its first token and pads what comes before
            # with spaces; this header line, which it passes over, keeps the real text.
            lines.append(f"{BEFORE}{json.dumps(text[:begin], ensure_ascii=False)}")
        lines += [f"#Text={escape_text(line)}" for line in text[begin:end].split("\n")]
        for start, stop, _ in sentence:
            token = (start, stop)
            cells = [
                address[token],
                f"{utf16.to_utf16(start)}-{utf16.to_utf16(stop)}",
                text[start:stop],  # raw: INCEpTION reads the text from #Text
            ]
            here = on_token.get(token, [])
            for feature in SPAN_FEATURES:
                cells.append(_stack([_span_values(s)[feature] for s in here], here, numbers))
            stacked = relations.get(token, [])
            for feature in STANCE_FEATURES:
                cells.append(_stack([v[feature] for v, _ in stacked], None, numbers))
            cells.append("|".join(target for _, target in stacked) or "_")
            lines.append("\t".join(cells) + "\t")  # every row ends with a tab
    return "\n".join(lines) + "\n", unanchored


def _stack(values: list[str], spans: list[SpanRow] | None, numbers: dict[str, int]) -> str:
    if not values:
        return "_"
    cells = []
    for index, value in enumerate(values):
        cell = escape(value) if value else "*"
        if spans is not None and spans[index].id in numbers:
            cell += f"[{numbers[spans[index].id]}]"
        cells.append(cell)
    return "|".join(cells)


class WebannoTsvWriter:
    """Writes one .tsv per layer record into the temp folder."""

    def __init__(self, folder: Path, target: Path, context: ExportContext) -> None:
        self.folder = folder
        self.target = target
        self.multi_layer = context.options.layers == "all"
        self.counts = Counts()
        self.unanchored = self.doc_labels = 0
        self.documents: dict[str, str] = {}

    def write(self, record: LayerRecord) -> None:
        name = layer_file_name(record, multi_layer=self.multi_layer)
        body, unanchored = document_tsv(record)
        (self.folder / f"{name}.tsv").write_text(body, encoding="utf-8", newline="\n")
        self.documents[f"{name}.tsv"] = record.annotator
        self.unanchored += unanchored
        self.doc_labels += len(record.doc_labels)
        self.counts.add(record)

    def finish(self) -> WriterReport:
        notes = []
        if self.unanchored:
            notes.append(
                f"webanno-tsv: {self.unanchored} stances without evidence spans were not written"
            )
        if self.doc_labels:
            notes.append(f"webanno-tsv: {self.doc_labels} document labels were not written")
        return WriterReport(
            files=[WrittenFile(self.target, self.counts.describe(".tsv files"))],
            notes=notes,
            card={
                "webanno_tsv_layers": header()[1:3],
                "webanno_tsv_annotators": self.documents,
                "webanno_tsv_stances_not_written": self.unanchored,
            },
        )
