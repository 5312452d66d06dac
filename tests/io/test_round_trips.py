"""Our export in each interchange format, read back by our importer into a new project:
the same annotations, on texts with emoji, flags, combining marks, CJK, RTL, CRLF, tabs and
overlapping spans (tests/io/test_export_support.py builds them). What a format cannot hold
is said in its module and taken out of the comparison here, nothing else."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import select

from annotator.io.export import ExportOptions, export
from annotator.io.export.conll import choose_spans
from annotator.io.export.records import SpanRow
from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.database import Database, open_database
from annotator.store.models import (
    Actor,
    Annotator,
    Document,
    DocumentLabel,
    Issue,
    Span,
    Stance,
    StanceEvidence,
)

SpanKey = tuple[int, int, str, str | None, str | None, str]
Content = dict[tuple[str, str], tuple[Counter[SpanKey], Counter[Any], frozenset[str]]]


def content(database: Database, layers: set[str] | None = None) -> Content:
    """Every live annotation by (text, layer), without ids: what a round trip must keep."""
    with database.sessions() as session:
        names = {a.id: a.name for a in session.scalars(select(Annotator))}
        actors = {a.id: a.name for a in session.scalars(select(Actor))}
        issues = {i.id: i.key for i in session.scalars(select(Issue))}
        texts = dict(session.execute(select(Document.id, Document.text)).all())
        spans: dict[Any, Any] = {}
        found: dict[tuple[str, str], list[Any]] = {}
        for s in session.scalars(select(Span).where(Span.deleted_at.is_(None))):
            key = (texts[s.document_id], names[s.annotator_id])
            value = (
                s.start,
                s.end,
                s.label,
                actors.get(s.actor_id),
                issues.get(s.issue_id),
                s.note,
            )
            spans[s.id] = value
            found.setdefault(key, [Counter(), Counter(), set()])[0][value] += 1
        evidence: dict[Any, list[Any]] = {}
        for stance_id, span_id in session.execute(
            select(StanceEvidence.stance_id, StanceEvidence.span_id)
        ):
            if span_id in spans:
                evidence.setdefault(stance_id, []).append(spans[span_id][:3])
        for t in session.scalars(select(Stance).where(Stance.deleted_at.is_(None))):
            key = (texts[t.document_id], names[t.annotator_id])
            value = (
                actors[t.actor_id],
                issues[t.issue_id],
                t.polarity,
                t.confidence,
                t.note,
                frozenset(evidence.get(t.id, ())),
            )
            found.setdefault(key, [Counter(), Counter(), set()])[1][value] += 1
        for label in session.scalars(select(DocumentLabel)):
            key = (texts[label.document_id], names[label.annotator_id])
            found.setdefault(key, [Counter(), Counter(), set()])[2].add(label.label)
    return {
        key: (value[0], value[1], frozenset(value[2]))
        for key, value in found.items()
        if (layers is None or key[1] in layers) and any(value)
    }


def round_trip(source: Database, tmp_path: Path, fmt: str, out: str, **options: Any) -> Database:
    export(source, options=ExportOptions(format=fmt, **options), out=tmp_path / out)
    target = open_database(f"sqlite:///{tmp_path / 'target.sqlite'}")
    import_paths(target, paths=[tmp_path / out], options=ImportOptions())
    return target


def keep(
    found: Content,
    *,
    spans: Callable[[str, list[SpanKey]], list[SpanKey]] | None = None,
    stances: bool = True,
    doc_labels: bool = True,
) -> Content:
    out: Content = {}
    for (text, layer), (span_counts, stance_counts, labels) in found.items():
        kept_spans = Counter(
            spans(text, list(span_counts.elements())) if spans else span_counts.elements()
        )
        value = (
            kept_spans,
            stance_counts if stances else Counter(),
            labels if doc_labels else frozenset(),
        )
        if any(value):
            out[(text, layer)] = value
    return out


def test_jsonl_round_trip_keeps_everything(source: Database, tmp_path: Path) -> None:
    target = round_trip(source, tmp_path, "jsonl", "all.jsonl")
    assert content(target) == content(source)


def test_label_studio_round_trip_keeps_everything(source: Database, tmp_path: Path) -> None:
    target = round_trip(source, tmp_path, "labelstudio", "tasks.json")
    assert content(target) == content(source)


def test_doccano_round_trip_keeps_all_but_document_labels(source: Database, tmp_path: Path) -> None:
    target = round_trip(source, tmp_path, "doccano", "doccano.jsonl")
    assert content(target) == keep(content(source), doc_labels=False)


def _brat_spans(text: str, spans: list[SpanKey]) -> list[SpanKey]:
    """brat holds a note on one line and no span of only line breaks."""
    return [
        (s[0], s[1], s[2], s[3], s[4], re.sub(r"[\t\n\r\u2028\u2029\x85]+", " ", s[5]))
        for s in spans
        if text[s[0] : s[1]].strip("\n\u2028\u2029")
    ]


def test_brat_round_trip_keeps_spans_links_and_anchored_stances(
    source: Database, tmp_path: Path
) -> None:
    target = round_trip(source, tmp_path, "brat", "corpus")
    expected = keep(content(source), spans=_brat_spans, doc_labels=False)
    for key, (spans, stances, labels) in list(expected.items()):
        anchored = Counter({s: n for s, n in stances.items() if s[5]})  # evidence needed
        expected[key] = (spans, anchored, labels)
    assert content(target) == {k: v for k, v in expected.items() if any(v)}


def _conll_spans(text: str, spans: list[SpanKey]) -> list[SpanKey]:
    rows = [SpanRow(s[0], s[1], s[2], str(n), None, None, "") for n, s in enumerate(spans)]
    kept, _ = choose_spans(rows)
    return [(s.start, s.end, s.label, None, None, "") for s in kept]


def test_conll_round_trip_keeps_the_texts_and_the_spans_bio_can_hold(
    source: Database, tmp_path: Path
) -> None:
    target = round_trip(source, tmp_path, "conll", "data.conll")
    expected = keep(content(source), spans=_conll_spans, stances=False, doc_labels=False)
    assert content(target) == expected


def test_xmi_round_trip_keeps_spans_links_stances_and_labels(
    source: Database, tmp_path: Path
) -> None:
    target = round_trip(source, tmp_path, "xmi", "inception")
    expected = keep(content(source))
    for key, (spans, stances, labels) in list(expected.items()):
        expected[key] = (spans, Counter({s: n for s, n in stances.items() if s[5]}), labels)
    assert content(target) == {k: v for k, v in expected.items() if any(v)}


def test_webanno_tsv_round_trip_keeps_spans_links_and_stances(
    source: Database, tmp_path: Path
) -> None:
    target = round_trip(source, tmp_path, "webanno-tsv", "tsv")
    expected = keep(content(source), doc_labels=False)
    for key, (spans, stances, labels) in list(expected.items()):
        expected[key] = (spans, Counter({s: n for s, n in stances.items() if s[5]}), labels)
    assert content(target) == {k: v for k, v in expected.items() if any(v)}
