"""The disagreements behind an agreement figure: what a lead opens from a number.

`disagreements(project, about=...)` lists, document by document, what two compared
annotators did differently:

* "spans" (span F1, αU, uα, label confusion): a span of one annotator that no span of the
  other overlaps with the same label ("only ana"), the same stretch under two labels
  ("ACTOR / ISSUE"), and, unless `exact_only` is off, the same label with other
  boundaries ("boundaries"). Spans are matched as the report's confusion matches them.
* "stances" (stance α): a (document, actor, issue) where the polarities differ, or that
  only one of the two coded.
* "labels" (document-label κ and AC1): a document label one gave and the other did not.

Filters narrow it to what a figure covers: a pair of annotators, a span label, a pair of
labels (a confusion cell), a document, a story.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any, Literal

from sqlalchemy import Connection, select

from annotator.io.export.queries import Registries
from annotator.review.agreement.reading import DocumentLayers, SpanTuple, annotator_ids, read_pages
from annotator.review.agreement.spans import confused_pairs, overlap_candidates
from annotator.store.database import Database
from annotator.store.models import Document

About = Literal["spans", "stances", "labels"]
LIMIT = 5000  # rows: more than anyone reads; the count of all is still given


@dataclass(frozen=True)
class Disagreement:
    """One thing two annotators did differently, where it is."""

    document_id: uuid.UUID
    document: str  # title (or external id)
    a: str
    b: str
    start: int | None  # the stretch in the text, for spans
    end: int | None
    kind: str  # "only ana", "ACTOR / ISSUE", "boundaries", "oppose / support", ...
    detail: str  # the quoted text, the actor and issue, the label


@dataclass(frozen=True)
class Disagreements:
    rows: tuple[Disagreement, ...]
    total: int  # all found, of which `rows` are the first LIMIT


def disagreements(
    project: Database,
    *,
    about: About = "spans",
    pair: tuple[str, str] | None = None,
    label: str | None = None,
    labels: tuple[str | None, str | None] | None = None,
    document_id: str | None = None,
    story: str | None = None,
    annotators: Sequence[str] | None = None,
    exact: bool = True,
) -> Disagreements:
    """What the compared annotators disagree on, narrowed by the filters (see the module)."""
    with project.sessions() as session:
        connection = session.connection()
        known = annotator_ids(connection)
        wanted = set(annotators) if annotators else None
        compared = {
            raw: name
            for name, (raw, role) in known.items()
            if (wanted is None and role != "reviewer") or (wanted is not None and name in wanted)
        }
        rows: list[Disagreement] = []
        total = 0
        registries = Registries.load(connection) if about == "stances" else None
        for _, page in read_pages(connection, compared, story=story, label=None):
            for layers in page:
                if document_id is not None and layers.id != document_id:
                    continue
                found = list(
                    _found(connection, layers, about, pair, label, labels, exact, registries)
                )
                total += len(found)
                rows.extend(found[: max(0, LIMIT - len(rows))])
    return Disagreements(tuple(rows), total)


def _found(
    connection: Connection,
    layers: DocumentLayers,
    about: About,
    pair: tuple[str, str] | None,
    label: str | None,
    labels: tuple[str | None, str | None] | None,
    exact: bool,
    registries: Registries | None,
) -> Iterator[Disagreement]:
    document = uuid.UUID(layers.id)
    title = layers.title or layers.external_id or layers.id
    text: str | None = None  # read once per document, when a pair's spans differ there
    for a, b in combinations(layers.annotators, 2):
        if pair is not None and {a, b} != set(pair):
            continue
        if about == "spans":
            if text is None:
                text = _text(connection, document)
            for start, end, kind, detail in _span_differences(
                layers.spans[a], layers.spans[b], a, b, label, labels, exact, text
            ):
                yield Disagreement(document, title, a, b, start, end, kind, detail)
        elif about == "stances":
            for key in sorted(set(layers.stances[a]) | set(layers.stances[b]), key=str):
                mine, theirs = layers.stances[a].get(key), layers.stances[b].get(key)
                if mine == theirs:
                    continue
                kind = (
                    f"only {a}"
                    if not theirs
                    else f"only {b}"
                    if not mine
                    else f"{'+'.join(sorted(mine))} / {'+'.join(sorted(theirs))}"
                )
                yield Disagreement(
                    document, title, a, b, None, None, kind, _stance(registries, key)
                )
        else:
            for given in sorted(layers.labels[a] ^ layers.labels[b]):
                who = a if given in layers.labels[a] else b
                yield Disagreement(document, title, a, b, None, None, f"only {who}", given)


def _span_differences(
    first: list[SpanTuple],
    second: list[SpanTuple],
    a: str,
    b: str,
    label: str | None,
    labels: tuple[str | None, str | None] | None,
    exact: bool,
    text: str,
) -> Iterator[tuple[int, int, str, str]]:
    """(start, end, kind, quote) of each difference, matched as the report's confusion
    matches spans (largest overlap first, whatever the labels)."""
    pairs = confused_pairs(overlap_candidates(first, second))
    used_a = {i for i, _ in pairs}
    used_b = {j for _, j in pairs}
    found: list[tuple[int, int, str, str, str | None, str | None]] = []
    for i, j in pairs:
        (s1, e1, l1), (s2, e2, l2) = first[i], second[j]
        start, end = min(s1, s2), max(e1, e2)
        if l1 != l2:
            found.append((start, end, f"{l1} / {l2}", text[start:end], l1, l2))
        elif exact and (s1, e1) != (s2, e2):
            found.append((start, end, f"boundaries ({l1})", text[start:end], l1, l2))
    for i, (s1, e1, l1) in enumerate(first):
        if i not in used_a:
            found.append((s1, e1, f"only {a} ({l1})", text[s1:e1], l1, None))
    for j, (s2, e2, l2) in enumerate(second):
        if j not in used_b:
            found.append((s2, e2, f"only {b} ({l2})", text[s2:e2], None, l2))
    for start, end, kind, quote, of_a, of_b in sorted(found, key=lambda row: row[:3]):
        if label is not None and label not in (of_a, of_b):
            continue
        if labels is not None and {of_a, of_b} != set(labels):
            continue
        yield start, end, kind, " ".join(quote.split())[:120]


def _text(connection: Connection, document: uuid.UUID) -> str:
    return connection.execute(select(Document.text).where(Document.id == document)).scalar_one()


def _stance(registries: Registries | None, key: tuple[Any, Any]) -> str:
    actor = registries.actors.get(key[0]) if registries else None
    issue = registries.issues.get(key[1]) if registries else None
    return f"{actor.name if actor else '?'} on {issue.name if issue else '?'}"
