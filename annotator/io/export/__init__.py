"""Exporting labelled data: JSONL for training, interchange formats, stance tables, networks.

`export(database, options, out)` streams the selected layers out of the database a page of
documents at a time and writes them in one format, with a dataset card beside them. All
outputs are written to temp files next to their targets and renamed into place only when
everything succeeded: after an error or a cancel nothing new is left in the folder.
The CLI (`annotator export`, see `cli.py` here) and the GUI's export dialog both call it.

Formats and their decisions are described in each format's module: `jsonl`, `doccano`,
`labelstudio`, `brat`, `conll`, `stances`, `network`; splits in `split`, the card in `card`.
This module stays light (no SQLAlchemy) so that building the command line stays fast.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from annotator.io.export.options import (
    FORMATS,
    STATUS_CHOICES,
    Cancelled,
    ExportCancelled,
    ExportError,
    ExportOptions,
    ExportSummary,
    Progress,
    WrittenFile,
)
from annotator.io.export.split import parse_split

if TYPE_CHECKING:
    from annotator.store.database import Database

__all__ = [
    "FORMATS",
    "STATUS_CHOICES",
    "ExportCancelled",
    "ExportError",
    "ExportOptions",
    "ExportSummary",
    "WrittenFile",
    "export",
    "export_choices",
    "parse_split",
]


def export(
    project: Database,
    *,
    options: ExportOptions,
    out: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportSummary:
    """Write the layers `options` select to `out` (split files too) and a dataset card.

    Raises ExportError (an AnnotatorError) with a one-line message for bad options or an
    unwritable path, ExportCancelled when `cancelled()` turns true; either way nothing new
    is left behind. `progress(done, total, what)` is called once per page of documents.
    """
    from annotator.io.export.service import run_export  # SQLAlchemy only when exporting

    return run_export(
        project, options=options, out=Path(out), progress=progress, cancelled=cancelled
    )


def export_choices(project: Database) -> tuple[list[str], list[str]]:
    """The annotator names and story keys of the project, for the export dialog's lists."""
    from annotator.io.export.service import export_choices as choices

    return choices(project)
