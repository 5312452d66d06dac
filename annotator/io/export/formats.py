"""The export formats: which output paths each writes and how its writer is opened."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from annotator.io.export.brat import BratWriter
from annotator.io.export.conll import ConllWriter
from annotator.io.export.context import ExportContext, RecordWriter
from annotator.io.export.doccano import DoccanoWriter
from annotator.io.export.jsonl import JsonlWriter
from annotator.io.export.labelstudio import LabelStudioWriter
from annotator.io.export.network import NetworkWriter
from annotator.io.export.options import ExportError
from annotator.io.export.stances import StancesWriter
from annotator.io.export.webanno_tsv import WebannoTsvWriter
from annotator.io.export.writing import Outputs
from annotator.io.export.xmi import XmiWriter

# outputs, target (base + split + suffix), context
Opener = Callable[[Outputs, Path, ExportContext], RecordWriter]


@dataclass(frozen=True)
class FormatSpec:
    """A format: the --out suffixes it knows and how to open its writer."""

    name: str
    suffixes: tuple[str, ...]  # suffixes of --out this format recognises and keeps
    open: Opener
    folder: bool = False

    def base_and_suffix(self, out: Path) -> tuple[Path, str]:
        """`data.jsonl` -> (`data`, `.jsonl`); a suffix the format does not know stays put."""
        if out.suffix.lower() in self.suffixes:
            return out.with_name(out.stem), out.suffix
        if self.name == "stances":
            raise ExportError(f"{out}: the stances export needs a name ending in .csv or .jsonl")
        return out, ""

    def targets(self, target: Path) -> list[Path]:
        """The paths one writer of this format creates for `target`."""
        if self.name == "network":
            base = target.with_suffix("") if target.suffix.lower() in self.suffixes else target
            return [base.with_name(base.name + ".csv"), base.with_name(base.name + ".graphml")]
        return [target]


def _text_file(
    writer: Callable[[TextIO, Path, ExportContext], RecordWriter], newline: str | None = "\n"
) -> Opener:
    def open_writer(outputs: Outputs, target: Path, context: ExportContext) -> RecordWriter:
        return writer(outputs.file(target, newline=newline), target, context)

    return open_writer


def _stances(outputs: Outputs, target: Path, context: ExportContext) -> RecordWriter:
    newline = "" if target.suffix.lower() == ".csv" else "\n"  # csv writes its own line ends
    return StancesWriter(outputs.file(target, newline=newline), target, context)


def _brat(outputs: Outputs, target: Path, context: ExportContext) -> RecordWriter:
    return BratWriter(outputs.folder(target), target, context)


def _xmi(outputs: Outputs, target: Path, context: ExportContext) -> RecordWriter:
    return XmiWriter(outputs.folder(target), target, context)


def _tsv(outputs: Outputs, target: Path, context: ExportContext) -> RecordWriter:
    return WebannoTsvWriter(outputs.folder(target), target, context)


def _network(outputs: Outputs, target: Path, context: ExportContext) -> RecordWriter:
    csv_path, graphml_path = FORMATS["network"].targets(target)
    return NetworkWriter(
        outputs.file(csv_path, newline=""),
        outputs.file(graphml_path),
        csv_path.with_suffix(""),
        context,
    )


FORMATS: dict[str, FormatSpec] = {
    spec.name: spec
    for spec in (
        FormatSpec("jsonl", (".jsonl", ".json"), _text_file(JsonlWriter)),
        FormatSpec("doccano", (".jsonl", ".json"), _text_file(DoccanoWriter)),
        FormatSpec("labelstudio", (".json",), _text_file(LabelStudioWriter)),
        FormatSpec("brat", (), _brat, folder=True),
        FormatSpec("conll", (".conll", ".bio", ".tsv", ".txt"), _text_file(ConllWriter)),
        FormatSpec("stances", (".csv", ".jsonl"), _stances),
        FormatSpec("network", (".csv", ".graphml"), _network),
        FormatSpec("xmi", (), _xmi, folder=True),
        FormatSpec("webanno-tsv", (), _tsv, folder=True),
    )
}
