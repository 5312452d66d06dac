"""What the export reads: documents with one layer's spans, stances and labels.

Plain data, no SQLAlchemy. Ids are the UUIDs as canonical text. Spans and stances are
NamedTuples because an export builds hundreds of thousands of them and a tuple is the
cheapest object Python makes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple

GOLD = "gold"  # the annotator name of the gold layer in every export


@dataclass(frozen=True, slots=True)
class ActorInfo:
    """An actor of the registry, with its parent's canonical name."""

    id: str
    name: str
    type: str
    parent: str | None  # the parent's canonical name


@dataclass(frozen=True, slots=True)
class IssueInfo:
    """An issue, with its parent's key."""

    id: str
    key: str
    name: str
    parent: str | None  # the parent's key


@dataclass(frozen=True, slots=True)
class ExportedDocument:
    """A document as the export reads it."""

    id: str
    external_id: str | None
    title: str
    source: str | None
    url: str | None
    published: str | None
    story: str | None
    text: str
    text_sha256: str
    meta: dict[str, Any]

    @property
    def name(self) -> str:
        """The id exports show: the external id where there is one, else the UUID."""
        return self.external_id or self.id


class SpanRow(NamedTuple):
    """A live span of one layer; spans sort by offsets, then label, then id (the first four
    fields), so `sorted(spans)` needs no key function."""

    start: int
    end: int
    label: str
    id: str
    actor: ActorInfo | None
    issue: IssueInfo | None
    note: str


class StanceRow(NamedTuple):
    """A live stance of one layer, with its live evidence spans."""

    id: str
    actor: ActorInfo
    issue: IssueInfo
    polarity: str
    confidence: float | None
    note: str
    evidence: tuple[SpanRow, ...]


@dataclass(slots=True)
class LayerRecord:
    """One document with one layer's annotations: one line of a JSONL export."""

    document: ExportedDocument
    annotator: str  # "gold" for the gold layer
    status: str
    spans: list[SpanRow] = field(default_factory=list)
    stances: list[StanceRow] = field(default_factory=list)
    doc_labels: list[str] = field(default_factory=list)
    split: str | None = None


def stance_order(stance: StanceRow) -> tuple[str, str, str, str]:
    """Sort key of stances: actor, issue, polarity, id."""
    return (stance.actor.name, stance.issue.key, stance.polarity, stance.id)
