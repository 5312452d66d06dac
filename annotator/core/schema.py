"""The label schema: span labels, actor types, the issue tree, stance polarities.

A schema is a TOML file (see `resources/schema.toml`); `load_schema` validates it and every
problem is reported with the file, the line and the dotted key, e.g.
`schema.toml:12: labels[1].colour: unknown key 'colour' (did you mean 'color'?)`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import SchemaError
from annotator.core.resources import resource
from annotator.core.toml_file import TableReader, parse_toml

SCHEMA_FORMAT = 1  # the layout of the TOML file itself, not the user's schema version
_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_KEY = re.compile(r"^[A-Za-z0-9]$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]*$")


@dataclass(frozen=True)
class SpanLabel:
    name: str
    title: str
    key: str | None
    color: str
    description: str = ""


@dataclass(frozen=True)
class IssueDefinition:
    key: str
    name: str
    parent: str | None = None
    description: str = ""


@dataclass(frozen=True)
class LabelSchema:
    """A validated label schema; `source` keeps the TOML text so it can be stored verbatim."""

    name: str
    version: str
    labels: tuple[SpanLabel, ...]
    actor_types: tuple[str, ...]
    polarities: tuple[str, ...]
    issues: tuple[IssueDefinition, ...]
    document_labels: tuple[str, ...] = ()
    source: str = field(default="", repr=False, compare=False)

    def label(self, name: str) -> SpanLabel | None:
        return next((label for label in self.labels if label.name == name), None)

    def issue(self, key: str) -> IssueDefinition | None:
        return next((issue for issue in self.issues if issue.key == key), None)


def default_schema() -> LabelSchema:
    """The news-stance schema shipped in `resources/schema.toml`."""
    text = resource("schema.toml").read_text("utf-8")
    return parse_schema(text, "schema.toml")


def load_schema(path: Path) -> LabelSchema:
    """Read and validate a schema file."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SchemaError(str(path), None, "no such file") from None
    except UnicodeDecodeError:
        raise SchemaError(str(path), None, "is not UTF-8 text") from None
    except OSError as error:
        raise SchemaError(str(path), None, f"cannot be read ({error.strerror})") from None
    return parse_schema(text, str(path))


def parse_schema(text: str, path: str) -> LabelSchema:
    """Validate schema TOML `text`; `path` is only used in messages."""
    top = TableReader(parse_toml(text, path), path, "", text)
    top.reject_unknown(
        [
            "format",
            "name",
            "version",
            "labels",
            "actor_types",
            "polarities",
            "issues",
            "document_labels",
        ]
    )
    file_format = top.table.get("format", SCHEMA_FORMAT)
    if file_format != SCHEMA_FORMAT:
        raise top.error(
            f"this Annotator reads format {SCHEMA_FORMAT}, not {file_format!r}", "format"
        )
    labels = tuple(_label(reader) for reader in top.tables("labels"))
    _unique(top, "labels", [label.name for label in labels], "name")
    _unique(top, "labels", [label.key for label in labels if label.key], "key")
    issues = tuple(_issue(reader) for reader in top.tables("issues", required=False))
    _unique(top, "issues", [issue.key for issue in issues], "key")
    _check_issue_tree(top, issues)
    return LabelSchema(
        name=top.string("name"),
        version=top.string("version"),
        labels=labels,
        actor_types=tuple(top.string_list("actor_types")),
        polarities=tuple(top.string_list("polarities")),
        issues=issues,
        document_labels=tuple(top.string_list("document_labels", required=False)),
        source=text,
    )


def _label(reader: TableReader) -> SpanLabel:
    reader.reject_unknown(["name", "title", "key", "color", "description"])
    name = reader.string("name")
    key = reader.optional_string("key")
    if key is not None and not _KEY.match(key):
        raise reader.error(f"must be one letter or digit, not '{key}'", "key")
    color = reader.string("color")
    if not _COLOR.match(color):
        raise reader.error(f"must look like '#1f77b4', not '{color}'", "color")
    return SpanLabel(
        name=name,
        title=reader.optional_string("title") or name,
        key=key,
        color=color.lower(),
        description=reader.optional_string("description") or "",
    )


def _issue(reader: TableReader) -> IssueDefinition:
    reader.reject_unknown(["key", "name", "parent", "description"])
    key = reader.string("key")
    if not _SLUG.match(key):
        raise reader.error(f"must be lowercase letters, digits and '-', not '{key}'", "key")
    return IssueDefinition(
        key=key,
        name=reader.string("name"),
        parent=reader.optional_string("parent"),
        description=reader.optional_string("description") or "",
    )


def _unique(top: TableReader, table: str, values: list[str], what: str) -> None:
    seen: set[str] = set()
    for index, value in enumerate(values):
        if value in seen:
            item = TableReader({}, top.path, f"{table}[{index}]", top.source)
            raise item.error(f"'{value}' is used twice; each {what} must be unique", what)
        seen.add(value)


def _check_issue_tree(top: TableReader, issues: tuple[IssueDefinition, ...]) -> None:
    parents = {issue.key: issue.parent for issue in issues}
    for index, issue in enumerate(issues):
        item = TableReader({}, top.path, f"issues[{index}]", top.source)
        if issue.parent is not None and issue.parent not in parents:
            raise item.error(f"names parent '{issue.parent}', which is not an issue key", "parent")
        seen = {issue.key}
        parent = issue.parent
        while parent is not None:
            if parent in seen:
                raise item.error(f"'{issue.key}' is its own ancestor", "parent")
            seen.add(parent)
            parent = parents[parent]


# Colours for labels added on import (Tableau 10, readable on light and dark backgrounds).
PALETTE = (
    "#4e79a7",
    "#f28e2b",
    "#e15759",
    "#76b7b2",
    "#59a14f",
    "#edc948",
    "#b07aa1",
    "#ff9da7",
    "#9c755f",
    "#bab0ac",
)


def slug(name: str) -> str:
    """An issue key made from a name: "Foreign troops" -> "foreign-troops"."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "issue"


def extended(
    schema: LabelSchema,
    *,
    labels: tuple[str, ...] = (),
    issues: tuple[IssueDefinition, ...] = (),
    polarities: tuple[str, ...] = (),
) -> LabelSchema:
    """A new version of `schema` with more labels, issues or polarities (for imports)."""
    new_labels = tuple(
        SpanLabel(
            name=name,
            title=name,
            key=None,
            color=PALETTE[(len(schema.labels) + i) % 10],
            description="Added by an import.",
        )
        for i, name in enumerate(labels)
    )
    draft = LabelSchema(
        name=schema.name,
        version=_next_version(schema.version),
        labels=schema.labels + new_labels,
        actor_types=schema.actor_types,
        polarities=schema.polarities + polarities,
        issues=schema.issues + issues,
        document_labels=schema.document_labels,
    )
    text = to_toml(draft)
    return parse_schema(text, f"schema '{draft.name}' {draft.version}")


def _next_version(version: str) -> str:
    base, _, count = version.partition("+import")
    return f"{base}+import{int(count) + 1 if count.isdigit() else 1}"


def to_toml(schema: LabelSchema) -> str:
    """The schema as a TOML file that `parse_schema` reads back to an equal schema."""

    def q(value: str) -> str:
        return json.dumps(value, ensure_ascii=False)  # a JSON string is a TOML basic string

    def array(values: tuple[str, ...]) -> str:
        return "[" + ", ".join(q(v) for v in values) + "]"

    lines = [
        f"format = {SCHEMA_FORMAT}",
        f"name = {q(schema.name)}",
        f"version = {q(schema.version)}",
        f"actor_types = {array(schema.actor_types)}",
        f"polarities = {array(schema.polarities)}",
        f"document_labels = {array(schema.document_labels)}",
    ]
    for label in schema.labels:
        lines += ["", "[[labels]]", f"name = {q(label.name)}", f"title = {q(label.title)}"]
        if label.key:
            lines.append(f"key = {q(label.key)}")
        lines.append(f"color = {q(label.color)}")
        if label.description:
            lines.append(f"description = {q(label.description)}")
    for issue in schema.issues:
        lines += ["", "[[issues]]", f"key = {q(issue.key)}", f"name = {q(issue.name)}"]
        if issue.parent:
            lines.append(f"parent = {q(issue.parent)}")
        if issue.description:
            lines.append(f"description = {q(issue.description)}")
    return "\n".join(lines) + "\n"
