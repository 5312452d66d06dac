"""What an export is asked to do, what it reports back, and the errors it raises."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from annotator.core.errors import AnnotatorError

FORMATS: tuple[str, ...] = ("jsonl", "doccano", "labelstudio", "brat", "conll", "stances")
FORMATS += ("network", "xmi", "webanno-tsv")
STATUS_CHOICES = ("todo", "in_progress", "done", "skipped")
SPLIT_NAMES = ("train", "dev", "test")

Progress = Callable[[int, int, str], None]  # done, total, what is being done
Cancelled = Callable[[], bool]


class ExportError(AnnotatorError):
    """The export cannot be done as asked; nothing was written."""


class ExportCancelled(ExportError):
    """The user cancelled; the temp files were removed."""

    def __init__(self) -> None:
        super().__init__("export cancelled; nothing was written")


@dataclass(frozen=True)
class ExportOptions:
    """One export: the format, which layers, which documents, and an optional split.

    Layers: `annotator` (one annotator's layer), `gold` (the adjudicated gold tables) or
    `all_layers` (every annotator's layer); none of them means all layers.
    """

    format: str = "jsonl"
    annotator: str | None = None
    gold: bool = False
    all_layers: bool = False
    story: str | None = None
    status: str | None = None  # only layers whose annotator has this status for the document
    split: tuple[int, int, int] | None = None  # train/dev/test percentages
    seed: int = 0

    @property
    def layers(self) -> str:
        """ "annotator", "gold" or "all"."""
        if self.annotator is not None:
            return "annotator"
        return "gold" if self.gold else "all"

    def check(self) -> None:
        """Raise ExportError for options that contradict each other or are out of range."""
        if self.format not in FORMATS:
            raise ExportError(
                f"unknown export format '{self.format}'; choose one of {', '.join(FORMATS)}"
            )
        chosen = [self.annotator is not None, self.gold, self.all_layers]
        if sum(chosen) > 1:
            raise ExportError("choose only one of --annotator, --gold and --all")
        if self.status is not None and self.status not in STATUS_CHOICES:
            raise ExportError(
                f"unknown status '{self.status}'; choose one of {', '.join(STATUS_CHOICES)}"
            )
        if self.split is not None:
            if len(self.split) != 3 or any(part < 0 for part in self.split):
                raise ExportError("--split needs three percentages, e.g. 80/10/10")
            if sum(self.split) != 100:
                total = sum(self.split)
                given = "/".join(str(part) for part in self.split)
                raise ExportError(f"--split {given} adds up to {total}, not 100")
            if self.format == "network":
                raise ExportError("--split does not apply to the network export")

    def as_json(self) -> dict[str, object]:
        """The options as the dataset card records them."""
        return {
            "format": self.format,
            "layers": self.layers,
            "annotator": self.annotator,
            "story": self.story,
            "status": self.status,
            "split": list(self.split) if self.split else None,
            "seed": self.seed,
        }


@dataclass(frozen=True)
class WrittenFile:
    """A file (or brat folder) an export wrote, described for the summary."""

    path: Path
    description: str  # e.g. "120 lines: 60 documents, 900 spans, 40 stances"


@dataclass
class ExportSummary:
    """What an export wrote; `lines()` has one line per file."""

    format: str
    files: list[WrittenFile] = field(default_factory=list)
    documents: int = 0
    records: int = 0  # one per document and layer
    spans: int = 0
    stances: int = 0
    doc_labels: int = 0
    per_split: dict[str, int] = field(default_factory=dict)  # records per split
    notes: list[str] = field(default_factory=list)  # what a format could not represent

    def lines(self) -> list[str]:
        """The summary as a person reads it: one line per file, then any notes."""
        out = [f"wrote {file.path}: {file.description}" for file in self.files]
        if not self.records:
            out.append("nothing matched: no document has a layer that fits these options")
        out.extend(self.notes)
        return out
