"""`annotator bundle export|import`: moving an annotator's work between laptops.

`annotator.cli.parser` calls `add_command(commands, database)`. Nothing heavy is
imported until a command runs, so building the parser stays fast.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

DESCRIPTION = (
    "Move an annotator's work between laptops. 'export' writes one annotator's layer (with "
    "the texts of its documents and the actors it uses) to one bundle file; 'import' merges "
    "bundles into this project in one transaction: a bad bundle stops it and nothing is "
    "stored, and importing a bundle again changes nothing."
)


def add_command(commands: Any, database_parent: argparse.ArgumentParser) -> None:
    """Add the `bundle` subcommand to `commands` (what `add_subparsers` returned)."""
    bundle = commands.add_parser(
        "bundle", help="move an annotator's work between laptops", description=DESCRIPTION
    )
    # The same parser class as the parent: a usage error is one line and exit status 1.
    actions = bundle.add_subparsers(
        dest="bundle_command", metavar="ACTION", parser_class=type(bundle), required=True
    )
    export = actions.add_parser(
        "export",
        parents=[database_parent],
        help="write one annotator's layer to a bundle file",
        description="Write one annotator's spans, stances, labels and statuses (deletions "
        "included), the texts of their documents and the actors they use to one file.",
    )
    export.add_argument("--annotator", required=True, metavar="NAME", help="whose layer")
    export.add_argument("--out", required=True, type=Path, metavar="FILE", help="the bundle")
    export.set_defaults(run=run_bundle_export)
    importing = actions.add_parser(
        "import",
        parents=[database_parent],
        help="merge bundle files into this project",
        description="Merge bundles into this project, all in one transaction. Documents are "
        "matched by their text, actors by name and alias; conflicts are listed.",
    )
    importing.add_argument("paths", nargs="+", type=Path, metavar="FILE")
    importing.set_defaults(run=run_bundle_import)


def run_bundle_export(args: argparse.Namespace) -> int:
    """Run `annotator bundle export`; prints what was written."""
    from annotator.io.bundles import export_bundle
    from annotator.store.database import open_database

    database = open_database(getattr(args, "db", None), create=False)
    try:
        summary = export_bundle(database, annotator=args.annotator, out=args.out)
    finally:
        database.close()
    for line in summary.lines():
        print(line)
    return 0


def run_bundle_import(args: argparse.Namespace) -> int:
    """Run `annotator bundle import`; prints the summary, conflicts one per line."""
    from annotator.cli.new_project import project_for_writing
    from annotator.io.bundles import merge_bundles, read_bundle

    bundles = [read_bundle(path) for path in args.paths]  # all checked before the database
    with project_for_writing(getattr(args, "db", None)) as database:
        summary = merge_bundles(database, bundles=bundles)
    for line in summary.lines():
        print(line)
    return 0
