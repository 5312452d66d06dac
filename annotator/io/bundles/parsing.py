"""Parsing a bundle: checked values (`bundles.contents`) out of the four members' bytes.

`parse_bundle` turns member bytes (already read safely by `bundles.archive`) into a `Bundle` or
raises `BundleError` naming the file, the member, the line and the field, e.g.
`ana.zip:layer.jsonl:3: spans[0].end: 2000 is past the end of the text (1467 characters)`.
Everything a database could refuse (lengths of its columns, NUL characters PostgreSQL cannot
store, offsets, CHECK constraints) is checked here, so a merge never fails half-way on input.
The layout itself is described in `annotator.io.bundles`.
"""

from __future__ import annotations

import math
import re
from uuid import UUID

from annotator.core.documents import STATUSES
from annotator.core.errors import SchemaError
from annotator.core.roles import ROLES
from annotator.core.schema import LabelSchema, parse_schema
from annotator.core.text import text_hash
from annotator.io.bundles.contents import (
    ACTORS,
    DOCUMENTS,
    FORMAT,
    KIND,
    LAYER,
    MANIFEST,
    AnnotatorInfo,
    Bundle,
    BundleActor,
    BundleError,
    BundleIssue,
    DocumentEntry,
    LabelEntry,
    LayerEntry,
    Manifest,
    SpanEntry,
    StanceEntry,
    StatusEntry,
)
from annotator.io.bundles.fields import Fields, FieldsError, parse_json

_SHA256 = re.compile(r"^[0-9a-f]{64}$")
_ISSUE_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")  # the schema's rule for issue keys


def parse_bundle(path: str, members: dict[str, bytes]) -> Bundle:
    """Check and parse the members of the bundle at `path` (for messages only)."""
    try:
        manifest = _manifest(Fields.object(parse_json(members[MANIFEST], MANIFEST), MANIFEST))
        documents = _documents(members[DOCUMENTS])
        actors, issues = _registry(Fields.object(parse_json(members[ACTORS], ACTORS), ACTORS))
        layers = _layers(members[LAYER], documents, actors, issues)
    except FieldsError as error:
        raise BundleError(f"{path}:{error}") from None
    return Bundle(path, manifest, documents, layers, actors, issues)


def _manifest(top: Fields) -> Manifest:
    kind = top.text("kind")
    if kind != KIND:
        raise top.error("kind", f"is '{kind}', not '{KIND}'; this is not an Annotator bundle")
    version = top.integer("format")
    if version > FORMAT:
        raise top.error(
            "format",
            f"bundle format {version} was written by a newer Annotator; this one reads up to"
            f" format {FORMAT}, update Annotator to import it",
        )
    if version < 1:
        raise top.error("format", f"{version} is not a bundle format")
    person = top.record("annotator")
    role = person.text("role")
    if role not in ROLES:
        raise person.error("role", f"must be one of {', '.join(ROLES)}, not '{role}'")
    schema = top.optional_record("schema")
    return Manifest(
        format=version,
        tool=top.text("tool", max_length=100),
        created=top.moment("created"),
        annotator=AnnotatorInfo(person.identifier("id"), person.text("name", max_length=200), role),
        schema=_schema(schema) if schema else None,
    )


def _schema(row: Fields) -> LabelSchema:
    source = row.text("source")
    try:
        schema = parse_schema(source, "schema.toml")
    except SchemaError as error:
        raise row.error("source", f"not a valid label schema ({error})") from None
    for key, value in (("name", schema.name), ("version", schema.version)):
        if row.text(key) != value:
            raise row.error(key, f"does not match the schema's TOML ('{value}')")
    return schema


def _lines(member: str, data: bytes) -> list[tuple[int, Fields]]:
    """The JSON objects of a JSON Lines member with their line numbers (blank lines skipped)."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FieldsError(f"{member}: not UTF-8 text (byte {error.start})") from None
    rows = []
    # Split on LF only: str.splitlines would also split inside JSON strings at U+2028 and
    # friends, which json.dumps leaves unescaped.
    for number, line in enumerate(text.split("\n"), start=1):
        if line.strip():
            value = parse_json(line, f"{member}:{number}")
            rows.append((number, Fields.object(value, where=f"{member}:{number}")))
    return rows


def _documents(data: bytes) -> dict[str, DocumentEntry]:
    documents: dict[str, DocumentEntry] = {}
    for _, row in _lines(DOCUMENTS, data):
        digest = row.text("text_sha256")
        if not _SHA256.match(digest):
            raise row.error("text_sha256", "must be 64 lowercase hex digits (a SHA-256)")
        text = row.text("text", empty_ok=True)
        if text_hash(text) != digest:
            raise row.error("text", "does not match its text_sha256; the file was altered")
        if digest in documents:
            raise row.error("text_sha256", "the same document is listed twice")
        documents[digest] = DocumentEntry(
            uuid=row.identifier("uuid"),
            external_id=row.optional_text("external_id", max_length=300),
            text_sha256=digest,
            title=row.optional_text("title") or "",
            source=row.optional_text("source", max_length=300),
            url=row.optional_text("url"),
            published=row.optional_text("published", max_length=40),
            story=row.optional_text("story", max_length=300),
            meta=row.mapping("meta"),
            text=text,
        )
    return documents


def _registry(top: Fields) -> tuple[dict[str, BundleActor], dict[str, BundleIssue]]:
    actors: dict[str, BundleActor] = {}
    for item in top.records("actors"):
        name = item.text("name", max_length=300)
        if name in actors:
            raise item.error("name", f"'{name}' is listed twice")
        aliases = tuple(item.texts("aliases", max_length=300))
        actors[name] = BundleActor(
            name, item.text("type", max_length=50), item.optional_text("parent"), aliases
        )
    issues: dict[str, BundleIssue] = {}
    for item in top.records("issues"):
        key = item.text("key", max_length=200)
        if not _ISSUE_KEY.match(key):
            raise item.error("key", f"must be lowercase letters, digits and '-', not '{key}'")
        if key in issues:
            raise item.error("key", f"'{key}' is listed twice")
        issues[key] = BundleIssue(
            key,
            item.text("name", max_length=300),
            item.optional_text("parent"),
            item.optional_text("description") or "",
        )
    parents = _parents_first(top, "actors", {name: a.parent for name, a in actors.items()})
    issue_order = _parents_first(top, "issues", {key: i.parent for key, i in issues.items()})
    return {n: actors[n] for n in parents}, {k: issues[k] for k in issue_order}


def _parents_first(top: Fields, table: str, parents: dict[str, str | None]) -> list[str]:
    """The names ordered so that each parent comes before its children; checks the tree."""
    order: list[str] = []
    placed: set[str] = set()
    for name in parents:
        chain: list[str] = []
        current: str | None = name
        while current is not None and current not in placed:
            if current in chain:
                raise top.error(table, f"'{name}' is its own ancestor")
            if current not in parents:
                raise top.error(table, f"parent '{current}' of '{chain[-1]}' is not listed")
            chain.append(current)
            current = parents[current]
        for item in reversed(chain):
            placed.add(item)
            order.append(item)
    return order


def _layers(
    data: bytes,
    documents: dict[str, DocumentEntry],
    actors: dict[str, BundleActor],
    issues: dict[str, BundleIssue],
) -> tuple[LayerEntry, ...]:
    layers: list[LayerEntry] = []
    seen_documents: set[str] = set()
    seen_ids: set[UUID] = set()
    for _, row in _lines(LAYER, data):
        digest = row.text("text_sha256")
        document = documents.get(digest)
        if document is None:
            raise row.error("text_sha256", "names no document of documents.jsonl")
        if digest in seen_documents:
            raise row.error("text_sha256", "a second layer for the same document")
        seen_documents.add(digest)
        spans = tuple(
            _span(item, len(document.text), actors, issues, seen_ids)
            for item in row.records("spans")
        )
        span_ids = {span.uuid for span in spans}
        stances = tuple(
            _stance(item, span_ids, actors, issues, seen_ids) for item in row.records("stances")
        )
        labels = tuple(
            LabelEntry(item.text("label", max_length=200), item.moment("created_at"))
            for item in row.records("labels")
        )
        if len({label.label for label in labels}) != len(labels):
            raise row.error("labels", "a document label is listed twice")
        status = row.optional_record("status")
        layers.append(
            LayerEntry(digest, _status(status) if status else None, labels, spans, stances)
        )
    return tuple(layers)


def _status(row: Fields) -> StatusEntry:
    status = row.text("status")
    if status not in STATUSES:
        raise row.error("status", f"must be one of {', '.join(STATUSES)}, not '{status}'")
    return StatusEntry(status, row.moment("updated_at"))


def _new_id(row: Fields, seen: set[UUID]) -> UUID:
    identifier = row.identifier("uuid")
    if identifier in seen:
        raise row.error("uuid", f"{identifier} is used twice in the bundle")
    seen.add(identifier)
    return identifier


def _span(
    row: Fields,
    length: int,
    actors: dict[str, BundleActor],
    issues: dict[str, BundleIssue],
    seen: set[UUID],
) -> SpanEntry:
    start, end = row.integer("start"), row.integer("end")
    if start < 0:
        raise row.error("start", f"{start} is negative")
    if end <= start:
        raise row.error("end", f"{end} is not after start {start}")
    if end > length:
        raise row.error("end", f"{end} is past the end of the text ({length} characters)")
    actor, issue = row.optional_text("actor"), row.optional_text("issue")
    if actor is not None and actor not in actors:
        raise row.error("actor", f"'{actor}' is not in actors.json")
    if issue is not None and issue not in issues:
        raise row.error("issue", f"'{issue}' is not in actors.json's issues")
    return SpanEntry(
        uuid=_new_id(row, seen),
        start=start,
        end=end,
        label=row.text("label", max_length=100),
        actor=actor,
        issue=issue,
        note=row.optional_text("note") or "",
        created_at=row.moment("created_at"),
        updated_at=row.moment("updated_at"),
        deleted_at=row.optional_moment("deleted_at"),
    )


def _stance(
    row: Fields,
    span_ids: set[UUID],
    actors: dict[str, BundleActor],
    issues: dict[str, BundleIssue],
    seen: set[UUID],
) -> StanceEntry:
    actor, issue = row.text("actor"), row.text("issue")
    if actor not in actors:
        raise row.error("actor", f"'{actor}' is not in actors.json")
    if issue not in issues:
        raise row.error("issue", f"'{issue}' is not in actors.json's issues")
    evidence = tuple(row.identifiers("evidence"))
    for span_id in evidence:
        if span_id not in span_ids:
            raise row.error("evidence", f"span {span_id} is not in this document's layer")
    confidence = row.optional_number("confidence")
    if confidence is not None and not (0 <= confidence <= 1 and math.isfinite(confidence)):
        raise row.error("confidence", f"{confidence} is not between 0 and 1")
    return StanceEntry(
        uuid=_new_id(row, seen),
        actor=actor,
        issue=issue,
        polarity=row.text("polarity", max_length=50),
        evidence=tuple(dict.fromkeys(evidence)),
        confidence=confidence,
        note=row.optional_text("note") or "",
        created_at=row.moment("created_at"),
        updated_at=row.moment("updated_at"),
        deleted_at=row.optional_moment("deleted_at"),
    )
