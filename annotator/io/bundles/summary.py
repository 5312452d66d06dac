"""What importing bundles changed, for the command line and the GUI to show."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from annotator.core.changes import Layer, ProjectChange


@dataclass
class BundleImportSummary:
    """Counts and names of what `import_bundles` changed, plus conflicts to look at.

    `conflicts` are registry disagreements the import did not resolve by itself (an actor
    kept apart, an alias not added, a parent that differs); they are reported on every
    import of the bundle, since they stand until someone fixes the registry.
    """

    bundles: list[tuple[str, str]] = field(default_factory=list)  # (file, annotator)
    annotators_added: list[str] = field(default_factory=list)
    documents_added: int = 0
    documents_matched: int = 0
    spans_added: int = 0
    spans_updated: int = 0
    spans_deleted: int = 0
    stances_added: int = 0
    stances_updated: int = 0
    stances_deleted: int = 0
    document_labels_added: int = 0
    document_labels_removed: int = 0
    statuses_changed: int = 0
    actors_added: list[str] = field(default_factory=list)
    actors_matched: int = 0
    aliases_added: list[str] = field(default_factory=list)
    issues_added: list[str] = field(default_factory=list)
    labels_added: list[str] = field(default_factory=list)  # span labels new to the schema
    polarities_added: list[str] = field(default_factory=list)
    schema_installed: str | None = None
    conflicts: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    # What the merge touched, for the views (see `change`).
    document_ids: set[uuid.UUID] = field(default_factory=set)  # documents added
    layers: set[Layer] = field(default_factory=set)  # the bundles' layers
    actor_ids: set[uuid.UUID] = field(default_factory=set)  # actors the bundles name

    @property
    def change(self) -> ProjectChange:
        if not self.changed:
            return ProjectChange()
        return ProjectChange(
            documents=frozenset(self.document_ids),
            layers=frozenset(self.layers),
            statuses=frozenset(self.layers),
            actors=frozenset(self.actor_ids)
            if self.actors_added or self.aliases_added
            else frozenset(),
            vocabulary=bool(
                self.issues_added
                or self.labels_added
                or self.polarities_added
                or self.schema_installed
            ),
            annotators=bool(self.annotators_added),
        )

    @property
    def changed(self) -> bool:
        """Whether the import changed anything in the project."""
        counts = (
            self.documents_added,
            self.spans_added,
            self.spans_updated,
            self.spans_deleted,
            self.stances_added,
            self.stances_updated,
            self.stances_deleted,
            self.document_labels_added,
            self.document_labels_removed,
            self.statuses_changed,
        )
        names = (
            self.annotators_added,
            self.actors_added,
            self.aliases_added,
            self.issues_added,
            self.labels_added,
            self.polarities_added,
        )
        return any(counts) or any(names) or self.schema_installed is not None

    def lines(self) -> list[str]:
        """The summary as a person reads it: what changed, then conflicts one per line."""
        read = ", ".join(f"{name} ({path})" for path, name in self.bundles)
        out = [f"read {len(self.bundles)} bundle{'s' if len(self.bundles) != 1 else ''}: {read}"]
        if not self.changed:
            out.append("nothing changed: everything in the bundles is already in the project")
        else:
            out += [
                f"documents: {self.documents_added} added, {self.documents_matched} already here",
                f"spans: {self.spans_added} added, {self.spans_updated} updated, "
                f"{self.spans_deleted} deleted",
                f"stances: {self.stances_added} added, {self.stances_updated} updated, "
                f"{self.stances_deleted} deleted",
                f"document labels: {self.document_labels_added} added, "
                f"{self.document_labels_removed} removed; statuses: {self.statuses_changed} set",
                f"actors: {len(self.actors_added)} added, {self.actors_matched} matched",
            ]
            if self.schema_installed:
                out.append(f"the project had no label schema; installed {self.schema_installed}")
            for what, names in (
                ("annotators", self.annotators_added),
                ("actors", self.actors_added),
                ("aliases", self.aliases_added),
                ("issues", self.issues_added),
                ("span labels (added to the schema)", self.labels_added),
                ("polarities (added to the schema)", self.polarities_added),
            ):
                if names:
                    out.append(f"new {what}: {', '.join(names)}")
        out += [f"conflict: {conflict}" for conflict in self.conflicts]
        out += [f"note: {note}" for note in self.notes]
        return out
