"""A project to export (tricky texts, several layers, gold, soft deletes) and a way to read
back every annotation of a database without the export code. Shared by tests/io/test_export*.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select, update

from annotator.core.actors import ActorDefinition
from annotator.core.schema import default_schema
from annotator.io.imports.importer import import_paths
from annotator.io.imports.planning import ImportOptions
from annotator.store.database import Database, open_database
from annotator.store.models import (
    Actor,
    Annotator,
    Document,
    DocumentLabel,
    DocumentStatus,
    GoldSpan,
    GoldStance,
    GoldStanceEvidence,
    Issue,
    Span,
    Stance,
    StanceEvidence,
)
from annotator.store.project import annotator_named, install_actors, install_schema
from tests.perf.corpus import articles

CLAIM_1 = "11111111-1111-4111-8111-000000000001"
KYIV_CLAIM = "11111111-1111-4111-8111-000000000002"
NATO_CLAIM = "11111111-1111-4111-8111-000000000003"
SAID = "11111111-1111-4111-8111-000000000004"
ARABIC_CLAIM = "11111111-1111-4111-8111-000000000005"

# CRLF, NBSP, a flag, a skin tone; combining marks, CJK, RTL, U+2028/9, a ZWJ family; tabs.
TEXT_1 = (
    "Peskov said the Kremlin 👍🏽 rejects\r\nthe plan.\r\n"
    "Kyiv 🇺🇦 agreed; NATO's chief\u00a0welcomed it."
)
TEXT_2 = (
    "Ле́нин and 北京 met. الكرملين قال إن الخطة مرفوضة. שלום עכשיו\u2028next line"
    "\u2029para 👨\u200d👩\u200d👧 family e\u0301te\u0301."
)
TEXT_3 = "Tabs\tand   spaces; Zürich 🇪🇺 EU summit… «quotes» — dash."
TEXTS = (TEXT_1, TEXT_2, TEXT_3)

ACTORS = (
    ActorDefinition("Russia", "state", aliases=("Moscow",)),
    ActorDefinition("Kremlin", "organisation", parent="Russia"),
    ActorDefinition("Dmitry Peskov", "person", parent="Kremlin", aliases=("Peskov",)),
    ActorDefinition("Ukraine", "state", aliases=("Kyiv",)),
    ActorDefinition("NATO", "alliance"),
)


def span(text: str, needle: str, label: str, **extra: Any) -> dict[str, Any]:
    """A span on the first `needle` in `text` (offsets in code points of the raw text)."""
    start = text.index(needle)
    return {"start": start, "end": start + len(needle), "label": label, **extra}


def tricky_records() -> list[dict[str, Any]]:
    """Import records with spans of two annotators on hard texts."""
    return [
        {
            "id": "tricky-1",
            "title": "Kremlin rejects the plan",
            "source": "Meridian Wire",
            "published": "2025-09-01",
            "story": "plan",
            "text": TEXT_1,
            "annotator": "alice",
            "spans": [
                span(TEXT_1, "Peskov", "ACTOR", actor="Peskov"),  # an alias of Dmitry Peskov
                span(TEXT_1, "said", "ATTRIBUTION", id=SAID),
                span(TEXT_1, "Kremlin", "ACTOR", actor="Kremlin"),
                span(
                    TEXT_1, "Kremlin 👍🏽 rejects\r\nthe plan", "CLAIM", id=CLAIM_1, note="2 lines"
                ),
                span(TEXT_1, "the plan", "ISSUE", issue="ceasefire"),
                span(TEXT_1, "Kyiv", "ACTOR", actor="Kyiv"),
                span(TEXT_1, "Kyiv 🇺🇦 agreed", "CLAIM", id=KYIV_CLAIM),
                span(TEXT_1, "NATO's chief", "ACTOR", actor="NATO"),
            ],
            "stances": [
                {
                    "actor": "Kremlin",
                    "issue": "ceasefire",
                    "polarity": "oppose",
                    "evidence": [CLAIM_1],
                    "confidence": 0.8,
                    "note": "firm",
                },
                {
                    "actor": "Ukraine",
                    "issue": "ceasefire",
                    "polarity": "support",
                    "evidence": [KYIV_CLAIM],
                },
                {
                    "actor": "Kremlin",
                    "issue": "nato-membership",
                    "polarity": "oppose",
                    "evidence": [CLAIM_1, SAID],
                },
            ],
            "doc_labels": ["news report"],
        },
        {
            "text": TEXT_1,
            "annotator": "bob",
            "spans": [
                span(TEXT_1, "the Kremlin", "ACTOR", actor="Kremlin"),
                span(TEXT_1, "NATO's chief\u00a0welcomed it", "CLAIM", id=NATO_CLAIM),
            ],
            "stances": [
                {
                    "actor": "NATO",
                    "issue": "ceasefire",
                    "polarity": "support",
                    "evidence": [NATO_CLAIM],
                },
                {"actor": "Kremlin", "issue": "ceasefire", "polarity": "support"},
            ],
            "doc_labels": ["analysis"],
        },
        {
            "id": "tricky-2",
            "title": "Mixed scripts",
            "story": "scripts",
            "text": TEXT_2,
            "annotator": "alice",
            "spans": [
                span(TEXT_2, "Ле́нин", "ACTOR", actor="Lenin"),
                span(TEXT_2, "北京", "ISSUE", issue="Beijing talks"),
                span(TEXT_2, "الكرملين قال إن الخطة مرفوضة", "CLAIM", id=ARABIC_CLAIM),
                span(TEXT_2, "שלום עכשיו\u2028next line", "CLAIM"),
                span(TEXT_2, "👨\u200d👩\u200d👧 family", "ACTOR"),
                span(TEXT_2, "e\u0301te\u0301", "ATTRIBUTION"),
            ],
            "stances": [
                {
                    "actor": "Lenin",
                    "issue": "Beijing talks",
                    "polarity": "mixed",
                    "evidence": [ARABIC_CLAIM],
                },
            ],
            "doc_labels": ["opinion"],
        },
        {
            "id": "tricky-3",
            "title": "Tabs",
            "text": TEXT_3,
            "annotator": "bob",
            "spans": [
                span(TEXT_3, "Zürich", "ACTOR"),
                span(TEXT_3, "🇪🇺 EU summit…", "ISSUE"),
                span(TEXT_3, "«quotes»", "CLAIM", note="tab\tand\nnewline"),
            ],
            "doc_labels": ["opinion", "news report"],
        },
    ]


def plain_records(count: int) -> list[dict[str, Any]]:
    """News-like articles with word-aligned spans by alice (a story holds two articles)."""
    records = []
    for number, article in enumerate(articles(count, length=700, seed=3)):
        text = str(article["text"])
        words = list(re.finditer(r"\w+", text))
        spans = []
        for index in range(0, min(len(words) - 2, 60), 6):
            last = words[index + (index // 6) % 3]  # one, two or three words
            spans.append(
                {
                    "start": words[index].start(),
                    "end": last.end(),
                    "label": ("ACTOR", "ISSUE", "CLAIM")[(index // 6) % 3],
                }
            )
        records.append({**article, "annotator": "alice", "spans": spans})
        if number % 4 == 0:
            records.append({"text": text, "annotator": "bob", "spans": spans[:3]})
    return records


def write_jsonl(path: Path, records: list[dict[str, Any]]) -> Path:
    path.write_text(
        "".join(json.dumps(record, ensure_ascii=False) + "\n" for record in records),
        encoding="utf-8",
    )
    return path


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def build_project(url: str, folder: Path, plain: int = 12) -> Database:
    """The export test project: tricky texts, plain articles, statuses, gold, soft deletes."""
    database = open_database(url)
    with database.sessions.begin() as session:
        install_schema(session, default_schema())
        install_actors(session, ACTORS)
    source = write_jsonl(folder / "project-input.jsonl", tricky_records() + plain_records(plain))
    import_paths(database, paths=[source], options=ImportOptions())
    now = datetime.now(UTC)
    with database.sessions.begin() as session:
        ids = {a.name: a.id for a in session.scalars(select(Annotator))}
        rita = annotator_named(session, "rita", role="reviewer").id
        docs = {d.external_id: d for d in session.scalars(select(Document))}
        first = docs["tricky-1"]
        for key, who, status in (
            ("tricky-1", "alice", "done"),
            ("tricky-1", "bob", "in_progress"),
            ("tricky-2", "alice", "done"),
            ("bench-0", "alice", "done"),
            ("bench-1", "alice", "skipped"),
        ):
            session.add(
                DocumentStatus(document_id=docs[key].id, annotator_id=ids[who], status=status)
            )
        session.add(DocumentStatus(document_id=first.id, annotator_id=rita, status="done"))
        # Soft deletes: a span that is evidence of a live stance, and a whole stance.
        session.execute(update(Span).where(Span.id == _uuid(SAID)).values(deleted_at=now))
        nato = session.scalars(select(Actor.id).where(Actor.name == "NATO")).one()
        session.execute(update(Stance).where(Stance.actor_id == nato).values(deleted_at=now))
        _add_gold(session, first, rita)
    return database


def _uuid(text: str) -> Any:
    import uuid

    return uuid.UUID(text)


def _add_gold(session: Any, document: Document, reviewer: Any) -> None:
    text = document.text
    actors = {a.name: a.id for a in session.scalars(select(Actor))}
    issues = {i.key: i.id for i in session.scalars(select(Issue))}
    claim = "Kremlin 👍🏽 rejects\nthe plan"
    start = text.index(claim)
    gold_claim = GoldSpan(
        document_id=document.id,
        reviewer_id=reviewer,
        start=start,
        end=start + len(claim),
        label="CLAIM",
        agreed_by=["alice"],
    )
    kremlin = text.index("Kremlin")
    gold_actor = GoldSpan(
        document_id=document.id,
        reviewer_id=reviewer,
        start=kremlin,
        end=kremlin + 7,
        label="ACTOR",
        actor_id=actors["Kremlin"],
        note="agreed",
    )
    session.add_all([gold_claim, gold_actor])
    session.flush()
    stance = GoldStance(
        document_id=document.id,
        reviewer_id=reviewer,
        actor_id=actors["Kremlin"],
        issue_id=issues["ceasefire"],
        polarity="oppose",
    )
    session.add(stance)
    session.flush()
    session.add(GoldStanceEvidence(gold_stance_id=stance.id, gold_span_id=gold_claim.id))


Layer = tuple[frozenset[Any], frozenset[Any], frozenset[str]]


def snapshot(database: Database) -> dict[tuple[str, str], Layer]:
    """Every live annotation, by (document text, layer name), read with the ORM."""
    spans: dict[tuple[str, str], set[Any]] = {}
    stances: dict[tuple[str, str], set[Any]] = {}
    labels: dict[tuple[str, str], set[str]] = {}
    with database.sessions() as session:
        names = {a.id: a.name for a in session.scalars(select(Annotator))}
        actors = {a.id: a.name for a in session.scalars(select(Actor))}
        issues = {i.id: i.key for i in session.scalars(select(Issue))}
        texts = dict(session.execute(select(Document.id, Document.text)).all())
        live: set[Any] = set()
        for s in session.scalars(select(Span).where(Span.deleted_at.is_(None))):
            live.add(s.id)
            spans.setdefault((texts[s.document_id], names[s.annotator_id]), set()).add(
                (
                    str(s.id),
                    s.start,
                    s.end,
                    s.label,
                    actors.get(s.actor_id),
                    issues.get(s.issue_id),
                    s.note,
                )
            )
        evidence: dict[Any, set[str]] = {}
        for stance_id, span_id in session.execute(
            select(StanceEvidence.stance_id, StanceEvidence.span_id)
        ):
            if span_id in live:
                evidence.setdefault(stance_id, set()).add(str(span_id))
        for t in session.scalars(select(Stance).where(Stance.deleted_at.is_(None))):
            stances.setdefault((texts[t.document_id], names[t.annotator_id]), set()).add(
                (
                    str(t.id),
                    actors[t.actor_id],
                    issues[t.issue_id],
                    t.polarity,
                    t.confidence,
                    t.note,
                    frozenset(evidence.get(t.id, ())),
                )
            )
        for label in session.scalars(select(DocumentLabel)):
            labels.setdefault((texts[label.document_id], names[label.annotator_id]), set()).add(
                label.label
            )
        for g in session.scalars(select(GoldSpan)):
            spans.setdefault((texts[g.document_id], "gold"), set()).add(
                (
                    str(g.id),
                    g.start,
                    g.end,
                    g.label,
                    actors.get(g.actor_id),
                    issues.get(g.issue_id),
                    g.note,
                )
            )
        gold_evidence: dict[Any, set[str]] = {}
        for stance_id, span_id in session.execute(
            select(GoldStanceEvidence.gold_stance_id, GoldStanceEvidence.gold_span_id)
        ):
            gold_evidence.setdefault(stance_id, set()).add(str(span_id))
        for g in session.scalars(select(GoldStance)):
            stances.setdefault((texts[g.document_id], "gold"), set()).add(
                (
                    str(g.id),
                    actors[g.actor_id],
                    issues[g.issue_id],
                    g.polarity,
                    None,
                    g.note,
                    frozenset(gold_evidence.get(g.id, ())),
                )
            )
    keys = set(spans) | set(stances) | set(labels)
    return {
        key: (
            frozenset(spans.get(key, ())),
            frozenset(stances.get(key, ())),
            frozenset(labels.get(key, ())),
        )
        for key in keys
    }
