"""doccano JSONL: sequence labelling, its relation format, and text classification.

- Sequence labelling: `{"text", "label": [[start, end, label], ...]}`.
- With relations: `{"text", "entities": [{"id", "label", "start_offset", "end_offset"}],
  "relations": [{"id", "from_id", "to_id", "type"}]}`; relations are kept in the document's
  meta (Annotator has no relation layer) and said in the summary.
- Text classification: `{"text", "label": ["news", ...]}` (or `"cats"`): document labels.
- Other keys are the document's metadata; `user`/`annotator` (where the export names who
  labelled) is the annotator. Our own doccano export carries, in `meta.spans`, the id, actor,
  issue and note of each `label` entry (same order) and the stances in `meta.stances`, so it
  imports to the same annotations.
- Offsets: doccano stores what it was given, and its web UI counts UTF-16 units (JavaScript),
  so spans made there are shifted after every emoji. `--offsets utf16` reads them as such.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from annotator.io.imports.records import ArticleRecord, BadInput, ReadNote, plural
from annotator.io.imports.structured import parse_record

OWN = ("title", "source", "url", "published", "story")


def is_doccano(item: object) -> bool:
    if not isinstance(item, dict) or "text" not in item or "spans" in item:
        return False
    label = item.get("label")
    if isinstance(label, list) and label and all(isinstance(x, list) for x in label):
        return True
    if isinstance(label, list) and all(isinstance(x, str) for x in label) and "data" not in item:
        return "annotator" not in item or "meta" in item  # classification
    return isinstance(item.get("entities"), list) or isinstance(item.get("cats"), list)


def read_items(
    items: list[tuple[str, object]], origin: str, unit: str
) -> Iterator[ArticleRecord | BadInput | ReadNote]:
    relations = unsure = 0
    for where, item in items:
        if not isinstance(item, dict):
            yield BadInput(where, "not a doccano record (an object with 'text')")
            continue
        try:
            shaped, found = _our_shape(item, where)
            relations += found
            record = parse_record(shaped, where, "doccano", unit)
        except BadInput as problem:
            yield problem
            continue
        ours = isinstance((item.get("meta") or {}).get("spans"), list)
        unsure += unit == "codepoints" and not ours and _after_astral(record)
        yield record
    if unsure:
        yield ReadNote(
            origin,
            f"{plural(unsure, 'record')} with spans after an emoji or another character "
            "doccano's web UI counts as two: if they were made there, import again counting "
            "UTF-16 units (--offsets utf16, or the UTF-16 box of the import window)",
        )
    if relations:
        yield ReadNote(
            origin,
            f"{plural(relations, 'relation')} kept in the documents' meta "
            "(Annotator has no relation layer)",
        )


def _after_astral(record: ArticleRecord) -> bool:
    """Whether a span ends after a character outside the BMP (where the units differ)."""
    if not record.spans:
        return False
    last = max(span.end for span in record.spans)
    return any(ord(character) > 0xFFFF for character in record.text[:last])


def _our_shape(item: dict[str, Any], origin: str) -> tuple[dict[str, Any], int]:
    given = item.get("meta")
    meta: dict[str, Any] = dict(given) if isinstance(given, dict) else {}
    links = meta.pop("spans", None)
    stances = meta.pop("stances", [])
    spans: list[dict[str, Any]] = []
    doc_labels: list[str] = []
    label = item.get("label") or []
    if not isinstance(label, list):
        raise BadInput(origin, "'label' must be a list")
    for number, entry in enumerate(label, start=1):
        if isinstance(entry, str):
            doc_labels.append(entry)
        elif isinstance(entry, list) and len(entry) == 3:
            span: dict[str, Any] = {"start": entry[0], "end": entry[1], "label": entry[2]}
            if (
                isinstance(links, list)
                and number <= len(links)
                and isinstance(links[number - 1], dict)
            ):
                span.update({k: v for k, v in links[number - 1].items() if k != "text"})
            spans.append(span)
        else:
            raise BadInput(origin, f"label {number} must be [start, end, label] or a class name")
    for entity in item.get("entities") or []:
        if not isinstance(entity, dict):
            raise BadInput(origin, "an entity must be an object")
        spans.append(
            {
                "start": entity.get("start_offset"),
                "end": entity.get("end_offset"),
                "label": entity.get("label"),
            }
        )
    cats = item.get("cats")
    if isinstance(cats, list):
        doc_labels.extend(str(c) for c in cats)
    relations = item.get("relations") or []
    if relations:
        meta["doccano_relations"] = relations
    shaped: dict[str, Any] = {
        "text": item.get("text"),
        "spans": spans,
        "stances": stances,
        "doc_labels": list(dict.fromkeys(doc_labels)),
        "meta": {
            k: v for k, v in {**_extra(item), **meta}.items() if k not in OWN and k != "annotator"
        },
    }
    if item.get("id") is not None:
        shaped["id"] = item["id"]
    for key in OWN:
        value = meta.get(key, item.get(key))
        if isinstance(value, str):
            shaped[key] = value
    user = item.get("annotator", meta.get("annotator", item.get("user")))
    if isinstance(user, str | int) and not isinstance(user, bool):
        shaped["annotator"] = str(user)
    return shaped, len(relations)


def _extra(item: dict[str, Any]) -> dict[str, Any]:
    skip = {"text", "label", "entities", "relations", "cats", "meta", "id", "user", "Comments"}
    return {k: v for k, v in item.items() if k not in skip and not k.startswith("_")}
