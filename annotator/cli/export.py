"""`annotator export`: the command line of the export service.

`annotator.cli.parser` calls `add_command(commands, database)`. Nothing heavy
is imported until the command runs, so building the parser stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from annotator.io.export.options import FORMATS, STATUS_CHOICES, ExportOptions
from annotator.io.export.split import parse_split
from annotator.terminal import TerminalProgress

DESCRIPTION = (
    "Export the labelled documents. Formats: jsonl (training data; imports again), doccano, "
    "labelstudio (one JSON array), brat (a folder of .txt/.ann), conll (BIO per token), "
    "stances (one row per stance; .csv or .jsonl), network (actor-issue edges: PATH.csv and "
    "PATH.graphml), xmi (UIMA CAS XMI for INCEpTION: a folder of .xmi and TypeSystem.xml), "
    "webanno-tsv (WebAnno TSV 3.3 for INCEpTION: a folder of .tsv). A dataset card "
    "(PATH.card.json and .card.md) is written beside the "
    "export. Nothing is left behind when the export fails or is interrupted."
)


def add_command(commands: Any, database_parent: argparse.ArgumentParser) -> None:
    """Add the `export` subcommand to `commands` (what `add_subparsers` returned)."""
    parser = commands.add_parser(
        "export",
        parents=[database_parent],
        help="export labelled data (JSONL, doccano, Label Studio, brat, CoNLL, stances, network)",
        description=DESCRIPTION,
    )
    parser.add_argument("--format", default="jsonl", choices=FORMATS, help="default: jsonl")
    parser.add_argument("--out", required=True, type=Path, metavar="PATH", help="where to write")
    layers = parser.add_mutually_exclusive_group()
    layers.add_argument("--annotator", metavar="NAME", help="only this annotator's layer")
    layers.add_argument("--gold", action="store_true", help="the adjudicated gold layer")
    layers.add_argument(
        "--all",
        dest="all_layers",
        action="store_true",
        help="every annotator's layer, one record per document and layer (the default)",
    )
    parser.add_argument("--story", metavar="KEY", help="only documents of this story")
    parser.add_argument(
        "--status",
        choices=STATUS_CHOICES,
        help="only layers whose annotator gave the document this status (e.g. done)",
    )
    parser.add_argument(
        "--split",
        metavar="TRAIN/DEV/TEST",
        help="write train/dev/test files, e.g. 80/10/10 (a story stays in one split)",
    )
    parser.add_argument(
        "--seed", type=int, default=0, help="seed of the split (default: 0); same seed, same split"
    )
    parser.set_defaults(run=run_export)


def options_from(args: argparse.Namespace) -> ExportOptions:
    """The export options of parsed command-line arguments."""
    return ExportOptions(
        format=args.format,
        annotator=args.annotator,
        gold=args.gold,
        all_layers=args.all_layers,
        story=args.story,
        status=args.status,
        split=parse_split(args.split) if args.split else None,
        seed=args.seed,
    )


def run_export(args: argparse.Namespace) -> int:
    """Run `annotator export`; prints one line per file written."""
    from annotator.io.export import export
    from annotator.store.database import open_database

    options = options_from(args)
    options.check()  # before the database is opened
    database = open_database(getattr(args, "db", None), create=False)
    bar = TerminalProgress()
    try:
        summary = export(database, options=options, out=args.out, progress=bar)
    finally:
        bar.finish()
        database.close()
    for line in summary.lines():
        print(line)
    return 0
