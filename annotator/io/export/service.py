"""The export service behind `annotator.io.export.export` (see the package docstring)."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Connection, select

from annotator.core.schema import LabelSchema
from annotator.core.temp_files import cannot_write
from annotator.io.export.card import Tally, card_json, card_markdown
from annotator.io.export.context import ExportContext, RecordWriter, WriterReport
from annotator.io.export.formats import FORMATS, FormatSpec
from annotator.io.export.jsonl import FEATURES
from annotator.io.export.options import (
    SPLIT_NAMES,
    Cancelled,
    ExportCancelled,
    ExportError,
    ExportOptions,
    ExportSummary,
    Progress,
    WrittenFile,
)
from annotator.io.export.queries import Registries, Selection
from annotator.io.export.reading import count_documents, layer_pages
from annotator.io.export.split import assign_split, split_target
from annotator.io.export.writing import Outputs, check_target
from annotator.store.database import Database
from annotator.store.models import Annotator, Document
from annotator.store.project import active_schema
from annotator.store.project_file import project_clash


def run_export(
    project: Database,
    *,
    options: ExportOptions,
    out: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ExportSummary:
    """Write the layers `options` select to `out` (and split files, and the dataset card)."""
    options.check()
    spec = FORMATS[options.format]
    out = Path(out)
    if out.name in ("", ".."):  # "." or "..": the folder itself, by its name
        out = out.resolve()
    base, suffix = spec.base_and_suffix(out)
    splits: list[str | None] = (
        [name for name, share in zip(SPLIT_NAMES, options.split, strict=True) if share > 0]
        if options.split
        else [None]
    )
    targets = {split: split_target(base, suffix, split) for split in splits}
    # The card is named after the export's own name, so two exports into one folder
    # (data.jsonl and data.conll) each keep theirs.
    cards = (out.with_name(out.name + ".card.json"), out.with_name(out.name + ".card.md"))
    features = out.with_name(out.name + ".features.json")
    extra = [features] if options.split and options.format == "jsonl" else []
    every_path = [p for target in targets.values() for p in spec.targets(target)]
    every_path += list(cards) + extra
    for path in every_path:
        folder = spec.folder and path not in cards
        clash = project_clash(path, project.path, folder=folder)
        if clash is not None:
            raise ExportError(f"{path}: {clash}")
        check_target(path, folder=folder)
    with project.sessions() as session:
        schema: LabelSchema | None = active_schema(session)
        # Core from here on: one read transaction, no ORM objects (see reading.py).
        connection = session.connection()
        registries = Registries.load(connection)
        annotator_id = None
        if options.annotator is not None:
            annotator_id = registries.annotator_id(options.annotator)
            if annotator_id is None:
                raise ExportError(
                    f"no annotator named '{options.annotator}' in {project.display_name}"
                )
        context = ExportContext(
            options=options,
            registries=registries,
            labels=tuple(label.name for label in schema.labels) if schema else (),
            polarities=schema.polarities if schema else (),
            # The file's name, not its path: a card travels with the data, a home folder's
            # name (the user's) does not belong in it.
            database=project.path.name if project.path is not None else project.display_name,
        )
        selection = Selection(options.layers, annotator_id, options.story, options.status)
        total = count_documents(connection, selection)
        outputs = Outputs()
        try:
            writers = {
                split: spec.open(outputs, target, context) for split, target in targets.items()
            }
            with _collector_paused():
                tally = _stream(connection, context, selection, writers, total, progress, cancelled)
            reports = [writer.finish() for writer in writers.values()]
            _drop_empty_splits(outputs, spec, targets, tally, reports)
            if extra:
                features_file = outputs.file(features)
                features_file.write(json.dumps(FEATURES, indent=2) + "\n")
            summary = _summary(options, tally, reports)
            if extra:
                summary.files.append(WrittenFile(features, "datasets Features of the split files"))
            _write_card(outputs, cards, context, tally, reports, summary)
            if cancelled is not None and cancelled():
                raise ExportCancelled
            outputs.commit()
        except OSError as error:  # e.g. the disk is full; name the user's path, not a temp one
            outputs.discard()
            raise ExportError(cannot_write(out, error)) from None
        except BaseException:
            outputs.discard()
            raise
    return summary


def _stream(
    connection: Connection,
    context: ExportContext,
    selection: Selection,
    writers: dict[str | None, RecordWriter],
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> Tally:
    options = context.options
    tally = Tally()
    done = 0
    if progress is not None:
        progress(0, total, "exporting")
    for documents, records in layer_pages(connection, context.registries, selection):
        if cancelled is not None and cancelled():
            raise ExportCancelled
        for record in records:
            if options.split is not None:
                record.split = assign_split(record.document, options.split, options.seed)
            writers[record.split].write(record)
            tally.add(record)
        done += documents
        if progress is not None:
            progress(done, total, "exporting")
    return tally


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while records stream by.

    An export allocates hundreds of thousands of small, acyclic tuples and dicts; the
    collector kept scanning them (a third of the run time). Reference counting still frees
    them page by page, so memory stays flat (tests/perf checks it).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _drop_empty_splits(
    outputs: Outputs,
    spec: FormatSpec,
    targets: dict[str | None, Path],
    tally: Tally,
    reports: list[WriterReport],
) -> list[str]:
    """Write no file for a split no document fell into (a 0-byte file breaks loaders);
    returns the notes that say so (the card keeps them)."""
    notes = []
    for (split, target), report in zip(targets.items(), reports, strict=True):
        if split is None or split in tally.splits:
            continue
        paths = spec.targets(target)
        outputs.drop(paths)
        report.files = [file for file in report.files if file.path not in paths]
        notes.append(
            f"split {split}: no document fell into it (splits go by story, so a small corpus "
            "can leave one empty); no file was written for it"
        )
        report.notes.append(notes[-1])
    return notes


def _summary(options: ExportOptions, tally: Tally, reports: list[WriterReport]) -> ExportSummary:
    total = tally.total
    return ExportSummary(
        format=options.format,
        files=[file for report in reports for file in report.files],
        documents=total.documents,
        records=total.records,
        spans=total.spans,
        stances=total.stances,
        doc_labels=total.doc_labels,
        per_split={name: group.records for name, group in tally.splits.items()},
        notes=[note for report in reports for note in report.notes],
    )


def _write_card(
    outputs: Outputs,
    cards: tuple[Path, Path],
    context: ExportContext,
    tally: Tally,
    reports: list[WriterReport],
    summary: ExportSummary,
) -> None:
    names = [file.path.name for file in summary.files]
    card = card_json(context, tally, names, reports)
    json_path, markdown_path = cards
    outputs.file(json_path).write(json.dumps(card, ensure_ascii=False, indent=2) + "\n")
    outputs.file(markdown_path).write(card_markdown(card))
    summary.files.append(WrittenFile(json_path, f"dataset card (and {markdown_path.name})"))


def export_choices(project: Database) -> tuple[list[str], list[str]]:
    """The annotator names and story keys an export can be restricted to, sorted."""
    with project.sessions() as session:
        names = session.scalars(select(Annotator.name).order_by(Annotator.name)).all()
        stories = session.scalars(
            select(Document.story).where(Document.story.is_not(None)).distinct()
        ).all()
    return list(names), sorted(story for story in stories if story)
