"""What an import did: counts, what was new to the project, what was passed over or skipped.

Its own module, so the parts of an import (actors, layers, the importer) all fill one summary
without importing each other.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.changes import Layer, ProjectChange

UNKNOWN_TYPE = "unknown"  # an actor whose type nobody has said yet


@dataclass
class ImportSummary:
    files: int = 0
    added: int = 0
    already_present: list[tuple[str, str]] = field(default_factory=list)  # origin, title
    repeated_in_batch: list[tuple[str, str]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # problems passed over with --skip-bad
    passed_over: list[Path] = field(default_factory=list)
    dropped_lines: int = 0
    spans: int = 0
    stances: int = 0
    doc_labels: int = 0
    new_labels: list[str] = field(default_factory=list)
    new_polarities: list[str] = field(default_factory=list)
    new_issues: list[str] = field(default_factory=list)
    new_actors: list[str] = field(default_factory=list)
    new_actor_types: dict[str, str] = field(default_factory=dict)  # new actor -> its type
    new_annotators: list[str] = field(default_factory=list)
    duplicate_spans: int = 0  # repeated in the input: stored once
    duplicate_stances: int = 0
    span_ids_reassigned: int = 0  # their UUID is another layer's: stored under a new one
    stance_ids_reassigned: int = 0
    actor_type_notes: list[str] = field(default_factory=list)  # types not used, or filled in
    read_notes: list[str] = field(default_factory=list)  # what the readers said of the files
    # What the import touched, for the views (see `change`).
    document_ids: set[uuid.UUID] = field(default_factory=set)  # documents added
    layers: set[Layer] = field(default_factory=set)  # layers given annotations
    actor_ids: set[uuid.UUID] = field(default_factory=set)  # actors added or given a type

    @property
    def change(self) -> ProjectChange:
        return ProjectChange(
            documents=frozenset(self.document_ids),
            layers=frozenset(self.layers),
            statuses=frozenset(self.layers),
            actors=frozenset(self.actor_ids),
            vocabulary=bool(self.new_labels or self.new_polarities or self.new_issues),
            annotators=bool(self.new_annotators),
        )

    def lines(self) -> list[str]:
        """The summary as a person reads it, most important first."""
        return self._counts() + self.notes()

    def headline(self) -> str:
        """What was added, in one line (the GUI's status bar)."""
        return " · ".join(self._counts())

    def _counts(self) -> list[str]:
        out = [
            f"imported {_plural(self.added, 'new document')} from {_plural(self.files, 'file')}"
            + (
                f" ({self.dropped_lines} lines of page chrome removed)"
                if self.dropped_lines
                else ""
            )
        ]
        if self.spans or self.stances or self.doc_labels:
            out.append(
                f"added {_plural(self.spans, 'span')}, {_plural(self.stances, 'stance')}, "
                f"{_plural(self.doc_labels, 'document label')}"
            )
        return out

    def notes(self) -> list[str]:
        """Everything past the counts: what was skipped, renumbered, added to the project's
        vocabulary or not used, which a person should read before going on."""
        out: list[str] = list(self.read_notes)
        for count, what, like in (
            (self.duplicate_spans, "span", "offsets, label, actor, issue and note"),
            (
                self.duplicate_stances,
                "stance",
                "actor, issue, polarity, evidence, confidence and note",
            ),
        ):
            if count:
                out.append(
                    f"{_plural(count, 'duplicate ' + what)} skipped (the same {like} as "
                    f"another {what} of the same annotator in the same document)"
                )
        for count, what in (
            (self.span_ids_reassigned, "span"),
            (self.stance_ids_reassigned, "stance"),
        ):
            if count:
                one = count == 1
                out.append(
                    f"{_plural(count, what)} got {'a new id' if one else 'new ids'}: "
                    f"{'its id belongs' if one else 'their ids belong'} to another document "
                    "or annotator in this project"
                )
        for origin, title in self.already_present:
            out.append(f"already in the project, not imported again: {origin} ({title})")
        for origin, first in self.repeated_in_batch:
            out.append(f"same text as {first}, imported once: {origin}")
        for what, names in (
            ("labels", self.new_labels),
            ("polarities", self.new_polarities),
            ("issues", self.new_issues),
            (
                "actors",
                [f"{n} ({self.new_actor_types.get(n, UNKNOWN_TYPE)})" for n in self.new_actors],
            ),
            ("annotators", self.new_annotators),
        ):
            if names:
                out.append(f"new {what} added to the project: {', '.join(names)}")
        out.extend(self.actor_type_notes)
        for problem in self.skipped:
            out.append(f"skipped: {problem}")
        if self.passed_over:
            out.append(
                f"passed over {len(self.passed_over)} files that are not articles "
                f"(e.g. {self.passed_over[0]})"
            )
        return out


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
