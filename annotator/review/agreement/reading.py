"""Reading annotators' layers for the agreement report: Core queries, one page at a time.

Documents come in keyset pages ordered by id (never OFFSET, never the whole table, and
never their text: only the length is needed); each page's spans, stances, document labels
and statuses come from one IN query each. Rows stay plain tuples: building ORM objects
for 600,000 spans would cost more than all the agreement maths.

An annotator has a layer on a document when they have a live span (any label), a live
stance, a document label or a status row for it; only documents with at least two layers
are handed on, since nothing else can be compared.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, func, select

from annotator.io.export.queries import document_pages, raw_id, text_id
from annotator.store.layers import live
from annotator.store.models import (
    Annotator,
    Document,
    DocumentLabel,
    DocumentStatus,
    Span,
    Stance,
)

PAGE = 500  # documents per page; their rows come in one IN query per table

SpanTuple = tuple[int, int, str]  # start, end (exclusive), label
StanceKey = tuple[Any, Any]  # raw actor id, raw issue id


@dataclass(frozen=True, slots=True)
class DocumentLayers:
    """What two or more annotators did in one document, by annotator name."""

    id: str  # canonical UUID text
    external_id: str | None
    title: str
    story: str | None
    length: int
    annotators: tuple[str, ...]  # names with a layer here, sorted (at least two)
    spans: dict[str, list[SpanTuple]]  # live spans, label filter applied; sorted
    stances: dict[str, dict[StanceKey, frozenset[str]]]  # (actor, issue) -> polarities
    labels: dict[str, frozenset[str]]  # document labels


def annotator_ids(connection: Connection) -> dict[str, tuple[Any, str]]:
    """name -> (raw id, role) of every annotator in the project."""
    rows = connection.execute(select(Annotator.name, raw_id(Annotator.id), Annotator.role))
    return {name: (identifier, role) for name, identifier, role in rows}


def count_documents(connection: Connection, story: str | None) -> int:
    """How many documents the report looks at."""
    query = select(func.count()).select_from(Document)
    if story is not None:
        query = query.where(Document.story == story)
    return connection.scalar(query) or 0


def label_in_use(connection: Connection, label: str) -> bool:
    """Whether any live span carries `label`."""
    query = select(Span.id).where(Span.label == label, live(Span)).limit(1)
    return connection.execute(query).first() is not None


def story_exists(connection: Connection, story: str) -> bool:
    """Whether any document belongs to `story`."""
    return (
        connection.execute(select(Document.id).where(Document.story == story).limit(1)).first()
        is not None
    )


def label_and_story_names(connection: Connection) -> tuple[list[str], list[str]]:
    """The labels of live spans and the story keys of documents, each sorted."""
    labels = connection.scalars(select(Span.label).where(live(Span)).distinct())
    stories = connection.scalars(
        select(Document.story).where(Document.story.is_not(None)).distinct()
    )
    return sorted(labels), sorted(story for story in stories if story)


def read_pages(
    connection: Connection,
    annotators: dict[Any, str],  # raw id -> name, the annotators the report compares
    *,
    story: str | None,
    label: str | None,
    page: int = PAGE,
    after: Any = None,
    until: Any = None,
) -> Iterator[tuple[int, list[DocumentLayers]]]:
    """Pages of (documents read, those on which at least two of `annotators` have a
    layer), in document id order; `after` < raw id <= `until` when given."""
    for documents in _document_pages(connection, story, page, after, until):
        yield len(documents), list(_page_layers(connection, annotators, documents, label))


def slice_bounds(connection: Connection, story: str | None, size: int) -> list[Any]:
    """Raw ids cutting the documents (of `story`) into slices of `size` in id order: slice
    k holds bounds[k-1] < id <= bounds[k] (the first from the start, the last to the end)."""
    identifier = raw_id(Document.id)
    query = select(identifier).order_by(identifier)
    if story is not None:
        query = query.where(Document.story == story)
    ids = connection.scalars(query).all()
    return [ids[index] for index in range(size - 1, len(ids) - 1, size)]


def _document_pages(
    connection: Connection, story: str | None, page: int, after: Any, until: Any
) -> Iterator[dict[Any, tuple[str, str | None, str, str | None, int]]]:
    """Pages of raw id -> (id text, external id, title, story, length)."""
    columns = (
        text_id(Document.id),
        Document.external_id,
        Document.title,
        Document.story,
        Document.length,
    )
    for rows in document_pages(connection, columns, story, page, after=after, until=until):
        yield {row[0]: (row[1], row[2], row[3] or "", row[4], row[5]) for row in rows}


def _page_layers(
    connection: Connection,
    annotators: dict[Any, str],
    documents: dict[Any, tuple[str, str | None, str, str | None, int]],
    label: str | None,
) -> Iterator[DocumentLayers]:
    ids = list(documents)
    coders = list(annotators)
    layers: defaultdict[Any, set[str]] = defaultdict(set)

    spans: defaultdict[Any, dict[str, list[SpanTuple]]] = defaultdict(dict)
    query = (
        select(
            raw_id(Span.document_id), raw_id(Span.annotator_id), Span.start, Span.end, Span.label
        )
        .where(
            live(Span),
            raw_id(Span.document_id).in_(ids),
            raw_id(Span.annotator_id).in_(coders),
        )
        # Grouped and sorted by the database: each layer's spans are then one run of rows.
        .order_by(Span.document_id, Span.annotator_id, Span.start, Span.end, Span.label)
    )
    rows = connection.execute(query).all()
    for (document, annotator), group in groupby(rows, key=itemgetter(0, 1)):
        name = annotators[annotator]
        layers[document].add(name)  # a span of any label makes a layer, filter or not
        if label is None:
            spans[document][name] = [(row[2], row[3], row[4]) for row in group]
        else:
            spans[document][name] = [(row[2], row[3], row[4]) for row in group if row[4] == label]

    stances: defaultdict[Any, defaultdict[str, defaultdict[StanceKey, set[str]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    query = select(
        raw_id(Stance.document_id),
        raw_id(Stance.annotator_id),
        raw_id(Stance.actor_id),
        raw_id(Stance.issue_id),
        Stance.polarity,
    ).where(
        live(Stance),
        raw_id(Stance.document_id).in_(ids),
        raw_id(Stance.annotator_id).in_(coders),
    )
    for document, annotator, actor, issue, polarity in connection.execute(query).all():
        name = annotators[annotator]
        layers[document].add(name)
        stances[document][name][(actor, issue)].add(polarity)

    labels: defaultdict[Any, defaultdict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    query = select(
        raw_id(DocumentLabel.document_id), raw_id(DocumentLabel.annotator_id), DocumentLabel.label
    ).where(
        raw_id(DocumentLabel.document_id).in_(ids),
        raw_id(DocumentLabel.annotator_id).in_(coders),
    )
    for document, annotator, document_label in connection.execute(query).all():
        name = annotators[annotator]
        layers[document].add(name)
        labels[document][name].add(document_label)

    query = select(raw_id(DocumentStatus.document_id), raw_id(DocumentStatus.annotator_id)).where(
        raw_id(DocumentStatus.document_id).in_(ids),
        raw_id(DocumentStatus.annotator_id).in_(coders),
    )
    for document, annotator in connection.execute(query).all():
        layers[document].add(annotators[annotator])

    for document, (identifier, external_id, title, story, length) in documents.items():
        names = layers.get(document)
        if names is None or len(names) < 2:
            continue
        by_name: dict[str, list[SpanTuple]] = spans.get(document, {})
        stance_layers: dict[str, defaultdict[StanceKey, set[str]]] = stances.get(document, {})
        label_layers: dict[str, set[str]] = labels.get(document, {})
        yield DocumentLayers(
            id=identifier,
            external_id=external_id,
            title=title,
            story=story,
            length=length,
            annotators=tuple(sorted(names)),
            spans={name: by_name.get(name, []) for name in names},
            stances={
                name: {key: frozenset(value) for key, value in stance_layers.get(name, {}).items()}
                for name in names
            },
            labels={name: frozenset(label_layers.get(name, ())) for name in names},
        )
