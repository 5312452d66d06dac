"""The gold layer and the reviewer's rejections as plain values, and reading them.

Rejections need no table of their own: the rejections of a document are a JSON list in
`project_settings` under `review:rejected:<document id>`, each one naming the annotators'
span (or stance) ids it covers, the reviewer, a note and the time. A unit whose ids are all
covered by rejections counts as rejected, so stepping skips it; when an annotator adds a
span to it later, it opens again. Accepting a unit drops the rejections that cover it.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from sqlalchemy import select
from sqlalchemy.orm import Session

from annotator.store.models import GoldSpan, GoldStance, GoldStanceEvidence, ProjectSetting

REJECTED_PREFIX = "review:rejected:"


@dataclass(frozen=True)
class GoldSpanValue:
    """A gold span as a plain value (see `GoldSpan`); ids in lists are strings, as stored."""

    id: uuid.UUID
    document_id: uuid.UUID
    start: int
    end: int
    label: str
    actor_id: uuid.UUID | None = None
    issue_id: uuid.UUID | None = None
    agreed_by: tuple[str, ...] = ()  # annotators who marked exactly this span
    source_span_ids: tuple[str, ...] = ()  # every span of the unit it was decided from
    note: str = ""
    reviewer_id: uuid.UUID | None = None


@dataclass(frozen=True)
class GoldStanceValue:
    """A gold stance as a plain value; `evidence` holds gold span ids."""

    id: uuid.UUID
    document_id: uuid.UUID
    actor_id: uuid.UUID
    issue_id: uuid.UUID
    polarity: str
    agreed_by: tuple[str, ...] = ()
    source_stance_ids: tuple[str, ...] = ()
    evidence: tuple[uuid.UUID, ...] = ()
    note: str = ""
    reviewer_id: uuid.UUID | None = None


@dataclass(frozen=True)
class Rejection:
    """A reviewer's "none of these goes into gold" for the annotators' spans or stances."""

    kind: Literal["span", "stance"]
    ids: frozenset[str]  # the annotators' span or stance ids the decision covers
    reviewer_id: str = ""
    note: str = ""
    at: str = ""  # ISO 8601, for the audit trail

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "ids": sorted(self.ids),
            "reviewer": self.reviewer_id,
            "note": self.note,
            "at": self.at,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Rejection:
        kind = data["kind"]
        if kind not in ("span", "stance"):
            raise ValueError(f"unknown rejection kind {kind!r}")
        ids = frozenset(str(i) for i in data["ids"])
        text = {k: str(data.get(k, "")) for k in ("reviewer", "note", "at")}
        return cls(kind, ids, text["reviewer"], text["note"], text["at"])


GoldValue: TypeAlias = "GoldSpanValue | GoldStanceValue"


# -- reading -------------------------------------------------------------------------------


def for_document(column: Any, only: uuid.UUID | None) -> list[Any]:
    """A WHERE condition for one document, or none (all documents) for `only=None`."""
    return [] if only is None else [column == only]


def load_gold(
    session: Session, only: uuid.UUID | None
) -> tuple[dict[uuid.UUID, list[GoldSpanValue]], dict[uuid.UUID, list[GoldStanceValue]]]:
    """Gold spans and stances by document: of one document, or of all with `only=None`."""
    spans: dict[uuid.UUID, list[GoldSpanValue]] = {}
    query = select(GoldSpan).where(*for_document(GoldSpan.document_id, only))
    for row in session.scalars(query.order_by(GoldSpan.start, GoldSpan.end, GoldSpan.label)):
        spans.setdefault(row.document_id, []).append(gold_span_value(row))
    links: dict[uuid.UUID, list[uuid.UUID]] = {}
    evidence = (
        select(GoldStanceEvidence.gold_stance_id, GoldStanceEvidence.gold_span_id)
        .join(GoldStance, GoldStance.id == GoldStanceEvidence.gold_stance_id)
        .where(*for_document(GoldStance.document_id, only))
    )
    for stance_id, span_id in session.execute(evidence):
        links.setdefault(stance_id, []).append(span_id)
    stances: dict[uuid.UUID, list[GoldStanceValue]] = {}
    for stance in session.scalars(
        select(GoldStance).where(*for_document(GoldStance.document_id, only))
    ):
        value = gold_stance_value(stance, links.get(stance.id, []))
        stances.setdefault(stance.document_id, []).append(value)
    return spans, stances


def gold_span_value(row: GoldSpan) -> GoldSpanValue:
    """A stored gold span as a plain value."""
    return GoldSpanValue(
        row.id, row.document_id, row.start, row.end, row.label, row.actor_id, row.issue_id,
        tuple(str(a) for a in row.agreed_by or ()),
        tuple(str(s) for s in row.source_span_ids or ()),
        row.note or "", row.reviewer_id,
    )  # fmt: skip


def gold_stance_value(row: GoldStance, evidence: Iterable[uuid.UUID]) -> GoldStanceValue:
    """A stored gold stance, with the ids of its evidence gold spans, as a plain value."""
    return GoldStanceValue(
        row.id, row.document_id, row.actor_id, row.issue_id, row.polarity,
        tuple(str(a) for a in row.agreed_by or ()),
        tuple(str(s) for s in row.source_stance_ids or ()),
        tuple(sorted(evidence, key=str)), row.note or "", row.reviewer_id,
    )  # fmt: skip


def rejection_key(document_id: uuid.UUID) -> str:
    """The `project_settings` key that holds the rejections of one document."""
    return f"{REJECTED_PREFIX}{document_id}"


def parse_rejections(value: str) -> list[Rejection]:
    """Rejections from their stored JSON; an unreadable value counts as none."""
    try:
        return [Rejection.from_json(item) for item in json.loads(value)["rejections"]]
    except (ValueError, TypeError, KeyError, AttributeError):
        return []


def dump_rejections(rejections: Iterable[Rejection]) -> str:
    """The JSON stored for a document's rejections."""
    items = [r.to_json() for r in rejections]
    return json.dumps({"format": 1, "rejections": items}, sort_keys=True)


def load_rejections(session: Session, only: uuid.UUID | None) -> dict[uuid.UUID, list[Rejection]]:
    """Rejections by document: of one document, or of all with `only=None`."""
    if only is not None:
        query = select(ProjectSetting).where(ProjectSetting.key == rejection_key(only))
    else:
        query = select(ProjectSetting).where(ProjectSetting.key.startswith(REJECTED_PREFIX))
    result = {}
    for row in session.scalars(query):
        try:
            document_id = uuid.UUID(row.key.removeprefix(REJECTED_PREFIX))
        except ValueError:
            continue
        result[document_id] = parse_rejections(row.value)
    return result
