"""Label Studio exports: JSON (tasks), JSON_MIN (one flat object per annotation) and CSV/TSV.

- JSON: a list of tasks `{"data": {"text", ...}, "annotations": [{"completed_by",
  "result": [...], "was_cancelled", ...}], "predictions": [...]}`. Each annotation that was
  not cancelled is one layer: `labels` results are spans (`value.start/end/text/labels`, one
  span per label), `choices` results are document labels, a `textarea` result on a region
  is that span's note. Predictions are not annotations and are not imported (counted).
- Our own `labelstudio` export carries `meta.layers[i]` (annotator, stances, actor and issue
  of each region) for `annotations[i]`; it is read back, so our export imports to the same
  annotations.
- JSON_MIN and CSV: one row per annotation: `text` plus a column per control, a list of
  `{start, end, text, labels}` for a Labels control and the chosen values for Choices.
- The annotator is `completed_by` (or JSON_MIN's `annotator`): the e-mail address where the
  export gives one, else `labelstudio-<user id>`.
- Offsets are code points (Label Studio's); a span whose quoted text only fits as UTF-16 units
  (older versions) is converted (see `common.checked_span`). `relation` results are kept in
  the document's meta (Annotator has no relation layer) and said in the summary.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

from annotator.core.json_input import JsonProblem, strict_json
from annotator.io.imports.records import (
    ArticleRecord,
    BadInput,
    ReadNote,
    SpanRecord,
    StanceRecord,
    plural,
)
from annotator.io.imports.spans import checked_span, unique_spans
from annotator.io.imports.structured import parse_stances

Item = ArticleRecord | BadInput | ReadNote
MIN_COLUMNS = frozenset({"id", "text", "annotator", "annotation_id", "created_at", "updated_at"})
MIN_COLUMNS |= {"lead_time", "agreement", "drafts", "predictions", "meta"}


def is_task(item: object) -> bool:
    """A Label Studio task (JSON export)."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("data"), dict)
        and ("annotations" in item or "predictions" in item or "completions" in item)
    )


def is_min_row(item: object) -> bool:
    """A JSON_MIN row: `text` and a column holding regions with a `labels` list."""
    if not isinstance(item, dict) or "text" not in item or "spans" in item:
        return False
    return any(_regions(value) for key, value in item.items() if key not in MIN_COLUMNS)


def read_tasks(items: list[Any], origin: str) -> Iterator[Item]:
    predictions = relations = cancelled = loose = 0
    for number, task in enumerate(items, start=1):
        where = f"{origin}: task {number}"
        if not is_task(task):
            yield BadInput(where, "not a Label Studio task (it needs 'data' and 'annotations')")
            continue
        text = _task_text(task["data"])
        if text is None:
            yield BadInput(where, "its 'data' holds no text (no 'text' field)")
            continue
        layers = (
            (task.get("meta") or {}).get("layers") if isinstance(task.get("meta"), dict) else None
        )
        annotations = task.get("annotations") or task.get("completions") or []
        predictions += len(task.get("predictions") or [])
        if not isinstance(annotations, list):
            yield BadInput(where, "'annotations' must be a list")
            continue
        for index, annotation in enumerate(annotations):
            if not isinstance(annotation, dict):
                yield BadInput(where, f"annotation {index + 1} is not an object")
                continue
            if annotation.get("was_cancelled"):
                cancelled += 1
                continue
            ours = layers[index] if isinstance(layers, list) and index < len(layers) else None
            try:
                record, found_relations, found_loose = _annotation_record(
                    task, text, annotation, ours, f"{where}, annotation {index + 1}"
                )
            except BadInput as problem:
                yield problem
                continue
            relations += found_relations
            loose += found_loose
            yield record
    if predictions:
        yield ReadNote(
            origin, f"{plural(predictions, 'prediction')} not imported (only annotations are)"
        )
    if cancelled:
        yield ReadNote(origin, f"{plural(cancelled, 'cancelled annotation')} skipped")
    if relations:
        yield ReadNote(
            origin,
            f"{plural(relations, 'relation')} kept in the documents' meta "
            "(Annotator has no relation layer)",
        )
    if loose:
        yield ReadNote(
            origin,
            f"{plural(loose, 'text-area answer')} for a whole document not imported "
            "(a layer has no document note; text areas on a region are the span's note)",
        )


def _task_text(data: dict[str, Any]) -> str | None:
    if isinstance(data.get("text"), str):
        return str(data["text"])
    strings = [value for value in data.values() if isinstance(value, str)]
    return max(strings, key=len) if strings else None


def _annotation_record(
    task: dict[str, Any],
    text: str,
    annotation: dict[str, Any],
    ours: object,
    origin: str,
) -> tuple[ArticleRecord, int, int]:
    """The annotation's record, its relations and its text areas not on a region."""
    result = annotation.get("result") or []
    if not isinstance(result, list):
        raise BadInput(origin, "'result' must be a list")
    links = ours.get("regions", {}) if isinstance(ours, dict) else {}
    spans: list[SpanRecord] = []
    notes: dict[str, str] = {}
    doc_labels: list[str] = []
    relations: list[dict[str, Any]] = []
    for number, item in enumerate(result, start=1):
        if not isinstance(item, dict):
            raise BadInput(origin, f"result {number} is not an object")
        kind, value = item.get("type"), item.get("value")
        if kind == "relation":
            relations.append({k: item.get(k) for k in ("from_id", "to_id", "labels", "direction")})
            continue
        if not isinstance(value, dict):
            continue
        if kind == "choices" and "start" not in value:
            doc_labels.extend(str(choice) for choice in value.get("choices") or [])
            continue
        if kind == "textarea" and item.get("id"):
            notes[str(item["id"])] = " ".join(str(t) for t in value.get("text") or [])
            continue
        labels = value.get(kind) if isinstance(kind, str) and kind.endswith("labels") else None
        if not isinstance(labels, list) or "start" not in value:
            continue
        region = str(item["id"]) if item.get("id") is not None else None
        link = links.get(region, {}) if isinstance(links, dict) and region else {}
        meta_note = item.get("meta", {}).get("text") if isinstance(item.get("meta"), dict) else None
        for label in labels:
            spans.append(
                checked_span(
                    text,
                    value.get("start"),
                    value.get("end"),
                    label,
                    origin,
                    f"result {number}",
                    quoted=value.get("text"),
                    id=region,
                    actor=link.get("actor"),
                    actor_type=link.get("actor_type"),
                    issue=link.get("issue"),
                    note=" ".join(meta_note) if isinstance(meta_note, list) else None,
                )
            )
    spans = [
        span if span.id not in notes else SpanRecord(**{**vars(span), "note": notes[span.id]})
        for span in unique_spans(spans)
    ]
    stances: list[StanceRecord] = []
    annotator = None
    if isinstance(ours, dict):
        stances = parse_stances(ours.get("stances", []), {s.id for s in spans if s.id}, origin)
        annotator = ours.get("annotator") if isinstance(ours.get("annotator"), str) else None
    data = task["data"]
    meta = data.get("meta") if isinstance(data.get("meta"), dict) else {}
    meta = {**{k: v for k, v in data.items() if k not in _DATA_FIELDS}, **meta}
    if relations:
        meta["labelstudio_relations"] = relations
    return (
        ArticleRecord(
            origin=origin,
            text=text,
            raw=text,
            format="labelstudio",
            title=_string(data.get("title")),
            external_id=_string(data.get("external_id")),
            source=_string(data.get("source")),
            url=_string(data.get("url")),
            published=_string(data.get("published")),
            story=_string(data.get("story")),
            meta=meta,
            annotator=annotator or user_name(annotation.get("completed_by")),
            spans=spans,
            stances=stances,
            doc_labels=list(dict.fromkeys(doc_labels)),
        ),
        len(relations),
        len(set(notes) - {span.id for span in spans}),
    )


_DATA_FIELDS = frozenset(
    {"text", "document_id", "external_id", "title", "source", "url", "published", "story"}
) | {"meta", "split"}


def user_name(user: object) -> str | None:
    """The annotator a Label Studio user becomes: the e-mail, else `labelstudio-<id>`."""
    if isinstance(user, dict):
        email = user.get("email")
        if isinstance(email, str) and email.strip():
            return email.strip()
        user = user.get("id")
    if isinstance(user, str) and user.strip():
        return user.strip() if not user.strip().isdigit() else f"labelstudio-{user.strip()}"
    if isinstance(user, int) and not isinstance(user, bool):
        return f"labelstudio-{user}"
    return None


def read_min_rows(items: list[Any], origin: str, kind: str = "labelstudio") -> Iterator[Item]:
    """JSON_MIN rows (and CSV rows, already parsed into the same shape)."""
    for number, row in enumerate(items, start=1):
        where = origin if kind == "csv-row" else f"{origin}: item {number}"
        if not isinstance(row, dict) or not isinstance(row.get("text"), str):
            yield BadInput(where, "not a Label Studio JSON_MIN row (it needs 'text')")
            continue
        try:
            yield _min_record(row, where)
        except BadInput as problem:
            yield problem


def _min_record(row: dict[str, Any], origin: str) -> ArticleRecord:
    text = str(row["text"])
    spans: list[SpanRecord] = []
    doc_labels: list[str] = []
    meta: dict[str, Any] = {}
    for key, value in row.items():
        if key in MIN_COLUMNS:
            continue
        regions = _regions(value)
        if regions:
            for number, region in enumerate(regions, start=1):
                labels: list[Any] = next(
                    (
                        region[k]
                        for k in region
                        if k.endswith("labels") and isinstance(region[k], list)
                    ),
                    [],
                )
                for label in labels:
                    spans.append(
                        checked_span(
                            text,
                            region.get("start"),
                            region.get("end"),
                            label,
                            origin,
                            f"'{key}' region {number}",
                            quoted=region.get("text"),
                        )
                    )
        elif isinstance(value, str) and value:
            doc_labels.append(value)
        elif isinstance(value, dict) and isinstance(value.get("choices"), list):
            doc_labels.extend(str(choice) for choice in value["choices"])
        elif isinstance(value, list) and value and all(isinstance(v, str) for v in value):
            doc_labels.extend(value)
        elif value not in (None, "", []):
            meta[key] = value
    external = row.get("id")
    return ArticleRecord(
        origin=origin,
        text=text,
        raw=text,
        format="labelstudio",
        external_id=None if external is None else str(external),
        meta=meta,
        annotator=user_name(row.get("annotator")),
        spans=unique_spans(spans),
        doc_labels=list(dict.fromkeys(doc_labels)),
    )


def _regions(value: object) -> list[dict[str, Any]]:
    """Label Studio regions: objects with start, end and a `labels` (or `...labels`) list."""
    if not isinstance(value, list) or not value:
        return []
    if all(
        isinstance(v, dict)
        and "start" in v
        and "end" in v
        and any(k.endswith("labels") and isinstance(v[k], list) for k in v)
        for v in value
    ):
        return value
    return []


def read_csv(text: str, origin: str, delimiter: str) -> Iterator[Item]:
    """Label Studio's CSV/TSV export: JSON_MIN with list cells as JSON text."""
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    line = 2
    try:
        for row in reader:
            where = f"{origin}:{line}"
            line = reader.line_num + 1
            item: dict[str, Any] = {}
            for key, value in row.items():
                if key is None or value in (None, ""):
                    continue
                if value.lstrip().startswith(("[", "{")):
                    try:
                        item[key] = strict_json(value)
                    except JsonProblem as error:
                        yield BadInput(where, f"column '{key}' is not valid JSON ({error.reason})")
                        break
                else:
                    item[key] = value
            else:
                yield from read_min_rows([item], where, "csv-row")
    except csv.Error as error:
        yield BadInput(f"{origin}:{line}", f"not valid CSV ({error})")


def is_csv_header(header: list[str]) -> bool:
    """The header of a Label Studio CSV/TSV export."""
    names = set(header)
    return "text" in names and ("annotation_id" in names or {"annotator", "lead_time"} <= names)


def _string(value: object) -> str | None:
    return value.strip() or None if isinstance(value, str) else None
