"""JSONL and CSV articles: one per line or row, with optional spans, stances and labels.

The record shape is the export shape of DESIGN.md, so our own exports import again:
`{"text", "id"?, "title"?, "source"?, "url"?, "published"?, "story"?, "meta"?, "annotator"?,
"spans"?: [{"start", "end", "label", "id"?, "actor"?, "actor_type"?, "issue"?, "text"?,
"note"?}], "stances"?: [{"actor", "actor_type"?, "issue", "polarity", "evidence"?: [span ids],
"confidence"?, "id"?, "note"?}], "doc_labels"?: [...]}`. Offsets are code points into `text`,
end exclusive. `actor_type` (person, organisation, ...) is the type of an actor the import
creates. Keys we do not know are kept in `meta` (keys starting with "_" are tool internals
and are left out).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from annotator.core.json_input import JsonProblem, strict_json
from annotator.io.imports.records import ArticleRecord, BadInput, SpanRecord, StanceRecord
from annotator.io.imports.spans import Offsets, checked_span

STRING_FIELDS = ("title", "source", "url", "published", "story", "annotator")
KNOWN = {"text", "id", "meta", "spans", "stances", "doc_labels", "label", *STRING_FIELDS}


def read_jsonl(text: str, path: str) -> Iterator[ArticleRecord | BadInput]:
    """Records of a JSONL file (a JSON array of records is accepted too)."""
    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = strict_json(text)
        except JsonProblem as error:
            yield BadInput(f"{path}:{error.line}", f"not valid JSON ({error.reason})")
            return
        if not isinstance(items, list):
            yield BadInput(path, "a JSON file must hold a list of article objects")
            return
        for number, item in enumerate(items, start=1):
            yield _record_or_problem(item, f"{path}: item {number}", "jsonl")
        return
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        origin = f"{path}:{number}"
        try:
            item = strict_json(line)
        except JsonProblem as error:
            yield BadInput(origin, f"not valid JSON ({error.reason}{error.where()})")
            continue
        yield _record_or_problem(item, origin, "jsonl")


def read_csv(text: str, path: str, delimiter: str = ",") -> Iterator[ArticleRecord | BadInput]:
    """Records of a CSV (or TSV) file with a header row that has a `text` column."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    try:
        header = reader.fieldnames
    except csv.Error as error:
        yield BadInput(f"{path}:1", f"not valid CSV ({error})")
        return
    if not header or "text" not in header:
        yield BadInput(
            f"{path}:1",
            f"the header row needs a 'text' column (found: {', '.join(header or []) or 'nothing'})",
        )
        return
    line = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:  # named by the line its row starts on
            yield BadInput(f"{path}:{line}", f"not valid CSV ({error})")
            return
        origin = f"{path}:{line}"
        line = reader.line_num + 1
        if None in row:
            yield BadInput(origin, "this row has more cells than the header")
            continue
        item: dict[str, Any] = {}
        try:
            for key, value in row.items():
                if value in ("", None):
                    continue
                if key in ("meta", "spans", "stances") or (
                    key == "doc_labels" and value.lstrip().startswith("[")
                ):
                    item[key] = strict_json(value)
                elif key == "doc_labels":
                    item[key] = [part.strip() for part in value.split(";") if part.strip()]
                else:
                    item[key] = value
        except JsonProblem as error:
            yield BadInput(origin, f"column '{key}' is not valid JSON ({error.reason})")
            continue
        yield _record_or_problem(item, origin, "csv")


def _record_or_problem(item: object, origin: str, kind: str) -> ArticleRecord | BadInput:
    try:
        return parse_record(item, origin, kind)
    except BadInput as problem:
        return problem


def parse_record(
    item: object, origin: str, kind: str, offset_unit: str = "codepoints"
) -> ArticleRecord:
    """Validate one article object; raises BadInput naming the field. `offset_unit` "utf16"
    reads the spans' offsets as UTF-16 units (a tool written in JavaScript or Java)."""
    if not isinstance(item, dict):
        raise BadInput(origin, f"expected an object with a 'text' field, not {_kind(item)}")
    text = item.get("text")
    if not isinstance(text, str) or not text.strip():
        raise BadInput(origin, "'text' is missing or empty")
    values: dict[str, str | None] = {}
    for name in STRING_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            raise BadInput(origin, f"'{name}' must be a string, not {_kind(value)}")
        values[name] = value.strip() or None if isinstance(value, str) else None
    external = item.get("id")
    if external is not None and (isinstance(external, bool) or not isinstance(external, str | int)):
        raise BadInput(origin, f"'id' must be a string or a number, not {_kind(external)}")
    meta = item.get("meta", {})
    if isinstance(meta, str) and meta.lstrip().startswith("{"):  # a split export's meta
        try:
            meta = strict_json(meta)
        except JsonProblem as error:
            raise BadInput(origin, f"'meta' is not valid JSON ({error.reason})") from None
    if not isinstance(meta, dict):
        raise BadInput(origin, f"'meta' must be an object, not {_kind(meta)}")
    meta = {**{k: v for k, v in item.items() if k not in KNOWN and not k.startswith("_")}, **meta}
    spans = _spans(item, text, origin, offset_unit)
    stances = parse_stances(item.get("stances", []), {s.id for s in spans if s.id}, origin)
    labels = item.get("doc_labels", [])
    if not isinstance(labels, list) or not all(isinstance(x, str) for x in labels):
        raise BadInput(origin, "'doc_labels' must be a list of strings")
    return ArticleRecord(
        origin=origin,
        text=text,
        raw=text,
        format=kind,
        title=values["title"],
        external_id=None if external is None else str(external),
        source=values["source"],
        url=values["url"],
        published=values["published"],
        story=values["story"],
        meta=meta,
        annotator=values["annotator"],
        spans=spans,
        stances=stances,
        doc_labels=labels,
    )


def _spans(item: dict[str, Any], text: str, origin: str, unit: str) -> list[SpanRecord]:
    given = item.get("spans", [])
    offsets = Offsets(text, unit) if unit != "codepoints" else None
    if not isinstance(given, list):
        raise BadInput(origin, "'spans' must be a list")
    spans = []
    for number, span in enumerate(given, start=1):
        where = f"span {number}"
        if isinstance(span, list | tuple) and len(span) == 3:
            span = {"start": span[0], "end": span[1], "label": span[2]}
        if not isinstance(span, dict):
            raise BadInput(origin, f"{where} must be an object with start, end and label")
        extras = {key: span.get(key) for key in ("id", "actor", "actor_type", "issue", "note")}
        for key, value in extras.items():
            if value is not None and not isinstance(value, str):
                raise BadInput(origin, f"{where}: '{key}' must be a string")
        found = checked_span(
            text,
            span.get("start"),
            span.get("end"),
            span.get("label"),
            origin,
            where,
            quoted=span.get("text"),
            offsets=offsets,
            id=extras["id"],
            actor=extras["actor"],
            issue=extras["issue"],
            note=extras["note"],
            actor_type=_stripped(extras["actor_type"]),
        )
        spans.append(found)
    ids = [span.id for span in spans if span.id]
    if len(ids) != len(set(ids)):
        raise BadInput(origin, "two spans have the same 'id'")
    return spans


def parse_stances(given: object, span_ids: set[str | None], origin: str) -> list[StanceRecord]:
    """The stances of a record (our JSONL shape), evidence checked against `span_ids`."""
    if not isinstance(given, list):
        raise BadInput(origin, "'stances' must be a list")
    stances = []
    for number, stance in enumerate(given, start=1):
        where = f"stance {number}"
        if not isinstance(stance, dict):
            raise BadInput(origin, f"{where} must be an object")
        fields = {key: stance.get(key) for key in ("actor", "issue", "polarity")}
        for key, value in fields.items():
            if not isinstance(value, str) or not value.strip():
                raise BadInput(origin, f"{where}: '{key}' must be a non-empty string")
        evidence = stance.get("evidence", [])
        if not isinstance(evidence, list) or not all(isinstance(e, str) for e in evidence):
            raise BadInput(origin, f"{where}: 'evidence' must be a list of span ids")
        missing = [e for e in evidence if e not in span_ids]
        if missing:
            raise BadInput(
                origin, f"{where}: evidence '{missing[0]}' is not the id of a span of this record"
            )
        confidence = stance.get("confidence")
        if confidence is not None and (
            not isinstance(confidence, int | float)
            or isinstance(confidence, bool)
            or not 0 <= confidence <= 1
        ):
            raise BadInput(origin, f"{where}: 'confidence' must be a number from 0 to 1")
        stance_id, note, actor_type = stance.get("id"), stance.get("note"), stance.get("actor_type")
        for key, value in (("id", stance_id), ("actor_type", actor_type)):
            if value is not None and not isinstance(value, str):
                raise BadInput(origin, f"{where}: '{key}' must be a string")
        stances.append(
            StanceRecord(
                actor=str(fields["actor"]).strip(),
                issue=str(fields["issue"]).strip(),
                polarity=str(fields["polarity"]).strip(),
                evidence=tuple(evidence),
                id=stance_id,
                confidence=None if confidence is None else float(confidence),
                note=note if isinstance(note, str) else "",
                actor_type=_stripped(actor_type),
            )
        )
    return stances


def _stripped(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _kind(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        bool: "true/false",
        type(None): "null",
    }.get(type(value), "a number")
