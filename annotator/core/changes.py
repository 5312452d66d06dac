"""What a change to the project touched, said once by the code that made it.

Every mutation service (import, bundle merge, actor edit, merge and delete, a status, a gold
decision, the demo, an annotator chosen) returns a `ProjectChange`; the window publishes it
and every view decides from it whether it must read again. A change noticed from outside
(another window or program committed) is `ProjectChange.unknown()`: anything may differ.

Qt-free on purpose: the services that make these live below the UI.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

Layer = tuple[uuid.UUID, uuid.UUID]  # (document, annotator)


@dataclass(frozen=True)
class ProjectChange:
    """The parts of the project one step changed (all empty: nothing changed)."""

    documents: frozenset[uuid.UUID] = field(default_factory=frozenset)  # added, removed, edited
    layers: frozenset[Layer] = field(default_factory=frozenset)  # spans, stances, labels
    statuses: frozenset[Layer] = field(default_factory=frozenset)  # todo/in progress/done
    gold: frozenset[uuid.UUID] = field(default_factory=frozenset)  # documents' gold, rejections
    actors: frozenset[uuid.UUID] = field(default_factory=frozenset)  # created or edited
    actors_gone: frozenset[uuid.UUID] = field(default_factory=frozenset)  # merged or deleted
    vocabulary: bool = False  # the label schema or the issues
    annotators: bool = False  # annotators added or their roles
    elsewhere: bool = False  # noticed from outside: any part may have changed

    @classmethod
    def unknown(cls) -> ProjectChange:
        """Another window or program committed; what it changed is not known."""
        return cls(elsewhere=True)

    @classmethod
    def of_layers(cls, layers: Iterable[Layer], *, statuses: bool = True) -> ProjectChange:
        """Layers edited (and, by default, their statuses: an edit starts a document)."""
        touched = frozenset(layers)
        return cls(layers=touched, statuses=touched if statuses else frozenset())

    def __or__(self, other: ProjectChange) -> ProjectChange:
        values: dict[str, object] = {}
        for part in fields(self):
            mine, theirs = getattr(self, part.name), getattr(other, part.name)
            values[part.name] = mine or theirs if isinstance(mine, bool) else mine | theirs
        return ProjectChange(**values)  # type: ignore[arg-type]

    def __bool__(self) -> bool:
        return any(getattr(self, part.name) for part in fields(self))

    def touches_layer(self, document_id: uuid.UUID, annotator_id: uuid.UUID) -> bool:
        """Whether the layer (document, annotator) may be other than it was."""
        return (
            self.elsewhere
            or (document_id, annotator_id) in self.layers
            or document_id in self.documents
            or bool(self.actors_gone)  # a merge moves spans of every layer to the kept actor
        )

    @property
    def registry(self) -> bool:
        """Whether the actors or the schema (what pickers and palettes offer) changed."""
        return self.elsewhere or self.vocabulary or bool(self.actors or self.actors_gone)

    @property
    def document_list(self) -> bool:
        """Whether a list of documents with their statuses may show something else now."""
        return self.elsewhere or bool(self.documents or self.statuses or self.layers)

    @property
    def review(self) -> bool:
        """Whether a comparison of layers (or the gold) may differ now."""
        return self.elsewhere or bool(
            self.documents or self.layers or self.gold or self.actors_gone or self.annotators
        )


NOTHING = ProjectChange()
