"""`annotator demo`: load the demo articles, schema and actor registry into a project."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any


def add_command(commands: Any, database: argparse.ArgumentParser) -> None:
    """Add `demo` to `commands` (what `add_subparsers` returned)."""
    demo = commands.add_parser(
        "demo", parents=[database], help="load the demo articles, schema and actor registry"
    )
    demo.add_argument("--schema", metavar="TOML", type=Path, help="use this label schema")
    demo.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from annotator.cli.new_project import project_for_writing
    from annotator.core.schema import load_schema
    from annotator.io.demo import load_demo

    schema = load_schema(args.schema) if args.schema else None
    db = getattr(args, "db", None)
    with project_for_writing(db) as database:
        summary = load_demo(database, schema=schema)
    print(
        f"demo: {summary.documents_added} documents added, {summary.documents_present} "
        f"already there, {summary.actors_added} actors added, in {database.display_name}"
    )
    return 0
