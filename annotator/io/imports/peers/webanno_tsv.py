"""WebAnno TSV 3.x (INCEpTION, WebAnno): one document per file.

The header's `#T_SP=` (span) and `#T_CH=` (chain) layers are spans, `#T_RL=` layers
relations; each lists its features, a column each, after the three token columns
(`sentence-token`, `begin-end` in UTF-16 units, the token). A value `X[3]` belongs to
annotation 3 (a span over several tokens, or one stacked with another), stacked values are
joined by `|`, `_` is nothing and `*` an annotation without a value. A span's label is
its `label` or `value` feature, else its first feature with a value, else the layer's
short name; our `actor`, `actor_type`, `issue`, `note` and `id` features are read back.
Our Stance relations (polarity, actor, issue, `stance_id`) are stances; other relations
are kept in the document's meta and counted. The text is rebuilt from the `#Text=` lines
at the tokens' offsets, gaps filled as INCEpTION fills them; our export's sentences and
its `#Annotator.before=` line hold the whole text, so it is exact.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from annotator.core.offsets import Utf16Index
from annotator.io.export.webanno_tsv import BEFORE
from annotator.io.imports.records import (
    ArticleRecord,
    BadInput,
    ReadNote,
    SpanRecord,
    StanceRecord,
    plural,
)

_ADDRESS = re.compile(r"^(\d+)-(\d+)(?:\.(\d+))?$")
_OFFSETS = re.compile(r"^(\d+)-(\d+)$")
_NUMBERED = re.compile(r"^(.*?)\[(\d+)\]$", re.S)
_RELATION_TARGET = re.compile(r"^(\d+-\d+(?:\.\d+)?)(?:\[(\d+)_(\d+)\])?$")
_UNESCAPES = {"t": "\t", "n": "\n", "r": "\r", "f": "\f", "b": "\b"}
OWN = ("label", "value", "actor", "actor_type", "issue", "note", "id")
STANCE = "webanno.custom.Stance"


def unescape(value: str) -> str:
    out = []
    index = 0
    while index < len(value):
        if value[index] == "\\" and index + 1 < len(value):
            out.append(_UNESCAPES.get(value[index + 1], value[index + 1]))
            index += 2
        else:
            out.append(value[index])
            index += 1
    return "".join(out)


def split_unescaped(value: str, separator: str) -> list[str]:
    """`value` split at `separator`s not behind a backslash (the parts still escaped)."""
    parts, current, index = [], [], 0
    while index < len(value):
        if value[index] == "\\" and index + 1 < len(value):
            current.append(value[index : index + 2])
            index += 2
            continue
        if value[index] == separator:
            parts.append("".join(current))
            current = []
        else:
            current.append(value[index])
        index += 1
    parts.append("".join(current))
    return parts


@dataclass
class _Layer:
    kind: str  # SP, CH, RL
    name: str
    features: list[str]
    first_column: int
    base: str | None = None  # a relation's span layer

    @property
    def short(self) -> str:
        return self.name.rsplit(".", 1)[-1]


@dataclass
class _Annotation:
    layer: _Layer
    begin: int
    end: int
    values: dict[str, str] = field(default_factory=dict)
    targets: list[tuple[str, int, int]] = field(default_factory=list)  # relation ends
    address: str = ""


def read_tsv(text: str, origin: str) -> Iterator[ArticleRecord | BadInput | ReadNote]:
    lines = text.split("\n")
    if not lines[0].startswith("#FORMAT=WebAnno TSV 3"):
        yield BadInput(f"{origin}:1", "a WebAnno TSV file of a version other than 3.x")
        return
    layers: list[_Layer] = []
    column = 3
    pieces: list[tuple[int, str]] = []  # (where a sentence text starts, its text)
    sentence_lines: list[str] = []
    annotations: dict[tuple[str, str], _Annotation] = {}
    token_starts: dict[str, int] = {}
    token_numbers: dict[tuple[str, int], str] = {}  # address, annotation -> key
    first_of_sentence: int | None = None
    before = ""  # our export's text before the first token
    try:
        for number, line in enumerate(lines, start=1):
            where = f"{origin}:{number}"
            if line.startswith("#T_"):
                kind, _, rest = line[3:].partition("=")
                parts = rest.split("|")
                base = None
                if kind == "RL" and parts[-1].startswith("BT_"):
                    base = parts.pop()[3:]
                layer = _Layer(kind, parts[0], parts[1:], column, base)
                column += len(layer.features) + (1 if base else 0)
                layers.append(layer)
                continue
            if line.startswith(BEFORE) and not pieces and not sentence_lines:
                try:
                    given = json.loads(line[len(BEFORE) :])
                except ValueError:
                    given = None
                if not isinstance(given, str):
                    raise BadInput(where, f"{BEFORE} needs a JSON string")
                before = given
                continue
            if line.startswith("#Text="):
                if sentence_lines and first_of_sentence is not None:
                    pieces.append((first_of_sentence, "\n".join(sentence_lines)))
                    sentence_lines, first_of_sentence = [], None
                sentence_lines.append(unescape(line[6:]))
                continue
            if not line.strip() or line.startswith("#"):
                continue
            cells = line.split("\t")
            address, offsets = (
                _ADDRESS.match(cells[0]),
                _OFFSETS.match(cells[1] if len(cells) > 1 else ""),
            )
            if address is None or offsets is None or len(cells) < 3:
                raise BadInput(
                    where, "a WebAnno TSV token row needs sentence-token, begin-end and the token"
                )
            begin, end = int(offsets[1]), int(offsets[2])
            if first_of_sentence is None:
                first_of_sentence = begin - _lead(sentence_lines, unescape(cells[2]))
            token_starts.setdefault(cells[0], begin)
            for layer in layers:
                _read_cells(layer, cells, cells[0], begin, end, annotations, token_numbers)
        if sentence_lines and first_of_sentence is not None:
            pieces.append((first_of_sentence, "\n".join(sentence_lines)))
    except BadInput as problem:
        yield problem
        return
    except (IndexError, ValueError) as error:
        yield BadInput(origin, f"not a WebAnno TSV file that can be read ({error})")
        return
    text16 = _text(pieces, before)
    yield from _record(text16, annotations, token_numbers, token_starts, origin)


def _lead(sentence_lines: list[str], token: str) -> int:
    """UTF-16 units before the first token in its sentence's text."""
    sentence = "\n".join(sentence_lines)
    found = sentence.find(token)
    return _units(sentence[: max(found, 0)])


def _units(value: str) -> int:
    return Utf16Index(value).utf16_length


def _text(pieces: list[tuple[int, str]], before: str) -> str:
    """The document text (code points) from sentence texts placed at UTF-16 offsets. A gap
    the file does not hold is filled as INCEpTION fills it: a line break after a sentence,
    then spaces; before the first sentence our `#Annotator.before=` text if it fits."""
    out: list[str] = []
    position = 0
    for start, sentence in pieces:
        if start > position:
            if not out and _units(before) == start:
                out.append(before)
            else:
                gap = start - position
                out.append(("\n" + " " * (gap - 1)) if out else " " * gap)
            position = start
        out.append(sentence)
        position += _units(sentence)
    return "".join(out)


def _read_cells(
    layer: _Layer,
    cells: list[str],
    address: str,
    begin: int,
    end: int,
    annotations: dict[tuple[str, str], _Annotation],
    token_numbers: dict[tuple[str, int], str],
) -> None:
    columns = cells[layer.first_column : layer.first_column + len(layer.features)]
    stacks = [split_unescaped(value, "|") for value in columns]
    depth = max((len(s) for s in stacks if s != ["_"]), default=0)
    targets = (
        split_unescaped(cells[layer.first_column + len(layer.features)], "|") if layer.base else []
    )
    if layer.base:
        depth = max(depth, len([t for t in targets if t != "_"]))
    for index in range(depth):
        values: dict[str, str] = {}
        number = None
        for feature, stack in zip(layer.features, stacks, strict=False):
            value = stack[index] if index < len(stack) else "_"
            if value == "_":
                continue
            numbered = _NUMBERED.match(value)
            if numbered and not value.endswith("\\]"):
                value, number = numbered[1], int(numbered[2])
            if value != "*":
                values[feature] = unescape(value)
        nothing = not layer.features or all(s == ["_"] for s in stacks)
        if nothing and not (layer.base and index < len(targets) and targets[index] != "_"):
            continue
        key = (layer.name, f"n{number}" if number else f"{address}#{index}")
        found = annotations.get(key)
        if found is None:
            found = annotations[key] = _Annotation(layer, begin, end, address=address)
        found.begin, found.end = min(found.begin, begin), max(found.end, end)
        found.values.update(values)
        if number:
            token_numbers[(address, number)] = key[1]
        if layer.base and index < len(targets):
            target = _RELATION_TARGET.match(targets[index])
            if target:
                found.targets.append((target[1], int(target[2] or 0), int(target[3] or 0)))


def _record(
    text16: str,
    annotations: dict[tuple[str, str], _Annotation],
    token_numbers: dict[tuple[str, int], str],
    token_starts: dict[str, int],
    origin: str,
) -> Iterator[ArticleRecord | BadInput | ReadNote]:
    if not text16.strip():
        yield BadInput(origin, "a WebAnno TSV file without text")
        return
    index = Utf16Index(text16)
    spans: list[SpanRecord] = []
    span_at: dict[tuple[str, int], str] = {}  # (first token address, number) -> span id
    relations = []
    zero_width = 0
    for (layer_name, key), found in annotations.items():
        if found.layer.base:
            relations.append(found)
            continue
        if found.begin >= found.end:
            zero_width += 1  # a position, not a stretch of text: no span to store
            continue
        values = found.values
        label = values.get("label") or values.get("value")
        label = label or next((v for k, v in values.items() if k not in OWN and v), None)
        label = label or found.layer.short
        identifier = values.get("id") or f"tsv-{layer_name}-{key}"
        number = int(key[1:]) if key.startswith("n") else 0
        span_at[(found.address, number)] = identifier
        try:
            start, end = index.to_code_point(found.begin), index.to_code_point(found.end)
        except IndexError:
            yield BadInput(origin, f"annotation {key} lies outside the text")
            return
        spans.append(
            SpanRecord(
                start,
                end,
                label,
                id=identifier,
                actor=values.get("actor") or None,
                actor_type=values.get("actor_type") or None,
                issue=values.get("issue") or None,
                note=values.get("note", ""),
            )
        )
    stances: dict[str, StanceRecord] = {}
    other: list[dict[str, Any]] = []
    for relation in relations:
        dependent = span_at.get((relation.address, 0)) or next(
            (v for (a, _), v in span_at.items() if a == relation.address), None
        )
        for target, governor_number, dependent_number in relation.targets:
            governor = span_at.get((target, governor_number))
            if dependent_number:
                dependent = span_at.get((relation.address, dependent_number), dependent)
            values = relation.values
            stance_id = values.get("stance_id")
            if relation.layer.name == STANCE and stance_id and values.get("polarity"):
                ends = tuple(e for e in (governor, dependent) if e)
                known = stances.get(stance_id)
                evidence = tuple(dict.fromkeys((*(known.evidence if known else ()), *ends)))
                confidence = _number(values.get("confidence"))
                stances[stance_id] = StanceRecord(
                    actor=values.get("actor", ""),
                    issue=values.get("issue", ""),
                    polarity=values["polarity"],
                    evidence=evidence,
                    id=stance_id,
                    confidence=confidence,
                    note=values.get("note", ""),
                )
            else:
                other.append(
                    {
                        "layer": relation.layer.name,
                        "governor": governor,
                        "dependent": dependent,
                        "features": values,
                    }
                )
    bad = [s for s in stances.values() if not (s.actor and s.issue)]
    if bad:
        yield BadInput(origin, f"stance {bad[0].id} has no actor or issue")
        return
    yield ArticleRecord(
        origin=origin,
        text=text16,
        raw=text16,
        format="webanno-tsv",
        meta={"webanno_relations": other} if other else {},
        spans=spans,
        stances=list(stances.values()),
    )
    if other:
        yield ReadNote(
            origin,
            f"{plural(len(other), 'relation')} kept in the document's meta "
            "(Annotator has no relation layer)",
        )
    if zero_width:
        yield ReadNote(
            origin, f"{plural(zero_width, 'zero-width annotation')} not imported (no text)"
        )


def _number(value: str | None) -> float | None:
    try:
        number = float(value) if value else None
    except ValueError:
        return None
    return number if number is not None and 0 <= number <= 1 else None
