"""What every format writer gets (the export's context) and gives back (a report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from annotator.io.export.options import ExportOptions, WrittenFile
from annotator.io.export.queries import Registries
from annotator.io.export.records import LayerRecord


@dataclass(frozen=True)
class ExportContext:
    """What every writer may need besides the records."""

    options: ExportOptions
    registries: Registries
    labels: tuple[str, ...]  # span labels of the active schema
    polarities: tuple[str, ...]  # stance polarities of the active schema
    database: str  # display name, for messages and the card


@dataclass
class WriterReport:
    """What a format writer wrote and what it could not represent."""

    files: list[WrittenFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # for the summary, one line each
    card: dict[str, object] = field(default_factory=dict)  # format details for the card


class RecordWriter(Protocol):
    """A format's writer: records in, one or more outputs written."""

    def write(self, record: LayerRecord) -> None:
        """Add one document layer to the output."""

    def finish(self) -> WriterReport:
        """Write what comes after the last record; the outputs are committed afterwards."""


@dataclass
class Counts:
    """Running counts of what went into one output file."""

    records: int = 0
    documents: int = 0
    spans: int = 0
    stances: int = 0
    _last_document: str | None = None

    def add(self, record: LayerRecord) -> None:
        self.records += 1
        self.spans += len(record.spans)
        self.stances += len(record.stances)
        # All layers of a document come one after another, so no set of ids is needed.
        if record.document.id != self._last_document:
            self.documents += 1
            self._last_document = record.document.id

    def describe(self, unit: str) -> str:
        return (
            f"{self.records} {unit}: {self.documents} documents, {self.spans} spans, "
            f"{self.stances} stances"
        )

    def written(self, path: Path, unit: str) -> WrittenFile:
        return WrittenFile(path, self.describe(unit))
