"""What readers produce: articles with optional annotations, before they are stored."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SpanRecord:
    start: int
    end: int
    label: str
    id: str | None = None
    actor: str | None = None
    issue: str | None = None
    note: str = ""
    actor_type: str | None = None  # as the input spells it; checked against the schema on import


@dataclass(frozen=True)
class StanceRecord:
    actor: str
    issue: str
    polarity: str
    evidence: tuple[str, ...] = ()
    id: str | None = None
    confidence: float | None = None
    note: str = ""
    actor_type: str | None = None


@dataclass
class ArticleRecord:
    """One article as read from a file; offsets of `spans` are code points into `text`."""

    origin: str  # "path" or "path:line", for messages
    text: str  # the article text as given (for HTML: the extracted text)
    raw: str  # the input kept for audit (for HTML: the page source)
    format: str
    title: str | None = None
    external_id: str | None = None
    source: str | None = None
    url: str | None = None
    published: str | None = None
    story: str | None = None
    author: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)
    annotator: str | None = None
    spans: list[SpanRecord] = field(default_factory=list)
    stances: list[StanceRecord] = field(default_factory=list)
    doc_labels: list[str] = field(default_factory=list)


class BadInput(ValueError):
    """A file or line that cannot be imported; str() is the one-line message."""

    def __init__(self, origin: str, reason: str) -> None:
        self.origin = origin
        self.reason = reason
        super().__init__(f"{origin}: {reason}")


@dataclass(frozen=True)
class ReadNote:
    """Something a reader wants the person to know (it goes into the import summary)."""

    origin: str
    text: str

    def __str__(self) -> str:
        return f"{self.origin}: {self.text}"


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
