"""The values a bundle holds, once checked, and the names and constants of its layout.

The layout is described in `annotator.io.bundles`; `bundles.parsing` parses a bundle into
these values, `bundles.export` writes them and `bundles.merge` stores them.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from annotator.core.errors import AnnotatorError
from annotator.core.json_input import finite
from annotator.core.schema import LabelSchema

FORMAT = 1  # the bundle layout; a newer number means a newer Annotator wrote it
KIND = "annotator-bundle"
MANIFEST, DOCUMENTS, LAYER, ACTORS = (
    "manifest.json",
    "documents.jsonl",
    "layer.jsonl",
    "actors.json",
)
MEMBERS = (MANIFEST, DOCUMENTS, LAYER, ACTORS)


class BundleError(AnnotatorError):
    """A bundle cannot be written or imported; the message names the file (and line)."""


@dataclass(frozen=True)
class AnnotatorInfo:
    """Who made the bundle, as their laptop knows them."""

    id: UUID
    name: str
    role: str


@dataclass(frozen=True)
class Manifest:
    """manifest.json."""

    format: int
    tool: str
    created: datetime
    annotator: AnnotatorInfo
    schema: LabelSchema | None  # the laptop's label schema (its TOML is in `source`)


@dataclass(frozen=True)
class DocumentEntry:
    """One line of documents.jsonl; `text` hashes to `text_sha256` (checked)."""

    uuid: UUID
    external_id: str | None
    text_sha256: str
    title: str
    source: str | None
    url: str | None
    published: str | None
    story: str | None
    meta: dict[str, Any]
    text: str


@dataclass(frozen=True)
class SpanEntry:
    """A span of a layer line; `deleted_at` set means a tombstone."""

    uuid: UUID
    start: int
    end: int
    label: str
    actor: str | None
    issue: str | None
    note: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True)
class StanceEntry:
    """A stance of a layer line; `evidence` names spans of the same layer line."""

    uuid: UUID
    actor: str
    issue: str
    polarity: str
    evidence: tuple[UUID, ...]
    confidence: float | None
    note: str
    created_at: datetime
    updated_at: datetime
    deleted_at: datetime | None


@dataclass(frozen=True)
class LabelEntry:
    """A whole-document label of a layer line."""

    label: str
    created_at: datetime


@dataclass(frozen=True)
class StatusEntry:
    """The annotator's status of a document (todo, in_progress, done, skipped)."""

    status: str
    updated_at: datetime


@dataclass(frozen=True)
class LayerEntry:
    """One annotator's layer of one document, keyed by the hash of the document's text."""

    text_sha256: str
    status: StatusEntry | None
    labels: tuple[LabelEntry, ...]
    spans: tuple[SpanEntry, ...]
    stances: tuple[StanceEntry, ...]


@dataclass(frozen=True)
class BundleActor:
    """An actor of actors.json; `parent` is another entry's name."""

    name: str
    type: str
    parent: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class BundleIssue:
    """An issue of actors.json; `parent` is another entry's key."""

    key: str
    name: str
    parent: str | None
    description: str


@dataclass(frozen=True)
class Bundle:
    """A whole bundle, checked; `path` is the file as the user named it, for messages."""

    path: str
    manifest: Manifest
    documents: dict[str, DocumentEntry]  # by text_sha256
    layers: tuple[LayerEntry, ...]
    actors: dict[str, BundleActor]  # by name; parents come before their children
    issues: dict[str, BundleIssue]  # by key; parents come before their children


def utc(moment: datetime) -> datetime:
    """`moment` in UTC; SQLite gives back naive datetimes, which are UTC in this project."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def iso(moment: datetime) -> str:
    """A timestamp as a bundle writes it: ISO 8601 in UTC with microseconds."""
    return utc(moment).isoformat(timespec="microseconds")


def dumps_bytes(value: object, *, line: bool = False) -> bytes:
    """`dumps(value)` as UTF-8 (with a line break if `line`). Text an older version stored
    with a lone surrogate cannot be UTF-8: it is written as a JSON escape instead."""
    text = dumps(value) + ("\n" if line else "")
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        escaped = json.dumps(finite(value), ensure_ascii=True, separators=(",", ":"))
        return (escaped + ("\n" if line else "")).encode("ascii")


def dumps(value: object) -> str:
    """One JSON value on one line, as the bundle's members hold them."""
    try:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    except ValueError:  # a NaN stored before imports refused them: carried as null
        return json.dumps(finite(value), ensure_ascii=False, separators=(",", ":"))
