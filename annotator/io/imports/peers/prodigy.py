"""Prodigy JSONL (`prodigy db-out`): one task per line, with the annotator's answer.

Only `"answer": "accept"` is an annotation; rejected and ignored tasks are skipped and
counted. The annotator is `_annotator_id` (Prodigy's named sessions: `dataset-alice`), else
`_session_id`, else the one the import names. Spans are `spans: [{start, end, label}]`
(code points, Prodigy's); a text classification task's accepted `label`, or the accepted
`options` of a choice task (`accept: [ids]`), become document labels. `meta` stays the
document's metadata; the hashes and other `_` keys are Prodigy's internals, left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from typing import Any

from annotator.io.imports.records import ArticleRecord, BadInput, ReadNote, plural
from annotator.io.imports.structured import parse_record

ANSWERS = ("accept", "reject", "ignore")


def is_prodigy(item: object) -> bool:
    return isinstance(item, dict) and (
        "_input_hash" in item or "_task_hash" in item or item.get("answer") in ANSWERS
    )


def read_items(
    items: list[tuple[str, object]], origin: str
) -> Iterator[ArticleRecord | BadInput | ReadNote]:
    skipped: Counter[str] = Counter()
    for where, item in items:
        if not isinstance(item, dict):
            yield BadInput(where, "not a Prodigy task (an object with 'text')")
            continue
        answer = item.get("answer", "accept")
        if answer != "accept":
            skipped[str(answer)] += 1
            continue
        try:
            yield parse_record(_our_shape(item), where, "prodigy")
        except BadInput as problem:
            yield problem
    if skipped:
        said = ", ".join(f"{plural(n, 'task')} answered {a}" for a, n in sorted(skipped.items()))
        yield ReadNote(origin, f"skipped {said} (only accepted answers are annotations)")


def _our_shape(item: dict[str, Any]) -> dict[str, Any]:
    spans = [
        {k: span.get(k) for k in ("start", "end", "label", "text") if span.get(k) is not None}
        if isinstance(span, dict)
        else span
        for span in item.get("spans") or []
    ]
    labels: list[str] = []
    if isinstance(item.get("label"), str) and not spans:
        labels.append(item["label"])
    accepted = item.get("accept")
    if isinstance(accepted, list):
        names = {
            option.get("id"): str(option.get("text", option.get("id")))
            for option in item.get("options") or []
            if isinstance(option, dict)
        }
        labels.extend(names.get(choice, str(choice)) for choice in accepted)
    shaped: dict[str, Any] = {
        "text": item.get("text"),
        "spans": spans,
        "doc_labels": list(dict.fromkeys(labels)),
        "meta": item.get("meta") if isinstance(item.get("meta"), dict) else {},
    }
    for key in ("id", "title", "source", "url", "published", "story"):
        if item.get(key) is not None:
            shaped[key] = item[key]
    annotator = item.get("_annotator_id") or item.get("_session_id")
    if isinstance(annotator, str) and annotator.strip():
        shaped["annotator"] = annotator
    return shaped
